//! Batch progress as shown to a person: done / total, failures, ETA, sampler step.

use std::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub failed: usize,
    pub eta_secs: Option<f64>,
    /// Sampler step of the most recently reporting running image, when the server says.
    pub step: Option<(u32, u32)>,
    /// No server can take work right now; the batch waits for one to come back.
    pub waiting: bool,
}

/// Counts results and estimates the time left from the images actually generated
/// (cache hits are instant and would make the estimate far too optimistic).
#[derive(Debug)]
pub struct Tracker {
    started: Instant,
    total: usize,
    done: usize,
    failed: usize,
    generated: usize,
    step: Option<(u32, u32)>,
    waiting: bool,
}

impl Tracker {
    pub fn new(total: usize) -> Self {
        Tracker {
            started: Instant::now(),
            total,
            done: 0,
            failed: 0,
            generated: 0,
            step: None,
            waiting: false,
        }
    }

    pub fn finished(&mut self, ok: bool, generated: bool) {
        self.done += 1;
        if !ok {
            self.failed += 1;
        }
        if generated {
            self.generated += 1;
        }
        self.step = None;
    }

    pub fn set_step(&mut self, step: Option<(u32, u32)>) {
        self.step = step;
    }

    pub fn set_waiting(&mut self, waiting: bool) {
        self.waiting = waiting;
    }

    pub fn snapshot(&self) -> Progress {
        let remaining = self.total - self.done;
        let eta_secs = if remaining == 0 {
            Some(0.0)
        } else if self.generated > 0 {
            let per_image = self.started.elapsed().as_secs_f64() / self.generated as f64;
            Some(per_image * remaining as f64)
        } else {
            None
        };
        Progress {
            done: self.done,
            total: self.total,
            failed: self.failed,
            eta_secs,
            step: self.step,
            waiting: self.waiting,
        }
    }
}
