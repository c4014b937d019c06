//! A server's standing during one batch: paused with backoff after it could not be
//! reached or was too slow, probed before it gets work again, given up only after
//! it has been failing for longer than `retry_for`. A server that says it is busy
//! (rate-limiting) is paused for as long as it asked, and is not probed.

use std::cell::Cell;
use std::time::Duration;

use tokio::time::Instant;

const BACKOFF_START: Duration = Duration::from_millis(250);
/// Longest pause between probes: a restarted server rejoins within this.
const BACKOFF_MAX: Duration = Duration::from_secs(4);
/// First pause of a busy server that did not say how long: the Horde counts its
/// 2-per-second limit over a second, so less would only meet it again.
const BUSY_START: Duration = Duration::from_secs(1);
/// Longest pause of a busy server that did not say how long.
const BUSY_MAX: Duration = Duration::from_secs(16);
/// Shortest pause, even when the server says `Retry-After: 0`.
const BUSY_MIN: Duration = Duration::from_millis(100);

#[derive(Default)]
pub struct Health {
    /// When the current run of failures began; `None` while the server works.
    down_since: Cell<Option<Instant>>,
    paused_until: Cell<Option<Instant>>,
    backoff: Cell<Option<Duration>>,
    /// Set when nothing answered: the server must answer a probe before it gets work.
    needs_probe: Cell<bool>,
    /// One slot of a server probes; the others wait for its answer.
    probing: Cell<bool>,
    /// Set once `interrupt` was sent: one per server is enough.
    pub interrupted: Cell<bool>,
    /// The current pause is one the server asked for (rate limiting).
    rate_limited: Cell<bool>,
    busy_backoff: Cell<Option<Duration>>,
    /// Set once a person was told the server stopped answering, so its return is told too.
    pub announced_down: Cell<bool>,
}

impl Health {
    /// The server failed (unreachable when `probe` is set, else too slow or busy).
    pub fn failed(&self, probe: bool) {
        let now = Instant::now();
        let backoff = self.backoff.get().unwrap_or(BACKOFF_START);
        self.backoff.set(Some((backoff * 2).min(BACKOFF_MAX)));
        self.paused_until.set(Some(now + backoff));
        if self.down_since.get().is_none() {
            self.down_since.set(Some(now));
        }
        self.needs_probe.set(self.needs_probe.get() || probe);
        self.rate_limited.set(false);
    }

    /// The server said it is busy: pause it until `asked` (its `Retry-After`), or
    /// with a backoff of its own. Answers of several slots at once pause it once.
    pub fn busy(&self, asked: Option<Duration>) {
        let now = Instant::now();
        let pause = match asked {
            Some(asked) => asked.max(BUSY_MIN),
            None if self.pause_left().is_some() => return,
            None => {
                let backoff = self.busy_backoff.get().unwrap_or(BUSY_START);
                self.busy_backoff.set(Some((backoff * 2).min(BUSY_MAX)));
                backoff
            }
        };
        let until = self
            .paused_until
            .get()
            .map_or(now + pause, |u| u.max(now + pause));
        self.paused_until.set(Some(until));
        if self.down_since.get().is_none() {
            self.down_since.set(Some(now));
        }
        self.rate_limited.set(true);
    }

    /// Time left in a pause the server asked for, while it lasts.
    pub fn rate_limit_left(&self) -> Option<Duration> {
        if self.rate_limited.get() {
            self.pause_left()
        } else {
            None
        }
    }

    /// The server made an image: it is fully back.
    pub fn worked(&self) {
        self.down_since.set(None);
        self.paused_until.set(None);
        self.backoff.set(None);
        self.needs_probe.set(false);
        self.rate_limited.set(false);
        self.busy_backoff.set(None);
    }

    /// A probe got an answer: the server may take work again (the failure streak
    /// ends only when it makes an image).
    pub fn answered(&self) {
        self.needs_probe.set(false);
        self.paused_until.set(None);
    }

    /// Time left in the current pause.
    pub fn pause_left(&self) -> Option<Duration> {
        let until = self.paused_until.get()?;
        let now = Instant::now();
        (now < until).then(|| until - now)
    }

    pub fn needs_probe(&self) -> bool {
        self.needs_probe.get()
    }

    /// Claims the probe; false when another slot of this server is already probing.
    pub fn start_probe(&self) -> bool {
        !self.probing.replace(true)
    }

    pub fn end_probe(&self) {
        self.probing.set(false);
    }

    /// Failing for longer than the batch is willing to wait.
    pub fn given_up(&self, retry_for: Duration) -> bool {
        self.down_since
            .get()
            .is_some_and(|since| since.elapsed() > retry_for)
    }

    /// Ready for work now.
    pub fn ready(&self, retry_for: Duration) -> bool {
        !self.given_up(retry_for) && self.pause_left().is_none() && !self.needs_probe.get()
    }
}
