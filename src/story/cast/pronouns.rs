//! Resolves pronouns and possessive noun phrases to entities in one left-to-right pass.
//! A third-person pronoun takes the most salient entity whose gender and number fit; outside
//! quotes only narration feeds salience (BookNLP's constraint), inside quotes everything does.
//! First and second person inside quotes go to the quote's speaker and addressee (see
//! `dialogue`); "I" outside quotes is the narrator; "his wife" is keyed by its owner.

use std::collections::HashMap;

use super::dialogue::Dialogue;
use super::entity::{Clusters, Origin};
use super::lexicon::{Case, Person};
use super::mentions::{Detail, RawMention};
use super::model::Gender;
use super::salience::Salience;
use super::speakers::MentionIndex;
use super::tokens::Token;

/// Below this decayed salience an entity is too far back to be a pronoun's antecedent.
const MIN_SALIENCE: f32 = 4.0;
/// Gender evidence from a pronoun resolved to an entity of unknown gender.
const RESOLVED_PRONOUN_VOTE: f32 = 1.0;
/// Penalty for an entity of unknown gender: a known match is much more likely.
const UNKNOWN_GENDER_FIT: f32 = 0.2;

fn weight(m: &RawMention) -> f32 {
    let base = match m.detail {
        Detail::Name { .. } => 100.0,
        Detail::Nominal { .. } => 70.0,
        Detail::Pronoun(_) => 80.0,
    };
    if m.subject {
        base + 60.0
    } else {
        base
    }
}

/// Words that end a clause, so that "him" after them may refer to the subject before them.
fn breaks_clause(lower: &str) -> bool {
    matches!(
        lower,
        "," | ";"
            | ":"
            | "and"
            | "but"
            | "that"
            | "who"
            | "which"
            | "when"
            | "because"
            | "while"
            | "if"
            | "as"
            | "though"
            | "although"
            | "whom"
            | "where"
            | "till"
            | "until"
            | "\""
            | "“"
            | "”"
            | "("
            | ")"
            | "-"
    )
}

fn same_clause(toks: &[Token], a: usize, b: usize) -> bool {
    let (a, b) = if a < b { (a, b) } else { (b, a) };
    b < toks.len()
        && toks[a].sentence == toks[b].sentence
        && !toks[a + 1..b].iter().any(|t| breaks_clause(&t.lower))
}

/// "her" is an object (not a possessive) when no noun phrase follows it.
fn her_is_object(toks: &[Token], t: usize) -> bool {
    toks.get(t + 1).is_none_or(|n| {
        !n.is_word
            || matches!(
                n.lower.as_str(),
                "to" | "and"
                    | "in"
                    | "on"
                    | "at"
                    | "with"
                    | "from"
                    | "by"
                    | "for"
                    | "that"
                    | "as"
                    | "up"
                    | "down"
                    | "out"
                    | "away"
                    | "back"
                    | "off"
                    | "again"
                    | "into"
                    | "so"
                    | "the"
                    | "a"
                    | "an"
                    | "of"
                    | "was"
                    | "had"
                    | "is"
                    | "would"
                    | "not"
            )
    })
}

/// Heads that name a spouse, and the spouse's gender: "his wife" is "Mrs." + his surname.
fn spouse_gender(head: &str) -> Option<Gender> {
    match head {
        "wife" | "lady" | "widow" => Some(Gender::Female),
        "husband" => Some(Gender::Male),
        _ => None,
    }
}

pub(crate) struct Resolver<'a> {
    pub toks: &'a [Token],
    pub mentions: &'a [RawMention],
    pub clusters: &'a mut Clusters,
    pub paragraphs: &'a [(usize, usize)],
    pub index: MentionIndex,
    /// Fed by every mention; used inside quotes.
    all: Salience,
    /// Fed by mentions outside quotes only; used for narration.
    narration: Salience,
    narrator: Option<usize>,
    dialogue: Dialogue,
    /// First/second person pronouns in quotes, waiting for the paragraph's speaker.
    pub deferred: Vec<(usize, Person)>,
    /// (owner, head) → entity: "his wife" always means the same person for the same "his".
    relations: HashMap<(usize, String), usize>,
    /// (surname, gender) → named entity, for spouses.
    by_surname: HashMap<(String, Gender), usize>,
    /// Evidence that the narrator is a named character: entity → votes.
    narrator_names: HashMap<usize, u32>,
    /// For each epithet entity, the named entities that were most salient at its mentions.
    pub epithet_votes: EpithetVotes,
}

/// Epithet entity → (mentions seen, named entity → times it was the salient candidate).
pub(crate) type EpithetVotes = HashMap<usize, (u32, HashMap<usize, u32>)>;

/// A name this salient (mentioned in about the last two sentences) may be what "the lad" means.
const EPITHET_MIN_SALIENCE: f32 = 40.0;

