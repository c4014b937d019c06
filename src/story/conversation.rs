//! A scene of speech as a picture: who speaks to whom ("The frog speaking to the princess"). The
//! speakers are read from the attributions beside the quotations (`"…," said the grand-mother`,
//! `the frog answered, "…"`): the character the cast found there, else the words that name the
//! speaker; the others present are those spoken to.

use super::cast::{is_speech_verb, is_third_person_pronoun};
use super::references::Referent;
use super::sentences::quote_open_after;
use super::text::Span;
use super::visual::{paragraph_start, quoted_mask_after, words};

/// Words that end a speaker's noun phrase ("said the cat to the mouse", "said Turkey on this
/// occasion").
const PHRASE_ENDS: &[&str] = &[
    "to", "with", "in", "on", "at", "as", "from", "for", "and", "but", "when", "while", "who",
    "that", "then", "after", "before", "again", "once", "now", "into", "coming", "going",
    "looking", "turning", "holding", "without", "across", "over", "under", "by", "through",
];

/// Listeners named at most (a crowd is drawn as its first few).
const MAX_LISTENERS: usize = 3;

/// "The frog speaking to the princess", "Mary and John talking", "the grand-mother speaking";
/// `None` when no one is known to be there.
pub fn conversation(text: &str, span: Span, referents: &[Referent]) -> Option<String> {
    let mut speakers = speakers(text, span, referents, true);
    // A scene that starts inside a quotation: its speaker is the one who opened it.
    let before = &text[paragraph_start(text, span.0)..span.0];
    let slice = &text[span.0..span.1];
    let lead = slice.len() - slice.trim_start().len();
    let quoted = quoted_mask_after(before, slice);
    if quoted[lead] {
        if let Some(who) = continued_speaker(text, span.0, referents) {
            if !speakers.iter().any(|s| s.eq_ignore_ascii_case(&who)) {
                speakers.insert(0, who);
            }
        }
    }
    let present: Vec<&str> = referents
        .iter()
        .filter(|r| r.present)
        .map(|r| r.name)
        .collect();
    let mut others: Vec<&str> = present
        .iter()
        .filter(|p| !speakers.iter().any(|s| s.eq_ignore_ascii_case(p)))
        .take(MAX_LISTENERS)
        .copied()
        .collect();
    // Turns of speech with one person known are half a conversation: the other half is whoever
    // the narration named last before the scene.
    if speakers.len() + others.len() == 1 && quotations(&quoted) >= 2 {
        let one = match speakers.first() {
            Some(speaker) => speaker.as_str(),
            None => others[0],
        };
        if let Some(partner) = last_named_in_narration(text, span.0, referents, one) {
            others.push(partner);
        }
    }
    let picture = match (speakers.as_slice(), others.as_slice()) {
        ([], []) => return None,
        ([], [one]) => format!("{one} speaking"),
        ([], many) => format!("{} talking", and_list(many)),
        ([one], []) => format!("{one} speaking"),
        ([one], listeners) => format!("{one} speaking to {}", and_list(listeners)),
        (many, []) => format!("{} talking", and_list(many)),
        (many, listeners) => format!("{} talking with {}", and_list(many), and_list(listeners)),
    };
    Some(picture)
}

/// How many quotations a quoted-byte mask holds (one going on from before it counts).
fn quotations(quoted: &[bool]) -> usize {
    (0..quoted.len())
        .filter(|&k| quoted[k] && (k == 0 || !quoted[k - 1]))
        .count()
}

/// The character other than `except` named last in the narration (not in a quotation) within
/// `RECENT` bytes before `pos`.
fn last_named_in_narration<'a>(
    text: &str,
    pos: usize,
    referents: &[Referent<'a>],
    except: &str,
) -> Option<&'a str> {
    let mut from = pos.saturating_sub(RECENT);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let from = paragraph_start(text, from);
    let quoted = quoted_mask_after("", &text[from..pos]);
    referents
        .iter()
        // "We" is the narrator's company, not someone to draw across from the speaker.
        .filter(|r| {
            !r.name.eq_ignore_ascii_case(except)
                && !matches!(
                    r.name.to_lowercase().as_str(),
                    "we" | "us" | "i" | "you" | "they"
                )
        })
        .filter_map(|r| last_mention(r, from, pos, |a| !quoted[a - from]))
        .max()
        .map(|(_, name)| name)
}

