//! Clusters proper names into characters, after BookNLP's recipe: a name whose words all occur in a
//! longer compatible name joins it ("Darcy" → "Mr. Darcy", "Walter" → "Sir Walter Elliot"); titles
//! of opposite gender keep "Mr. Bennet" and "Mrs. Bennet" apart; an ambiguous short name goes to
//! the candidate mentioned most recently.

use std::collections::{HashMap, HashSet};

use super::entity::{Clusters, Origin};
use super::family::{bare_surname_of_a_woman, younger_sister};
use super::lexicon;
use super::mentions::{Detail, RawMention};
use super::model::{Gender, Rule};
use super::tokens::Token;
use super::tuning::MAX_ROOTS_PER_WORD;

/// A distinct name: its words and the gender its title or first name implies.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct Form {
    pub words: Vec<String>,
    pub gender: Gender,
    /// "Mrs." and "Miss" name different women of one family (mother and daughter).
    pub marital: Option<bool>,
}

fn form_of(m: &RawMention, known_words: &HashSet<&str>) -> Option<Form> {
    let Detail::Name {
        words,
        title,
        title_gender,
    } = &m.detail
    else {
        return None;
    };
    let gender = title_gender
        .filter(|g| *g != Gender::Unknown)
        .or_else(|| words.first().and_then(|w| lexicon::first_name_gender(w)))
        .unwrap_or(Gender::Unknown);
    // A nickname joins its full name when the story uses it: "Lizzy" and "Elizabeth" are one
    // form, but "Bessie" and "Eliza" stay two people when no "Elizabeth" appears.
    let words = words
        .iter()
        .map(|w| match lexicon::formal_first_name(w) {
            Some(formal) if known_words.contains(formal) => formal.to_string(),
            _ => w.clone(),
        })
        .collect();
    let marital = match title.as_deref() {
        Some("mrs" | "madame" | "mme" | "missus" | "frau" | "signora") => Some(true),
        Some("miss" | "mademoiselle" | "mlle" | "fraulein") => Some(false),
        _ => None,
    };
    Some(Form {
        words,
        gender,
        marital,
    })
}

fn compatible(a: Gender, b: Gender) -> bool {
    a == Gender::Unknown || b == Gender::Unknown || a == b
}

/// `general` is a variant of `specific`: its words are a subset and it is no more specific.
fn is_variant(general: &Form, specific: &Form) -> bool {
    if general == specific || !compatible(general.gender, specific.gender) {
        return false;
    }
    if let (Some(a), Some(b)) = (general.marital, specific.marital) {
        if a != b {
            return false;
        }
    }
    let subset = general.words.iter().all(|w| specific.words.contains(w));
    let more_specific = specific.words.len() > general.words.len()
        || (general.gender == Gender::Unknown && specific.gender != Gender::Unknown);
    subset && more_specific
}

