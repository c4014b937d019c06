//! Conversations: who speaks each quoted paragraph and to whom, so that "I" and "you" inside quotes
//! become characters. An attribution ("said Alice") names the speaker; otherwise the person
//! addressed in the previous paragraph answers (turn-taking), or the one character the paragraph
//! narrates. A name set off by commas inside the quote ("My dear Mr. Bennet,") is the addressee.

use super::lexicon::Person;
use super::pronouns::Resolver;
use super::speakers;

/// The last quoted paragraph of the current conversation.
#[derive(Default)]
pub(crate) struct Dialogue {
    last: Option<Turn>,
    before_last: Option<Turn>,
}

#[derive(Clone, Copy)]
struct Turn {
    paragraph: usize,
    speaker: Option<usize>,
    addressee: Option<usize>,
}

/// Salience given to the speaker of a paragraph, as if narrated once.
const SPEAKER_WEIGHT: f32 = 60.0;

impl Dialogue {
    pub fn finish_paragraph(&mut self, r: &mut Resolver<'_>, paragraph: usize) {
        let Some(&(from, to)) = r.paragraphs.get(paragraph) else {
            r.deferred.clear();
            return;
        };
        let toks = r.toks;
        let segments = speakers::segments(toks, from, to);
        if segments.is_empty() {
            r.deferred.clear();
            self.last = None;
            self.before_last = None;
            return;
        }
        // The previous turn counts only if it is the paragraph just before: a conversation.
        let previous = self.last.filter(|t| t.paragraph + 1 == paragraph);
        let two_back = self.before_last.filter(|t| t.paragraph + 2 == paragraph);
        let vocative = speakers::vocative(toks, r.mentions, &segments, &r.index, r.clusters);
        let mut speaker = segments.iter().find_map(|&s| {
            speakers::attributed_speaker(toks, r.mentions, s, to, &r.index, r.clusters)
        });
        if speaker.is_none() {
            // Turn-taking: the one addressed answers; in an A, B, A exchange A speaks again.
            let alternate = two_back
                .and_then(|t| t.speaker)
                .filter(|&s| previous.is_some_and(|p| p.speaker != Some(s)));
            speaker = previous
                .and_then(|t| t.addressee)
                .or(alternate)
                .filter(|&a| Some(a) != vocative)
                .or_else(|| {
                    speakers::sole_narrated_character(toks, from, to, &r.index, r.clusters)
                });
        }
        let addressee = vocative
            .filter(|&v| Some(v) != speaker)
            .or_else(|| {
                previous.and_then(|t| {
                    if t.speaker != speaker {
                        t.speaker
                    } else {
                        t.addressee
                    }
                })
            })
            .filter(|&a| Some(a) != speaker);
        for (m, person) in std::mem::take(&mut r.deferred) {
            r.clusters.of_mention[m] = match person {
                Person::First => speaker,
                _ => addressee,
            };
        }
        if let Some(s) = speaker {
            r.bump_narrated(s, SPEAKER_WEIGHT, to.saturating_sub(1).max(from));
        }
        self.before_last = self.last;
        self.last = Some(Turn {
            paragraph,
            speaker,
            addressee,
        });
    }
}
