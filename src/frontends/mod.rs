//! Front-ends: they know the session and the display trait, nothing of the domain's insides.

pub mod batch;
pub mod batch_display;
pub mod cache;
pub mod characters;
pub mod error_text;
pub mod kernel;
pub mod pick;
pub mod repl;
pub mod signals;
