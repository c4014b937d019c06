//! Turns the working clusters into the public `Cast`: byte-offset mentions, a display name,
//! aliases, gender and the suggested description.

use std::collections::HashMap;

use super::entity::{Clusters, Origin};
use super::lexicon::Person;
use super::mentions::{Detail, RawMention};
use super::model::{Cast, CastCharacter, Gender, Mention, MentionKind};
use super::tokens::Token;

/// Token ranges `[start, end)` of each paragraph, indexed by paragraph number.
pub(crate) fn paragraph_token_ranges(toks: &[Token]) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        while ranges.len() <= t.paragraph {
            ranges.push((i, i));
        }
        ranges[t.paragraph].1 = i + 1;
    }
    ranges
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
    let mut by_entity: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..mentions.len() {
        if let Some(e) = clusters.live(i) {
            by_entity.entry(e).or_default().push(i);
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
        for &i in list {
            let m = &mentions[i];
            let (start, end) = (toks[m.first].start, toks[m.last].end);
            let kind = m.kind();
            out_mentions.push(Mention { start, end, kind });
            if kind == MentionKind::Pronoun {
                continue;
            }
            let s = surface(&text[start..end], kind);
            match forms.iter_mut().find(|f| f.0.eq_ignore_ascii_case(&s)) {
                Some(f) => f.2 += 1,
                None => forms.push((s, kind, 1)),
            }
        }
        out_mentions.sort_by_key(|m| (m.start, m.end));
        out_mentions.dedup();
        // Names before epithets; then the most frequent; then the longest.
        forms.sort_by(|a, b| {
            (b.1 == MentionKind::Name)
                .cmp(&(a.1 == MentionKind::Name))
                .then(b.2.cmp(&a.2))
                .then(b.0.len().cmp(&a.0.len()))
        });
        let owner_name = entity.owner.and_then(|o| names.get(&o));
        let name = match (entity.origin, forms.first()) {
            (Origin::Narrator, _) => "the narrator".to_string(),
            (Origin::Relational, Some(f)) => match owner_name {
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
        for &i in list {
            if let Detail::Pronoun(p) = &mentions[i].detail {
                if p.person == Person::Third {
                    votes.vote(p.gender, 0.5);
                }
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