/// Where `r` was last mentioned between bytes `from` and `pos`, among the mentions `keep`
/// accepts (by start), with its name.
fn last_mention<'a>(
    r: &Referent<'a>,
    from: usize,
    pos: usize,
    keep: impl Fn(usize) -> bool,
) -> Option<(usize, &'a str)> {
    let at = r
        .mentions
        .iter()
        .filter(|&&(a, b)| a >= from && b <= pos && keep(a))
        .map(|m| m.0)
        .max()?;
    Some((at, r.name))
}

/// How far back (bytes) the narration is read for who is there when a scene of speech names no
/// one: about a paragraph or two.
const RECENT: usize = 1500;

/// "Mulligan and Stephen talking": the last two characters named in the narration just before
/// byte `pos`, for a scene of speech that names no one (its speaker a pronoun the cast left
/// unresolved); `None` when no one was named.
pub fn recent_talk(pos: usize, referents: &[Referent]) -> Option<String> {
    let from = pos.saturating_sub(RECENT);
    let mut last: Vec<(usize, &str)> = referents
        .iter()
        .filter_map(|r| last_mention(r, from, pos, |_| true))
        .collect();
    last.sort_unstable();
    let names: Vec<&str> = last.iter().rev().take(2).rev().map(|x| x.1).collect();
    match names.as_slice() {
        [] => None,
        [one] => Some(format!("{one} speaking")),
        two => Some(format!("{} talking", and_list(two))),
    }
}

fn and_list(names: &[impl AsRef<str>]) -> String {
    let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Paragraphs read back for the speaker of a quotation that goes on over them.
const PARAGRAPHS_BACK: usize = 6;

/// The speaker of the quotation open at byte `pos`: the last attribution before it in its
/// paragraph, else, where the paragraph opens the quotation again after one left open, in the
/// paragraphs before ("…," said Holmes, "but a country doctor. ¶ "As to the adjectives…").
fn continued_speaker(text: &str, pos: usize, referents: &[Referent]) -> Option<String> {
    let mut at = pos;
    for _ in 0..PARAGRAPHS_BACK {
        let para = paragraph_start(text, at);
        if let Some(who) = speakers(text, (para, at), referents, false).pop() {
            return Some(who);
        }
        let reopens = text[para..].trim_start().starts_with(['"', '\u{201C}']);
        let prev_end = text[..para].trim_end().len();
        let prev = paragraph_start(text, prev_end);
        if !reopens || prev_end == 0 || !quote_open_after(&text[prev..prev_end], false) {
            return None;
        }
        at = prev_end;
    }
    None
}

/// The speakers of the scene's quotations, in order, each once: for each attribution beside a
/// quotation, the character whose mention is its speaker (one present in the scene, with
/// `present_only`), else its speaker's words (a pronoun the cast did not resolve names no one).
fn speakers(text: &str, span: Span, referents: &[Referent], present_only: bool) -> Vec<String> {
    let slice = &text[span.0..span.1];
    let quoted = quoted_mask_after(&text[paragraph_start(text, span.0)..span.0], slice);
    let mut found: Vec<String> = Vec::new();
    for (a, b, quote_before, quote_after) in narration_pieces(&quoted, slice.len()) {
        let piece = &slice[a..b];
        let mut phrases = Vec::new();
        if quote_before {
            phrases.extend(head_speaker(piece));
        }
        if quote_after {
            phrases.extend(tail_speaker(piece));
        }
        for (pa, pb) in phrases {
            let (pa, pb) = (span.0 + a + pa, span.0 + a + pb);
            let who = referents
                .iter()
                .find(|r| r.mentions.iter().any(|&(ma, mb)| ma < pb && mb > pa))
                .filter(|r| r.present || !present_only)
                .map(|r| r.name.to_string())
                .or_else(|| {
                    // "Then they", "and then she": connectives are no part of the speaker.
                    let mut words = text[pa..pb].trim_start_matches(|c: char| !c.is_alphanumeric());
                    while let Some((_, rest)) =
                        words.split_once(char::is_whitespace).filter(|(first, _)| {
                            matches!(first.to_lowercase().as_str(), "then" | "and" | "but" | "so")
                        })
                    {
                        words = rest.trim_start();
                    }
                    let single = words.split_whitespace().count() == 1;
                    let pronoun = single
                        && (is_third_person_pronoun(&words.to_lowercase())
                            || matches!(words.to_lowercase().as_str(), "i" | "it" | "we" | "you"));
                    (!pronoun).then(|| words.split_whitespace().collect::<Vec<_>>().join(" "))
                });
            if let Some(who) = who {
                if !found.iter().any(|f| f.eq_ignore_ascii_case(&who)) {
                    found.push(who);
                }
            }
        }
    }
    found
}

/// The stretches of narration between quotations: (start, end, a quotation before, one after).
fn narration_pieces(quoted: &[bool], len: usize) -> Vec<(usize, usize, bool, bool)> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut k = 0;
    while k < len {
        if quoted[k] {
            if k > start {
                pieces.push((start, k, start > 0, true));
            }
            while k < len && quoted[k] {
                k += 1;
            }
            start = k;
            continue;
        }
        k += 1;
    }
    if start < len {
        pieces.push((start, len, start > 0, false));
    }
    pieces
}

