//! storyreel turns a written story into a short narrated video of Stable Diffusion images whose
//! characters stay consistent from scene to scene.
//!
//! Layers, arrows pointing down only:
//! - [`frontends`]: batch runs, the REPL, the Jupyter kernel;
//! - [`runtime`]: the Rhai [`runtime::Session`], its primitives and the [`runtime::Display`] trait;
//! - the domain: [`story`] (scenes, cast, prompts).
//!
//! Power users can use the domain directly:
//! ```
//! let mut s = storyreel::story::Story::new("Suns", "The first sun was destroyed.\n\nThen came the second.");
//! s.add_character(storyreel::story::Character::new("Tezcatlipoca", "smoking obsidian mirror"));
//! assert_eq!(s.scenes.len(), 1);
//! ```

pub mod file_format;
pub mod fonts;
pub mod frontends;
pub mod generate;
pub mod input_file;
pub mod layout;
pub mod leftovers;
pub mod redact;
pub mod render;
pub mod runtime;
pub mod server_message;
pub mod story;
#[cfg(test)]
mod test_skip;
