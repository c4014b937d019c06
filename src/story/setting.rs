//! Where and when a scene happens, carried over from the narration before it: a scene of speech
//! names no place of its own, yet its people stand somewhere ("in the drawing-room", "at night").
//! The place is the last place phrase of the narration before the scene (else the first after
//! it), the time the last time-of-day phrase before it; quoted speech is never read (a place
//! someone talks about is not where they are).

use super::speech_marks::quoted_mask;

/// Prepositions that set a place, and how the picture says them ("into the well" → "in the well",
/// "walking to the village" → "on the way to the village").
const PLACE_PREPOSITIONS: &[(&str, &str)] = &[
    ("to", "on the way to"),
    ("towards", "on the way to"),
    ("toward", "on the way to"),
    ("in", "in"),
    ("into", "in"),
    ("inside", "inside"),
    ("within", "in"),
    ("at", "at"),
    ("by", "by"),
    ("beside", "beside"),
    ("near", "near"),
    ("under", "under"),
    ("beneath", "under"),
    ("on", "on"),
    ("onto", "on"),
    ("upon", "on"),
    ("through", "in"),
    ("across", "across"),
    ("along", "along"),
    ("outside", "outside"),
    ("behind", "behind"),
    ("among", "among"),
];

/// Nouns that name a place a picture can show.
const PLACE_NOUNS: &[&str] = &[
    "forest",
    "wood",
    "woods",
    "well",
    "fountain",
    "castle",
    "palace",
    "tower",
    "hall",
    "room",
    "chamber",
    "bedroom",
    "drawing-room",
    "sitting-room",
    "dining-room",
    "parlour",
    "parlor",
    "kitchen",
    "library",
    "study",
    "office",
    "garden",
    "gardens",
    "orchard",
    "field",
    "fields",
    "meadow",
    "park",
    "yard",
    "courtyard",
    "court",
    "street",
    "streets",
    "road",
    "lane",
    "path",
    "square",
    "market",
    "market-place",
    "town",
    "village",
    "city",
    "house",
    "cottage",
    "hut",
    "cabin",
    "church",
    "chapel",
    "churchyard",
    "cathedral",
    "inn",
    "tavern",
    "saloon",
    "hotel",
    "shop",
    "store",
    "school",
    "schoolroom",
    "classroom",
    "stable",
    "stables",
    "barn",
    "farm",
    "ranch",
    "sea",
    "ocean",
    "shore",
    "beach",
    "coast",
    "river",
    "stream",
    "brook",
    "lake",
    "pond",
    "bridge",
    "island",
    "harbour",
    "harbor",
    "port",
    "ship",
    "boat",
    "deck",
    "mountain",
    "mountains",
    "hill",
    "hills",
    "valley",
    "cave",
    "rocks",
    "cliff",
    "cliffs",
    "desert",
    "plain",
    "plains",
    "prairie",
    "moor",
    "moors",
    "heath",
    "marsh",
    "swamp",
    "countryside",
    "grove",
    "glade",
    "window",
    "doorway",
    "staircase",
    "stairs",
    "balcony",
    "terrace",
    "veranda",
    "verandah",
    "porch",
    "gallery",
    "corridor",
    "passage",
    "cellar",
    "attic",
    "garret",
    "table",
    "fire",
    "fireside",
    "hearth",
    "bed",
    "sofa",
    "carriage",
    "coach",
    "train",
    "station",
    "platform",
    "camp",
    "tent",
    "battlefield",
    "ruins",
    "temple",
    "throne",
    "prison",
    "cell",
    "dungeon",
    "tomb",
    "highway",
    "ballroom",
    "theatre",
    "theater",
    "mill",
    "pier",
    "quay",
    "wharf",
    "dock",
    "gate",
    "gateway",
    "avenue",
    "boulevard",
    "alley",
    "club",
    "hospital",
    "wilderness",
    "jungle",
    "trail",
    "lawn",
    "terrace",
    "study",
    "nursery",
    "pew",
    "altar",
    "waves",
    "water",
    "depths",
    "smithy",
    "forge",
    "workshop",
    "sky",
    "clouds",
    "moonlight",
    "sunshine",
    "snow",
];

/// Words between the preposition and the noun that still make a place phrase.
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "his", "her", "their", "its", "my", "our", "your", "this", "that",
];

/// Nouns that set a place without a determiner ("in bed", "at church").
const BARE_PLACES: &[&str] = &[
    "bed", "church", "town", "school", "prison", "court", "sea", "table",
];

