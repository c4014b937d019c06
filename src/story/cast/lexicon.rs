//! Closed word classes: pronouns (grammar, in code) and look-ups into the lists of `data/` (titles,
//! character nouns, speech verbs…; see `words`).
//! Why lists and not a model: nothing may be downloaded, and these classes are small and stable.

use super::model::Gender;
use super::words::{
    self, ABBREVIATIONS, ANIMALS, CHARACTER_NOUNS, COMMON_PERSON_NOUNS, FIRST_NAMES,
    FUNCTION_WORDS, HONORIFICS, IRREGULAR_PLURALS, IRREGULAR_VERBS, KIN_TITLES, KNOWN_PLACES,
    NEVER_NAMES, NICKNAMES, PHRASE_ADJECTIVES, PLACE_PREPOSITIONS, PLACE_WORDS, ROLE_NOUNS,
    RULER_TITLES, SPEECH_VERBS, VISUAL_NOUNS,
};

/// Grammatical person of a pronoun.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Person {
    First,
    Second,
    Third,
}

/// Surface role of a pronoun, used by binding constraints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Case {
    Subject,
    Object,
    Possessive,
    Reflexive,
    /// "her": object or possessive.
    Ambiguous,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PronounInfo {
    pub person: Person,
    pub gender: Gender,
    pub plural: bool,
    pub case: Case,
}

#[rustfmt::skip]
pub(crate) fn pronoun(lower: &str) -> Option<PronounInfo> {
    use Case::*;
    use Gender::*;
    use Person::*;
    let (person, gender, plural, case) = match lower {
        "i" => (First, Unknown, false, Subject),
        "me" => (First, Unknown, false, Object),
        "my" | "mine" => (First, Unknown, false, Possessive),
        "myself" => (First, Unknown, false, Reflexive),
        "we" => (First, Plural, true, Subject),
        "us" => (First, Plural, true, Object),
        "our" | "ours" => (First, Plural, true, Possessive),
        "you" | "thou" | "ye" | "yeh" => (Second, Unknown, false, Subject),
        "thee" => (Second, Unknown, false, Object),
        "your" | "yours" | "thy" | "thine" | "yer" => (Second, Unknown, false, Possessive),
        "yourself" | "thyself" => (Second, Unknown, false, Reflexive),
        "he" => (Third, Male, false, Subject),
        "him" => (Third, Male, false, Object),
        "his" => (Third, Male, false, Possessive),
        "himself" => (Third, Male, false, Reflexive),
        "she" => (Third, Female, false, Subject),
        "her" => (Third, Female, false, Ambiguous),
        "hers" => (Third, Female, false, Possessive),
        "herself" => (Third, Female, false, Reflexive),
        "they" => (Third, Plural, true, Subject),
        "them" => (Third, Plural, true, Object),
        "their" | "theirs" => (Third, Plural, true, Possessive),
        "themselves" => (Third, Plural, true, Reflexive),
        _ => return None,
    };
    Some(PronounInfo {
        person,
        gender,
        plural,
        case,
    })
}

/// Titles that start a name ("King Gunther", "Mrs. Bennet") and the gender they imply.
pub(crate) fn honorific(lower: &str) -> Option<Gender> {
    HONORIFICS.get(lower).map(words::gender)
}

