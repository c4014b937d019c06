//! Spreads jobs over every server of the pool, `concurrency` at a time per server,
//! and never gives up work that a live server could still do.
//!
//! Each server slot is a worker pulling from one shared queue, so no server idles
//! while work is queued and a fast server simply takes more. What happens after a
//! failed try depends on whose fault it was (see [`Blame`]):
//! - the request's (an error answer): that job is done with that server, and
//!   moves to another server if there is one; the server keeps working;
//! - the server's (unreachable, too slow, busy): the server is paused with backoff
//!   (and, when unreachable, probed before it gets work again) and the job moves on.
//!   A job is tried at most [`TRIES_PER_SERVER`] times per server;
//! - nobody's (the server said it is busy or rate-limiting): the server is paused
//!   for as long as it asked (`Retry-After`) or with a backoff, and the try is not
//!   counted: a busy server never costs a job its tries, only `retry_for` bounds
//!   how long the job waits for it.
//!
//! While work remains and a failing server may come back, the batch waits, up to
//! `retry_for` after a server began failing. Everything runs as futures on the
//! calling thread (no spawning), so results arrive through plain callbacks.

mod health;
mod task;

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use futures_util::future::join_all;
use tokio::sync::Notify;

use super::backends::{Client, Output};
use super::error::{Blame, GenerateError};
use health::Health;
pub use task::{Task, TRIES_PER_SERVER};

/// How often idle or waiting workers look at the cancel flag and the queue.
const CANCEL_POLL: Duration = Duration::from_millis(25);

/// Where the pool reports to: each finished job, sampler steps, whether the
/// batch is waiting for a server to come back, and in how many seconds a server
/// that is rate-limiting will be asked again.
pub struct Sink<'a> {
    pub deliver: &'a dyn Fn(usize, Result<Output, GenerateError>),
    pub step: crate::generate::backends::StepSink<'a>,
    pub waiting: &'a dyn Fn(bool),
    pub rate_limited: &'a dyn Fn(Option<u32>),
    /// Something a person should know about a server (it cannot be interrupted,
    /// it stopped answering, it is back).
    pub note: &'a dyn Fn(String),
}

pub struct Pool {
    clients: Vec<Client>,
    slots: usize,
    retry_for: Duration,
    requests: AtomicU64,
}

/// Per-run state shared by the workers of one `run` call.
struct Run<'a> {
    queue: RefCell<VecDeque<Task>>,
    in_flight: Cell<usize>,
    changed: Notify,
    health: Vec<Health>,
    waiting: Cell<bool>,
    /// When the progress was last told the batch is still waiting (its time left grows).
    waited_beat: Cell<Option<tokio::time::Instant>>,
    /// Whole seconds until a rate-limiting server is asked again, as last reported.
    rate_limited: Cell<Option<u32>>,
    /// The latest server failure, for jobs that never reached a server.
    last_fault: RefCell<Option<String>>,
    cancel: &'a AtomicBool,
    sink: &'a Sink<'a>,
}

impl Pool {
    pub fn new(clients: Vec<Client>, slots: usize, retry_for: Duration) -> Self {
        Pool {
            clients,
            slots,
            retry_for,
            requests: AtomicU64::new(0),
        }
    }

    pub fn servers(&self) -> impl Iterator<Item = &Client> {
        self.clients.iter()
    }

