//! Merges an epithet cluster ("the lad", "this gentleman") into a named character when the
//! epithet is used, again and again, right after that character was mentioned. Why two passes:
//! the evidence comes from salience during pronoun resolution, and once merged the pronouns
//! must be resolved again with the larger character.

use std::collections::HashMap;

use super::entity::{Clusters, Origin};
use super::mentions::{Detail, RawMention};
use super::pronouns::{self, EpithetVotes};
use super::tokens::Token;

/// Share of an epithet's definite uses that must follow the same name.
const MIN_SHARE: f32 = 0.5;

pub(crate) fn resolve_with_epithets(
    toks: &[Token],
    mentions: &[RawMention],
    clusters: &mut Clusters,
    paragraphs: &[(usize, usize)],
) {
    let before = clusters.clone();
    let votes = pronouns::resolve(toks, mentions, clusters, paragraphs);
    let merges = decide(mentions, &before, &votes);
    if merges.is_empty() {
        return;
    }
    *clusters = before;
    for slot in clusters.of_mention.iter_mut() {
        if let Some(target) = slot.and_then(|e| merges.get(&e)) {
            *slot = Some(*target);
        }
    }
    for &gone in merges.keys() {
        clusters.entities[gone].alive = false;
    }
    pronouns::resolve(toks, mentions, clusters, paragraphs);
}

fn decide(
    mentions: &[RawMention],
    clusters: &Clusters,
    votes: &EpithetVotes,
) -> HashMap<usize, usize> {
    // An epithet first used with "a" introduced a new character: never merge it.
    let mut introduced_indefinite: HashMap<usize, bool> = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        let Some(e) = clusters.of_mention[i] else {
            continue;
        };
        if clusters.entities[e].origin != Origin::Nominal {
            continue;
        }
        if let Detail::Nominal { determiner, .. } = &m.detail {
            introduced_indefinite
                .entry(e)
                .or_insert(matches!(determiner.as_str(), "a" | "an"));
        }
    }
    let mut merges = HashMap::new();
    for (&e, (seen, named)) in votes {
        if introduced_indefinite.get(&e).copied().unwrap_or(false) || *seen == 0 {
            continue;
        }
        if let Some((&target, &n)) = named
            .iter()
            .max_by_key(|(&c, &n)| (n, std::cmp::Reverse(c)))
        {
            if n as f32 >= MIN_SHARE * *seen as f32 {
                merges.insert(e, target);
            }
        }
    }
    merges
}