/// Creates one entity per name cluster and assigns every name mention to it.
pub(crate) fn cluster_names(toks: &[Token], mentions: &[RawMention], clusters: &mut Clusters) {
    let known_words: HashSet<&str> = mentions
        .iter()
        .filter_map(|m| match &m.detail {
            Detail::Name { words, .. } => Some(words.iter().map(String::as_str)),
            _ => None,
        })
        .flatten()
        .collect();
    let forms: Vec<Option<Form>> = mentions.iter().map(|m| form_of(m, &known_words)).collect();
    let mut count: HashMap<&Form, usize> = HashMap::new();
    for f in forms.iter().flatten() {
        *count.entry(f).or_default() += 1;
    }
    let mut distinct: Vec<&Form> = count.keys().copied().collect();
    distinct.sort_by(|a, b| {
        b.words
            .len()
            .cmp(&a.words.len())
            .then((b.gender != Gender::Unknown).cmp(&(a.gender != Gender::Unknown)))
            .then(a.words.cmp(&b.words))
            // A total order keeps the result independent of hash order.
            .then(a.gender.as_str().cmp(b.gender.as_str()))
            .then(a.marital.cmp(&b.marital))
    });

    // Roots are maximal forms; they are indexed by word so that the subset test stays local.
    let mut roots: Vec<&Form> = Vec::new();
    let mut roots_by_word: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut candidates: HashMap<&Form, Vec<usize>> = HashMap::new();
    // "Miss Jemima" is used, so "Miss Jemima Pinkerton" is a younger sister and "Miss
    // Pinkerton" (by custom the eldest daughter) someone else.
    let miss_first_names: HashSet<&str> = count
        .keys()
        .filter(|f| f.marital == Some(false) && f.words.len() == 1)
        .map(|f| f.words[0].as_str())
        .collect();
    // The gender of the first titled variant to join a root of unknown gender: "Mr Verloc" and
    // "Mrs Verloc" are two people, so only one of them can be "Winnie Verloc".
    let mut claimed: HashMap<usize, Gender> = HashMap::new();
    for form in distinct {
        let mut found: Vec<usize> = Vec::new();
        if let Some(first) = form.words.first() {
            // A word shared by very many names ("Smith" in a directory) would make this
            // quadratic; such a word identifies nobody anyway.
            let shared = roots_by_word
                .get(first.as_str())
                .map_or(&[][..], |v| &v[..]);
            let shared = if shared.len() > MAX_ROOTS_PER_WORD {
                &[][..]
            } else {
                shared
            };
            for &r in shared {
                if is_variant(form, roots[r])
                    && !younger_sister(form, roots[r], &miss_first_names)
                    && !bare_surname_of_a_woman(form, roots[r])
                {
                    found.push(r);
                }
            }
        }
        // "Mr. Pett" prefers "Mr. Peter Pett" to "Nesta Ford Pett": same gender beats unknown.
        if form.gender != Gender::Unknown && found.iter().any(|&r| roots[r].gender == form.gender) {
            found.retain(|&r| roots[r].gender == form.gender);
        }
        if form.gender != Gender::Unknown {
            found.retain(|r| claimed.get(r).is_none_or(|g| *g == form.gender));
            for &r in &found {
                if roots[r].gender == Gender::Unknown {
                    claimed.insert(r, form.gender);
                }
            }
        }
        if found.is_empty() {
            let r = roots.len();
            roots.push(form);
            for w in &form.words {
                let list = roots_by_word.entry(w.as_str()).or_default();
                if list.last() != Some(&r) {
                    list.push(r);
                }
            }
            found.push(r);
        }
        candidates.insert(form, found);
    }

    let root_entity: Vec<usize> = roots
        .iter()
        .map(|form| {
            let e = clusters.add(Origin::Named);
            // The last word is a surname when there is a title or a first name before it.
            let titled = form.gender != Gender::Unknown;
            if titled || form.words.len() > 1 {
                clusters.entities[e].surname = form.words.last().cloned();
            }
            e
        })
        .collect();
    let mut root_count = vec![0usize; roots.len()];
    for (form, n) in &count {
        if let Some(c) = candidates.get(form) {
            if c.len() == 1 {
                root_count[c[0]] += n;
            }
        }
    }
    let mut last_seen: Vec<Option<usize>> = vec![None; roots.len()];
    for (i, form) in forms.iter().enumerate() {
        let Some(form) = form else { continue };
        let Some(cands) = candidates.get(form) else {
            continue;
        };
        // Recency first, then frequency.
        let best = cands
            .iter()
            .copied()
            .max_by_key(|&r| (last_seen[r], root_count[r]))
            .unwrap_or(cands[0]);
        last_seen[best] = Some(i);
        let e = root_entity[best];
        clusters.link(i, Some(e), Rule::SameName);
        let entity = &mut clusters.entities[e];
        entity.vote(form.gender, 2.0);
        // "Sieglinda", "Freya": a lone unknown name in -a leans female, weakly, so that
        // pronouns can still decide.
        if form.gender == Gender::Unknown && form.words.len() == 1 && form.words[0].ends_with('a') {
            entity.vote(Gender::Female, 0.4);
        }
        add_person_evidence(toks, &mentions[i], entity);
    }
}