/// Abbreviations whose trailing period does not end a sentence.
pub(crate) fn is_abbreviation(lower: &str) -> bool {
    is_listed_abbreviation(lower)
        || (lower.len() == 1 && lower.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// The abbreviations of `data/abbreviations.txt` ("mr", "vol", "e.g"), which the sentence
/// splitter reads too.
pub(crate) fn is_listed_abbreviation(lower: &str) -> bool {
    ABBREVIATIONS.contains(lower)
}

/// Nouns whose referent is (usually) a character, with their natural gender.
/// Returns (gender, plural). Plural forms are recognised by stripping a regular "s".
pub(crate) fn character_noun(lower: &str) -> Option<(Gender, bool)> {
    // "step-son", "grand-daughter", "old-man": the last part is the head.
    if let Some((_, last)) = lower.rsplit_once('-') {
        return character_noun(last);
    }
    if let Some(g) = character_noun_singular(lower) {
        return Some((g, false));
    }
    let singular = match IRREGULAR_PLURALS.get(lower) {
        Some(singular) => singular,
        None => lower.strip_suffix('s')?,
    };
    character_noun_singular(singular).map(|_| (Gender::Plural, true))
}

fn character_noun_singular(w: &str) -> Option<Gender> {
    CHARACTER_NOUNS.get(w).map(words::gender)
}

/// The head of an epithet for an animal or a thing ("frog", "louse", "straw"), which may be "it":
/// an animal of the lexicon, or a noun the lexicon does not know as a person (found speaking).
pub(crate) fn is_animal_or_thing(head: &str) -> bool {
    character_noun(head).is_none() || ANIMALS.contains(head)
}

/// Verbs that introduce or attribute speech ("said he", "Alice cried").
pub(crate) fn is_speech_verb(lower: &str) -> bool {
    SPEECH_VERBS.contains(lower)
}

/// Words that are capitalised for grammatical reasons and are never names.
pub(crate) fn is_never_name(lower: &str) -> bool {
    pronoun(lower).is_some()
        || NEVER_NAMES.contains(lower)
        // "Don't", "Won't": a negated auxiliary, never a name.
        || lower.ends_with("n't")
        || lower.ends_with("n’t")
}

/// Nouns for anyone at all ("the boy", "the lady"), unlike roles ("the dragon", "the king").
pub(crate) fn is_common_person_noun(lower: &str) -> bool {
    COMMON_PERSON_NOUNS.contains(lower)
}

/// Titles of rule: "King of Burgundy", "queen of Issland" — what follows "of" is a realm.
pub(crate) fn is_ruler_title(lower: &str) -> bool {
    RULER_TITLES.contains(lower)
}

/// Final words that mark a capitalised sequence as a place or an institution, not a person.
pub(crate) fn is_place_word(lower: &str) -> bool {
    PLACE_WORDS.contains(lower)
}

/// Prepositions that, right before a capitalised word, suggest a place ("in London").
pub(crate) fn is_place_preposition(lower: &str) -> bool {
    PLACE_PREPOSITIONS.contains(lower)
}

/// Body parts and garments that make a visual descriptor ("her long golden hair").
pub(crate) fn is_visual_noun(lower: &str) -> bool {
    VISUAL_NOUNS.contains(lower)
}

/// Function words that cannot be a modifier inside a noun phrase.
pub(crate) fn is_function_word(lower: &str) -> bool {
    is_never_name(lower) || FUNCTION_WORDS.contains(lower)
}

/// Words never taken for names that still modify a character noun ("the good servant").
pub(crate) fn is_phrase_adjective(lower: &str) -> bool {
    PHRASE_ADJECTIVES.contains(lower)
}

/// First names with a strong gender, to type names before any pronoun is seen.
pub(crate) fn first_name_gender(lower: &str) -> Option<Gender> {
    FIRST_NAMES.get(lower).map(words::gender)
}

/// Well-known places that recur in fiction; without them "England" can look like a person.
pub(crate) fn is_known_place(lower: &str) -> bool {
    KNOWN_PLACES.contains(lower)
}

/// Common English nicknames and the name they stand for ("Lizzy" is "Elizabeth").
pub(crate) fn formal_first_name(lower: &str) -> Option<&'static str> {
    NICKNAMES.get(lower)
}

/// A finite verb right after a word, as in "Siegfried rode": regular past or present forms and
/// the commonest irregular ones.
pub(crate) fn looks_like_verb(lower: &str) -> bool {
    is_speech_verb(lower)
        || (lower.len() > 3 && (lower.ends_with("ed") || lower.ends_with("es")))
        || IRREGULAR_VERBS.contains(lower)
}

/// Kin words that serve as a name when capitalised without a determiner ("Mother said").
pub(crate) fn is_kin_title(lower: &str) -> bool {
    KIN_TITLES.contains(lower)
}

/// Kin and royal nouns: a role towards other characters ("the step-mother", "the king").
pub(crate) fn is_role_noun(lower: &str) -> bool {
    ROLE_NOUNS.contains(lower.rsplit('-').next().unwrap_or(lower))
}
