//! Attributes quoted speech to a speaker, so that "I" inside a quote becomes that character.
//! Patterns, in order: `"…," said X` / `"…," X said`, then `X said: "…"`, then the only character
//! named outside the quotes of the paragraph.

use super::entity::Clusters;
use super::lexicon::{self, Case};
use super::mentions::{Detail, RawMention};
use super::tokens::Token;
use super::tuning::IT_LOOKBACK;

/// A run of quoted tokens, `end` exclusive.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Segment {
    pub start: usize,
    pub end: usize,
}

/// Quoted runs inside the token range `[from, to)`.
pub(crate) fn segments(toks: &[Token], from: usize, to: usize) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut i = from;
    while i < to {
        if toks[i].in_quote && toks[i].is_word {
            let start = i;
            i += 1;
            // Punctuation between quoted words stays inside; the first unquoted word ends it,
            // and so does a closing quote right before an opening one (`"…." "…"`: two turns).
            let is_mark = |t: &Token| matches!(t.lower.as_str(), "\"" | "“" | "”");
            while i < to && (toks[i].in_quote || !toks[i].is_word) {
                let turn_ends = is_mark(&toks[i]) && toks.get(i + 1).is_some_and(is_mark);
                i += 1;
                if turn_ends {
                    break;
                }
            }
            out.push(Segment { start, end: i });
        } else {
            i += 1;
        }
    }
    out
}

/// Where a mention starts, by token: `mention_at[t]` is the mention beginning at token `t`.
pub(crate) struct MentionIndex {
    pub mention_at: Vec<Option<u32>>,
}

impl MentionIndex {
    fn mention(&self, t: usize) -> Option<usize> {
        Some((*self.mention_at.get(t)?)? as usize)
    }

    /// The character a noun phrase starting at token `t` refers to; for "his wife" that is the
    /// wife, not the owner.
    fn entity_at(&self, t: usize, mentions: &[RawMention], clusters: &Clusters) -> Option<usize> {
        let m = self.mention(t)?;
        if let Some(next) = mentions.get(m + 1) {
            let possessive = matches!(&mentions[m].detail, Detail::Pronoun(p) if p.case == Case::Possessive || p.case == Case::Ambiguous);
            if possessive && next.first == t + 1 && matches!(next.detail, Detail::Nominal { .. }) {
                return clusters.live(m + 1);
            }
        }
        clusters.live(m)
    }

    /// The character of a mention that ends at token `t` ("the old man" for "man").
    fn entity_ending_at(
        &self,
        t: usize,
        mentions: &[RawMention],
        clusters: &Clusters,
    ) -> Option<usize> {
        (t.saturating_sub(4)..=t).rev().find_map(|k| {
            let m = self.mention(k)?;
            (mentions[m].last == t)
                .then(|| self.entity_at(k, mentions, clusters))
                .flatten()
        })
    }

    /// The character mention covering token `t` (mentions span a few tokens at most).
    fn entity_near(&self, t: usize, mentions: &[RawMention], clusters: &Clusters) -> Option<usize> {
        (t.saturating_sub(4)..=t)
            .rev()
            .find_map(|k| self.entity_at(k, mentions, clusters))
    }
}

/// The one spoken to, from an attribution after the quote: `"…," he told her`, `"…," said
/// Alice to the Cat`.
pub(crate) fn attributed_addressee(
    toks: &[Token],
    mentions: &[RawMention],
    seg: Segment,
    para_end: usize,
    index: &MentionIndex,
    clusters: &Clusters,
) -> Option<usize> {
    if let Some(a) = addressee_before(toks, mentions, seg, index, clusters) {
        return Some(a);
    }
    let words: Vec<usize> = (seg.end..para_end.min(seg.end + 8))
        .filter(|&t| toks[t].is_word && !toks[t].in_quote)
        .collect();
    let k = words
        .iter()
        .position(|&w| lexicon::is_speech_verb(&toks[w].lower))?;
    // Only when the speaker came before the verb: "he told her", "Mary said to him".
    if k == 0
        || index
            .entity_near(words[k - 1], mentions, clusters)
            .is_none()
    {
        return None;
    }
    let mut next = *words.get(k + 1)?;
    if toks[next].lower == "to" {
        next = *words.get(k + 2)?;
    }
    index.entity_at(next, mentions, clusters)
}

/// The one spoken to, from `X said to her, "…`: the speech verb just before the quote.
fn addressee_before(
    toks: &[Token],
    mentions: &[RawMention],
    seg: Segment,
    index: &MentionIndex,
    clusters: &Clusters,
) -> Option<usize> {
    let words: Vec<usize> = (seg.start.saturating_sub(8)..seg.start)
        .filter(|&t| toks[t].is_word && !toks[t].in_quote)
        .collect();
    let k = words
        .iter()
        .rposition(|&w| lexicon::is_speech_verb(&toks[w].lower))?;
    let to = *words.get(k + 1)?;
    if toks[to].lower != "to" {
        return None;
    }
    index.entity_at(*words.get(k + 2)?, mentions, clusters)
}

