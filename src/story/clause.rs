//! Sentences of narration that draw nothing: a speech tag left without its quotation ("Said the
//! grand-mother.", "Tommy chuckled." is kept: it shows something) and fragments cut from a
//! longer sentence ("At length, after much consideration.", "Piled before them.").

use super::cast::is_speech_verb;

/// Verbs that only attribute speech: a clause of them and their speaker shows nothing.
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
    "interrupted",
    "suggested",
    "demanded",
    "pleaded",
    "protested",
    "stammered",
    "faltered",
    "persisted",
    "insisted",
    "explained",
    "urged",
    "began",
    "went",
    "drawled",
    "called",
    "cried",
];

/// Words that make "… said" a statement of its own, not a quotation's attribution.
const AUXILIARIES: &[&str] = &[
    "may", "might", "must", "be", "been", "has", "have", "will", "would", "could", "should", "can",
    "to", "often",
];

/// Words after a speech verb that make it a sentence of its own ("said nothing", "said that …").
const NOT_A_SPEAKER: &[&str] = &[
    "that", "to", "nothing", "so", "it", "yes", "no", "goodbye", "good-bye", "up", "out", "down",
    "away", "off", "back", "home", "on", "into", "in", "for", "over",
];

/// Base verbs that open an imperative: a sentence of speech whose quotation marks were lost
/// ("See the earth as we do.").
const IMPERATIVES: &[&str] = &[
    "see", "look", "come", "go", "take", "let", "tell", "give", "bring", "do", "make", "get",
    "think", "say", "wait", "listen", "hear", "remember", "forgive", "help",
];

/// Words that show a finite verb: a sentence with none is a fragment.
const FINITE: &[&str] = &[
    "is",
    "was",
    "were",
    "are",
    "am",
    "be",
    "been",
    "had",
    "has",
    "have",
    "did",
    "does",
    "do",
    "could",
    "would",
    "should",
    "will",
    "shall",
    "might",
    "may",
    "must",
    "can",
    "came",
    "went",
    "saw",
    "took",
    "gave",
    "rode",
    "ran",
    "sat",
    "stood",
    "felt",
    "knew",
    "made",
    "told",
    "found",
    "left",
    "got",
    "spoke",
    "wrote",
    "drew",
    "fell",
    "rose",
    "held",
    "kept",
    "heard",
    "met",
    "brought",
    "sang",
    "slew",
    "fought",
    "lay",
    "lies",
    "woke",
    "wept",
    "won",
    "threw",
    "struck",
    "sent",
    "led",
    "lost",
    "paid",
    "sought",
    "taught",
    "swam",
    "sank",
    "bore",
    "wore",
    "broke",
    "chose",
    "flew",
    "grew",
    "became",
    "began",
    "stole",
    "swore",
    "tore",
    "built",
    "bent",
    "shook",
    "ate",
    "drank",
    "sought",
    "thought",
    "caught",
    "bought",
    "said",
    "let",
    "put",
    "set",
    "cut",
    "hit",
    "shut",
    "read",
    "sprang",
    "sprung",
    "ran",
    "hung",
    "dug",
    "clung",
    "swung",
    "stung",
    "flung",
    "slept",
    "kept",
    "wept",
    "crept",
    "swept",
    "leapt",
    "knelt",
    "dwelt",
    "meant",
    "felt",
    "dealt",
    "lit",
    "sat",
    "spat",
    "shone",
    "stuck",
    "struck",
    "strode",
    "drove",
    "froze",
    "hid",
    "bit",
    "forgot",
    "sold",
    "laid",
    "paid",
    "fled",
    "bled",
    "fed",
    "sped",
    "blew",
    "knew",
    "threw",
    "grew",
    "drew",
    "slid",
    "shot",
    "beheld",
    "understood",
    "withdrew",
    "overtook",
    "arose",
    "awoke",
    "seemed",
    "looks",
    "comes",
    "goes",
    "says",
    "sees",
    "lives",
];

/// Whether `sentence` (one sentence of narration, quotations already removed) holds a speech
/// tag: a first clause that starts with a speech verb followed by its speaker ("Said the
/// grand-mother", "Replied Kitty fretfully"), or any clause that is only an attribution
/// (`is_bare_attribution`).
pub fn is_speech_tag(sentence: &str) -> bool {
    let mut clauses = sentence.split([',', ';', ':']);
    clauses.next().is_some_and(is_inverted_tag)
        || sentence.split([',', ';', ':']).any(is_bare_attribution)
}

