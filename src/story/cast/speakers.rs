//! Attributes quoted speech to a speaker, so that "I" inside a quote becomes that character.
//! Patterns, in order: `"…," said X` / `"…," X said`, then `X said: "…"`, then the only character
//! named outside the quotes of the paragraph.

use super::entity::Clusters;
use super::lexicon::{self, Case};
use super::mentions::{Detail, RawMention};
use super::tokens::Token;

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
            // Punctuation between quoted words stays inside; the first unquoted word ends it.
            while i < to && (toks[i].in_quote || !toks[i].is_word) {
                i += 1;
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

    /// The character mention covering token `t` (mentions span a few tokens at most).
    fn entity_near(&self, t: usize, mentions: &[RawMention], clusters: &Clusters) -> Option<usize> {
        (t.saturating_sub(4)..=t)
            .rev()
            .find_map(|k| self.entity_at(k, mentions, clusters))
    }
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
    // After the quote: skip punctuation, then look at a few words.
    let mut words = Vec::new();
    let mut t = seg.end;
    while t < para_end && words.len() < 5 {
        if toks[t].in_quote && toks[t].is_word {
            break;
        }
        if toks[t].is_word {
            words.push(t);
        } else if words.len() >= 2 && matches!(toks[t].lower.as_str(), "." | ";" | "!" | "?") {
            break;
        }
        t += 1;
    }
    for (k, &w) in words.iter().enumerate() {
        if lexicon::is_speech_verb(&toks[w].lower) {
            // "said he" / "said Mr. Bennet": the mention after the verb.
            if let Some(&after) = words.get(k + 1) {
                if let Some(e) = index.entity_at(after, mentions, clusters).or_else(|| {
                    words
                        .get(k + 2)
                        .and_then(|&n| index.entity_near(n, mentions, clusters))
                }) {
                    return Some(e);
                }
            }
            // "he said" / "the old man said": the mention before the verb.
            if k > 0 {
                if let Some(e) = index.entity_near(words[k - 1], mentions, clusters) {
                    return Some(e);
                }
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
            return index.entity_near(t - 1, mentions, clusters);
        }
    }
    None
}

/// The one character mentioned outside quotes in the paragraph, if there is exactly one.
pub(crate) fn sole_narrated_character(
    toks: &[Token],
    from: usize,
    to: usize,
    index: &MentionIndex,
    clusters: &Clusters,
) -> Option<usize> {
    let mut found: Option<usize> = None;
    for (t, tok) in toks.iter().enumerate().take(to).skip(from) {
        if tok.in_quote {
            continue;
        }
        let Some(m) = index.mention(t) else { continue };
        if let Some(e) = clusters.live(m) {
            match found {
                Some(f) if f != e => return None,
                _ => found = Some(e),
            }
        }
    }
    found
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
            if !matches!(m.detail, Detail::Name { .. }) {
                continue;
            }
            let Some(e) = clusters.live(mi) else { continue };
            let before = m.first.checked_sub(1).map(|p| toks[p].lower.as_str());
            let after = toks.get(m.last + 1).map(|a| a.lower.as_str());
            let opens = m.first == seg.start
                || before
                    .is_some_and(|b| matches!(b, "," | "\"" | "“" | "‘" | "dear" | "oh" | "o"));
            let closes =
                after.is_some_and(|a| matches!(a, "," | "!" | "?" | "." | "”" | "\"" | "’"));
            if opens && closes {
                return Some(e);
            }
        }
    }
    None
}