/// Whether the quote is a thought (`she thought, "…"`, `"…," thought he`): spoken to nobody.
pub(crate) fn is_thought(toks: &[Token], seg: Segment, para_end: usize) -> bool {
    let near = |t: &usize| toks[*t].is_word && !toks[*t].in_quote;
    let before = (seg.start.saturating_sub(4)..seg.start).filter(near);
    let after = (seg.end..para_end.min(seg.end + 4)).filter(near);
    before
        .chain(after)
        .any(|t| matches!(toks[t].lower.as_str(), "thought" | "thinks" | "thinking"))
}

/// The "it" that speaks a quote (see `it_attribution`) and the animal or thing last named before
/// it, which that "it" is.
pub(crate) fn it_speaker(
    toks: &[Token],
    mentions: &[RawMention],
    seg: Segment,
    para_end: usize,
    index: &MentionIndex,
    clusters: &Clusters,
) -> Option<(usize, usize)> {
    let it = it_attribution(toks, seg, para_end)?;
    Some((it, last_animal_or_thing(mentions, index, clusters, it)?))
}

/// The token of an "it" that speaks the quote: `"…," said it`, `"…," it said`, or the subject of
/// the clause that introduces it (`it knocked at the door and cried, "…`).
fn it_attribution(toks: &[Token], seg: Segment, para_end: usize) -> Option<usize> {
    let narration = |t: &Token| t.is_word && !t.in_quote;
    let after: Vec<usize> = (seg.end..para_end.min(seg.end + 6))
        .take_while(|&t| !(toks[t].in_quote && toks[t].is_word))
        .filter(|&t| narration(&toks[t]))
        .take(3)
        .collect();
    if let Some(k) = after
        .iter()
        .position(|&w| lexicon::is_speech_verb(&toks[w].lower))
    {
        let near = [k.checked_sub(1), Some(k + 1)];
        return near
            .into_iter()
            .flatten()
            .filter_map(|j| after.get(j).copied())
            .find(|&w| toks[w].lower == "it");
    }
    // Before the quote, in its sentence: the speech verb, then its subject "it".
    let verb = (seg.start.saturating_sub(6)..seg.start)
        .rev()
        .take_while(|&t| narration(&toks[t]) || !toks[t].is_word)
        .find(|&t| lexicon::is_speech_verb(&toks[t].lower))?;
    (verb.saturating_sub(12)..verb)
        .rev()
        .take_while(|&t| toks[t].sentence == toks[verb].sentence && !toks[t].in_quote)
        .find(|&t| {
            toks[t].lower == "it"
                && toks
                    .get(t + 1)
                    .is_some_and(|n| lexicon::looks_like_verb(&n.lower))
        })
}

/// The character last named by an animal's or a thing's epithet before token `at` ("the frog",
/// "the louse"): what "it" can be when it speaks, since a person is never "it".
fn last_animal_or_thing(
    mentions: &[RawMention],
    index: &MentionIndex,
    clusters: &Clusters,
    at: usize,
) -> Option<usize> {
    (at.saturating_sub(IT_LOOKBACK)..at).rev().find_map(|t| {
        let m = index.mention(t)?;
        match &mentions[m].detail {
            Detail::Nominal {
                head,
                plural: false,
                ..
            } if lexicon::is_animal_or_thing(head) => clusters.live(m),
            _ => None,
        }
    })
}

/// The quote ends its paragraph and the next paragraph opens with its attribution in lowercase
/// (`"…!"` / `said the father again.`), as where scenes are cut by sentence count.
fn attribution_runs_on(toks: &[Token], seg: Segment, para_end: usize) -> bool {
    let ends_paragraph = (seg.end..para_end).all(|t| !toks[t].is_word);
    ends_paragraph
        && toks.get(para_end).is_some_and(|n| {
            n.is_word && !n.in_quote && !n.capitalised && lexicon::is_speech_verb(&n.lower)
        })
}

