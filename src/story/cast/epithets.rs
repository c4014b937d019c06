//! Merges an epithet cluster ("the lad", "this gentleman") into a named character when the
//! epithet is used, again and again, right after that character was mentioned. Why two passes:
//! the evidence comes from salience during pronoun resolution, and once merged the pronouns
//! must be resolved again with the larger character.

use std::collections::HashMap;

use super::entity::{Clusters, Origin};
use super::lexicon::Case;
use super::mentions::{Detail, RawMention};
use super::model::{Gender, Rule};
use super::pronouns::{self, EpithetVotes, Resolver};
use super::tokens::Token;
use super::tuning::{
    EPITHET_AFTER_NAMING_SHARE, EPITHET_MIN_SALIENCE, FIRST_USE_REACH, MIN_SENTENCES_APART,
    MIN_SHARE, SHORT_TEXT_SENTENCES,
};

pub(crate) fn resolve_with_epithets(
    toks: &[Token],
    mentions: &[RawMention],
    clusters: &mut Clusters,
    paragraphs: &[(usize, usize)],
) {
    merge_by_salience(toks, mentions, clusters, paragraphs);
    // "they called her Cinderella": whoever "her" is, with every pronoun resolved to her, is
    // Cinderella from then on and before.
    for (gone, target) in names_given(toks, mentions, clusters) {
        clusters.merge(gone, target, Rule::NamedOnTheSpot);
    }
}

fn merge_by_salience(
    toks: &[Token],
    mentions: &[RawMention],
    clusters: &mut Clusters,
    paragraphs: &[(usize, usize)],
) {
    let before = clusters.clone();
    let votes = pronouns::resolve(toks, mentions, clusters, paragraphs);
    // In a sketch of a few sentences, salience is too thin to say "the dragon" is Siegfried.
    if toks.last().map_or(0, |t| t.sentence + 1) <= SHORT_TEXT_SENTENCES {
        return;
    }
    let apart = side_by_side(toks, mentions, clusters);
    let mut merges = decide(toks, mentions, &before, &votes);
    merges
        .retain(|e, target| apart.get(&(*e, *target)).copied().unwrap_or(0) < MIN_SENTENCES_APART);
    if merges.is_empty() {
        return;
    }
    *clusters = before;
    // "the scholar" → "the son" → a name: follow each chain to its end (targets come first).
    let ends: HashMap<usize, usize> = merges
        .keys()
        .map(|&e| {
            let mut t = merges[&e];
            while let Some(&next) = merges.get(&t) {
                t = next;
            }
            (e, t)
        })
        .collect();
    let merges = ends;
    for m in 0..clusters.of_mention.len() {
        if let Some(&target) = clusters.of_mention[m].and_then(|e| merges.get(&e)) {
            // Pronouns are resolved again below; the epithets say why they moved.
            clusters.link(m, Some(target), Rule::EpithetAfterName);
        }
    }
    for &gone in merges.keys() {
        clusters.entities[gone].alive = false;
    }
    pronouns::resolve(toks, mentions, clusters, paragraphs);
}

/// Epithet entities the text gives a name: "they called her Cinderella" makes the one "her"
/// stands for (the step-child) Cinderella; "he named him Hans" and "he called her Mother
/// Mansrot" likewise.
fn names_given(
    toks: &[Token],
    mentions: &[RawMention],
    clusters: &Clusters,
) -> HashMap<usize, usize> {
    let mut given = HashMap::new();
    for (i, pronoun) in mentions.iter().enumerate() {
        let Detail::Pronoun(p) = &pronoun.detail else {
            continue;
        };
        // "he called her Mother Mansrot": a kin word may open the name given.
        let kin = toks
            .get(pronoun.last + 1)
            .is_some_and(|t| t.capitalised && super::lexicon::is_kin_title(&t.lower));
        let starts = pronoun.last + 1 + usize::from(kin);
        let Some(n) = (i + 1..mentions.len().min(i + 3)).find(|&n| {
            mentions[n].first == starts && matches!(mentions[n].detail, Detail::Name { .. })
        }) else {
            continue;
        };
        let verb = pronoun.first.checked_sub(1).map(|v| &toks[v]);
        if p.person != super::lexicon::Person::Third
            || p.plural
            || !matches!(p.case, Case::Object | Case::Ambiguous)
            || !verb.is_some_and(|v| super::words::NAMING_VERBS.contains(&v.lower))
        {
            continue;
        }
        let (Some(e), Some(target)) = (clusters.live(i), clusters.live(n)) else {
            continue;
        };
        let (epithet, named) = (&clusters.entities[e], &clusters.entities[target]);
        let fits = matches!(
            (epithet.gender(), named.gender()),
            (a, b) if a == b || a == Gender::Unknown || b == Gender::Unknown
        );
        // A name given once is what the text calls them after: an epithet still written for
        // itself after the naming ("the King") as often as the name is someone else, and "him"
        // was misread.
        let later = |of: usize, name: bool| {
            mentions
                .iter()
                .enumerate()
                .skip(n + 1)
                .filter(|&(j, m)| {
                    let kind = if name {
                        matches!(m.detail, Detail::Name { .. })
                    } else {
                        matches!(m.detail, Detail::Nominal { .. })
                    };
                    kind && clusters.live(j) == Some(of)
                })
                .count()
        };
        // ("The princess married her betrothed" once, at the end, after "Mother Mansrot" again
        // and again, is still her.)
        let named_after = later(e, false) as f32
            >= EPITHET_AFTER_NAMING_SHARE * later(target, true).max(1) as f32;
        if e != target
            && !named_after
            && epithet.origin == Origin::Nominal
            && named.origin == Origin::Named
            && fits
            && named.gender() != Gender::Plural
        {
            given.entry(e).or_insert(target);
        }
    }
    given
}