/// The word before "of" at `first - 2` is a kind of place ("the town of …").
fn before_of_place(toks: &[Token], first: usize) -> bool {
    first.checked_sub(2).is_some_and(|p| {
        matches!(
            toks[p].lower.as_str(),
            "town"
                | "city"
                | "village"
                | "county"
                | "state"
                | "country"
                | "kingdom"
                | "island"
                | "isle"
                | "province"
                | "duchy"
                | "parish"
                | "port"
                | "coast"
                | "republic"
                | "empire"
                | "land"
                | "vale"
                | "valley"
                | "river"
                | "lake"
                | "bay"
                | "straits"
                | "capital"
                | "borough"
                | "hamlet"
                | "district"
                | "shire"
                | "colony"
        )
    })
}

/// Titles and speech verbs speak for a person; "in …", "the …" and place words for a place.
fn add_person_evidence(toks: &[Token], m: &RawMention, e: &mut super::entity::Entity) {
    let Detail::Name {
        words,
        title,
        title_gender,
    } = &m.detail
    else {
        return;
    };
    // "St. Paul", "St. Kitt" are mostly churches, towns and islands.
    let saint = matches!(title.as_deref(), Some("st" | "saint"));
    if title.is_some() && title_gender.is_some() && !saint {
        e.person_evidence += 3.0;
    }
    if words
        .first()
        .is_some_and(|w| lexicon::first_name_gender(w).is_some())
    {
        e.person_evidence += 2.0;
    }
    let last = words.last().map(String::as_str).unwrap_or("");
    if lexicon::character_noun(last).is_some() {
        e.person_evidence += 2.0;
    } else if title_gender.is_none()
        && (lexicon::is_place_word(last) || words.iter().any(|w| lexicon::is_known_place(w)))
    {
        // "Mr. Temple" is a man whatever his name means.
        e.place_evidence += 3.0;
    }
    let prev = m.first.checked_sub(1).map(|p| toks[p].lower.as_str());
    let next = toks.get(m.last + 1).map(|t| t.lower.as_str());
    let next2 = toks.get(m.last + 2).map(|t| t.lower.as_str());
    if prev.is_some_and(lexicon::is_place_preposition) {
        e.place_evidence += 1.0;
    }
    // "the village of Marlott", "the State of Connecticut".
    if prev == Some("of") && before_of_place(toks, m.first) {
        e.place_evidence += 2.0;
    }
    if prev == Some("the") && title.is_none() {
        e.place_evidence += 1.0;
    }
    // "Gunther, King of Burgundy", "queen of Issland": a realm, not a person.
    let before_of = m.first.checked_sub(2).map(|p| toks[p].lower.as_str());
    if prev == Some("of") && before_of.is_some_and(lexicon::is_ruler_title) && title.is_none() {
        e.place_evidence += 3.0;
    }
    if prev.is_some_and(lexicon::is_speech_verb) || next.is_some_and(lexicon::is_speech_verb) {
        e.person_evidence += 1.5;
    }
    // "Siegfried's sword", "Mary's hair": only people and animals usually own visual things.
    if next == Some("'s")
        && next2.is_some_and(|w| lexicon::is_visual_noun(w) || lexicon::character_noun(w).is_some())
    {
        e.person_evidence += 1.0;
    }
}

#[cfg(test)]
mod tests {
    use crate::story::cast::analyze;

    #[test]
    fn a_name_after_the_village_of_is_a_place() {
        let text = "Jack walked to the village of Marlott. The lanes of Marlott were quiet, and \
                    Jack sang. Marlott slept.";
        let cast = analyze(text);
        assert!(cast.find("Marlott").is_none(), "{cast:?}");
    }

    #[test]
    fn the_realm_of_a_ruler_is_a_place() {
        let text = "Gunther was King of Burgundy. Siegfried rode to the King of Burgundy, and \
                    Gunther welcomed Siegfried.";
        let cast = analyze(text);
        assert!(cast.find("Burgundy").is_none(), "{cast:?}");
        assert!(cast.find("Gunther").is_some());
    }
}
