//! Reads the composed prompt of every scene of the LitBank excerpts and the example stories (split
//! by paragraphs, as the README's examples are) and counts what draws no picture: leftover speech
//! tags, thin prompts, sentences that name one character twice.
//!
//! Usage: `cargo run --release --example prompt_audit [LITBANK_DIR] [--show tags|thin|twice|all|every]`
//! (or `STORYREEL_LITBANK=DIR`; default `../shared/data/litbank`). Run it at another commit to
//! compare; `--show` prints the prompts counted, with their file and scene (`every`: all of them;
//! `PROMPT_AUDIT_SOURCE=1` adds each scene's text).
//!
//! The measures, on the scene part of the prompt (no style, no descriptions: none are set):
//! - **speech tag**: a clause with no quotation mark that is only an attribution: it starts with
//!   a speech verb followed by its speaker (a determiner, a pronoun or a capitalised name; seven
//!   words at most, no second verb after an "and": "Said the grand-mother.", "…, said he."; not
//!   "answered his questions and developed a conversation"), or it has two to four words,
//!   none an auxiliary ("it may be said" is a statement), and ends with an attributing verb, an
//!   adverb allowed ("the frog answered gravely.");
//! - **thin**: under 25 characters; of those, how many name a character present in the scene and
//!   a place (a place preposition followed by a noun phrase: "in the hall", "by the well"), and
//!   for each other one why not: a heading, no character in the scene, no place named anywhere
//!   near (the story gives none to carry), or a known place not carried (a fault of the rules);
//! - **named twice**: a sentence that names the same present character twice or more ("the father
//!   asked the father's two step-daughters"), a sign of pronouns replaced where the clause already
//!   names its referent; a name inside another character's ("the little mermaid's sisters
//!   speaking to the little mermaid") names that other one and does not count.

use std::fs;
use std::path::{Path, PathBuf};

use storyreel::story::{setting, Story};

/// Verbs that start an inverted attribution ("Said the cat").
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "asked",
    "replied",
    "answered",
    "cried",
    "exclaimed",
    "whispered",
    "returned",
    "rejoined",
    "continued",
    "added",
    "observed",
    "remarked",
    "muttered",
    "murmured",
    "inquired",
    "enquired",
    "demanded",
    "shouted",
    "retorted",
    "responded",
    "interrupted",
    "suggested",
    "declared",
    "pleaded",
    "protested",
    "stammered",
    "faltered",
    "repeated",
    "resumed",
    "screamed",
    "shrieked",
    "sighed",
    "sobbed",
    "groaned",
    "laughed",
];

/// Verbs that end a bare attribution ("he said"): those that show nothing else.
const ATTRIBUTING: &[&str] = &[
    "said",
    "says",
    "asked",
    "replied",
    "answered",
    "returned",
    "rejoined",
    "continued",
    "added",
    "observed",
    "remarked",
    "muttered",
    "murmured",
    "inquired",
    "enquired",
    "whispered",
    "exclaimed",
    "retorted",
    "responded",
    "declared",
    "repeated",
    "resumed",
];

/// Words that make "… said" a statement of its own, not a quotation's attribution.
const AUXILIARIES: &[&str] = &[
    "may", "might", "must", "be", "been", "has", "have", "will", "would", "could", "should", "can",
    "to", "often",
];

/// Words after a speech verb that make it a sentence, not an attribution ("said that …").
const NOT_A_SPEAKER: &[&str] = &["that", "to", "nothing", "so", "it", "yes", "no", "goodbye"];

const PLACE_WORDS: &[&str] = &[
    "in", "into", "at", "by", "under", "beneath", "on", "onto", "over", "near", "beside", "behind",
    "before", "through", "across", "inside", "outside", "around", "among", "along", "upon",
];

const DETERMINERS: &[&str] = &[
    "the", "a", "an", "his", "her", "their", "its", "my", "our", "your", "this", "that",
];

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The sentences of a prompt, split at ". ", "! ", "? " and the end.
fn sentences(prompt: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = prompt.as_bytes();
    for (i, c) in prompt.char_indices() {
        let stop = matches!(c, '.' | '!' | '?');
        let at_end = bytes.get(i + 1).is_none_or(|b| *b == b' ');
        if stop && at_end {
            out.push(prompt[start..=i].trim());
            start = i + 1;
        }
    }
    if !prompt[start..].trim().is_empty() {
        out.push(prompt[start..].trim());
    }
    out
}