    /// Images asked of a backend so far (retries included).
    pub fn requests_made(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Runs every task, delivering each exactly once (success, error or cancellation).
    pub async fn run(&self, tasks: Vec<Task>, cancel: &AtomicBool, sink: &Sink<'_>) {
        let run = Run {
            queue: RefCell::new(tasks.into()),
            in_flight: Cell::new(0),
            changed: Notify::new(),
            health: self.clients.iter().map(|_| Health::default()).collect(),
            waiting: Cell::new(false),
            waited_beat: Cell::new(None),
            rate_limited: Cell::new(None),
            last_fault: RefCell::new(None),
            cancel,
            sink,
        };
        let workers = (0..self.clients.len())
            .flat_map(|server| (0..self.slots).map(move |_| server))
            .map(|server| self.worker(server, &run));
        join_all(workers).await;
        run.set_waiting(false);
        run.set_rate_limited(None);

        // Whatever is still queued was never made: cancelled, or every server gone.
        let left: Vec<Task> = run.queue.borrow_mut().drain(..).collect();
        for task in left {
            let index = task.index;
            let error = if cancel.load(Ordering::Relaxed) {
                GenerateError::Cancelled
            } else {
                self.unfinished(task, &run)
            };
            (sink.deliver)(index, Err(error));
        }
    }

    /// The error of a job no server may try any more.
    fn unfinished(&self, task: Task, run: &Run<'_>) -> GenerateError {
        let retry_for = self.retry_for.as_secs_f64();
        let last = run.last_fault.borrow().clone().unwrap_or_default();
        match task.final_error(|| {
            GenerateError::Other(format!(
                "not attempted: no server answered for {retry_for} s (option `retry_for`); last error: {last}"
            ))
        }) {
            busy @ GenerateError::Busy { .. } => GenerateError::Other(format!(
                "{busy}, and still was after {retry_for} s (option `retry_for`)"
            )),
            other => other,
        }
    }

    async fn worker(&self, server: usize, run: &Run<'_>) {
        let (client, health) = (&self.clients[server], &run.health[server]);
        loop {
            if run.cancel.load(Ordering::Relaxed) {
                return;
            }
            if run.queue.borrow().is_empty() && run.in_flight.get() == 0 {
                return;
            }
            run.set_waiting(!run.queue.borrow().is_empty() && !self.any_ready(run));
            run.report_rate_limit();
            if health.given_up(self.retry_for) {
                // Jobs only this server could still do fail now; the others wait on.
                self.settle(run);
                run.changed.notify_waiters();
                return;
            }
            if let Some(left) = health.pause_left() {
                tokio::time::sleep(CANCEL_POLL.min(left)).await;
                continue;
            }
            if health.needs_probe() {
                if health.start_probe() {
                    let answered = client.probe().await.is_ok();
                    health.end_probe();
                    if answered {
                        health.answered();
                    } else {
                        health.failed(true);
                    }
                } else {
                    tokio::time::sleep(CANCEL_POLL).await;
                }
                continue;
            }
            let Some(task) = self.take(server, run) else {
                self.settle(run);
                // Work may come back from a failing server: wait for a change.
                let _ = tokio::time::timeout(CANCEL_POLL, run.changed.notified()).await;
                continue;
            };
            self.attempt(server, task, run).await;
            run.changed.notify_waiters();
        }
    }

    async fn attempt(&self, server: usize, mut task: Task, run: &Run<'_>) {
        let (client, health) = (&self.clients[server], &run.health[server]);
        run.in_flight.set(run.in_flight.get() + 1);
        self.requests.fetch_add(1, Ordering::Relaxed);
        task.started(server, self.clients.len());
        let outcome = tokio::select! {
            outcome = client.generate(&task.job, run.sink.step) => outcome,
            _ = wait_for(run.cancel) => Err(GenerateError::Cancelled),
        };
        if matches!(outcome, Err(GenerateError::Cancelled)) && !health.interrupted.replace(true) {
            // The server keeps going on a dropped request unless told to stop.
            if let Some(note) = client.interrupt().await {
                (run.sink.note)(note);
            }
        }
        run.in_flight.set(run.in_flight.get() - 1);
        let error = match outcome {
            Ok(output) => {
                if health.announced_down.replace(false) {
                    (run.sink.note)(format!("the server at {} answers again", client.url()));
                }
                health.worked();
                return (run.sink.deliver)(task.index, Ok(output));
            }
            Err(error) => error,
        };
        if error.blame() != Blame::Local {
            *run.last_fault.borrow_mut() = Some(error.to_string());
        }
        match error.blame() {
            Blame::Local => return (run.sink.deliver)(task.index, Err(error)),
            Blame::Unreachable => {
                if !health.announced_down.replace(true) {
                    let others = if self.clients.len() > 1 {
                        "its work goes to the other servers until it answers again".to_string()
                    } else {
                        format!(
                            "the batch waits up to {} s for it (option `retry_for`)",
                            self.retry_for.as_secs_f64()
                        )
                    };
                    (run.sink.note)(format!("{error}; {others}"));
                }
                health.failed(true);
                task.not_counted(error);
            }
            Blame::Busy => {
                health.failed(false);
                task.counted(server, error);
            }
            Blame::RateLimited => {
                let asked = match &error {
                    GenerateError::Busy { retry_after, .. } => *retry_after,
                    _ => None,
                };
                health.busy(asked);
                task.not_counted(error);
                run.report_rate_limit();
            }
            Blame::Request => task.refused_by(server, error),
        }
        if self.doable(&task, run) {
            // At the front: it was first in line, and its images are awaited in order.
            run.queue.borrow_mut().push_front(task);
        } else {
            let index = task.index;
            (run.sink.deliver)(index, Err(self.unfinished(task, run)));
        }
    }

    /// The first queued job this server may try, preferring that a job which just
    /// failed on this server goes to another ready server.
    fn take(&self, server: usize, run: &Run<'_>) -> Option<Task> {
        let mut queue = run.queue.borrow_mut();
        let position = queue.iter().position(|task| {
            task.open_on(server)
                && (task.last_server != Some(server)
                    || !(0..self.clients.len()).any(|other| {
                        other != server
                            && task.open_on(other)
                            && run.health[other].ready(self.retry_for)
                    }))
        })?;
        queue.remove(position)
    }

    /// Whether some server that may still come back may still try this job.
    fn doable(&self, task: &Task, run: &Run<'_>) -> bool {
        (0..self.clients.len())
            .any(|server| task.open_on(server) && !run.health[server].given_up(self.retry_for))
    }

    /// Fails the queued jobs that no server may try any more.
    fn settle(&self, run: &Run<'_>) {
        let (keep, done): (VecDeque<Task>, VecDeque<Task>) = run
            .queue
            .take()
            .into_iter()
            .partition(|task| self.doable(task, run));
        *run.queue.borrow_mut() = keep;
        for task in done {
            let index = task.index;
            (run.sink.deliver)(index, Err(self.unfinished(task, run)));
        }
    }

    fn any_ready(&self, run: &Run<'_>) -> bool {
        run.health.iter().any(|h| h.ready(self.retry_for))
    }
}

impl Run<'_> {
    /// Says whether the batch waits for servers: on each change, and every second
    /// of a wait, so the time left shown keeps moving.
    fn set_waiting(&self, waiting: bool) {
        let now = tokio::time::Instant::now();
        let beat = waiting
            && self
                .waited_beat
                .get()
                .is_some_and(|at| now.duration_since(at) >= Duration::from_secs(1));
        if self.waiting.replace(waiting) != waiting || beat {
            self.waited_beat.set(waiting.then_some(now));
            (self.sink.waiting)(waiting);
        }
    }

    /// Reports the soonest a rate-limiting server is asked again, as it counts down.
    fn report_rate_limit(&self) {
        let soonest = self
            .health
            .iter()
            .filter_map(Health::rate_limit_left)
            .min()
            .map(|left| left.as_secs_f64().ceil() as u32);
        self.set_rate_limited(soonest);
    }

    fn set_rate_limited(&self, secs: Option<u32>) {
        if self.rate_limited.replace(secs) != secs {
            (self.sink.rate_limited)(secs);
        }
    }
}

async fn wait_for(flag: &AtomicBool) {
    while !flag.load(Ordering::Relaxed) {
        tokio::time::sleep(CANCEL_POLL).await;
    }
}
