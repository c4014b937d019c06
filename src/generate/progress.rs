//! Batch progress as shown to a person: done / total, failures, ETA, sampler step.

use std::time::Instant;

use super::backends::Stage;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub failed: usize,
    pub eta_secs: Option<f64>,
    /// Sampler step of the most recently reporting running image, when the server says.
    pub step: Option<(u32, u32)>,
    /// Queue place and expected wait (s) of the most recently reporting queued image (AI Horde).
    pub queue: Option<(u32, u32)>,
    /// Expected seconds of the most recently reporting image a worker is making (AI Horde).
    pub processing: Option<u32>,
    /// The most recently reporting image waits for a worker that can make it (AI Horde).
    pub no_worker: bool,
    /// No server can take work right now; the batch waits for one to come back.
    pub waiting: bool,
    /// A server is rate-limiting: seconds until it is asked again.
    pub rate_limited: Option<u32>,
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
    stage: Option<Stage>,
    waiting: bool,
    rate_limited: Option<u32>,
}

impl Tracker {
    pub fn new(total: usize) -> Self {
        Tracker {
            started: Instant::now(),
            total,
            done: 0,
            failed: 0,
            generated: 0,
            stage: None,
            waiting: false,
            rate_limited: None,
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
        self.stage = None;
    }

    pub fn set_stage(&mut self, stage: Option<Stage>) {
        self.stage = stage;
    }

    pub fn set_waiting(&mut self, waiting: bool) {
        self.waiting = waiting;
    }

    pub fn set_rate_limited(&mut self, secs: Option<u32>) {
        self.rate_limited = secs;
    }

    pub fn snapshot(&self) -> Progress {
        let remaining = self.total - self.done;
        let eta_secs = if remaining == 0 {
            Some(0.0)
        } else if self.generated > 0 {
            let per_image = self.started.elapsed().as_secs_f64() / self.generated as f64;
            Some(per_image * remaining as f64)
        } else if let Some(Stage::Step(at, of)) = self.stage.filter(|_| self.done == 0) {
            // Before the first image is done, its sampler steps tell how long one takes.
            (at > 0).then(|| {
                let elapsed = self.started.elapsed().as_secs_f64();
                let per_image = elapsed * f64::from(of) / f64::from(at);
                per_image * remaining as f64 - elapsed
            })
        } else {
            None
        };
        Progress {
            done: self.done,
            total: self.total,
            failed: self.failed,
            eta_secs,
            step: match self.stage {
                Some(Stage::Step(at, of)) => Some((at, of)),
                _ => None,
            },
            queue: match self.stage {
                Some(Stage::Queued {
                    position,
                    wait_secs,
                }) => Some((position, wait_secs)),
                _ => None,
            },
            processing: match self.stage {
                Some(Stage::Processing { wait_secs }) => Some(wait_secs),
                _ => None,
            },
            no_worker: self.stage == Some(Stage::NoWorker),
            waiting: self.waiting,
            rate_limited: self.rate_limited,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_images_steps_give_a_time_left_before_any_image_is_done() {
        let mut tracker = Tracker::new(3);
        assert_eq!(tracker.snapshot().eta_secs, None);
        tracker.set_stage(Some(Stage::Step(1, 4)));
        std::thread::sleep(std::time::Duration::from_millis(40));
        // One step of four took t >= 40 ms: 4t an image, three images, t gone: 11t.
        let eta = tracker.snapshot().eta_secs.unwrap();
        assert!(eta >= 0.4, "{eta}");
        tracker.finished(true, true);
        assert!(tracker.snapshot().eta_secs.unwrap() > 0.0);
    }
}
