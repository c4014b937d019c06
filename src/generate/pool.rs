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

pub struct Server {
    pub client: Client,
    slots: usize,
    failures: Cell<u32>,
    paused_until: Cell<Option<Instant>>,
    running: Cell<usize>,
}

impl Server {
    fn dead(&self) -> bool {
        self.failures.get() >= MAX_SERVER_FAILURES
    }
}

pub struct Pool {
    servers: Vec<Server>,
    requests: AtomicU64,
}

/// Per-run state shared by the workers of one `run` call.
struct Run<'a> {
    queue: RefCell<VecDeque<Task>>,
    in_flight: Cell<usize>,
    changed: Notify,
    last_fault: RefCell<Option<String>>,
    cancel: &'a AtomicBool,
    deliver: &'a dyn Fn(usize, Result<Output, GenerateError>),
    step: &'a dyn Fn(u32, u32),
}

impl Pool {
    pub fn new(clients: Vec<Client>, slots: usize) -> Self {
        let servers = clients
            .into_iter()
            .map(|client| Server {
                client,
                slots,
                failures: Cell::new(0),
                paused_until: Cell::new(None),
                running: Cell::new(0),
            })
            .collect();
        Pool {
            servers,
            requests: AtomicU64::new(0),
        }
    }

    pub fn servers(&self) -> impl Iterator<Item = &Client> {
        self.servers.iter().map(|s| &s.client)
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
        for server in &self.servers {
            // A new batch gives every server a fresh chance.
            server.failures.set(0);
            server.paused_until.set(None);
        }
        let run = Run {
            queue: RefCell::new(tasks.into()),
            in_flight: Cell::new(0),
            changed: Notify::new(),
            last_fault: RefCell::new(None),
            cancel,
            deliver,
            step,
        };
        let workers = self
            .servers
            .iter()
            .flat_map(|server| (0..server.slots).map(move |_| server))
            .map(|server| self.worker(server, &run));
        let watcher = self.interrupt_on_cancel(&run);
        futures_util::future::join(join_all(workers), watcher).await;

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

    async fn worker(&self, server: &Server, run: &Run<'_>) {
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
            server.running.set(server.running.get() + 1);
            self.requests.fetch_add(1, Ordering::Relaxed);
            task.attempts += 1;
            let outcome = tokio::select! {
                outcome = server.client.generate(&task.job, run.step) => outcome,
                _ = wait_for(run.cancel) => Err(GenerateError::Cancelled),
            };
            server.running.set(server.running.get() - 1);
            run.in_flight.set(run.in_flight.get() - 1);
            match outcome {
                Err(error) if error.is_server_fault() => {
                    let failures = server.failures.get() + 1;
                    server.failures.set(failures);
                    server.paused_until.set(Some(
                        Instant::now() + BACKOFF_START * 2u32.pow(failures - 1),
                    ));
                    *run.last_fault.borrow_mut() = Some(error.to_string());
                    let others_alive = self.servers.iter().any(|s| !s.dead());
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

    /// On cancel, asks every server that is running something to stop it.
    async fn interrupt_on_cancel(&self, run: &Run<'_>) {
        loop {
            if run.cancel.load(Ordering::Relaxed) {
                let busy = self.servers.iter().filter(|s| s.running.get() > 0);
                join_all(busy.map(|s| s.client.interrupt())).await;
                return;
            }
            if run.in_flight.get() == 0 && run.queue.borrow().is_empty() {
                return;
            }
            tokio::time::sleep(CANCEL_POLL).await;
        }
    }
}

async fn wait_for(flag: &AtomicBool) {
    while !flag.load(Ordering::Relaxed) {
        tokio::time::sleep(CANCEL_POLL).await;
    }
}
