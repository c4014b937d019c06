//! Infers each entity's gender from the pronouns that follow its mentions.
//! Why: "Fafner kills his brother" tells us Fafner is male although no lexicon knows the name.

use super::entity::Clusters;
use super::lexicon::Person;
use super::mentions::{Detail, RawMention};
use super::model::Gender;
use super::tokens::Token;

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
        let here = &toks[m.first];
        // The first following mention decides; another name or noun in between means no vote.
        let Some(next) = mentions.get(i + 1) else {
            continue;
        };
        let there = &toks[next.first];
        if there.sentence > here.sentence + 1 || there.in_quote != here.in_quote {
            continue;
        }
        if let Detail::Pronoun(p) = &next.detail {
            if p.person == Person::Third && matches!(p.gender, Gender::Male | Gender::Female) {
                // A pronoun in the same sentence is stronger evidence than one in the next.
                let weight = if there.sentence == here.sentence {
                    1.0
                } else {
                    0.5
                };
                clusters.entities[e].vote(p.gender, weight);
                clusters.entities[e].person_evidence += weight;
            }
        }
    }
}
