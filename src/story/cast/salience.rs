//! Lappin–Leass style salience: within a sentence an entity keeps the weight of its most salient
//! mention (a name as subject beats a pronoun as object, and mentions do not pile up), the total
//! halves with every sentence of distance, and the most recent entities are the candidates.

/// Salience kept per sentence of distance.
pub(crate) const DECAY: f32 = 0.5;
/// Most recent entities considered as antecedents.
const RECENT: usize = 16;

#[derive(Default)]
pub(crate) struct Salience {
    /// Salience carried into `sentence[e]` from earlier sentences.
    carried: Vec<f32>,
    /// Highest mention weight in `sentence[e]`.
    peak: Vec<f32>,
    sentence: Vec<usize>,
    /// Token of the entity's latest mention, for binding constraints.
    pub last_token: Vec<usize>,
    /// Most recent first.
    pub recent: Vec<usize>,
    /// The entity most recently mentioned as a subject: "he" at a sentence start prefers it.
    pub last_subject: Option<usize>,
}

impl Salience {
    fn ensure(&mut self, n: usize) {
        if self.carried.len() < n {
            self.carried.resize(n, 0.0);
            self.peak.resize(n, 0.0);
            self.sentence.resize(n, 0);
            self.last_token.resize(n, 0);
        }
    }

    pub fn current(&self, e: usize, sentence: usize) -> f32 {
        let Some(&carried) = self.carried.get(e) else {
            return 0.0;
        };
        let gap = sentence.saturating_sub(self.sentence[e]).min(40) as i32;
        (carried + self.peak[e]) * DECAY.powi(gap)
    }

    pub fn bump(&mut self, e: usize, weight: f32, sentence: usize, token: usize, subject: bool) {
        self.ensure(e + 1);
        if sentence == self.sentence[e] {
            self.peak[e] = self.peak[e].max(weight);
        } else {
            self.carried[e] = self.current(e, sentence);
            self.peak[e] = weight;
            self.sentence[e] = sentence;
        }
        self.last_token[e] = token;
        if subject {
            self.last_subject = Some(e);
        }
        self.recent.retain(|&r| r != e);
        self.recent.insert(0, e);
        self.recent.truncate(RECENT);
    }
}