/// (epithet entity, named entity) pairs seen as two people in one sentence of the narration:
/// "he threw a stone at the giant" keeps the giant apart from the "he" who threw.
fn side_by_side(
    toks: &[Token],
    mentions: &[RawMention],
    clusters: &Clusters,
) -> HashMap<(usize, usize), usize> {
    let mut by_sentence: HashMap<usize, (Vec<usize>, Vec<usize>)> = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        let Some(e) = clusters.of_mention[i] else {
            continue;
        };
        if toks[m.first].in_quote {
            continue;
        }
        let slot = by_sentence.entry(toks[m.first].sentence).or_default();
        match (&m.detail, clusters.entities[e].origin) {
            (Detail::Nominal { determiner, .. }, Origin::Nominal)
                if matches!(determiner.as_str(), "the" | "this" | "that") =>
            {
                slot.0.push(e);
                slot.1.push(e);
            }
            (Detail::Name { .. }, Origin::Named) => slot.1.push(e),
            (Detail::Pronoun(p), Origin::Named | Origin::Nominal)
                if matches!(p.case, Case::Subject | Case::Object) =>
            {
                slot.1.push(e)
            }
            _ => {}
        }
    }
    let mut apart: HashMap<(usize, usize), usize> = HashMap::new();
    for (epithets, named) in by_sentence.values_mut() {
        epithets.sort_unstable();
        epithets.dedup();
        named.sort_unstable();
        named.dedup();
        for &a in epithets.iter() {
            for &b in named.iter() {
                if a != b {
                    *apart.entry((a, b)).or_default() += 1;
                }
            }
        }
    }
    apart
}

fn decide(
    toks: &[Token],
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
    // "the step-mother", "the king": a role towards others, rarely another word for the
    // salient name beside it.
    let mut role: HashMap<usize, bool> = HashMap::new();
    let mut head_of: HashMap<usize, &str> = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        if let (Some(e), Detail::Nominal { head, .. }) = (clusters.of_mention[i], &m.detail) {
            head_of.entry(e).or_insert(head.as_str());
            role.entry(e).or_insert(
                (super::lexicon::is_role_noun(head)) || (super::lexicon::is_animal_or_thing(head)),
            );
        }
    }
    // "the landlord's chair" only ever: the epithet owns things but never appears itself.
    let mut owner_only: HashMap<usize, bool> = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        if let (Some(e), Detail::Nominal { .. }) = (clusters.of_mention[i], &m.detail) {
            let owner = toks.get(m.last + 1).is_some_and(|t| t.lower == "'s");
            let slot = owner_only.entry(e).or_insert(true);
            *slot &= owner;
        }
    }
    let mut merges = HashMap::new();
    for (&e, (seen, named, first)) in votes {
        if owner_only.get(&e).copied().unwrap_or(false) {
            continue;
        }
        if introduced_indefinite.get(&e).copied().unwrap_or(false) || *seen == 0 {
            continue;
        }
        if role.get(&e).copied().unwrap_or(false) {
            continue;
        }
        // "a shepherd called Aram" is not "the giant" however near: the text gave Aram
        // another epithet.
        let head = head_of.get(&e).copied().unwrap_or("");
        let other_epithet = |target: usize| {
            clusters.head_links.iter().any(|(h, named)| {
                h != head
                    && named.contains(&target)
                    && !super::lexicon::is_common_person_noun(h)
                    && !super::lexicon::is_common_person_noun(head)
            })
        };
        if let Some((&target, &n)) = named
            .iter()
            .max_by_key(|(&c, &n)| (n, std::cmp::Reverse(c)))
        {
            if other_epithet(target) {
                continue;
            }
            if n as f32 >= MIN_SHARE * *seen as f32 {
                merges.insert(e, target);
                continue;
            }
        }
        // A role taken on ("the scholar" for the son who went to school), first written while
        // that character held the scene, and never introduced with "a".
        // A beast never takes on a person's role, nor a person a beast's ("the host" is not the
        // cock who came to his inn), and one the text gave another epithet takes on no role
        // ("the judge" is not the Jew).
        let beast = |x: usize| {
            head_of
                .get(&x)
                .map(|h| super::lexicon::is_animal_or_thing(h))
        };
        if let Some(target) = first.filter(|&t| {
            beast(t).unwrap_or(false) == beast(e).unwrap_or(false) && !other_epithet(t)
        }) {
            merges.insert(e, target);
        }
    }
    merges
}

