//! Conversations: who speaks each quoted paragraph and to whom, so that "I" and "you" inside quotes
//! become characters. An attribution ("said Alice") names the speaker; otherwise the person
//! addressed in the previous paragraph answers (turn-taking), or the one character the paragraph
//! narrates. A name set off by commas inside the quote ("My dear Mr. Bennet,") is the addressee.
//! Where one paragraph holds a whole exchange (`"…?" said she; "…" "…," answered the frog`), as
//! fairy tales often do, each quote has its own voices: its attribution, else the speaker of the
//! quote it continues, else the one who was spoken to.

use super::model::{MentionKind, Rule};
use super::pronouns::Resolver;
use super::speakers;
use super::tuning::{
    ADDRESSEE_MIN_SALIENCE, CONTINUATION_WORDS, SPEAKER_MIN_SALIENCE, SPEAKER_WEIGHT,
};

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

/// Who speaks the quotes of a paragraph and to whom.
#[derive(Clone, Copy, Default)]
pub(crate) struct Voices {
    pub speaker: Option<usize>,
    pub addressee: Option<usize>,
    /// The quote runs on from the paragraph before, whose voices it keeps.
    pub runs_on: bool,
}

/// The voices of each quoted segment of a paragraph.
#[derive(Default)]
pub(crate) struct ParagraphVoices {
    segments: Vec<(speakers::Segment, Voices)>,
}

impl ParagraphVoices {
    /// The voices of the quote holding token `t`.
    pub fn at(&self, t: usize) -> Voices {
        self.segments
            .iter()
            .find(|(s, _)| s.start <= t && t < s.end)
            .or(self.segments.last())
            .map(|(_, v)| *v)
            .unwrap_or_default()
    }
}

impl Dialogue {
    /// Decides the voices of `paragraph` once its narration is resolved (so that "said he" is
    /// known); a paragraph without quotes ends the conversation.
    pub fn voices(&mut self, r: &mut Resolver<'_>, paragraph: usize) -> ParagraphVoices {
        let Some(&(from, to)) = r.paragraphs.get(paragraph) else {
            return ParagraphVoices::default();
        };
        let toks = r.toks;
        let segments = speakers::segments(toks, from, to);
        if segments.is_empty() {
            self.last = None;
            self.before_last = None;
            return ParagraphVoices::default();
        }
        // The previous turn counts only if it is the paragraph just before: a conversation.
        let previous = self.last.filter(|t| t.paragraph + 1 == paragraph);
        let two_back = self.before_last.filter(|t| t.paragraph + 2 == paragraph);
        let vocative = speakers::vocative(toks, r.mentions, &segments, &r.index, r.clusters);
        // A paragraph that opens inside a quote running on from the one before (scenes cut by
        // sentence count, "…Let me out!\n\nLet me out!" The scholar…) goes on with its voices.
        let runs_on = previous
            .filter(|_| toks[from].in_quote && toks[from].is_word)
            .map(|t| Voices {
                speaker: t.speaker,
                addressee: t.addressee,
                runs_on: true,
            });
        let mut speaker = segments
            .iter()
            .find_map(|&s| {
                speakers::attributed_speaker(toks, r.mentions, s, to, &r.index, r.clusters)
            })
            .or(runs_on.and_then(|v| v.speaker));
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
        let paragraph_voices = Voices {
            speaker,
            addressee,
            runs_on: false,
        };
        let per_segment = per_segment(r, &segments, to, paragraph_voices, vocative, runs_on);
        r.clusters.spoken.extend(
            per_segment
                .iter()
                .map(|(seg, v)| (seg.start, seg.end, v.speaker)),
        );
        // An "it" that speaks is the animal or thing last named: "it knocked at the door and
        // cried", the frog. Only its presence: who "I" is stays with the paragraph's turns.
        for &(seg, _) in &per_segment {
            if let Some((it, s)) =
                speakers::it_speaker(toks, r.mentions, seg, to, &r.index, r.clusters)
            {
                r.clusters
                    .extra
                    .push((it, it, s, MentionKind::Pronoun, Rule::ItSpeaks));
            }
        }
        let last = per_segment.last().map_or(paragraph_voices, |x| x.1);
        self.before_last = self.last;
        self.last = Some(Turn {
            paragraph,
            speaker: last.speaker,
            addressee: last.addressee,
        });
        ParagraphVoices {
            segments: per_segment,
        }
    }
}