/// Words that start a speaker's noun phrase after an inverted speech verb ("said the cat",
/// "said he", "said Mr. Syme").
const SPEAKER_STARTS: &[&str] = &[
    "the", "a", "an", "my", "his", "her", "their", "our", "your", "one", "old", "young", "he",
    "she", "i", "they", "we", "it",
];

fn is_speech_tag_clause(clause: &str) -> bool {
    let w = words(clause);
    let Some(first) = w.first() else {
        return false;
    };
    if SPEECH_VERBS.contains(&first.as_str()) {
        // The speaker: a determiner or pronoun, or a capitalised name.
        let second = clause
            .split_whitespace()
            .nth(1)
            .map(|s| s.trim_matches(|c: char| !c.is_alphanumeric()))
            .unwrap_or("");
        let speaker = SPEAKER_STARTS.contains(&second.to_lowercase().as_str())
            || second.starts_with(char::is_uppercase);
        // "answered his questions and developed a conversation": a second verb makes it a
        // statement; "said the king and the queen" is still one speaker phrase.
        let written: Vec<&str> = clause.split_whitespace().collect();
        let second_verb = written.windows(2).skip(1).any(|p| {
            let next = p[1].trim_matches(|c: char| !c.is_alphanumeric());
            matches!(p[0], "and" | "but")
                && next.starts_with(char::is_lowercase)
                && !SPEAKER_STARTS.contains(&next)
                && !DETERMINERS.contains(&next)
        });
        return w.len() <= 7 && speaker && !second_verb && !NOT_A_SPEAKER.contains(&w[1].as_str());
    }
    if w.len() < 2 || w.len() > 4 {
        return false;
    }
    // "it may be said", "he has often said": no attribution of a quotation.
    if w.iter().any(|x| AUXILIARIES.contains(&x.as_str())) {
        return false;
    }
    let mut last = w.len() - 1;
    if w[last].ends_with("ly") && last > 1 {
        last -= 1;
    }
    ATTRIBUTING.contains(&w[last].as_str())
}

fn has_speech_tag(prompt: &str) -> bool {
    sentences(prompt).iter().any(|s| {
        !s.contains(['"', '\u{201c}', '\u{201d}'])
            && s.split([',', ';', ':']).any(is_speech_tag_clause)
    })
}

fn has_place(prompt: &str) -> bool {
    let w = words(prompt);
    w.windows(2).any(|p| {
        PLACE_WORDS.contains(&p[0].as_str())
            && (DETERMINERS.contains(&p[1].as_str())
                || !matches!(
                    p[1].as_str(),
                    "him" | "her" | "them" | "it" | "me" | "us" | "you" | "which" | "whom"
                ))
    })
}

fn names_any(prompt: &str, names: &[Vec<String>]) -> bool {
    let lower = prompt.to_lowercase();
    names
        .iter()
        .any(|forms| forms.iter().any(|n| contains_words(&lower, n)))
}

fn contains_words(hay: &str, needle: &str) -> bool {
    count_words(hay, needle) > 0
}

fn count_words(hay: &str, needle: &str) -> usize {
    if needle.is_empty() {
        return 0;
    }
    let mut n = 0;
    let mut from = 0;
    while let Some(k) = hay[from..].find(needle) {
        let (a, b) = (from + k, from + k + needle.len());
        let before = hay[..a]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = hay[b..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if before && after {
            n += 1;
        }
        from = b;
    }
    n
}

/// Why a thin prompt names no character and place: what the story gives it, in words.
fn thin_reason(story: &Story, i: usize, prompt: &str, present: &[Vec<String>]) -> &'static str {
    let scene = &story.scenes[i];
    let words_of = words(&scene.text);
    let heading = !scene.text.contains(char::is_lowercase)
        || words_of
            .first()
            .is_some_and(|w| matches!(w.as_str(), "chapter" | "part" | "book" | "volume"));
    if heading {
        return "a heading: no one and nowhere in it";
    }
    let people: Vec<&str> = story.characters.iter().map(|c| c.name.as_str()).collect();
    let carried = setting::carried(&story.text, scene.span.0, scene.span.1, &people);
    let place = has_place(prompt);
    let someone = names_any(prompt, present);
    match (someone, place, &carried.place) {
        (false, _, _) if present.is_empty() => "no character in the scene (the cast finds none)",
        (_, false, None) => "no place named in the narration 20,000 characters before or after",
        (_, false, Some(_)) if carried.place_ahead && !carried.ahead_near => {
            "no place before it; the first after it is more than a few paragraphs on"
        }
        (false, _, _) => "the character present is not named in the picture",
        _ => "a place is known but not carried",
    }
}

