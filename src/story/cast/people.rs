//! Decides which clusters are characters: people (or personified beings) rather than places,
//! things, or one-off epithets. Precision matters more than recall here, since a false character
//! puts a wrong description into prompts.

use super::entity::{Clusters, Origin};
use super::mentions::RawMention;
use super::model::MentionKind;

/// Definite epithets needed before "the man" becomes a character of its own.
const MIN_NOMINAL_MENTIONS: usize = 2;
/// Group epithets ("the sisters") must recur more, as groups are rarely shown as one subject.
const MIN_GROUP_MENTIONS: usize = 3;
/// Mentions (the phrase or pronouns resolved to it) needed for "his wife" to be a character.
const MIN_RELATIONAL_MENTIONS: usize = 2;
/// First-person mentions outside quotes needed for a narrator character.
const MIN_NARRATOR_MENTIONS: usize = 3;

pub(crate) fn keep_likely_characters(mentions: &[RawMention], clusters: &mut Clusters) {
    let counts = mention_counts(mentions, clusters);
    for (e, entity) in clusters.entities.iter_mut().enumerate() {
        let n = counts[e].total;
        entity.alive = match entity.origin {
            Origin::Named => {
                let person = entity.person_evidence;
                let place = entity.place_evidence;
                person > place || (place == 0.0 && n >= 2)
            }
            // Judged after pronoun resolution, when their pronouns count too.
            Origin::Nominal | Origin::Narrator | Origin::Relational => true,
        };
    }
}

/// Entities created while resolving (the narrator, "his wife") need enough mentions to count.
pub(crate) fn drop_thin_late_entities(mentions: &[RawMention], clusters: &mut Clusters) {
    let counts = mention_counts(mentions, clusters);
    for (e, entity) in clusters.entities.iter_mut().enumerate() {
        let Count { total, phrases } = counts[e];
        let keep = match entity.origin {
            // An epithet must recur as an epithet: pronouns alone may be misresolved.
            Origin::Nominal if entity.votes_plural > 0.0 => phrases >= MIN_GROUP_MENTIONS,
            Origin::Nominal => phrases >= MIN_NOMINAL_MENTIONS,
            Origin::Narrator => total >= MIN_NARRATOR_MENTIONS,
            Origin::Relational => total >= MIN_RELATIONAL_MENTIONS,
            Origin::Named => continue,
        };
        if !keep {
            entity.alive = false;
        }
    }
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
    counts
}