/// After a quotation: `, said the grand-mother, …` or `, the frog answered.` — the speaker's
/// span in `piece`.
fn head_speaker(piece: &str) -> Option<Span> {
    let ws = words(piece);
    let k = ws
        .iter()
        .take(4)
        .position(|&(a, b)| is_speech_verb(&piece[a..b].to_lowercase()))?;
    // A new paragraph after the quotation starts narration, not its attribution.
    if piece[..ws[k].0].contains(['.', '!', '?', ';'])
        || piece[..ws[0].0].matches('\n').count() >= 2
    {
        return None;
    }
    if k > 0 {
        // "the frog answered": the words before the verb.
        return Some((ws[0].0, ws[k - 1].1));
    }
    phrase_after(piece, &ws, k)
}

/// Before a quotation: `Then said the king, "…"` or `the frog answered, "…"`.
fn tail_speaker(piece: &str) -> Option<Span> {
    let ws = words(piece);
    let from = piece
        .rfind(['.', '!', '?', ';'])
        .filter(|&p| piece[p + 1..].trim().chars().any(char::is_alphanumeric))
        .map_or(0, |p| p + 1);
    let k = ws
        .iter()
        .rposition(|&(a, b)| a >= from && is_speech_verb(&piece[a..b].to_lowercase()))?;
    // The subject: the words since the last comma or clause start, at most four.
    let clause = piece[from..ws[k].0]
        .rfind(',')
        .map_or(from, |p| from + p + 1);
    let before: Vec<&(usize, usize)> = ws[..k].iter().filter(|w| w.0 >= clause).collect();
    match before.as_slice() {
        [] => phrase_after(piece, &ws, k),
        // "said he as he returned": a subject holds no verb of speech and no conjunction.
        subject
            if subject.len() <= 4
                && subject.iter().all(|&&(a, b)| {
                    let w = piece[a..b].to_lowercase();
                    !is_speech_verb(&w) && !PHRASE_ENDS.contains(&w.as_str())
                }) =>
        {
            let first = subject.iter().position(|&&(a, b)| {
                !matches!(
                    &piece[a..b],
                    "and" | "But" | "And" | "but" | "Then" | "then"
                )
            })?;
            Some((subject[first].0, subject[subject.len() - 1].1))
        }
        _ => None,
    }
}

