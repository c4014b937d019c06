//! Infers each entity's gender from the pronouns that follow its mentions and from the nouns set
//! beside its name. Why: "Fafner kills his brother" tells us Fafner is male, and "Kriemhild,
//! sister of Gunther" that Kriemhild is female, although no lexicon knows either name.

use super::entity::Clusters;
use super::lexicon::{self, Person};
use super::mentions::{Detail, RawMention};
use super::model::Gender;
use super::tokens::Token;
use super::tuning::{APPOSITION_VOTE, OBJECT_DISCOUNT};

pub(crate) fn vote_from_following_pronouns(
    toks: &[Token],
    mentions: &[RawMention],
    clusters: &mut Clusters,
) {
    for (i, m) in mentions.iter().enumerate() {
        let Some(e) = clusters.of_mention[i] else {
            continue;
        };
        if matches!(m.detail, Detail::Pronoun(_)) {
            continue;
        }
        if let Some(g) = apposed_gender(toks, m) {
            clusters.entities[e].vote(g, APPOSITION_VOTE);
            clusters.entities[e].person_evidence += APPOSITION_VOTE;
        }
        let here = &toks[m.first];
        // The first following mention decides; another name or noun in between means no vote.
        let Some(next) = mentions.get(i + 1) else {
            continue;
        };
        let there = &toks[next.first];
        if there.sentence > here.sentence + 1 || there.in_quote != here.in_quote {
            continue;
        }
        let Detail::Pronoun(p) = &next.detail else {
            continue;
        };
        if p.person != Person::Third || !matches!(p.gender, Gender::Male | Gender::Female) {
            continue;
        }
        // A pronoun in the same sentence is stronger evidence than one in the next.
        let weight = if there.sentence == here.sentence {
            1.0
        } else {
            0.5
        };
        // Any such pronoun says "a person"; its gender says less when it may mean someone else:
        // one of a pair ("Gunther and Gutrune … him"), or the object of the sentence before
        // ("… in love with Gutrune. Under this spell, he offers"), as a pronoun opening a
        // sentence usually continues its subject.
        let entity = &mut clusters.entities[e];
        entity.person_evidence += weight;
        if in_a_pair(toks, m) {
            continue;
        }
        let continues_subject = there.sentence != here.sentence && !m.subject;
        entity.vote(
            p.gender,
            if continues_subject {
                weight * OBJECT_DISCOUNT
            } else {
                weight
            },
        );
    }
}

/// The name is one of two joined by "and": "Gunther and Gutrune", "Gutrune and Gunther".
fn in_a_pair(toks: &[Token], m: &RawMention) -> bool {
    let word = |k: usize| toks.get(k).map(|t| t.lower.as_str());
    let capital = |k: usize| toks.get(k).is_some_and(|t| t.is_word && t.capitalised);
    let after = word(m.last + 1) == Some("and") && capital(m.last + 2);
    let before = m.first >= 2 && word(m.first - 1) == Some("and") && capital(m.first - 2);
    after || before
}

/// The gender of a kin or rank noun set beside a name by a comma: "Kriemhild, sister of
/// Gunther", "Brunhild, queen of Issland", "Fafner, the dragon", "Hagan, his son". For a pair
/// ("Gunther and Gutrune, half-brother and half-sister"), each name takes its own noun.
fn apposed_gender(toks: &[Token], m: &RawMention) -> Option<Gender> {
    if !matches!(m.detail, Detail::Name { .. }) {
        return None;
    }
    let word = |k: usize| toks.get(k).map(|t| t.lower.as_str());
    let second_of_pair = m.first >= 2 && word(m.first - 1) == Some("and");
    let mut k = m.last + 1;
    // The first of a pair: "Gunther and Gutrune, …" — past "and" and the second name.
    let first_of_pair = word(k) == Some("and");
    if first_of_pair {
        k += 1;
        while toks.get(k).is_some_and(|t| t.is_word && t.capitalised) {
            k += 1;
        }
    }
    if word(k) != Some(",") {
        return None;
    }
    k += 1;
    if matches!(word(k), Some("the" | "a" | "an" | "his" | "her" | "their")) {
        k += 1;
    }
    // Skip adjectives ("the youngest son", "his beautiful sister"), a few at most.
    let noun_at = |k: usize| {
        (k..k + 3).find(|&j| {
            toks.get(j)
                .is_some_and(|t| t.is_word && lexicon::character_noun(&t.lower).is_some())
        })
    };
    let mut noun = noun_at(k)?;
    if first_of_pair && word(noun + 1) != Some("and") {
        return None;
    }
    if second_of_pair {
        // The second noun of "N1 and N2".
        if word(noun + 1) != Some("and") {
            return None;
        }
        noun = noun_at(noun + 2)?;
    }
    // Only words between the comma and the noun that are not themselves a break.
    if toks[k..noun].iter().any(|t| !t.is_word) {
        return None;
    }
    match lexicon::character_noun(&toks[noun].lower)? {
        (g @ (Gender::Male | Gender::Female), false) => Some(g),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::story::cast::{analyze, Gender};

    fn gender_of(text: &str, name: &str) -> Gender {
        let cast = analyze(text);
        cast.find(name)
            .unwrap_or_else(|| panic!("{name} missing: {cast:?}"))
            .gender
    }

    #[test]
    fn a_kin_noun_in_apposition_gives_the_gender() {
        let text = "Then Ortrun, sister of the king, came in. Later Ortrun smiled at him.";
        assert_eq!(gender_of(text, "Ortrun"), Gender::Female);
    }

    #[test]
    fn the_second_name_of_a_pair_takes_the_second_noun() {
        let text = "Hagan works through Gunther and Gutrune, half-brother and half-sister to \
                    him. They beguile Siegfried, and he falls in love with Gutrune. Under the \
                    spell, he offers to bring Brunhild for wife to Gunther. Then Gutrune wept.";
        assert_eq!(gender_of(text, "Gutrune"), Gender::Female);
        assert_eq!(gender_of(text, "Gunther"), Gender::Male);
    }

    #[test]
    fn a_pronoun_after_an_object_name_does_not_type_it() {
        // "he" in the next sentence continues the subject, Siegfried.
        let text = "Then Siegfried drew his sword. Then Siegfried saw Ingrid. He laughed. Then Siegfried kissed Ingrid. He sang. \
                    Later Ingrid danced, and Ingrid sang.";
        assert_ne!(gender_of(text, "Ingrid"), Gender::Male);
    }
}