/// Resolves pronouns and possessives in place; returns which names epithets kept company with.
pub(crate) fn resolve(
    toks: &[Token],
    mentions: &[RawMention],
    clusters: &mut Clusters,
    paragraphs: &[(usize, usize)],
) -> EpithetVotes {
    let mut index = MentionIndex {
        mention_at: vec![None; toks.len()],
    };
    for (i, m) in mentions.iter().enumerate() {
        index.mention_at[m.first] = Some(i as u32);
    }
    let mut by_surname = HashMap::new();
    for (e, entity) in clusters.entities.iter().enumerate() {
        if let (true, Some(key)) = (entity.alive, entity.surname.clone()) {
            by_surname.entry(key).or_insert(e);
        }
    }
    let mut r = Resolver {
        toks,
        mentions,
        clusters,
        paragraphs,
        index,
        all: Salience::default(),
        narration: Salience::default(),
        narrator: None,
        dialogue: Dialogue::default(),
        deferred: Vec::new(),
        relations: HashMap::new(),
        by_surname,
        narrator_names: HashMap::new(),
        epithet_votes: HashMap::new(),
    };
    r.run();
    r.name_the_narrator();
    r.epithet_votes
}

impl Resolver<'_> {
    fn run(&mut self) {
        let mut paragraph = 0usize;
        for i in 0..self.mentions.len() {
            let m = &self.mentions[i];
            let tok = &self.toks[m.first];
            if tok.paragraph != paragraph {
                self.finish_paragraph(paragraph);
                paragraph = tok.paragraph;
            }
            if self.clusters.live(i).is_none() {
                self.resolve_one(i);
            }
            if let Some(e) = self.clusters.live(i) {
                self.vote_for_epithet(i, e);
                self.bump(e, weight(m), m.first, m.subject);
            }
        }
        self.finish_paragraph(paragraph);
    }

    /// Records the most salient fitting name at a definite epithet of an epithet entity.
    fn vote_for_epithet(&mut self, i: usize, e: usize) {
        let m = &self.mentions[i];
        let Detail::Nominal { determiner, .. } = &m.detail else {
            return;
        };
        if self.clusters.entities[e].origin != Origin::Nominal
            || !matches!(determiner.as_str(), "the" | "this" | "that")
        {
            return;
        }
        let tok = &self.toks[m.first];
        let sal = if tok.in_quote {
            &self.all
        } else {
            &self.narration
        };
        let gender = self.clusters.entities[e].gender();
        let best = sal
            .recent
            .iter()
            .copied()
            .filter(|&c| {
                let entity = &self.clusters.entities[c];
                let g = entity.gender();
                entity.alive
                    && entity.origin == Origin::Named
                    && (g == gender || g == Gender::Unknown || gender == Gender::Unknown)
                    && g != Gender::Plural
            })
            .map(|c| (sal.current(c, tok.sentence), c))
            .filter(|&(s, _)| s >= EPITHET_MIN_SALIENCE)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let entry = self.epithet_votes.entry(e).or_default();
        entry.0 += 1;
        if let Some((_, c)) = best {
            *entry.1.entry(c).or_default() += 1;
        }
    }

    /// "My name is Pip", or others answering the narrator with "Pip": the narrator is Pip.
    fn name_the_narrator(&mut self) {
        let Some(narrator) = self.narrator else {
            return;
        };
        for (i, m) in self.mentions.iter().enumerate() {
            if self.toks[m.first].in_quote || !matches!(m.detail, Detail::Name { .. }) {
                continue;
            }
            let before: Vec<&str> = self.toks[m.first.saturating_sub(3)..m.first]
                .iter()
                .map(|t| t.lower.as_str())
                .collect();
            let introduces = matches!(
                before.as_slice(),
                [.., "my", "name", "is" | "was"]
                    | [.., "call", "me"]
                    | [.., "called", "me"]
                    | [.., "named", "me"]
            );
            if let (true, Some(e)) = (introduces, self.clusters.live(i)) {
                *self.narrator_names.entry(e).or_default() += 2;
            }
        }
        let best = self
            .narrator_names
            .iter()
            .filter(|(&e, _)| e != narrator && self.clusters.entities[e].origin == Origin::Named)
            .max_by_key(|(&e, &v)| (v, std::cmp::Reverse(e)))
            .map(|(&e, &v)| (e, v));
        if let Some((named, votes)) = best {
            if votes >= 2 {
                for slot in self.clusters.of_mention.iter_mut() {
                    if *slot == Some(narrator) {
                        *slot = Some(named);
                    }
                }
                self.clusters.entities[narrator].alive = false;
            }
        }
    }

    pub fn bump(&mut self, e: usize, weight: f32, token: usize, subject: bool) {
        let t = &self.toks[token];
        self.all.bump(e, weight, t.sentence, token, subject);
        if !t.in_quote {
            self.narration.bump(e, weight, t.sentence, token, subject);
        }
    }

    /// Salience for a character present in the narration whatever the token's quoting.
    pub fn bump_narrated(&mut self, e: usize, weight: f32, token: usize) {
        let sentence = self.toks[token].sentence;
        self.all.bump(e, weight, sentence, token, false);
        self.narration.bump(e, weight, sentence, token, false);
    }

    fn resolve_one(&mut self, i: usize) {
        let m = &self.mentions[i];
        let tok = &self.toks[m.first];
        match &m.detail {
            Detail::Nominal {
                determiner,
                head,
                gender,
                plural,
                ..
            } => {
                if let Some(owner) = self.owner(i, determiner) {
                    let e = self.relation(owner, head, *gender, *plural);
                    self.clusters.of_mention[i] = Some(e);
                }
            }
            Detail::Pronoun(p) => match p.person {
                Person::First | Person::Second if tok.in_quote && !p.plural => {
                    self.deferred.push((i, p.person))
                }
                Person::First if !p.plural => {
                    let clusters = &mut *self.clusters;
                    let e = *self
                        .narrator
                        .get_or_insert_with(|| clusters.add(Origin::Narrator));
                    self.clusters.of_mention[i] = Some(e);
                }
                Person::Third if !p.plural => {
                    let object = match p.case {
                        Case::Object => true,
                        Case::Ambiguous => her_is_object(self.toks, m.first),
                        _ => false,
                    };
                    let reflexive = p.case == Case::Reflexive;
                    let sal = if tok.in_quote {
                        &self.all
                    } else {
                        &self.narration
                    };
                    let role = Role {
                        object,
                        reflexive,
                        subject: m.subject || (p.case == Case::Possessive && tok.sentence_initial),
                    };
                    if let Some(e) =
                        best_antecedent(self.toks, sal, self.clusters, m.first, p.gender, role)
                    {
                        self.clusters.of_mention[i] = Some(e);
                        // "the child … he": from now on the child is a boy.
                        let entity = &mut self.clusters.entities[e];
                        if entity.gender() == Gender::Unknown {
                            entity.vote(p.gender, RESOLVED_PRONOUN_VOTE);
                        }
                    }
                }
                _ => {}
            },
            Detail::Name { .. } => {}
        }
    }

    /// The entity owning a possessive noun phrase: the pronoun or name right before it.
    fn owner(&self, i: usize, determiner: &str) -> Option<usize> {
        let prev = i.checked_sub(1)?;
        let p = &self.mentions[prev];
        let m = &self.mentions[i];
        let adjacent = match determiner {
            "'s" => p.last + 2 == m.first,
            _ => p.last + 1 == m.first && matches!(p.detail, Detail::Pronoun(_)),
        };
        if adjacent {
            self.clusters.live(prev)
        } else {
            None
        }
    }

    fn relation(&mut self, owner: usize, head: &str, gender: Gender, plural: bool) -> usize {
        let key = (owner, head.to_string());
        if let Some(&e) = self.relations.get(&key) {
            return e;
        }
        let spouse = spouse_gender(head).and_then(|g| {
            let (surname, owner_gender) = self.clusters.entities[owner].surname.clone()?;
            (owner_gender != g).then_some(())?;
            self.by_surname.get(&(surname, g)).copied()
        });
        // "his uncle" in a story with an "Uncle John": the linked name, if only one.
        let linked = self
            .clusters
            .head_links
            .get(head)
            .filter(|l| l.len() == 1 && !plural && l[0] != owner)
            .map(|l| l[0]);
        let e = spouse.or(linked).unwrap_or_else(|| {
            let e = self.clusters.add(Origin::Relational);
            let entity = &mut self.clusters.entities[e];
            entity.owner = Some(owner);
            entity.vote(gender, 2.0);
            if plural {
                entity.votes_plural += 2.0;
            }
            e
        });
        self.relations.insert(key, e);
        e
    }

    fn finish_paragraph(&mut self, paragraph: usize) {
        let mut dialogue = std::mem::take(&mut self.dialogue);
        dialogue.finish_paragraph(self, paragraph);
        self.dialogue = dialogue;
    }
}