/// Time-of-day words and how the picture says them.
const TIMES: &[(&str, &str)] = &[
    ("night", "at night"),
    ("midnight", "at midnight"),
    ("nightfall", "at nightfall"),
    ("dawn", "at dawn"),
    ("daybreak", "at dawn"),
    ("sunrise", "at sunrise"),
    ("sunset", "at sunset"),
    ("dusk", "at dusk"),
    ("twilight", "at twilight"),
    ("noon", "at noon"),
    ("morning", "in the morning"),
    ("afternoon", "in the afternoon"),
    ("evening", "in the evening"),
    ("moonlight", "in the moonlight"),
    ("candlelight", "by candlelight"),
];

/// Words before a time word that make it a time of the story ("at night", "that evening").
const TIME_LEADS: &[&str] = &[
    "at", "by", "that", "one", "next", "this", "every", "each", "all", "during", "last",
];

/// How far back (bytes) a place is carried, until the narration names another, within a chapter
/// or so; and how far ahead one is looked for when none came before.
const CARRY_PLACE: usize = 20_000;

/// How far a time of day is carried (bytes, a few paragraphs).
const CARRY_TIME: usize = 3000;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Setting {
    /// "in the drawing-room", "by the well".
    pub place: Option<String>,
    /// "at night", "in the evening".
    pub time: Option<String>,
    /// The place comes from the narration after the scene, none being named before it.
    pub place_ahead: bool,
    /// A place ahead is near: a few paragraphs on, not a chapter.
    pub ahead_near: bool,
    /// "holding the golden ball": what a present character took or held just before
    /// (`held`, filled by the caller, who knows the characters).
    pub held: Option<String>,
}

