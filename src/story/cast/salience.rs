//! Lappin–Leass style salience: within a sentence an entity keeps the weight of its most salient
//! mention (a name as subject beats a pronoun as object, and mentions do not pile up), the total
//! halves with every sentence of distance, and the most recent entities are the candidates.

use super::tuning::{DECAY, RECENT};

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
    /// Mentions so far: the protagonist is the likelier referent when recency does not decide.
    pub count: Vec<u32>,
}

impl Salience {
    fn ensure(&mut self, n: usize) {
        if self.carried.len() < n {
            self.carried.resize(n, 0.0);
            self.peak.resize(n, 0.0);
            self.sentence.resize(n, 0);
            self.last_token.resize(n, 0);
            self.count.resize(n, 0);
        }
    }

    pub fn current(&self, e: usize, sentence: usize) -> f32 {
        let Some(&carried) = self.carried.get(e) else {
            return 0.0;
        };
        let gap = sentence.saturating_sub(self.sentence[e]).min(40) as i32;
        (carried + self.peak[e]) * DECAY.powi(gap)
    }

    pub fn bump(&mut self, e: usize, weight: f32, sentence: usize, token: usize) {
        self.ensure(e + 1);
        if sentence == self.sentence[e] {
            self.peak[e] = self.peak[e].max(weight);
        } else {
            self.carried[e] = self.current(e, sentence);
            self.peak[e] = weight;
            self.sentence[e] = sentence;
        }
        self.last_token[e] = token;
        self.count[e] += 1;
        self.recent.retain(|&r| r != e);
        self.recent.insert(0, e);
        self.recent.truncate(RECENT);
    }
}