/// Voices quote by quote. A paragraph with one attributed speaker is that speaker's (the custom
/// of novels); with several, an unattributed quote continues the quote just before it, or
/// answers it when narration comes between.
fn per_segment(
    r: &Resolver<'_>,
    segments: &[speakers::Segment],
    to: usize,
    paragraph: Voices,
    vocative: Option<usize>,
    runs_on: Option<Voices>,
) -> Vec<(speakers::Segment, Voices)> {
    let toks = r.toks;
    let mut attributed: Vec<Option<usize>> = segments
        .iter()
        .map(|&s| speakers::attributed_speaker(toks, r.mentions, s, to, &r.index, r.clusters))
        .collect();
    // The quote running on from the paragraph before keeps its speaker unless attributed anew.
    let runs_on = runs_on.filter(|_| attributed[0].is_none());
    if let Some(v) = runs_on {
        attributed[0] = v.speaker;
    }
    let mut distinct: Vec<usize> = attributed.iter().flatten().copied().collect();
    distinct.sort_unstable();
    distinct.dedup();
    // Quote against quote (`"…?" "…"`) is a change of speaker.
    let adjacent =
        |k: usize| k > 0 && !(segments[k - 1].end..segments[k].start).any(|t| toks[t].is_word);
    let exchange = distinct.len() > 1 || (1..segments.len()).any(adjacent);
    let mut out: Vec<(speakers::Segment, Voices)> = Vec::with_capacity(segments.len());
    for (k, &seg) in segments.iter().enumerate() {
        let previous = out.last().map(|x| x.1);
        let speaker = if !exchange {
            paragraph.speaker
        } else {
            attributed[k].or_else(|| {
                let continues = k > 0 && !adjacent(k) && {
                    let gap = (segments[k - 1].end..seg.start)
                        .filter(|&t| toks[t].is_word)
                        .count();
                    gap <= CONTINUATION_WORDS
                };
                match previous {
                    Some(p) if continues => p.speaker,
                    Some(p) => p.addressee.or(paragraph.speaker),
                    // Someone unnamed speaks to the one the paragraph is about.
                    None if vocative.is_some() && vocative == paragraph.speaker => None,
                    None => paragraph.speaker,
                }
            })
        };
        // Thoughts are spoken to nobody.
        let thought = speakers::is_thought(toks, seg, to);
        let addressee = if thought {
            None
        } else if !exchange {
            paragraph.addressee
        } else {
            speakers::vocative(toks, r.mentions, &[seg], &r.index, r.clusters)
                .or_else(|| {
                    speakers::attributed_addressee(toks, r.mentions, seg, to, &r.index, r.clusters)
                })
                .or_else(|| {
                    out.iter()
                        .rev()
                        .filter_map(|x| x.1.speaker)
                        .find(|&s| Some(s) != speaker)
                })
                .filter(|&a| Some(a) != speaker)
                .or_else(|| r.most_salient_other(speaker, seg.start, ADDRESSEE_MIN_SALIENCE))
                .or(paragraph.addressee)
                .filter(|&a| Some(a) != speaker)
        };
        let inherited = runs_on.filter(|_| k == 0);
        let addressee = match inherited {
            Some(v) if !thought => {
                speakers::vocative(toks, r.mentions, &[seg], &r.index, r.clusters)
                    .or(v.addressee)
                    .filter(|&a| Some(a) != speaker)
                    .or(addressee)
            }
            _ => addressee,
        };
        out.push((
            seg,
            Voices {
                speaker,
                addressee,
                runs_on: inherited.is_some(),
            },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::story::cast::{analyze, Cast, Rule};

    /// The name of the character owning the mention at the first `word` after `after`, with the
    /// rule that joined it.
    fn owner_of(cast: &Cast, text: &str, after: &str, word: &str) -> Option<(String, Rule)> {
        let from = text.find(after).expect("context in the text") + after.len();
        let at = from + text[from..].find(word).expect("word after the context");
        cast.characters.iter().find_map(|c| {
            let m = c.mentions.iter().find(|m| m.start == at)?;
            Some((c.name.clone(), m.linked))
        })
    }

    fn speaker_of(text: &str, after: &str, word: &str) -> Option<String> {
        owner_of(&analyze(text), text, after, word).map(|(name, _)| name)
    }

    #[test]
    fn a_speech_verb_in_the_next_sentence_introduces_the_next_quote() {
        let text = "The hunter met a witch in the wood. The hunter raised his gun at the \
                    witch's dog. \"Be silent, thou odious toad,\" said he, \"or I will shoot \
                    thee dead.\" Then the witch cried out in a passion, \"Will you slay my \
                    little dog?\"";
        assert_eq!(speaker_of(text, "or ", "I").as_deref(), Some("the hunter"));
        assert_eq!(
            speaker_of(text, "slay ", "my").as_deref(),
            Some("the witch")
        );
    }

    #[test]
    fn an_attribution_opening_the_next_paragraph_names_the_speaker_of_the_last_quote() {
        let text = "The father had a son, and the father was old.\n\nThe son jumped for joy. \
                    \"Well, act like a fool! thou growest more stupid every day! I am tired of \
                    thee.\"\n\nsaid the father again. The son did not care.";
        assert_eq!(
            speaker_of(text, "every day! ", "I").as_deref(),
            Some("the father")
        );
    }

    #[test]
    fn a_quote_running_on_into_the_next_paragraph_keeps_its_speaker() {
        let text = "Hans found a bottle under the oak, and in it sat a dwarf. The dwarf \
                    cried, \"Let me out, Hans! I have been here a hundred years.\n\nLet me out, \
                    I beg you!\" Hans looked at the bottle. Hans drew the cork.";
        let cast = analyze(text);
        assert_eq!(
            owner_of(&cast, text, "\n\nLet me out, ", "I"),
            Some(("the dwarf".to_string(), Rule::QuoteRunsOn))
        );
        assert_eq!(
            owner_of(&cast, text, "I beg ", "you"),
            Some(("Hans".to_string(), Rule::QuoteRunsOn))
        );
    }
}