/// The pronoun's grammatical role, for binding and parallelism.
struct Role {
    object: bool,
    reflexive: bool,
    subject: bool,
}

/// Bonus for the latest subject when the pronoun is a subject too ("Siegfried slays him. He …").
const PARALLEL_SUBJECT_BONUS: f32 = 40.0;

fn best_antecedent(
    toks: &[Token],
    sal: &Salience,
    clusters: &Clusters,
    at: usize,
    gender: Gender,
    role: Role,
) -> Option<usize> {
    let sentence = toks[at].sentence;
    let mut best: Option<(f32, usize)> = None;
    for &e in &sal.recent {
        let entity = &clusters.entities[e];
        if !entity.alive || entity.origin == Origin::Narrator {
            continue;
        }
        let fit = match entity.gender() {
            g if g == gender => 1.0,
            Gender::Unknown => UNKNOWN_GENDER_FIT,
            _ => continue,
        };
        let mut score = sal.current(e, sentence) * fit;
        let close = same_clause(toks, sal.last_token[e], at);
        if role.object && close {
            // "Siegfried slays him": an object pronoun is not its own clause's subject.
            continue;
        }
        if role.reflexive && close {
            score += 200.0;
        }
        if role.subject && sal.last_subject == Some(e) {
            score += PARALLEL_SUBJECT_BONUS * fit;
        }
        if score < MIN_SALIENCE {
            continue;
        }
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, e));
        }
    }
    best.map(|(_, e)| e)
}