/// "Said the grand-mother", "Whispered one of her companions": a speech verb, then a speaker.
pub fn is_inverted_tag(clause: &str) -> bool {
    let w = words(clause);
    w.first().is_some_and(|first| {
        is_speech_verb(first)
            && first != "laughed"
            && first != "sighed"
            && w.get(1)
                .is_some_and(|next| !NOT_A_SPEAKER.contains(&next.as_str()))
    }) || is_bare_attribution(clause)
}

/// "The mother said", "Mrs. Todd said sorrowfully": at most four words ending with an
/// attributing verb, an adverb allowed.
pub fn is_bare_attribution(clause: &str) -> bool {
    let w = words(clause);
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

/// Whether `sentence` is a fragment that shows nothing: no finite verb ("At length, after much
/// consideration."), a verb form with no subject ("Piled before them."), or an imperative left
/// by a quotation that was not marked ("See the earth as we do.").
pub fn is_fragment(sentence: &str) -> bool {
    let w = words(sentence);
    let Some(first) = w.first() else {
        return true;
    };
    if IMPERATIVES.contains(&first.as_str()) {
        return true;
    }
    // "Piled before them.": a verb form first and no other; "Siegfried slept." has a subject.
    let participle = first.ends_with("ed") || first.ends_with("ing");
    // ("hands" in "Holding out her white hands" is no verb: only a sure verb counts here.)
    let sure_verb = |w: &String| FINITE.contains(&w.as_str()) || (w.len() > 3 && w.ends_with("ed"));
    if participle && !w[1..].iter().any(sure_verb) {
        return true;
    }
    // A long sentence with no verb the list knows may still be one ("The old house, its
    // windows dark."): only a short one, or one that opens like an adverbial, is a fragment.
    let adverbial = OPENERS.contains(&first.as_str()) || first.ends_with("ly");
    (w.len() <= 4 || adverbial) && !w.iter().any(|word| is_finite(word))
}

/// Words that open an adverbial phrase, not a clause.
const OPENERS: &[&str] = &[
    "at",
    "after",
    "before",
    "with",
    "without",
    "in",
    "on",
    "or",
    "and",
    "but",
    "for",
    "from",
    "to",
    "by",
    "of",
    "as",
    "like",
    "then",
    "now",
    "once",
    "still",
    "perhaps",
    "indeed",
    "presently",
    "meanwhile",
    "again",
    "upon",
    "under",
    "over",
    "through",
    "during",
    "since",
    "until",
    "till",
    "though",
    "although",
    "while",
    "when",
    "where",
    "if",
    "unless",
];

fn is_finite(w: &str) -> bool {
    FINITE.contains(&w)
        || is_speech_verb(w)
        || (w.len() > 3 && w.ends_with("ed"))
        || (w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("'s"))
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speech_tags_left_without_their_quotation_are_found() {
        for tag in [
            "Said the grand-mother.",
            "Whispered one of the little mermaid's companions.",
            "Said Turkey on this occasion.",
            "Answered the boy officer.",
            "Said Tuppence severely, Tommy chuckled.",
            "The mother said, pleased.",
            "Mrs. Todd said sorrowfully.",
        ] {
            assert!(is_speech_tag(tag), "{tag}");
        }
        for picture in [
            "Tommy chuckled.",
            "She said nothing and went to the window.",
            "The frog sat by the well and said that he would help.",
            "Laughed the giant, and the hills shook.",
        ] {
            assert!(!is_speech_tag(picture), "{picture}");
        }
    }

    #[test]
    fn fragments_are_found_and_clauses_are_kept() {
        for fragment in [
            "At length, after much consideration.",
            "Piled before them.",
            "See the earth as we do.",
            "Holding out her white hands towards the keel of their ship.",
        ] {
            assert!(is_fragment(fragment), "{fragment}");
        }
        for clause in [
            "The princess sat by the well.",
            "Mary laughed.",
            "The sun shines on the sea.",
            "Close by lay a great dark forest.",
        ] {
            assert!(!is_fragment(clause), "{clause}");
        }
    }
}
