//! Clusters common-noun mentions ("the dragon", "the fierce dragon") and links them to a name only
//! through strong patterns: "the dragon Fafner", "Fafner, the dragon", "Fafner was a dragon",
//! or a name that ends in the noun ("the Sea Witch" → "the witch").

use std::collections::HashMap;

use super::entity::{Clusters, Origin};
use super::mentions::{Detail, RawMention};
use super::tokens::Token;

/// Determiners whose noun phrase refers back to a known character.
fn is_definite(det: &str) -> bool {
    matches!(det, "the" | "this" | "that")
}

/// Words after which "a man" describes someone already known rather than introducing anyone.
fn is_predicative(lower: &str) -> bool {
    matches!(
        lower,
        "was"
            | "is"
            | "be"
            | "been"
            | "being"
            | "were"
            | "are"
            | "am"
            | "became"
            | "become"
            | "becomes"
            | "as"
            | "like"
            | "such"
            | "seemed"
            | "seems"
            | "remained"
            | "made"
            | "called"
            | "what"
            | "quite"
            | "rather"
            | "not"
            | "never"
            | "into"
            | "of"
            | "'s"
    )
}

/// Heads of nominal mentions that name a character when a name pattern links them.
fn links_by_pattern(
    toks: &[Token],
    mentions: &[RawMention],
    clusters: &Clusters,
) -> HashMap<String, Vec<usize>> {
    let mut links: HashMap<String, Vec<usize>> = HashMap::new();
    let mut add = |head: &str, e: usize| {
        let list = links.entry(head.to_string()).or_default();
        if !list.contains(&e) {
            list.push(e);
        }
    };
    for (i, m) in mentions.iter().enumerate() {
        let Detail::Nominal { head, plural, .. } = &m.detail else {
            continue;
        };
        if *plural {
            continue;
        }
        // "the dragon Fafner"
        if let Some(next) = mentions.get(i + 1) {
            if next.first == m.last + 1 {
                if let Some(e) = name_entity(next, i + 1, clusters) {
                    add(head, e);
                    continue;
                }
            }
        }
        let Some(prev) = i.checked_sub(1).map(|p| (p, &mentions[p])) else {
            continue;
        };
        let Some(e) = name_entity(prev.1, prev.0, clusters) else {
            continue;
        };
        let between: Vec<&str> = toks[prev.1.last + 1..m.first]
            .iter()
            .map(|t| t.lower.as_str())
            .collect();
        // "Fafner, the dragon" / "Fafner was a dragon" / "Fafner became the dragon"
        let apposition = between == [","];
        let copula = matches!(
            between.as_slice(),
            ["was"] | ["is"] | ["became"] | ["becomes"] | ["was", "now"] | ["is", "now"]
        );
        if apposition || copula {
            add(head, e);
        }
    }
    // A name ending in a character noun lends it to the bare noun ("Sea King" → "the king").
    for (i, m) in mentions.iter().enumerate() {
        if let (Detail::Name { words, title, .. }, Some(e)) = (&m.detail, clusters.of_mention[i]) {
            let noun = title.as_deref().or(words.last().map(String::as_str));
            if let Some(noun) = noun {
                if super::lexicon::character_noun(noun).is_some_and(|(_, plural)| !plural) {
                    add(noun, e);
                }
            }
        }
    }
    links
}

fn name_entity(m: &RawMention, index: usize, clusters: &Clusters) -> Option<usize> {
    match m.detail {
        Detail::Name { .. } => clusters.of_mention[index],
        _ => None,
    }
}

/// Adjectives that tell two people with the same noun apart ("the old man", "the young man");
/// descriptive ones ("the handsome prince", "the beautiful prince") do not.
fn is_contrastive(w: &str) -> bool {
    matches!(
        w,
        "old"
            | "older"
            | "oldest"
            | "elder"
            | "eldest"
            | "young"
            | "younger"
            | "youngest"
            | "first"
            | "second"
            | "third"
            | "fourth"
            | "fifth"
            | "sixth"
            | "other"
            | "last"
            | "new"
            | "tall"
            | "short"
            | "fat"
            | "thin"
            | "big"
            | "small"
            | "dead"
            | "living"
    )
}

/// Two modifier lists describe different people when both carry contrastive adjectives and
/// share none of them.
fn conflicting(a: &[String], b: &[String]) -> bool {
    let ca: Vec<&String> = a.iter().filter(|w| is_contrastive(w)).collect();
    let cb: Vec<&String> = b.iter().filter(|w| is_contrastive(w)).collect();
    !ca.is_empty() && !cb.is_empty() && !ca.iter().any(|x| cb.contains(x))
}

struct NominalCluster {
    entity: usize,
    modifiers: Vec<String>,
    last_mention: usize,
}

pub(crate) fn cluster_nominals(toks: &[Token], mentions: &[RawMention], clusters: &mut Clusters) {
    let links = links_by_pattern(toks, mentions, clusters);
    clusters.head_links = links.clone();
    let mut by_head: HashMap<String, Vec<NominalCluster>> = HashMap::new();
    let mut last_seen: HashMap<usize, usize> = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        if let Some(e) = clusters.of_mention[i] {
            last_seen.insert(e, i);
            continue;
        }
        let Detail::Nominal {
            determiner,
            head,
            modifiers,
            gender,
            plural,
        } = &m.detail
        else {
            continue;
        };
        // Narrator-relative kin ("my father") are stable; other possessives depend on whose.
        let narrator_kin = determiner == "my" && !toks[m.first].in_quote;
        // "A young man came in": an indefinite phrase introduces someone (new, or met before
        // under that noun), unless it is a predicate ("he was a good man") or a comparison.
        let introduces = matches!(determiner.as_str(), "a" | "an")
            && !*plural
            && !m
                .first
                .checked_sub(1)
                .is_some_and(|p| is_predicative(&toks[p].lower));
        if !is_definite(determiner) && !narrator_kin && !introduces {
            continue;
        }
        // Number is part of the key: "the mermaids" are not "the mermaid".
        let number = if *plural { "+" } else { "" };
        let key = if narrator_kin {
            format!("my {head}{number}")
        } else {
            format!("{head}{number}")
        };
        // A linked name wins: the most recently mentioned one.
        if !narrator_kin && !*plural {
            if let Some(named) = links.get(head) {
                let best = named
                    .iter()
                    .copied()
                    .max_by_key(|e| last_seen.get(e).copied())
                    .unwrap_or(named[0]);
                clusters.of_mention[i] = Some(best);
                last_seen.insert(best, i);
                continue;
            }
        }
        let list = by_head.entry(key).or_default();
        let found = list
            .iter_mut()
            .filter(|c| !conflicting(&c.modifiers, modifiers))
            .max_by_key(|c| c.last_mention);
        let e = match found {
            Some(c) => {
                c.last_mention = i;
                for w in modifiers {
                    if !c.modifiers.contains(w) {
                        c.modifiers.push(w.clone());
                    }
                }
                c.entity
            }
            None => {
                let e = clusters.add(Origin::Nominal);
                list.push(NominalCluster {
                    entity: e,
                    modifiers: modifiers.clone(),
                    last_mention: i,
                });
                e
            }
        };
        clusters.of_mention[i] = Some(e);
        last_seen.insert(e, i);
        let entity = &mut clusters.entities[e];
        entity.vote(*gender, 1.0);
        if *plural {
            entity.votes_plural += 1.0;
        }
        entity.person_evidence += 1.0;
    }
}