#[derive(Default)]
struct Tally {
    scenes: usize,
    tags: Vec<String>,
    thin: Vec<String>,
    thin_shown: usize,
    /// Thin prompts without a character and a place, by why.
    thin_why: std::collections::BTreeMap<&'static str, usize>,
    twice: Vec<String>,
    every: Vec<String>,
}

fn audit(label: &str, text: &str, tally: &mut Tally) {
    let story = Story::new(label, text);
    for i in 0..story.scenes.len() {
        tally.scenes += 1;
        let prompt = story.prompt(i).text;
        let present: Vec<Vec<String>> = story
            .characters_in(i)
            .into_iter()
            .map(|c| {
                let c = &story.characters[c];
                std::iter::once(&c.name)
                    .chain(&c.aliases)
                    .map(|n| n.to_lowercase())
                    .collect()
            })
            .collect();
        let mut line = format!("{label} #{i}: {prompt}");
        if std::env::var_os("PROMPT_AUDIT_SOURCE").is_some() {
            line.push_str(&format!("\n    <- {}", story.scenes[i].text));
        }
        tally.every.push(line.clone());
        if has_speech_tag(&prompt) {
            tally.tags.push(line.clone());
        }
        if prompt.chars().count() < 25 {
            let why = if names_any(&prompt, &present) && has_place(&prompt) {
                tally.thin_shown += 1;
                None
            } else {
                Some(thin_reason(&story, i, &prompt, &present))
            };
            if let Some(why) = why {
                *tally.thin_why.entry(why).or_default() += 1;
                tally.thin.push(format!("{line}\n    [{why}]"));
            } else {
                tally.thin.push(line.clone());
            }
        }
        // A character's name inside another character's ("the little mermaid's sisters",
        // "Lord Henry's wife") names that other one, not this one again.
        let everyone: Vec<String> = story
            .characters
            .iter()
            .map(|c| c.name.to_lowercase())
            .collect();
        let twice = sentences(&prompt).iter().any(|s| {
            let lower = s.to_lowercase();
            present.iter().any(|forms| {
                let mut rest = lower.clone();
                for other in &everyone {
                    if *other != forms[0] && other.contains(&forms[0]) {
                        rest = rest.replace(other.as_str(), "_");
                    }
                }
                count_words(&rest, &forms[0]) >= 2
            })
        });
        if twice {
            tally.twice.push(line);
        }
    }
}

fn main() {
    let mut dir: Option<PathBuf> = None;
    let mut show: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--show" {
            show = args.next();
        } else {
            dir = Some(PathBuf::from(a));
        }
    }
    let dir = dir
        .or_else(|| std::env::var_os("STORYREEL_LITBANK").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("../shared/data/litbank"));
    let mut files: Vec<PathBuf> = Vec::new();
    for folder in [dir.join("excerpts"), PathBuf::from("scripts/stories")] {
        let listed = fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", folder.display()));
        let mut found: Vec<PathBuf> = listed
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        found.sort();
        files.extend(found);
    }
    let mut tally = Tally::default();
    for path in &files {
        let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        audit(&stem(path), &text, &mut tally);
    }
    let show = show.as_deref().unwrap_or("");
    for (what, list) in [
        ("tags", &tally.tags),
        ("thin", &tally.thin),
        ("twice", &tally.twice),
        ("every", &tally.every),
    ] {
        if show == what || show == "all" {
            println!("--- {what}");
            for line in list {
                println!("{line}");
            }
        }
    }
    println!(
        "{} texts, {} scenes (split by paragraphs, 45 words at most)",
        files.len(),
        tally.scenes
    );
    println!("prompts with a leftover speech tag: {}", tally.tags.len());
    println!(
        "prompts under 25 characters: {} ({} of them name a character present and a place)",
        tally.thin.len(),
        tally.thin_shown
    );
    for (why, n) in &tally.thin_why {
        println!("  {n} without: {why}");
    }
    println!(
        "prompts with a sentence naming one character twice: {}",
        tally.twice.len()
    );
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default()
}
