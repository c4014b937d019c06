//! Conversations: who speaks each quoted paragraph and to whom, so that "I" and "you" inside quotes
//! become characters. An attribution ("said Alice") names the speaker; otherwise the person
//! addressed in the previous paragraph answers (turn-taking), or the one character the paragraph
//! narrates. A name set off by commas inside the quote ("My dear Mr. Bennet,") is the addressee.

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

/// Salience needed to be taken as the speaker, failing any other clue.
const SPEAKER_MIN_SALIENCE: f32 = 5.0;
/// Salience needed to be taken as the one spoken to, failing any other clue.
const ADDRESSEE_MIN_SALIENCE: f32 = 5.0;
/// Salience given to the speaker of a paragraph, as if narrated once.
const SPEAKER_WEIGHT: f32 = 60.0;

/// Who speaks the quotes of a paragraph and to whom.
#[derive(Clone, Copy, Default)]
pub(crate) struct Voices {
    pub speaker: Option<usize>,
    pub addressee: Option<usize>,
}

impl Dialogue {
    /// Decides the voices of `paragraph` once its narration is resolved (so that "said he" is
    /// known); a paragraph without quotes ends the conversation.
    pub fn voices(&mut self, r: &mut Resolver<'_>, paragraph: usize) -> Voices {
        let Some(&(from, to)) = r.paragraphs.get(paragraph) else {
            return Voices::default();
        };
        let toks = r.toks;
        let segments = speakers::segments(toks, from, to);
        if segments.is_empty() {
            self.last = None;
            self.before_last = None;
            return Voices::default();
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
            speaker = speakers::narrated_subject(toks, r.mentions, from, to, &r.index, r.clusters)
                .or_else(|| {
                    previous
                        .and_then(|t| t.addressee)
                        .or(alternate)
                        .filter(|&a| Some(a) != vocative)
                })
                .or_else(|| r.most_salient_other(vocative, from, SPEAKER_MIN_SALIENCE));
        }
        let told = segments.iter().find_map(|&s| {
            speakers::attributed_addressee(toks, r.mentions, s, to, &r.index, r.clusters)
        });
        let addressee = vocative
            .or(told)
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
            .filter(|&a| Some(a) != speaker)
            .or_else(|| r.most_salient_other(speaker, from, ADDRESSEE_MIN_SALIENCE));
        if let Some(v) = vocative {
            *r.vocatives.entry(v).or_default() += 1;
        }
        if let Some(s) = speaker {
            r.bump_narrated(s, SPEAKER_WEIGHT, from);
        }
        self.before_last = self.last;
        self.last = Some(Turn {
            paragraph,
            speaker,
            addressee,
        });
        Voices { speaker, addressee }
    }
}
