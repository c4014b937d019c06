//! The runtime: a Rhai session over the domain, and what front-ends need to show its results.

pub mod api;
pub mod cells;
pub mod check;
pub mod complete;
pub mod completion;
pub mod context;
pub mod cursor;
pub mod display;
pub mod engine;
pub mod errors;
pub mod expression_type;
pub mod generation;
pub mod lvalues;
pub mod manifest;
pub mod memory;
pub mod options;
pub mod picking;
pub mod picks;
pub mod session;
mod sizes;
pub mod spec;
pub mod stdlib;
pub mod suggest;
pub mod workspace;

pub use cells::{parse_cells, Cell, CellKind};
pub use display::{Display, Output};
pub use errors::ScriptError;
pub use session::Session;
pub use workspace::Workspace;
