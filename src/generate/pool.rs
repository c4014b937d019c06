//! Spreads jobs over every server of the pool, `concurrency` at a time per server.
//!
//! Each server slot is a worker pulling from one shared queue, so no server idles
//! while work is queued and a fast server simply takes more. A server-side failure
//! (unreachable, timeout, 5xx) puts the job back for the others and pauses that
//! server with exponential backoff; after repeated failures the server is dropped.
//! Everything runs as futures on the calling thread (no spawning), so results are
//! delivered in order of completion through plain callbacks.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use futures_util::future::join_all;
use tokio::sync::Notify;
use tokio::time::Instant;

use super::backends::{Client, Job, Output};
use super::error::GenerateError;

/// Tries of one job before its error is final (each may be on another server).
const MAX_ATTEMPTS: u32 = 3;
/// Consecutive failures after which a server is dropped for the rest of the batch.
const MAX_SERVER_FAILURES: u32 = 3;
const BACKOFF_START: Duration = Duration::from_millis(250);
/// How often idle or waiting workers look at the cancel flag.
const CANCEL_POLL: Duration = Duration::from_millis(25);

pub struct Task {
    pub index: usize,
    pub job: Job,
    attempts: u32,
}

impl Task {
    pub fn new(index: usize, job: Job) -> Self {
        Task {
            index,
            job,
            attempts: 0,
        }
    }
}

/// A server's standing during one batch (a new batch gives every server a fresh chance).
#[derive(Default)]
struct Health {
    failures: Cell<u32>,
    paused_until: Cell<Option<Instant>>,
    /// Set once `interrupt` was sent: one per server is enough.
    interrupted: Cell<bool>,
}

impl Health {
    fn dead(&self) -> bool {
        self.failures.get() >= MAX_SERVER_FAILURES
    }
}

pub struct Pool {
    clients: Vec<Client>,
    slots: usize,
    requests: AtomicU64,
}

/// Per-run state shared by the workers of one `run` call.
struct Run<'a> {
    queue: RefCell<VecDeque<Task>>,
    in_flight: Cell<usize>,
    changed: Notify,
    last_fault: RefCell<Option<String>>,
    health: Vec<Health>,
    cancel: &'a AtomicBool,
    deliver: &'a dyn Fn(usize, Result<Output, GenerateError>),
    step: &'a dyn Fn(u32, u32),
}

impl Pool {
    pub fn new(clients: Vec<Client>, slots: usize) -> Self {
        Pool {
            clients,
            slots,
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

    /// Runs every task, calling `deliver` once per task (success, error or cancellation).
    pub async fn run(
        &self,
        tasks: Vec<Task>,
        cancel: &AtomicBool,
        deliver: &dyn Fn(usize, Result<Output, GenerateError>),
        step: &dyn Fn(u32, u32),
    ) {
        let run = Run {
            queue: RefCell::new(tasks.into()),
            in_flight: Cell::new(0),
            changed: Notify::new(),
            last_fault: RefCell::new(None),
            health: self.clients.iter().map(|_| Health::default()).collect(),
            cancel,
            deliver,
            step,
        };
        let workers = (0..self.clients.len())
            .flat_map(|server| (0..self.slots).map(move |_| server))
            .map(|server| self.worker(server, &run));
        join_all(workers).await;

        // Whatever is still queued was never made: cancelled, or no server was left.
        let left: Vec<Task> = run.queue.borrow_mut().drain(..).collect();
        for task in left {
            let error = if cancel.load(Ordering::Relaxed) {
                GenerateError::Cancelled
            } else {
                let last = run
                    .last_fault
                    .borrow()
                    .clone()
                    .unwrap_or_else(|| "no server is configured".into());
                GenerateError::Other(format!(
                    "not attempted: every server failed; last error: {last}"
                ))
            };
            deliver(task.index, Err(error));
        }
    }

    async fn worker(&self, index: usize, run: &Run<'_>) {
        let (client, server) = (&self.clients[index], &run.health[index]);
        loop {
            if run.cancel.load(Ordering::Relaxed) || server.dead() {
                return;
            }
            if let Some(until) = server.paused_until.get() {
                if Instant::now() < until {
                    tokio::time::sleep(CANCEL_POLL.min(until - Instant::now())).await;
                    continue;
                }
            }
            let Some(mut task) = run.queue.borrow_mut().pop_front() else {
                if run.in_flight.get() == 0 {
                    return;
                }
                // Work may come back from a failing server: wait for a change.
                let _ = tokio::time::timeout(CANCEL_POLL, run.changed.notified()).await;
                continue;
            };
            run.in_flight.set(run.in_flight.get() + 1);
            self.requests.fetch_add(1, Ordering::Relaxed);
            task.attempts += 1;
            let outcome = tokio::select! {
                outcome = client.generate(&task.job, run.step) => outcome,
                _ = wait_for(run.cancel) => Err(GenerateError::Cancelled),
            };
            if matches!(outcome, Err(GenerateError::Cancelled)) && !server.interrupted.replace(true)
            {
                // The server keeps going on a dropped request unless told to stop.
                client.interrupt().await;
            }
            run.in_flight.set(run.in_flight.get() - 1);
            match outcome {
                Err(error) if error.is_server_fault() => {
                    let failures = server.failures.get() + 1;
                    server.failures.set(failures);
                    server.paused_until.set(Some(
                        Instant::now() + BACKOFF_START * 2u32.pow(failures - 1),
                    ));
                    *run.last_fault.borrow_mut() = Some(error.to_string());
                    let others_alive = run.health.iter().any(|h| !h.dead());
                    if task.attempts >= MAX_ATTEMPTS || !others_alive {
                        (run.deliver)(task.index, Err(error));
                    } else {
                        run.queue.borrow_mut().push_front(task);
                    }
                }
                outcome => {
                    if outcome.is_ok() {
                        server.failures.set(0);
                    }
                    (run.deliver)(task.index, outcome);
                }
            }
            run.changed.notify_waiters();
        }
    }
}

async fn wait_for(flag: &AtomicBool) {
    while !flag.load(Ordering::Relaxed) {
        tokio::time::sleep(CANCEL_POLL).await;
    }
}
