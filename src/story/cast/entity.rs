//! Working state shared by the clustering steps: entities and which entity each mention refers to.

use std::collections::HashMap;

use super::mentions::RawMention;
use super::model::{Gender, MentionKind, Rule};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// Clustered from proper names.
    Named,
    /// Clustered from definite noun phrases sharing a head ("the dragon").
    Nominal,
    /// "I" outside quotes.
    Narrator,
    /// A possessive noun phrase whose owner is known: "his wife", "Mary's father".
    Relational,
    /// Several characters as one: "Holmes and Watson".
    Group,
    /// "we" of the narration: the narrator and companions.
    NarratorGroup,
}

#[derive(Clone, Debug)]
pub(crate) struct Entity {
    pub origin: Origin,
    /// Evidence for each gender: male, female, plural (from titles, nouns, following pronouns).
    pub votes_male: f32,
    pub votes_female: f32,
    pub votes_plural: f32,
    /// Evidence that a named entity is a person rather than a place or a thing.
    pub person_evidence: f32,
    pub place_evidence: f32,
    /// False once the entity is judged not to be a character; its mentions are dropped.
    pub alive: bool,
    /// For named entities: the last name word ("Mr. Bennet" → bennet), so that "his wife" can
    /// find "Mrs. Bennet".
    pub surname: Option<String>,
    /// For relational entities: whose ("his wife" → the entity "his" refers to).
    pub owner: Option<usize>,
}

impl Entity {
    pub fn new(origin: Origin) -> Self {
        Entity {
            origin,
            votes_male: 0.0,
            votes_female: 0.0,
            votes_plural: 0.0,
            person_evidence: 0.0,
            place_evidence: 0.0,
            alive: true,
            surname: None,
            owner: None,
        }
    }

    pub fn vote(&mut self, gender: Gender, weight: f32) {
        match gender {
            Gender::Male => self.votes_male += weight,
            Gender::Female => self.votes_female += weight,
            Gender::Plural => self.votes_plural += weight,
            Gender::Neuter | Gender::Unknown => {}
        }
    }

    /// The gender with clearly more evidence than the others, else `Unknown`.
    pub fn gender(&self) -> Gender {
        let (m, f, p) = (self.votes_male, self.votes_female, self.votes_plural);
        if p > m + f && p > 0.0 {
            Gender::Plural
        } else if m > 1.5 * f && m >= 1.0 {
            Gender::Male
        } else if f > 1.5 * m && f >= 1.0 {
            Gender::Female
        } else {
            Gender::Unknown
        }
    }
}

/// Entities plus the entity of each raw mention (`None`: not (yet) a character mention).
#[derive(Clone)]
pub(crate) struct Clusters {
    pub entities: Vec<Entity>,
    pub of_mention: Vec<Option<usize>>,
    /// Per raw mention, the rule that linked it to its entity.
    pub why: Vec<Rule>,
    /// Character noun → named entities it was linked to ("the dragon Fafner", "Uncle John").
    pub head_links: HashMap<String, Vec<usize>>,
    /// Mentions that are not raw mentions: (first token, last token, entity, kind), e.g. the
    /// span "Holmes and Watson" of a group, or the "it" that speaks as the frog.
    pub extra: Vec<(usize, usize, usize, MentionKind, Rule)>,
    /// Each quoted segment (first token, end token exclusive) with the speaker the dialogue
    /// gave it: a record for `quotations`, read by no rule.
    pub spoken: Vec<(usize, usize, Option<usize>)>,
}

impl Clusters {
    pub fn new(mentions: &[RawMention]) -> Self {
        Clusters {
            entities: Vec::new(),
            of_mention: vec![None; mentions.len()],
            why: vec![Rule::Unknown; mentions.len()],
            head_links: HashMap::new(),
            extra: Vec::new(),
            spoken: Vec::new(),
        }
    }

    pub fn add(&mut self, origin: Origin) -> usize {
        self.entities.push(Entity::new(origin));
        self.entities.len() - 1
    }

    /// Makes mention `m` refer to `e` (or to nobody), by rule `why`.
    pub fn link(&mut self, m: usize, e: Option<usize>, why: Rule) {
        self.of_mention[m] = e;
        self.why[m] = why;
    }

    /// Moves every mention of entity `gone` to `target`, by rule `why`, and retires `gone`.
    pub fn merge(&mut self, gone: usize, target: usize, why: Rule) {
        for m in 0..self.of_mention.len() {
            if self.of_mention[m] == Some(gone) {
                self.link(m, Some(target), why);
            }
        }
        self.entities[gone].alive = false;
    }

    /// The live entity of mention `m`, if any.
    pub fn live(&self, m: usize) -> Option<usize> {
        self.of_mention[m].filter(|&e| self.entities[e].alive)
    }
}
