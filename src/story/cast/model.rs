//! The public result of the analysis: the cast, its characters and their mentions.

use crate::story::edit_error::NoSuchCharacter;
use serde::{Deserialize, Serialize};

/// Grammatical gender and number of a character, as far as the text tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    Male,
    Female,
    Neuter,
    Plural,
    Unknown,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
            Gender::Neuter => "neuter",
            Gender::Plural => "plural",
            Gender::Unknown => "unknown",
        }
    }
}

/// How a character is referred to at one place in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionKind {
    /// A proper name: "Siegfried", "Mr. Bennet", "the Sea King".
    Name,
    /// A common-noun phrase: "the little mermaid", "the dragon".
    Nominal,
    /// A pronoun: "he", "her", "I" (narrator or speaker).
    Pronoun,
}

/// The rule that found a mention, or that joined it to its character: what `--explain` and
/// `s.why(…)` show, so that a user who disagrees can see why.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Made by hand (a merge) or by no recorded rule.
    #[default]
    Unknown,
    // How a mention was found.
    ProperName,
    KinName,
    CharacterNoun,
    SpeakingNoun,
    Elliptic,
    Pronoun,
    Pair,
    // Why it belongs to its character.
    SameName,
    NamedOnTheSpot,
    EpithetOfName,
    RealmTitle,
    SameEpithet,
    EpithetAfterName,
    HouseholdRole,
    KnownRelative,
    PlainChild,
    NewForm,
    BeastMetAgain,
    Relation,
    QuoteSpeaker,
    QuoteAddressee,
    QuoteRunsOn,
    Narrator,
    NarratorSigned,
    NarrationWe,
    Antecedent,
    ItSpeaks,
    Group,
}

impl Rule {
    /// The rule in words, for explanations.
    pub fn describe(self) -> &'static str {
        match self {
            Rule::Unknown => "no recorded rule",
            Rule::ProperName => "a capitalised name",
            Rule::KinName => "a kin word used as a name (\"Mother said\")",
            Rule::CharacterNoun => "a noun phrase whose noun is a character word",
            Rule::SpeakingNoun => "a noun phrase whose noun is seen speaking (\"said the heron\")",
            Rule::Elliptic => "an adjective standing for a noun (\"the youngest\")",
            Rule::Pronoun => "a pronoun",
            Rule::Pair => "two characters joined by \"and\"",
            Rule::SameName => "the same name or a variant of it",
            Rule::NamedOnTheSpot => {
                "named on the spot (\"a shepherd called Aram\", \"the dragon Fafner\")"
            }
            Rule::EpithetOfName => {
                "an epithet the text gives this name (\"Mime the dwarf\", \"Fafner, the dragon\")"
            }
            Rule::RealmTitle => "the title of the realm this name rules (\"the King of Burgundy\")",
            Rule::SameEpithet => "the same epithet as before",
            Rule::EpithetAfterName => "an epithet used again and again right after this name",
            Rule::HouseholdRole => {
                "a plain noun (\"the man\") for the tale's one parent or spouse of that gender"
            }
            Rule::KnownRelative => {
                "a relative named through its owner (\"the Griffin's wife\") who is the tale's one \
                 \"the wife\""
            }
            Rule::NewForm => {
                "a form this character was changed into (\"you will become a roebuck\")"
            }
            Rule::BeastMetAgain => {
                "a beast met again, known by the same word (\"a wonderful golden fish\" after \
                 \"the wonderful fish\")"
            }
            Rule::PlainChild => {
                "a plain noun (\"the girl\") for the tale's one son or daughter (\"the daughter\")"
            }
            Rule::Relation => "a relation of a known character (\"his wife\")",
            Rule::QuoteSpeaker => "\"I\" in a quote: the speaker of that quote",
            Rule::QuoteAddressee => "\"you\" in a quote: the one spoken to",
            Rule::QuoteRunsOn => {
                "\"I\" or \"you\" in a quote running on from the paragraph before: its speaker \
                 or the one spoken to there"
            }
            Rule::Narrator => "\"I\" in the narration: the narrator",
            Rule::NarratorSigned => "\"I\" in the narration, the narrator named by the text",
            Rule::NarrationWe => "\"we\" in the narration: the narrator and companions",
            Rule::Antecedent => "the most salient character that fits the pronoun",
            Rule::ItSpeaks => "an \"it\" that speaks: the animal or thing last named",
            Rule::Group => "a group of the characters named together",
        }
    }
}

