//! Errors meant for people: they name the server or option and quote the cause.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// A request or backend option has a value outside what is allowed.
    #[error("{context}option `{option}` = {value} is not allowed: {allowed}")]
    InvalidOption {
        context: String,
        option: &'static str,
        value: String,
        allowed: String,
    },
    #[error("cannot reach the image server at {url}: {cause}")]
    Unreachable { url: String, cause: String },
    #[error("the image server at {url} did not answer within {secs} s")]
    Timeout { url: String, secs: f64 },
    #[error("the image server at {url} answered HTTP {status}: {message}")]
    Server {
        url: String,
        status: u16,
        message: String,
    },
    /// A generation route the server does not have; `hint` says what it seems to be.
    #[error("the image server at {url} has no {route} (HTTP {status}); {hint}")]
    MissingRoute {
        url: String,
        route: String,
        status: u16,
        hint: String,
    },
    /// A name the server does not list; `listing` says what it has.
    #[error("the image server at {url} has no {what} {value:?}; {listing}")]
    NotOnServer {
        url: String,
        what: &'static str,
        value: String,
        listing: String,
    },
    /// The server said it is busy or rate-limiting (429, 503 with `Retry-After`, a full
    /// queue): not the request's fault, and not a try; `retry_after` is when it said to ask again.
    #[error("the image server at {url} is rate-limiting (HTTP {status}: {message})")]
    Busy {
        url: String,
        status: u16,
        message: String,
        retry_after: Option<std::time::Duration>,
    },
    #[error("the image server at {url} sent an unusable answer: {cause}")]
    BadResponse { url: String, cause: String },
    #[error("the image server at {url} failed while making the image: {message}")]
    Failed { url: String, message: String },
    #[error("the ComfyUI server at {url} rejected the workflow: {message}")]
    Rejected { url: String, message: String },
    #[error("the workflow {path} cannot be used: {message}")]
    Workflow { path: String, message: String },
    #[error("the {backend} backend does not support {technique}; {hint}")]
    Unsupported {
        backend: &'static str,
        technique: &'static str,
        hint: &'static str,
    },
    #[error("cancelled before it finished")]
    Cancelled,
    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// A job given up after several tries; `last` is the final try's error.
    #[error("{last} ({tries} tries over {secs:.1} s)")]
    Tries {
        last: Box<GenerateError>,
        tries: u32,
        secs: f64,
    },
    /// A file of the cache that this storyreel cannot read (one written by a newer one).
    #[error(transparent)]
    File(#[from] crate::file_format::FileError),
    #[error("{0}")]
    Other(String),
}

/// Whose fault a failed try was, which decides what the pool does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blame {
    /// Nothing answered: the request never reached the server, so the job is not
    /// to blame; the server is paused and probed until it answers again.
    Unreachable,
    /// The server answered too slowly, or a proxy in front of it could not reach
    /// it: pause it, count a try.
    Busy,
    /// The server said "busy, ask later": pause it as long as it asked (or back
    /// off), and count no try; only `retry_for` bounds the wait.
    RateLimited,
    /// The server answered this request with an error: the job fails there, the
    /// server stays in the pool.
    Request,
    /// Not a server's answer at all (cancelled, bad input, local I/O).
    Local,
}

impl GenerateError {
    /// Whose fault this was; see [`Blame`].
    pub fn blame(&self) -> Blame {
        match self {
            GenerateError::Unreachable { .. } => Blame::Unreachable,
            GenerateError::Timeout { .. } => Blame::Busy,
            GenerateError::Busy { .. } => Blame::RateLimited,
            // 502-504 come from a proxy in front of a server that is down or restarting.
            GenerateError::Server {
                status: 429 | 502 | 503 | 504,
                ..
            } => Blame::Busy,
            GenerateError::Server { .. }
            | GenerateError::MissingRoute { .. }
            | GenerateError::BadResponse { .. }
            | GenerateError::Failed { .. }
            | GenerateError::Rejected { .. } => Blame::Request,
            GenerateError::Tries { last, .. } => last.blame(),
            _ => Blame::Local,
        }
    }

    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        GenerateError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