/// The speaker of a quoted segment, from an attribution next to it.
pub(crate) fn attributed_speaker(
    toks: &[Token],
    mentions: &[RawMention],
    seg: Segment,
    para_end: usize,
    index: &MentionIndex,
    clusters: &Clusters,
) -> Option<usize> {
    // After the quote: skip punctuation, then look at a few words of the quote's own sentence
    // (`"…!" said he`), never a new one (`"…." Then the witch cried, "…`: the next quote's).
    let mut words = Vec::new();
    let mut t = seg.end;
    let sentence = toks[seg.end - 1].sentence;
    let limit = if attribution_runs_on(toks, seg, para_end) {
        para_end + 5
    } else {
        para_end
    };
    while t < limit.min(toks.len()) && words.len() < 5 {
        if toks[t].in_quote && toks[t].is_word {
            break;
        }
        if toks[t].is_word {
            if words.is_empty() && toks[t].sentence != sentence && t < para_end {
                break;
            }
            words.push(t);
        } else if words.len() >= 2 && matches!(toks[t].lower.as_str(), "." | ";" | "!" | "?") {
            break;
        }
        t += 1;
    }
    for (k, &w) in words.iter().enumerate() {
        if lexicon::is_speech_verb(&toks[w].lower) {
            // "he said" / "the old man said": the mention before the verb; else "said he" /
            // "said Mr. Bennet": the one after it. Never "said to Mary": she is spoken to.
            let before = (k > 0)
                .then(|| index.entity_near(words[k - 1], mentions, clusters))
                .flatten();
            let after = words
                .get(k + 1)
                .and_then(|&a| index.entity_at(a, mentions, clusters));
            if let Some(e) = before.or(after) {
                return Some(e);
            }
            break;
        }
    }
    // Before the quote: `X said, "…` within the same sentence.
    let mut t = seg.start;
    let mut seen = 0;
    while t > 0 && seen < 6 {
        t -= 1;
        let tok = &toks[t];
        if tok.in_quote && tok.is_word {
            break;
        }
        if !tok.is_word {
            if matches!(tok.lower.as_str(), "." | "!" | "?") {
                break;
            }
            continue;
        }
        seen += 1;
        if lexicon::is_speech_verb(&tok.lower) && t > 0 {
            // `X said, "…` or `said she; "…`; never the quote before it.
            let before = (toks[t - 1].is_word && !toks[t - 1].in_quote)
                .then(|| index.entity_ending_at(t - 1, mentions, clusters))
                .flatten();
            let after = (t + 1 < seg.start)
                .then(|| index.entity_at(t + 1, mentions, clusters))
                .flatten();
            return before.or(after);
        }
    }
    None
}

/// The character the paragraph's narration is about: the first subject mentioned outside quotes
/// (`He laughed. "…"`, `"…" She smiled.`).
pub(crate) fn narrated_subject(
    toks: &[Token],
    mentions: &[RawMention],
    from: usize,
    to: usize,
    index: &MentionIndex,
    clusters: &Clusters,
) -> Option<usize> {
    let mut first_any: Option<usize> = None;
    for (t, tok) in toks.iter().enumerate().take(to).skip(from) {
        if tok.in_quote {
            continue;
        }
        let Some(m) = index.mention(t) else { continue };
        if let Some(e) = clusters.live(m) {
            if mentions[m].subject {
                return Some(e);
            }
            first_any.get_or_insert(e);
        }
    }
    first_any
}

/// A character addressed by name inside the quotes: `"My dear Mr. Bennet," …`, `"… , Lizzy."`.
pub(crate) fn vocative(
    toks: &[Token],
    mentions: &[RawMention],
    segments: &[Segment],
    index: &MentionIndex,
    clusters: &Clusters,
) -> Option<usize> {
    for seg in segments {
        for t in seg.start..seg.end {
            let Some(mi) = index.mention_at[t] else {
                continue;
            };
            let mi = mi as usize;
            let m = &mentions[mi];
            let Some(e) = clusters.live(mi) else { continue };
            let name = matches!(m.detail, Detail::Name { .. });
            if (name && (m.first == seg.start || is_vocative(toks, m)))
                || is_vocative_epithet(toks, m)
            {
                return Some(e);
            }
        }
    }
    None
}

/// An owner's epithet set off as a form of address: `"What ails you, king's daughter?"`.
fn is_vocative_epithet(toks: &[Token], m: &RawMention) -> bool {
    let Detail::Nominal { determiner, .. } = &m.detail else {
        return false;
    };
    let before = m.first.checked_sub(3).map(|p| toks[p].lower.as_str());
    let after = toks.get(m.last + 1).map(|a| a.lower.as_str());
    determiner == "'s"
        && toks[m.first].in_quote
        && before.is_some_and(|b| matches!(b, "," | "\"" | "“" | "dear"))
        && after.is_some_and(|a| matches!(a, "," | "!" | "?" | "." | "”" | "\""))
}

/// A name set off as a form of address: after an opening quote, a comma or "dear", and before
/// a comma or an end mark.
pub(crate) fn is_vocative(toks: &[Token], m: &RawMention) -> bool {
    let before = m.first.checked_sub(1).map(|p| toks[p].lower.as_str());
    let after = toks.get(m.last + 1).map(|a| a.lower.as_str());
    let opens = before.is_some_and(|b| matches!(b, "," | "\"" | "“" | "‘" | "dear" | "oh" | "o"));
    let closes = after.is_some_and(|a| matches!(a, "," | "!" | "?" | "." | "”" | "\"" | "’"));
    toks[m.first].in_quote && matches!(m.detail, Detail::Name { .. }) && opens && closes
}
