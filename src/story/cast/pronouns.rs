//! Resolves pronouns and possessive noun phrases to entities in one left-to-right pass.
//! A third-person pronoun takes the most salient entity whose gender and number fit; outside
//! quotes only narration feeds salience (BookNLP's constraint), inside quotes everything does.
//! First and second person inside quotes go to the quote's speaker and addressee (see
//! `dialogue`); "I" outside quotes is the narrator; "his wife" is keyed by its owner.

use std::collections::HashMap;

use super::dialogue::{Dialogue, Voices};
use super::entity::{Clusters, Origin};
use super::lexicon::{Case, Person};
use super::mentions::{Detail, RawMention};
use super::model::{Gender, Rule};
use super::salience::Salience;
use super::speakers::{self, MentionIndex};
use super::tokens::Token;
use super::tuning::{
    FREQUENCY_BONUS, MIN_SALIENCE, MIN_THEY_SALIENCE, RESOLVED_PRONOUN_VOTE, UNKNOWN_GENDER_FIT,
};

pub(super) fn weight(m: &RawMention) -> f32 {
    let base = match m.detail {
        Detail::Name { .. } => 100.0,
        Detail::Nominal { .. } => 70.0,
        Detail::Pronoun(_) => 50.0,
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

pub(crate) struct Resolver<'a> {
    pub(super) toks: &'a [Token],
    pub(super) mentions: &'a [RawMention],
    pub(super) clusters: &'a mut Clusters,
    pub(super) paragraphs: &'a [(usize, usize)],
    pub(super) index: MentionIndex,
    /// Fed by every mention; used inside quotes.
    pub(super) all: Salience,
    /// Fed by mentions outside quotes only; used for narration.
    pub(super) narration: Salience,
    pub(super) narrator: Option<usize>,
    /// "we" outside quotes.
    pub(super) we: Option<usize>,
    /// Pairs joined by "and" → their group entity.
    pub(super) groups: HashMap<(usize, usize), usize>,
    pub(super) dialogue: Dialogue,
    /// (owner, head) → entity: "his wife" always means the same person for the same "his".
    pub(super) relations: HashMap<(usize, String), usize>,
    /// (surname, gender) → named entity, for spouses.
    pub(super) by_surname: HashMap<(String, Gender), usize>,
    /// Evidence that the narrator is a named character: entity → votes.
    pub(super) narrator_names: HashMap<usize, u32>,
    /// How often each entity is addressed by name inside quotes.
    pub(super) vocatives: HashMap<usize, u32>,
    /// For each epithet entity, the named entities that were most salient at its mentions.
    pub(super) epithet_votes: EpithetVotes,
}

/// Epithet entity → (mentions seen, named entity → times it was the salient candidate, the
/// candidate at its first mention).
pub(crate) type EpithetVotes = HashMap<usize, (u32, HashMap<usize, u32>, Option<usize>)>;

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
        let gender = entity.gender();
        if let (true, Some(surname), Gender::Male | Gender::Female) =
            (entity.alive, entity.surname.clone(), gender)
        {
            by_surname.entry((surname, gender)).or_insert(e);
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
        we: None,
        groups: HashMap::new(),
        dialogue: Dialogue::default(),
        relations: HashMap::new(),
        by_surname,
        narrator_names: HashMap::new(),
        vocatives: HashMap::new(),
        epithet_votes: HashMap::new(),
    };
    r.run();
    r.name_the_narrator();
    r.epithet_votes
}

