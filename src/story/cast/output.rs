//! Turns the working clusters into the public `Cast`: byte-offset mentions, a display name,
//! aliases, gender and the suggested description.

use std::collections::HashMap;

use super::entity::{Clusters, Origin};
use super::lexicon::Person;
use super::mentions::{Detail, RawMention};
use super::model::{Cast, CastCharacter, Gender, Mention, MentionKind, Rule};
use super::tokens::Token;

/// Number of uppercase letters: fewer is the ordinary spelling.
fn shouting(s: &str) -> usize {
    s.chars().filter(|c| c.is_uppercase()).count()
}

/// Collapses inner whitespace ("Mr.\nBennet" → "Mr. Bennet") and lowercases a leading article.
fn surface(text: &str, kind: MentionKind) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if kind == MentionKind::Nominal {
        let mut words = joined.splitn(2, ' ');
        let first = words.next().unwrap_or("").to_lowercase();
        match words.next() {
            Some(rest) => format!("{first} {rest}"),
            None => first,
        }
    } else {
        joined
    }
}

pub(crate) fn build_cast(
    text: &str,
    toks: &[Token],
    mentions: &[RawMention],
    clusters: &Clusters,
    descriptions: &[Vec<String>],
) -> Cast {
    // Raw mentions and extra spans per entity: (first token, last token, kind, gender of a
    // third-person pronoun).
    type Span = (usize, usize, MentionKind, Option<Gender>, Rule, Rule);
    let mut by_entity: HashMap<usize, Vec<Span>> = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        if let Some(e) = clusters.live(i) {
            let gender = match &m.detail {
                Detail::Pronoun(p) if p.person == Person::Third => Some(p.gender),
                _ => None,
            };
            by_entity.entry(e).or_default().push((
                m.first,
                m.last,
                m.kind(),
                gender,
                found_by(toks, m),
                clusters.why[i],
            ));
        }
    }
    for &(first, last, e, kind, why) in &clusters.extra {
        if clusters.entities[e].alive {
            let found = if kind == MentionKind::Pronoun {
                Rule::Pronoun
            } else {
                Rule::Pair
            };
            by_entity
                .entry(e)
                .or_default()
                .push((first, last, kind, None, found, why));
        }
    }
    let mut characters = Vec::new();
    let mut entity_ids: Vec<usize> = by_entity.keys().copied().collect();
    entity_ids.sort_unstable();
    // Relational entities are named after their owner, so owners are named first.
    let mut names: HashMap<usize, String> = HashMap::new();
    entity_ids.sort_by_key(|&e| clusters.entities[e].origin == Origin::Relational);
    for e in entity_ids {
        let list = &by_entity[&e];
        let entity = &clusters.entities[e];
        let mut out_mentions = Vec::with_capacity(list.len());
        // Surface forms with their counts, names and epithets separately.
        let mut forms: Vec<(String, MentionKind, usize)> = Vec::new();
        for &(first, last, kind, _, found, linked) in list {
            let (start, end) = (toks[first].start, toks[last].end);
            let possessive = kind != MentionKind::Pronoun
                && toks
                    .get(last + 1)
                    .is_some_and(|t| t.start == end && matches!(t.lower.as_str(), "'s" | "’s"));
            out_mentions.push(Mention {
                start,
                end,
                kind,
                possessive,
                found,
                linked,
            });
            if kind == MentionKind::Pronoun {
                continue;
            }
            // "the king's daughter", not "daughter": the owner belongs to the epithet's wording.
            let from = match first.checked_sub(3).map(|k| &toks[k..first]) {
                Some([det, owner, s])
                    if matches!(s.lower.as_str(), "'s" | "’s") && owner.is_word =>
                {
                    if det.lower == "the" {
                        det.start
                    } else {
                        owner.start
                    }
                }
                _ => start,
            };
            let from = if kind == MentionKind::Nominal {
                from
            } else {
                start
            };
            let s = surface(&text[from..end], kind);
            match forms.iter_mut().find(|f| f.0.eq_ignore_ascii_case(&s)) {
                Some(f) => {
                    f.2 += 1;
                    // Prefer "the little mermaid" to the heading's "THE LITTLE MERMAID".
                    if shouting(&f.0) > shouting(&s) {
                        f.0 = s;
                    }
                }
                None => forms.push((s, kind, 1)),
            }
        }
        out_mentions.sort_by_key(|m| (m.start, m.end));
        out_mentions.dedup_by_key(|m| (m.start, m.end));
        // Names before epithets; then the most frequent; then the longest.
        // An epithet that stands alone ("the princess") names better than one through its
        // owner ("the king's daughter").
        let owned = |f: &(String, MentionKind, usize)| f.0.contains("'s ") || f.0.contains("’s ");
        // "the youngest" stands for a noun that names better.
        let elliptic = |f: &(String, MentionKind, usize)| {
            f.1 == MentionKind::Nominal
                && f.0
                    .rsplit(' ')
                    .next()
                    .is_none_or(|w| super::lexicon::character_noun(&w.to_lowercase()).is_none())
        };
        forms.sort_by(|a, b| {
            (b.1 == MentionKind::Name)
                .cmp(&(a.1 == MentionKind::Name))
                .then(owned(a).cmp(&owned(b)))
                .then(elliptic(a).cmp(&elliptic(b)))
                .then(b.2.cmp(&a.2))
                .then(b.0.len().cmp(&a.0.len()))
        });
        let owner_name = entity.owner.and_then(|o| names.get(&o));
        let name = match (entity.origin, forms.first()) {
            (Origin::Narrator, _) => "the narrator".to_string(),
            (Origin::NarratorGroup, _) => "we".to_string(),
            (Origin::Relational, Some(f)) => match owner_name.map(String::as_str) {
                Some("we") => format!("our {}", f.0.to_lowercase()),
                Some(owner) => format!("{owner}'s {}", f.0.to_lowercase()),
                None => f.0.clone(),
            },
            (_, Some(f)) => f.0.clone(),
            (_, None) => continue,
        };
        names.insert(e, name.clone());
        let aliases: Vec<String> = forms
            .iter()
            .map(|f| f.0.clone())
            .filter(|f| *f != name)
            .collect();
        // The pronouns finally resolved to a character confirm its gender.
        let mut votes = entity.clone();
        for &(_, _, _, pronoun, _, _) in list {
            if let Some(g) = pronoun {
                votes.vote(g, 0.5);
            }
        }
        let gender = match entity.origin {
            Origin::Narrator => Gender::Unknown,
            _ => votes.gender(),
        };
        let description = descriptions
            .get(e)
            .filter(|d| !d.is_empty())
            .map(|d| d.join(", "));
        characters.push(CastCharacter {
            id: 0,
            name,
            aliases,
            gender,
            mentions: out_mentions,
            suggested_description: description,
        });
    }
    let mut cast = Cast { characters };
    cast.rank();
    cast
}

/// The rule that found a raw mention, told by what it is.
fn found_by(toks: &[Token], m: &RawMention) -> Rule {
    match &m.detail {
        Detail::Name { words, title, .. } => {
            let kin =
                title.is_none() && words.len() == 1 && super::lexicon::is_kin_title(&words[0]);
            if kin {
                Rule::KinName
            } else {
                Rule::ProperName
            }
        }
        Detail::Nominal { head, .. } => {
            if super::lexicon::character_noun(&toks[m.last].lower).is_none()
                && super::mentions::is_elliptic_adjective(&toks[m.last].lower)
            {
                Rule::Elliptic
            } else if super::lexicon::character_noun(head).is_none() {
                Rule::SpeakingNoun
            } else {
                Rule::CharacterNoun
            }
        }
        Detail::Pronoun(_) => Rule::Pronoun,
    }
}