/// The noun phrase after the verb at `k`: up to five words, ending at punctuation, an adverb
/// ("severely") or a word that starts something else ("to", "with", "on").
fn phrase_after(piece: &str, ws: &[(usize, usize)], k: usize) -> Option<Span> {
    // "went on Syme": the particle belongs to the verb.
    let particle = ws
        .get(k + 1)
        .is_some_and(|&(a, b)| matches!(&piece[a..b], "on" | "in" | "out" | "up" | "back"));
    let k = if particle { k + 1 } else { k };
    let mut end = None;
    for (i, &(a, b)) in ws.iter().enumerate().skip(k + 1).take(5) {
        let gap = &piece[ws[i - 1].1..a];
        if !gap.trim().is_empty() {
            break;
        }
        let lower = piece[a..b].to_lowercase();
        if PHRASE_ENDS.contains(&lower.as_str()) || (lower.ends_with("ly") && lower.len() > 4) {
            break;
        }
        end = Some(b);
    }
    end.map(|e| (ws[k + 1].0, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person<'a>(name: &'a str, mentions: &'a [Span]) -> Referent<'a> {
        super::super::references::tests::person(name, mentions, "female")
    }

    fn talk(text: &str, referents: &[Referent]) -> Option<String> {
        conversation(text, (0, text.len()), referents)
    }

    #[test]
    fn a_split_quotation_shows_its_speaker_speaking_to_the_others() {
        let s = "\"When you are fifteen,\" said the grand-mother, \"you may rise up.\"";
        assert_eq!(talk(s, &[]).as_deref(), Some("the grand-mother speaking"));
        let mermaid = [(0, 0)];
        let at = s.find("the grand").unwrap();
        let granny = [(at, at + "the grand-mother".len())];
        assert_eq!(
            talk(
                s,
                &[
                    person("the grand-mother", &granny),
                    person("the little mermaid", &mermaid)
                ]
            )
            .as_deref(),
            Some("the grand-mother speaking to the little mermaid")
        );
    }

    #[test]
    fn the_speaker_is_read_from_either_side_of_the_quotation() {
        assert_eq!(
            talk("\"Yes,\" said Turkey on this occasion, \"I do.\"", &[]).as_deref(),
            Some("Turkey speaking")
        );
        assert_eq!(
            talk("\"You liar,\" said Tuppence severely. Tommy chuckled.", &[]).as_deref(),
            Some("Tuppence speaking")
        );
        assert_eq!(
            talk("The frog answered, \"I can help.\"", &[]).as_deref(),
            Some("The frog speaking")
        );
        assert_eq!(
            talk("\"No,\" said she. \"Go,\" replied the boy officer.", &[]).as_deref(),
            Some("the boy officer speaking")
        );
    }

    #[test]
    fn two_speakers_are_talking() {
        let s = "\"Must you go?\" inquired Gregory sarcastically. \"I tell you,\" went on \
                 Syme with passion, \"that it is so.\"";
        assert_eq!(talk(s, &[]).as_deref(), Some("Gregory and Syme talking"));
    }

    #[test]
    fn a_scene_inside_a_quotation_is_spoken_by_whoever_opened_it() {
        // Within the paragraph: the scene starts after "said Holmes".
        let s = "\u{201c}No mention of that, Watson,\u{201d} said Holmes, \u{201c}but a country \
                 doctor. As to the adjectives, I said, amiable.\u{201d}";
        let from = s.find("As to").unwrap();
        assert_eq!(
            conversation(s, (from, s.len()), &[]).as_deref(),
            Some("Holmes speaking")
        );
        // Over paragraphs: the paragraph opens the quotation again.
        let s = "\"It was late,\" said the old man. \"We rode on.\n\n\"At dawn we came home.\"";
        let from = s.find("\"At dawn").unwrap();
        assert_eq!(
            conversation(s, (from, s.len()), &[]).as_deref(),
            Some("the old man speaking")
        );
        // A paragraph that closed its quotation hands nothing on.
        let s = "\"It was late,\" said the old man.\n\n\"At dawn we came home.\"";
        let from = s.find("\"At dawn").unwrap();
        assert_eq!(conversation(s, (from, s.len()), &[]), None);
    }

    #[test]
    fn dash_speech_names_its_speaker_from_its_attribution() {
        let s = "\u{2014}Tell me, Mulligan, Stephen said quietly.";
        assert_eq!(talk(s, &[]).as_deref(), Some("Stephen speaking"));
    }

    #[test]
    fn turns_of_speech_with_one_person_known_are_talk_with_whoever_was_named_last() {
        let s = "\"Have you heard?\" cried his wife. Mr. Bennet made no answer.\n\n\
                 \"Is he married?\" \"Oh! Single, my dear.\" \"How can it affect them?\"";
        let at = |w: &str| s.find(w).unwrap();
        let wife = [(at("his wife"), at("his wife") + 8)];
        let scene = at("\"Is he");
        let him = [
            (at("Mr. Bennet"), at("Mr. Bennet") + 10),
            (scene + 10, scene + 12),
        ];
        let referents = [
            Referent {
                present: false,
                ..person("Mrs. Bennet", &wife)
            },
            person("Mr. Bennet", &him),
        ];
        assert_eq!(
            conversation(s, (scene, s.len()), &referents).as_deref(),
            Some("Mr. Bennet and Mrs. Bennet talking")
        );
        // One quotation is one person speaking, to no one known.
        let one = at("\"How can");
        assert_eq!(
            conversation(
                s,
                (one, s.len()),
                &[person("Mr. Bennet", &[(one + 1, one + 4)])]
            )
            .as_deref(),
            Some("Mr. Bennet speaking")
        );
    }

    #[test]
    fn speech_with_no_one_known_is_talk_of_those_named_just_before() {
        let s = "Mulligan shaved. Stephen stood by. \u{2014}God! he said.";
        let mulligan = [(0, 8)];
        let at = s.find("Stephen").unwrap();
        let stephen = [(at, at + 7)];
        let absent = |name, mentions| Referent {
            present: false,
            ..person(name, mentions)
        };
        let referents = [absent("Mulligan", &mulligan), absent("Stephen", &stephen)];
        let pos = s.find('\u{2014}').unwrap();
        assert_eq!(
            recent_talk(pos, &referents).as_deref(),
            Some("Mulligan and Stephen talking")
        );
        assert_eq!(recent_talk(0, &referents), None);
    }
}
