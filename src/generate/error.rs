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
    #[error("{0}")]
    Other(String),
}

impl GenerateError {
    /// Whether the failure belongs to the server rather than the request, so the
    /// same request may succeed on another server or after a pause.
    pub fn is_server_fault(&self) -> bool {
        match self {
            GenerateError::Unreachable { .. } | GenerateError::Timeout { .. } => true,
            GenerateError::Server { status, .. } => *status >= 500 || *status == 429,
            _ => false,
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
