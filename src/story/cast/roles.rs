//! A plain noun ("the man", "the woman", "the peasant") for the household's one parent or spouse of
//! that gender: tales call the father "the man" a few lines after "the father", and the pair are
//! one person, not two. Only when the plain noun came first: a man met after "the father" is
//! someone else.

use std::collections::HashMap;

use super::entity::{Clusters, Origin};
use super::mentions::{Detail, RawMention};
use super::model::{Gender, Rule};
use super::words::{GENERIC_ROLE_NOUNS, HOUSEHOLD_KIN};

/// Whether `head` ("step-mother", "man") is in `list`, by its last part.
fn last_part_in(list: &super::words::WordList, head: &str) -> bool {
    list.contains(head.rsplit('-').next().unwrap_or(head))
}

/// Merges each plain-noun entity into the one household-kin entity of its gender, when the text
/// has exactly one and the plain noun came first: "a rich man" is later "the father", while a man
/// met after the father is someone else.
pub(crate) fn merge_generic_into_household(mentions: &[RawMention], clusters: &mut Clusters) {
    // Per live entity: the token of its first mention.
    let mut first: HashMap<usize, usize> = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        if let Some(e) = clusters.live(i) {
            let f = first.entry(e).or_insert(m.first);
            *f = (*f).min(m.first);
        }
    }
    let met_before = |e: usize, t: usize| match (first.get(&e), first.get(&t)) {
        (Some(a), Some(b)) => a < b,
        _ => false,
    };
    // Per live nominal entity: whether all its heads are plain nouns, and whether any is kin.
    let mut generic: HashMap<usize, bool> = HashMap::new();
    let mut kin: HashMap<usize, bool> = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        let (Some(e), Detail::Nominal { head, .. }) = (clusters.live(i), &m.detail) else {
            continue;
        };
        if clusters.entities[e].origin != Origin::Nominal {
            continue;
        }
        *generic.entry(e).or_insert(true) &= last_part_in(&GENERIC_ROLE_NOUNS, head);
        *kin.entry(e).or_insert(false) |= last_part_in(&HOUSEHOLD_KIN, head);
    }
    let household = |g: Gender| -> Vec<usize> {
        let mut of: Vec<usize> = kin
            .iter()
            .filter(|&(&e, &k)| k && clusters.entities[e].gender() == g)
            .map(|(&e, _)| e)
            .collect();
        of.sort_unstable();
        of
    };
    let mut merges: Vec<(usize, usize)> = Vec::new();
    for (&e, _) in generic.iter().filter(|&(_, &g)| g) {
        let g = clusters.entities[e].gender();
        if !matches!(g, Gender::Male | Gender::Female) {
            continue;
        }
        if let [target] = household(g)[..] {
            if target != e && met_before(e, target) {
                merges.push((e, target));
            }
        }
    }
    for (gone, target) in merges {
        for m in 0..clusters.of_mention.len() {
            if clusters.of_mention[m] == Some(gone) {
                clusters.link(m, Some(target), Rule::HouseholdRole);
            }
        }
        clusters.entities[gone].alive = false;
    }
}
