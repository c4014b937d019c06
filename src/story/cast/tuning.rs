//! Every threshold and weight of the cast in one place, so that tuning against the development
//! set (`cargo run --release --example cast_eval`) is editing numbers here and word lists in
//! `data/`, not code. Each says where it is used.

/// At most this many phrases per character.
/// (Used in descriptors.)
pub(crate) const MAX_PHRASES: usize = 6;

/// Salience needed to be taken as the speaker, failing any other clue.
/// (Used in dialogue.)
pub(crate) const SPEAKER_MIN_SALIENCE: f32 = 5.0;

/// Salience needed to be taken as the one spoken to, failing any other clue.
/// (Used in dialogue.)
pub(crate) const ADDRESSEE_MIN_SALIENCE: f32 = 5.0;

/// Salience given to the speaker of a paragraph, as if narrated once.
/// (Used in dialogue.)
pub(crate) const SPEAKER_WEIGHT: f32 = 60.0;

/// Narration words between two quotes up to which the second continues the first speaker's
/// turn (`"…," said she, "…"`).
/// (Used in dialogue.)
pub(crate) const CONTINUATION_WORDS: usize = 6;

/// A name this salient (mentioned in about the last two sentences) may be what "the lad" means.
/// (Used in epithets.)
pub(crate) const EPITHET_MIN_SALIENCE: f32 = 40.0;

/// At an epithet's first use, the one character of its gender salient above
/// `EPITHET_MIN_SALIENCE / FIRST_USE_REACH` (mentioned within about four sentences) may be
/// whom it means.
/// (Used in epithets.)
pub(crate) const FIRST_USE_REACH: f32 = 8.0;

/// Texts this short (in sentences) never merge epithets by salience.
/// (Used in epithets, people.)
pub(crate) const SHORT_TEXT_SENTENCES: usize = 5;

/// After "he called her Mother Mansrot", the epithet "her" stood for ("the princess") is someone
/// else when the text still writes it at least this share of the given name's uses after.
/// (Used in epithets.)
pub(crate) const EPITHET_AFTER_NAMING_SHARE: f32 = 1.0;

/// Share of an epithet's definite uses that must follow the same name.
/// (Used in epithets.)
pub(crate) const MIN_SHARE: f32 = 0.5;

/// A noun in apposition ("Brunhild, queen of Issland") says more than any one pronoun.
/// (Used in gender.)
pub(crate) const APPOSITION_VOTE: f32 = 2.0;

/// Share of a pronoun's gender vote kept when it follows a name that was not the subject.
/// (Used in gender.)
pub(crate) const OBJECT_DISCOUNT: f32 = 0.25;

/// Above this many names sharing a word, the word is not used to find variants.
/// (Used in names.)
pub(crate) const MAX_ROOTS_PER_WORD: usize = 256;

/// Sentences after "a man knocked" in which "the man" still means him rather than a man met
/// earlier.
/// (Used in nominals.)
pub(crate) const INTRODUCTION_REACH: usize = 2;

/// Definite epithets needed before "the man" becomes a character of its own.
/// (Used in people.)
pub(crate) const MIN_NOMINAL_MENTIONS: usize = 2;

/// Group epithets ("the sisters") must recur more, as groups are rarely shown as one subject.
/// (Used in people.)
pub(crate) const MIN_GROUP_MENTIONS: usize = 3;

/// Mentions (the phrase or pronouns resolved to it) needed for "his wife" to be a character: a
/// wife met a few times is mostly one already known by another phrase ("the woman").
/// (Used in people.)
pub(crate) const MIN_RELATIONAL_MENTIONS: usize = 6;

/// A name never written in the narration, only in someone's talk, needs this many mentions
/// (pronouns resolved to it included) to be a character.
/// (Used in people.)
pub(crate) const MIN_QUOTED_NAME_MENTIONS: usize = 4;

/// A name used once, with no pronoun ever resolved to it, is a passing reference...
/// (Used in people.)
pub(crate) const MIN_NAMED_MENTIONS: usize = 2;

/// ...unless the narration (not someone's talk) shows a person acting or titled there:
/// "Mr. Hale", "Ixtlil, son of the chief, rode away".
/// (Used in people.)
pub(crate) const ONE_NAME_PERSON_EVIDENCE: f32 = 2.0;

/// What a name as the subject of a past-tense verb adds to that evidence.
/// (Used in people.)
pub(crate) const ACTING_EVIDENCE: f32 = 1.0;

/// First-person mentions outside quotes needed for a narrator character.
/// (Used in people.)
pub(crate) const MIN_NARRATOR_MENTIONS: usize = 3;

/// Below this decayed salience an entity is too far back to be a pronoun's antecedent.
/// (Used in pronouns.)
pub(crate) const MIN_SALIENCE: f32 = 0.2;

/// Salience a plural epithet needs for "they": mentioned in this sentence or the one before.
/// (Used in pronouns.)
pub(crate) const MIN_THEY_SALIENCE: f32 = 30.0;

/// Gender evidence from a pronoun resolved to an entity of unknown gender.
/// (Used in pronouns.)
pub(crate) const RESOLVED_PRONOUN_VOTE: f32 = 1.0;

/// Penalty for an entity of unknown gender: a known match is much more likely.
/// (Used in pronouns.)
pub(crate) const UNKNOWN_GENDER_FIT: f32 = 0.35;

/// Weight of how often an entity was mentioned so far (log scale).
/// (Used in pronouns.)
pub(crate) const FREQUENCY_BONUS: f32 = 3.0;

/// Salience kept per sentence of distance.
/// (Used in salience.)
pub(crate) const DECAY: f32 = 0.5;

/// Most recent entities considered as antecedents.
/// (Used in salience.)
pub(crate) const RECENT: usize = 16;

/// Tokens looked back for the animal or thing an attribution's "it" is.
/// (Used in speakers.)
pub(crate) const IT_LOOKBACK: usize = 400;

/// Sentences longer than this are cut, so windows counted in sentences stay bounded.
/// (Used in tokens.)
pub(crate) const MAX_SENTENCE_TOKENS: usize = 120;

/// Sentences of the narration where an epithet and a character appear as two people ("he threw
/// a stone at the giant") that keep the epithet from merging into that character by salience.
/// (Used in epithets.)
pub(crate) const MIN_SENTENCES_APART: usize = 2;
