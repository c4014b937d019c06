//! Decides which clusters are characters: people (or personified beings) rather than places,
//! things, or one-off epithets. Precision matters more than recall here, since a false character
//! puts a wrong description into prompts.

use super::entity::{Clusters, Origin};
use super::lexicon;
use super::mentions::RawMention;
use super::model::MentionKind;
use super::tokens::Token;
use super::tuning::{
    ACTING_EVIDENCE, MIN_GROUP_MENTIONS, MIN_NAMED_MENTIONS, MIN_NARRATOR_MENTIONS,
    MIN_NOMINAL_MENTIONS, MIN_QUOTED_NAME_MENTIONS, MIN_RELATIONAL_MENTIONS,
    ONE_NAME_PERSON_EVIDENCE, SHORT_TEXT_SENTENCES,
};

pub(crate) fn keep_likely_characters(
    toks: &[Token],
    mentions: &[RawMention],
    clusters: &mut Clusters,
) {
    let counts = mention_counts(mentions, clusters);
    // "Siegfried rode to the mountain." in a sketch: a name with nothing of a place is someone.
    let short = toks.last().map_or(0, |t| t.sentence + 1) <= SHORT_TEXT_SENTENCES;
    for (e, entity) in clusters.entities.iter_mut().enumerate() {
        let n = counts[e].total;
        entity.alive = match entity.origin {
            Origin::Named => {
                let person = entity.person_evidence;
                let place = entity.place_evidence;
                person > place || (place == 0.0 && (n >= 2 || short))
            }
            // Judged after pronoun resolution, when their pronouns count too.
            _ => true,
        };
    }
}

/// After resolution, when pronouns count too: each kind of entity needs enough mentions.
pub(crate) fn drop_thin_entities(toks: &[Token], mentions: &[RawMention], clusters: &mut Clusters) {
    let counts = mention_counts(mentions, clusters);
    let narrated = named_in_narration(toks, mentions, clusters);
    let short = toks.last().map_or(0, |t| t.sentence + 1) <= SHORT_TEXT_SENTENCES;
    let min_nominal = if short { 1 } else { MIN_NOMINAL_MENTIONS };
    for (e, entity) in clusters.entities.iter_mut().enumerate() {
        let Count { total, phrases } = counts[e];
        let keep = match entity.origin {
            // An epithet must recur as an epithet: pronouns alone may be misresolved.
            Origin::Nominal if entity.votes_plural > 0.0 => phrases >= MIN_GROUP_MENTIONS,
            Origin::Nominal => phrases >= min_nominal,
            Origin::Narrator => total >= MIN_NARRATOR_MENTIONS,
            Origin::Relational => total >= MIN_RELATIONAL_MENTIONS,
            Origin::Group | Origin::NarratorGroup => total >= MIN_GROUP_MENTIONS,
            // "old Sanna", "Silver and gold" only ever in someone's talk: a passing word of theirs.
            Origin::Named if narrated[e].is_none() && total < MIN_QUOTED_NAME_MENTIONS => false,
            Origin::Named => {
                total >= MIN_NAMED_MENTIONS
                    // A sketch names its characters once: "Siegfried rode to the mountain."
                    || (short
                        && entity.place_evidence == 0.0
                        && narrated[e].is_some_and(|acting| acting > 0.0))
                    || narrated[e].is_some_and(|acting| {
                        entity.person_evidence + acting - entity.place_evidence
                            >= ONE_NAME_PERSON_EVIDENCE
                    })
            }
        };
        if !keep {
            entity.alive = false;
        }
    }
}

/// Per entity named outside quotes: evidence of a person acting there (else `None`).
fn named_in_narration(
    toks: &[Token],
    mentions: &[RawMention],
    clusters: &Clusters,
) -> Vec<Option<f32>> {
    let mut narrated: Vec<Option<f32>> = vec![None; clusters.entities.len()];
    for (i, m) in mentions.iter().enumerate() {
        let (Some(e), MentionKind::Name) = (clusters.of_mention[i], m.kind()) else {
            continue;
        };
        if toks[m.first].in_quote {
            continue;
        }
        // "Ixtlil rode away": a subject doing something is someone.
        let acting = m.subject
            && toks
                .get(m.last + 1)
                .is_some_and(|t| t.is_word && !t.capitalised && acts(&t.lower));
        let bonus = if acting { ACTING_EVIDENCE } else { 0.0 };
        narrated[e] = Some(narrated[e].unwrap_or(0.0).max(bonus));
    }
    narrated
}

/// A verb of doing after a subject name, not a state that places share ("Paris was", "Rome has"),
/// nor a plural noun that looks like a verb ("Innumerable fishes").
fn acts(lower: &str) -> bool {
    lexicon::looks_like_verb(lower)
        && !lower.ends_with('s')
        && !matches!(
            lower,
            "was"
                | "is"
                | "had"
                | "has"
                | "would"
                | "could"
                | "will"
                | "can"
                | "must"
                | "shall"
                | "should"
                | "might"
                | "may"
                | "does"
                | "did"
                | "lies"
                | "lay"
                | "stood"
        )
}

#[derive(Clone, Copy, Default)]
struct Count {
    total: usize,
    /// Names and epithets, not pronouns.
    phrases: usize,
}

fn mention_counts(mentions: &[RawMention], clusters: &Clusters) -> Vec<Count> {
    let mut counts = vec![Count::default(); clusters.entities.len()];
    for (i, m) in mentions.iter().enumerate() {
        if let Some(e) = clusters.of_mention[i] {
            counts[e].total += 1;
            if m.kind() != MentionKind::Pronoun {
                counts[e].phrases += 1;
            }
        }
    }
    for &(_, _, e, kind, _) in &clusters.extra {
        counts[e].total += 1;
        if kind != MentionKind::Pronoun {
            counts[e].phrases += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use crate::story::cast::analyze;

    #[test]
    fn a_name_used_once_is_kept_when_the_narration_shows_a_person() {
        let text = "The storm broke over the hills. Then Ixtlil, son of the chief, rode away \
                    into the night, and the rain fell on the empty road.";
        assert!(analyze(text).find("Ixtlil").is_some());
        let titled = "The storm broke. In the morning the door opened for Mr. Hale, and the \
                      rain stopped.";
        assert!(analyze(titled).find("Mr. Hale").is_some());
    }

    #[test]
    fn a_name_used_once_in_talk_or_as_a_place_is_not_a_character() {
        let talk = "The storm broke. \"Mr. Hale never came back,\" said the old woman. The \
                    old woman wept.";
        assert!(analyze(talk).find("Mr. Hale").is_none());
        let place = "The storm broke. They came to the village of Marlott at dawn.";
        assert!(analyze(place).find("Marlott").is_none());
    }
}