/// One reference to a character; `start..end` are byte offsets into the analysed text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub kind: MentionKind,
    /// The mention names the owner of something ("the king's castle"): it refers to the
    /// character without showing them there, so it does not make them present.
    #[serde(default)]
    pub possessive: bool,
    /// The rule that found this mention in the text.
    #[serde(default)]
    pub found: Rule,
    /// The rule that made it a mention of this character rather than of another.
    #[serde(default)]
    pub linked: Rule,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CastCharacter {
    pub id: usize,
    /// The most informative name: the longest frequent name, else the commonest epithet.
    pub name: String,
    /// Every other name or epithet used for the character, without duplicates.
    pub aliases: Vec<String>,
    pub gender: Gender,
    /// Sorted by position.
    pub mentions: Vec<Mention>,
    /// Visual descriptors found in the text, joined by commas.
    pub suggested_description: Option<String>,
}

impl CastCharacter {
    /// Name and aliases, for look-ups.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// The characters of a story, most mentioned first; `id` equals the index.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cast {
    pub characters: Vec<CastCharacter>,
}

impl Cast {
    /// Ids of the characters present in the byte span `[start, end)`: with a mention there
    /// that is not only a possessive ("the king's castle"). Sorted by id.
    pub fn present_in(&self, start: usize, end: usize) -> Vec<usize> {
        self.characters
            .iter()
            .filter(|c| {
                // Mentions are sorted, so a binary search finds the first one at or after `start`.
                let i = c.mentions.partition_point(|m| m.start < start);
                c.mentions[i..]
                    .iter()
                    .take_while(|m| m.end <= end)
                    .any(|m| !m.possessive)
            })
            .map(|c| c.id)
            .collect()
    }

    /// The character with this name or alias, ignoring case and surrounding spaces.
    pub fn find(&self, name_or_alias: &str) -> Option<&CastCharacter> {
        let wanted = name_or_alias.trim();
        self.characters
            .iter()
            .find(|c| c.all_names().any(|n| n.eq_ignore_ascii_case(wanted)))
            .or_else(|| {
                let wanted = wanted.to_lowercase();
                self.characters
                    .iter()
                    .find(|c| c.all_names().any(|n| n.to_lowercase() == wanted))
            })
    }

    /// Moves every mention and alias of `absorb` into `keep`, then re-ranks the cast.
    pub fn merge(&mut self, keep: &str, absorb: &str) -> Result<(), NoSuchCharacter> {
        let keep_id = self
            .find(keep)
            .ok_or_else(|| NoSuchCharacter(keep.to_string()))?
            .id;
        let absorb_id = self
            .find(absorb)
            .ok_or_else(|| NoSuchCharacter(absorb.to_string()))?
            .id;
        if keep_id == absorb_id {
            return Ok(());
        }
        let gone = self.characters.remove(absorb_id);
        let target = self
            .characters
            .iter_mut()
            .find(|c| c.id == keep_id)
            .ok_or_else(|| NoSuchCharacter(keep.to_string()))?;
        for alias in gone.all_names() {
            if !target.all_names().any(|n| n.eq_ignore_ascii_case(alias)) {
                target.aliases.push(alias.to_string());
            }
        }
        target.mentions.extend(gone.mentions);
        target.mentions.sort_by_key(|m| (m.start, m.end));
        target.mentions.dedup();
        if target.gender == Gender::Unknown {
            target.gender = gone.gender;
        }
        if target.suggested_description.is_none() {
            target.suggested_description = gone.suggested_description;
        }
        self.rank();
        Ok(())
    }

    /// Orders characters by mention count (then first appearance) and renumbers ids 0..n.
    pub fn rank(&mut self) {
        self.characters.sort_by(|a, b| {
            b.mentions
                .len()
                .cmp(&a.mentions.len())
                .then_with(|| first_start(a).cmp(&first_start(b)))
        });
        for (i, c) in self.characters.iter_mut().enumerate() {
            c.id = i;
        }
    }
}

fn first_start(c: &CastCharacter) -> usize {
    c.mentions.first().map_or(usize::MAX, |m| m.start)
}
