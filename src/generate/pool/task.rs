//! One job in the pool with its history: tries per server, the servers that
//! refused it, and how long it has been at it.

use tokio::time::Instant;

use crate::generate::backends::Job;
use crate::generate::error::GenerateError;

/// Tries of one job on one server before that server is out of its options.
pub const TRIES_PER_SERVER: u32 = 3;

pub struct Task {
    pub index: usize,
    pub job: Job,
    /// Tries that reached each server (unreachable ones do not count).
    tries: Vec<u32>,
    /// Servers that answered this job with an error of the request.
    refused: Vec<bool>,
    /// Where the last try went, so the next one goes elsewhere when it can.
    pub last_server: Option<usize>,
    pub last_error: Option<GenerateError>,
    total_tries: u32,
    first_try: Option<Instant>,
}

impl Task {
    pub fn new(index: usize, job: Job) -> Self {
        Task {
            index,
            job,
            tries: Vec::new(),
            refused: Vec::new(),
            last_server: None,
            last_error: None,
            total_tries: 0,
            first_try: None,
        }
    }

    pub fn started(&mut self, server: usize, servers: usize) {
        self.tries.resize(servers, 0);
        self.refused.resize(servers, false);
        self.first_try.get_or_insert_with(Instant::now);
        self.total_tries += 1;
        self.last_server = Some(server);
    }

    /// A try that reached the server and failed.
    pub fn counted(&mut self, server: usize, error: GenerateError) {
        self.tries[server] += 1;
        self.last_error = Some(error);
    }

    /// A try that never reached the server, or that a busy server put off.
    pub fn not_counted(&mut self, error: GenerateError) {
        self.total_tries -= 1;
        self.last_error = Some(error);
    }

    pub fn refused_by(&mut self, server: usize, error: GenerateError) {
        self.refused[server] = true;
        self.last_error = Some(error);
    }

    /// Whether `server` may still try this job.
    pub fn open_on(&self, server: usize) -> bool {
        !self.refused.get(server).copied().unwrap_or(false)
            && self.tries.get(server).copied().unwrap_or(0) < TRIES_PER_SERVER
    }

    /// The error to report once no server may try it any more.
    pub fn final_error(self, fallback: impl FnOnce() -> GenerateError) -> GenerateError {
        let last = self.last_error.unwrap_or_else(fallback);
        match self.first_try {
            Some(first) if self.total_tries > 1 => GenerateError::Tries {
                last: Box::new(last),
                tries: self.total_tries,
                secs: first.elapsed().as_secs_f64(),
            },
            _ => last,
        }
    }
}