impl Resolver<'_> {
    /// Records the most salient fitting name at a definite epithet of an epithet entity.
    pub(super) fn vote_for_epithet(&mut self, i: usize, e: usize) {
        let m = &self.mentions[i];
        let Detail::Nominal { determiner, .. } = &m.detail else {
            return;
        };
        if self.clusters.entities[e].origin != Origin::Nominal
            || !matches!(determiner.as_str(), "the" | "this" | "that")
        {
            return;
        }
        let tok = &self.toks[m.first];
        let sal = if tok.in_quote {
            &self.all
        } else {
            &self.narration
        };
        let gender = self.clusters.entities[e].gender();
        // "the kings" are never one named character.
        if gender == Gender::Plural {
            return;
        }
        let best = sal
            .recent
            .iter()
            .copied()
            .filter(|&c| {
                let entity = &self.clusters.entities[c];
                let g = entity.gender();
                // An earlier epithet may be what a later one means ("the son" … "the
                // scholar"); entities are numbered in order of first mention.
                let earlier_epithet = entity.origin == Origin::Nominal && c < e;
                entity.alive
                    && (entity.origin == Origin::Named || earlier_epithet)
                    && (g == gender || g == Gender::Unknown || gender == Gender::Unknown)
                    && g != Gender::Plural
            })
            .map(|c| (sal.current(c, tok.sentence), c))
            .filter(|&(s, _)| s >= EPITHET_MIN_SALIENCE)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        // At its first use, acting in the narration, a role taken on may follow its bearer a
        // few sentences later ("he heard a voice… 'Let me out!' … The scholar began to dig"),
        // when the bearer is the one of its gender in the scene.
        let first = self.epithet_votes.get(&e).is_none_or(|v| v.0 == 0);
        let bearer = if first && m.subject && !tok.in_quote && gender != Gender::Unknown {
            let fits: Vec<(f32, usize)> = sal
                .recent
                .iter()
                .copied()
                .filter(|&c| {
                    let entity = &self.clusters.entities[c];
                    entity.alive
                        && c < e
                        && matches!(entity.origin, Origin::Named | Origin::Nominal)
                        && entity.gender() == gender
                })
                .map(|c| (sal.current(c, tok.sentence), c))
                .filter(|&(s, _)| s >= EPITHET_MIN_SALIENCE / FIRST_USE_REACH)
                .collect();
            match fits.as_slice() {
                [(_, c)] => Some(*c),
                _ => None,
            }
        } else {
            None
        };
        let entry = self.epithet_votes.entry(e).or_default();
        if entry.0 == 0 {
            entry.2 = best.map(|(_, c)| c).or(bearer);
        }
        entry.0 += 1;
        if let Some((_, c)) = best {
            *entry.1.entry(c).or_default() += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::story::cast::analyze;

    #[test]
    fn a_plural_epithet_never_merges_into_one_name() {
        let text = "Loki laughed at the gate. The kings came in. Loki spoke, and the kings \
                    listened. Loki left the hall. The kings slept.";
        let cast = analyze(text);
        let loki = cast.find("Loki").expect("Loki");
        assert!(
            !loki.aliases.iter().any(|a| a.contains("kings")),
            "{cast:?}"
        );
    }

    #[test]
    fn a_name_given_after_a_kin_word_is_the_one_named() {
        let text = "A king had a daughter. The princess went up the hill, and the princess fell \
                    into a hole. An old dwarf lived there. He called her Mother Grete, and she \
                    had to cook for him.\n\nThe dwarf went out. Mother Grete locked the door. \
                    The dwarf knocked: \"Mother Grete, open!\" Grete laughed. Mother Grete ran \
                    home at last, and the princess married a prince.";
        let cast = analyze(text);
        let grete = cast.find("Mother Grete").expect("Mother Grete");
        let fell = text.find("the princess fell").unwrap();
        assert!(grete.mentions.iter().any(|m| m.start == fell), "{cast:?}");
    }
}