impl Resolver<'_> {
    fn run(&mut self) {
        let mut start = 0;
        while start < self.mentions.len() {
            let paragraph = self.toks[self.mentions[start].first].paragraph;
            let end = start
                + self.mentions[start..]
                    .iter()
                    .take_while(|m| self.toks[m.first].paragraph == paragraph)
                    .count();
            self.paragraph(start..end, paragraph);
            start = end;
        }
    }

    /// Narration first, so that "said he" and the speaker are known, then the quotes, where
    /// "I" is the speaker and "he" is neither the speaker nor the one spoken to.
    fn paragraph(&mut self, range: std::ops::Range<usize>, paragraph: usize) {
        for i in range.clone() {
            // Someone addressed is in the scene, so the narration may say "his lady".
            if let Some(e) = self.clusters.live(i) {
                let m = &self.mentions[i];
                if speakers::is_vocative(self.toks, m) {
                    self.bump_narrated(e, weight(m), m.first);
                }
            }
        }
        for i in range.clone() {
            if !self.toks[self.mentions[i].first].in_quote {
                self.process(i, Voices::default());
            }
        }
        let mut dialogue = std::mem::take(&mut self.dialogue);
        let voices = dialogue.voices(self, paragraph);
        self.dialogue = dialogue;
        for i in range {
            let first = self.mentions[i].first;
            if self.toks[first].in_quote {
                self.process(i, voices.at(first));
            }
        }
    }

    fn process(&mut self, i: usize, voices: Voices) {
        if self.clusters.live(i).is_none() {
            self.resolve_one(i, voices);
        }
        if let Some(e) = self.clusters.live(i) {
            let m = &self.mentions[i];
            self.vote_for_epithet(i, e);
            if !speakers::is_vocative(self.toks, m) {
                self.bump(e, weight(m), m.first);
            }
            self.form_group(i, e);
        }
    }

    /// The character most in view at token `at` other than `speaker`: who is being talked to
    /// when nothing else tells.
    pub fn most_salient_other(
        &self,
        speaker: Option<usize>,
        at: usize,
        min_salience: f32,
    ) -> Option<usize> {
        let sentence = self.toks.get(at)?.sentence;
        self.all
            .recent
            .iter()
            .copied()
            .filter(|&e| Some(e) != speaker)
            .filter(|&e| {
                let entity = &self.clusters.entities[e];
                entity.alive && entity.gender() != Gender::Plural
            })
            .map(|e| (self.all.current(e, sentence), e))
            .filter(|&(s, _)| s >= min_salience)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, e)| e)
    }

    pub fn bump(&mut self, e: usize, weight: f32, token: usize) {
        let t = &self.toks[token];
        self.all.bump(e, weight, t.sentence, token);
        if !t.in_quote {
            self.narration.bump(e, weight, t.sentence, token);
        }
    }

    /// Salience for a character present in the narration whatever the token's quoting.
    pub fn bump_narrated(&mut self, e: usize, weight: f32, token: usize) {
        let sentence = self.toks[token].sentence;
        self.all.bump(e, weight, sentence, token);
        self.narration.bump(e, weight, sentence, token);
    }

    fn resolve_one(&mut self, i: usize, voices: Voices) {
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
                    self.clusters.link(i, Some(e), Rule::Relation);
                }
            }
            Detail::Pronoun(p) => match p.person {
                Person::First if tok.in_quote && !p.plural => {
                    let rule = if voices.runs_on {
                        Rule::QuoteRunsOn
                    } else {
                        Rule::QuoteSpeaker
                    };
                    self.clusters.link(i, voices.speaker, rule);
                }
                Person::Second if tok.in_quote && !p.plural => {
                    let rule = if voices.runs_on {
                        Rule::QuoteRunsOn
                    } else {
                        Rule::QuoteAddressee
                    };
                    self.clusters.link(i, voices.addressee, rule);
                }
                Person::First if !p.plural => {
                    let clusters = &mut *self.clusters;
                    let e = *self
                        .narrator
                        .get_or_insert_with(|| clusters.add(Origin::Narrator));
                    self.clusters.link(i, Some(e), Rule::Narrator);
                }
                Person::First if !tok.in_quote => {
                    // "we" in the narration: the narrator and companions, one group.
                    let clusters = &mut *self.clusters;
                    let e = *self.we.get_or_insert_with(|| {
                        let e = clusters.add(Origin::NarratorGroup);
                        clusters.entities[e].votes_plural += 10.0;
                        e
                    });
                    self.clusters.link(i, Some(e), Rule::NarrationWe);
                }
                Person::Third => {
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
                    let role = Role { object, reflexive };
                    let excluded = [voices.speaker, voices.addressee];
                    if let Some(e) = best_antecedent(
                        self.toks,
                        sal,
                        self.clusters,
                        m.first,
                        p.gender,
                        role,
                        &excluded,
                    ) {
                        self.clusters.link(i, Some(e), Rule::Antecedent);
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
}

/// The pronoun's grammatical role, for binding constraints.
struct Role {
    object: bool,
    reflexive: bool,
}

fn best_antecedent(
    toks: &[Token],
    sal: &Salience,
    clusters: &Clusters,
    at: usize,
    gender: Gender,
    role: Role,
    excluded: &[Option<usize>],
) -> Option<usize> {
    let sentence = toks[at].sentence;
    let mut best: Option<(f32, usize)> = None;
    for &e in &sal.recent {
        let entity = &clusters.entities[e];
        if !entity.alive || entity.origin == Origin::Narrator || excluded.contains(&Some(e)) {
            continue;
        }
        // A name with no sign of being a person ("Harvard", "Portsmouth") takes no "he".
        let bare_name = entity.origin == Origin::Named
            && entity.gender() == Gender::Unknown
            && entity.person_evidence <= 0.0;
        if bare_name {
            continue;
        }
        // "they" goes to a group: "X and Y", or a plural epithet ("the sisters") in view.
        if gender == Gender::Plural && !super::groups::can_be_they(entity) {
            continue;
        }
        let fit = match entity.gender() {
            g if g == gender => 1.0,
            // "they" needs a group; "he" may take a character of unknown gender.
            Gender::Unknown if gender != Gender::Plural => UNKNOWN_GENDER_FIT,
            _ => continue,
        };
        let mut score = sal.current(e, sentence) * fit;
        // Too far back to be meant, whatever the bonuses below.
        if score < MIN_SALIENCE {
            continue;
        }
        // A plural epithet is often generic ("the people"): "they" means it only right after.
        if gender == Gender::Plural && entity.origin != Origin::Group && score < MIN_THEY_SALIENCE {
            continue;
        }
        let close = same_clause(toks, sal.last_token[e], at);
        if role.object && close {
            // "Siegfried slays him": an object pronoun is not its own clause's subject.
            continue;
        }
        if role.reflexive && close {
            score += 200.0;
        }
        score += FREQUENCY_BONUS * fit * (1.0 + sal.count[e] as f32).ln();
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, e));
        }
    }
    best.map(|(_, e)| e)
}