impl Setting {
    /// ", holding the cup, in the drawing-room, at night", or "" when nothing is known.
    pub fn suffix(&self) -> String {
        let parts: Vec<&str> = [
            self.held.as_deref(),
            self.place.as_deref(),
            self.time.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        parts.iter().map(|p| format!(", {p}")).collect()
    }
}

/// The setting a scene starting at byte `start` and ending at `end` of `text` inherits: the
/// last place and time phrases of the narration before it (a few paragraphs back), else the
/// first place after it.
pub fn carried(text: &str, start: usize, end: usize, people: &[&str]) -> Setting {
    let from = floor_boundary(text, start.saturating_sub(CARRY_PLACE));
    let before = narration_words(&text[from..start]);
    let recent = floor_boundary(text, start.saturating_sub(CARRY_TIME)).max(from);
    let to = ceil_boundary(text, (end + CARRY_PLACE).min(text.len()));
    let before = places(&before, people).pop();
    let place_ahead = before.is_none();
    let near = ceil_boundary(text, (end + CARRY_TIME).min(text.len()));
    let ahead = |to: usize| {
        places(&narration_words(&text[end..to]), people)
            .into_iter()
            .next()
    };
    let ahead_near = place_ahead && ahead(near).is_some();
    Setting {
        place: before.or_else(|| ahead(to)),
        time: times(&narration_words(&text[recent..start])).pop(),
        place_ahead,
        ahead_near,
        held: None,
    }
}

/// Whether `text` has any phrase that may place it ("in the dark smithy"): a place preposition
/// before a determiner, whatever the noun.
pub fn may_have_place(text: &str) -> bool {
    let words = narration_words(text);
    words.windows(2).any(|w| match (&w[0], &w[1]) {
        (Some(p), Some(d)) => {
            PLACE_PREPOSITIONS
                .iter()
                .any(|x| x.0 == p.1 && !x.1.starts_with("on the way"))
                && DETERMINERS.contains(&d.1.as_str())
        }
        _ => false,
    })
}

/// Whether `text` already says where it happens.
pub fn has_place(text: &str) -> bool {
    !places(&narration_words(text), &[]).is_empty()
}

/// Whether `text` already speaks of a time of day, so that none is carried into it: any time
/// word counts here ("Morning came over the hills", "the morning sun"), where carrying one
/// needs a phrase that sets it ("at night").
pub fn has_time(text: &str) -> bool {
    narration_words(text)
        .iter()
        .flatten()
        .any(|(_, lower)| TIMES.iter().any(|t| t.0 == lower))
}

/// Words outside quotations as (as written, lowercase), with `None` for a break (a quotation
/// or a punctuation mark), so that no phrase runs across one.
fn narration_words(text: &str) -> Vec<Option<(String, String)>> {
    let quoted = quoted_mask(text, false);
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<Option<(String, String)>>| {
        let w = word.trim_matches(['-', '\'', '’']);
        if !w.is_empty() {
            out.push(Some((w.to_string(), w.to_lowercase())));
        }
        word.clear();
    };
    let mut was_quoted = false;
    for (i, c) in text.char_indices() {
        if quoted[i] {
            if !was_quoted {
                flush(&mut word, &mut out);
                out.push(None);
            }
            was_quoted = true;
            continue;
        }
        was_quoted = false;
        if c.is_alphanumeric() || c == '-' || c == '\'' || c == '’' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            if matches!(c, '.' | '!' | '?' | ';' | ',' | ':') {
                out.push(None);
            }
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Place phrases in order: "in the great hall" (possessives read "the": "in her room" → "in the
/// room", since the picture does not know whose), "in London", "on the way to the village".
/// `people`: names that are no place ("at Mary").
fn places(words: &[Option<(String, String)>], people: &[&str]) -> Vec<String> {
    let lower = |k: usize| words.get(k).and_then(|w| w.as_ref()).map(|w| w.1.as_str());
    let written = |k: usize| words.get(k).and_then(|w| w.as_ref()).map(|w| w.0.as_str());
    let mut found = Vec::new();
    for i in 0..words.len() {
        let Some(prep) = lower(i).and_then(|w| PLACE_PREPOSITIONS.iter().find(|p| p.0 == w)) else {
            continue;
        };
        let next = |k: usize| lower(i + k);
        let Some(first) = next(1) else { continue };
        if let Some(name) = place_name(words, i + 1, people) {
            // A lowercase preposition before a capitalised name: "in London", not "At Mary's".
            if written(i).is_some_and(|w| w.starts_with(char::is_lowercase))
                && matches!(prep.0, "in" | "at" | "near")
            {
                found.push(format!("{} {name}", prep.1));
            }
            continue;
        }
        let (det, from) = if DETERMINERS.contains(&first) {
            let det = match first {
                "a" | "an" | "the" => first,
                _ => "the",
            };
            (Some(det), 2)
        } else {
            (None, 1)
        };
        // Up to two modifiers, then the noun.
        for len in 0..3 {
            let Some(noun) = next(from + len) else { break };
            let modifiers: Vec<&str> = (0..len).filter_map(|k| next(from + k)).collect();
            if modifiers.len() < len || modifiers.iter().any(|m| !is_modifier(m)) {
                break;
            }
            let towards = prep.1.starts_with("on the way");
            let bare_ok = det.is_some() || (len == 0 && !towards && BARE_PLACES.contains(&noun));
            if bare_ok
                && PLACE_NOUNS.contains(&noun)
                && !followed_by_of_person(words, i + from + len)
            {
                let mut phrase = vec![prep.1];
                phrase.extend(det);
                phrase.extend(modifiers);
                phrase.push(noun);
                found.push(phrase.join(" "));
                break;
            }
        }
    }
    found
}

/// Capitalised words from `k` that name a place ("London", "Baker Street"): not a person of the
/// story, a month, a day or a title.
fn place_name(words: &[Option<(String, String)>], k: usize, people: &[&str]) -> Option<String> {
    let mut parts = Vec::new();
    for w in words[k.min(words.len())..].iter().take(3) {
        match w {
            Some((written, lower))
                if written.starts_with(char::is_uppercase)
                    && !NOT_PLACE_NAMES.contains(&lower.as_str()) =>
            {
                parts.push(written.as_str())
            }
            _ => break,
        }
    }
    let name = parts.join(" ");
    // "in Stephen’s" is at a person's, no place a picture can name.
    let name_only = name.trim_end_matches("'s").trim_end_matches("’s");
    let person = people.iter().any(|p| {
        let p = p.trim_start_matches("the ");
        !p.is_empty()
            && (name_only.eq_ignore_ascii_case(p)
                || p.split(' ').any(|w| {
                    name_only
                        .split(' ')
                        .any(|n| n.eq_ignore_ascii_case(w) && w.len() > 2)
                }))
    });
    (!parts.is_empty() && !person).then_some(name)
}

/// Capitalised words that name no place.
const NOT_PLACE_NAMES: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "christmas",
    "easter",
    "english",
    "french",
    "german",
    "latin",
    "greek",
    "i",
    "mr",
    "mrs",
    "miss",
    "ms",
    "dr",
    "sir",
    "lady",
    "lord",
    "st",
    "god",
    "heaven",
    "one",
    "the",
    "a",
    "an",
    "his",
    "her",
    "their",
    "my",
    "our",
    "this",
    "that",
    "he",
    "she",
    "they",
    "it",
    "we",
    "you",
    "chapter",
    "book",
    "part",
    "time",
    "order",
    "fact",
    "short",
    "truth",
];

/// "in the bottom of her heart" is no place.
fn followed_by_of_person(words: &[Option<(String, String)>], noun: usize) -> bool {
    let at = |k: usize| {
        words
            .get(noun + k)
            .and_then(|w| w.as_ref())
            .map(|w| w.1.as_str())
    };
    at(1) == Some("of") && matches!(at(2), Some("his" | "her" | "their" | "my" | "our" | "your"))
}

/// An adjective-like word: not a function word, a verb form or a number.
fn is_modifier(w: &str) -> bool {
    w.chars().all(|c| c.is_alphabetic() || c == '-')
        && !DETERMINERS.contains(&w)
        && !matches!(
            w,
            "and"
                | "or"
                | "but"
                | "of"
                | "to"
                | "which"
                | "who"
                | "that"
                | "was"
                | "were"
                | "is"
                | "had"
                | "he"
                | "she"
                | "they"
                | "it"
                | "i"
                | "we"
                | "you"
                | "him"
                | "them"
                | "me"
                | "us"
                | "with"
                | "for"
                | "from"
                | "as"
                | "so"
                | "not"
                | "be"
                | "been"
        )
}

/// Time phrases in order: "at night", "in the evening".
fn times(words: &[Option<(String, String)>]) -> Vec<String> {
    let lower = |k: usize| words.get(k).and_then(|w| w.as_ref()).map(|w| w.1.as_str());
    let mut found = Vec::new();
    for i in 0..words.len() {
        let Some(time) = lower(i).and_then(|w| TIMES.iter().find(|t| t.0 == w)) else {
            continue;
        };
        let word = |k: usize| i.checked_sub(k).and_then(lower);
        // "at night", "that evening", "in the morning"; "the morning sun" is no time of the scene.
        let led = match word(1) {
            Some("the") => {
                word(2).is_some_and(|w| matches!(w, "in" | "at" | "by" | "during" | "all"))
            }
            Some(w) => TIME_LEADS.contains(&w),
            None => false,
        };
        let after = lower(i + 1);
        if led && after.is_none_or(|w| w != "of") {
            found.push(time.1.to_string());
        }
    }
    found
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_place_and_time_before_a_scene_are_carried() {
        let text = "One evening the princess went into the forest. She sat down by the cool \
                    well and wept. \"What ails you?\" said the frog.";
        let start = text.find("\"What").unwrap();
        let s = carried(text, start, text.len(), &[]);
        assert_eq!(s.place.as_deref(), Some("by the cool well"));
        assert_eq!(s.time.as_deref(), Some("in the evening"));
        assert_eq!(s.suffix(), ", by the cool well, in the evening");
    }

    #[test]
    fn places_inside_quotations_are_not_where_the_speakers_are() {
        let text = "Mary sat in her room. \"I saw him in the garden,\" she said. \"Well?\"";
        let start = text.find("\"Well").unwrap();
        assert_eq!(
            carried(text, start, text.len(), &[]).place.as_deref(),
            Some("in the room")
        );
    }

    #[test]
    fn with_nothing_before_the_first_place_after_is_used() {
        let text = "\"Come,\" said he. The two men walked on along the river.";
        let end = text.find(" The two").unwrap();
        assert_eq!(
            carried(text, 0, end, &[]).place.as_deref(),
            Some("along the river")
        );
        assert_eq!(carried(text, 0, end, &[]).time, None);
    }

    #[test]
    fn phrases_that_are_no_place_or_time_are_not_taken() {
        assert!(!has_place("In the bottom of her heart she knew it."));
        assert!(!has_place("He was in a good humour."));
        assert!(has_place("She lay in bed."));
        assert!(has_time("The morning sun shone."));
        assert!(has_time("Morning came over the hills."));
        assert!(has_time("They met at night."));
        assert!(!has_time("The owl watched from the tree."));
    }

    #[test]
    fn a_place_after_the_scene_is_near_only_a_few_paragraphs_on() {
        let text = format!(
            "\"Come,\" said he. {}They sat by the well.",
            "He waited. ".repeat(20)
        );
        let end = text.find(" He waited").unwrap();
        let s = carried(&text, 0, end, &[]);
        assert_eq!(s.place.as_deref(), Some("by the well"));
        assert!(s.place_ahead && s.ahead_near);
        let far = format!(
            "\"Come,\" said he. {}They sat by the well.",
            "He waited. ".repeat(400)
        );
        let s = carried(&far, 0, end, &[]);
        assert!(s.place_ahead && !s.ahead_near, "{s:?}");
    }

    #[test]
    fn at_a_persons_is_no_place() {
        let text = "They drank at Stephen\u{2019}s. \"Well?\"";
        let start = text.find("\"Well").unwrap();
        assert_eq!(carried(text, start, text.len(), &["Stephen"]).place, None);
    }
}
