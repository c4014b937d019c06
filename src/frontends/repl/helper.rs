//! The line editor's helper: Enter continues while the code is incomplete, Tab completes, and
//! a dim hint shows a primitive's signature after its `(`.

use std::borrow::Cow;
use std::sync::{Arc, Mutex, OnceLock};

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use super::completion;
use crate::runtime::complete::{check, Completeness};
use crate::runtime::completion::{builtin_names, Names};
use crate::runtime::Session;

pub struct ReplHelper {
    session: Arc<Mutex<Session>>,
    color: bool,
    /// The engine's native functions, listed on the first Tab.
    builtins: OnceLock<Vec<String>>,
}

impl ReplHelper {
    pub fn new(session: Arc<Mutex<Session>>, color: bool) -> Self {
        Self {
            session,
            color,
            builtins: OnceLock::new(),
        }
    }

    /// What the session has defined right now. `try_lock`: the editor only asks between cells,
    /// and must never wait on one.
    fn names(&self) -> Names {
        let Ok(session) = self.session.try_lock() else {
            return Names::default();
        };
        let builtins = self
            .builtins
            .get_or_init(|| builtin_names(session.engine()));
        Names::of(&session, builtins)
    }
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, words) = completion::complete(line, pos, &self.names());
        let pairs = words
            .into_iter()
            .map(|w| Pair {
                display: w.clone(),
                replacement: w,
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> Option<String> {
        completion::signature_hint(line, pos)
    }
}

impl Highlighter for ReplHelper {
    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }
}

impl Validator for ReplHelper {
    /// Incomplete code continues on a new line; anything else is submitted, so a syntax error
    /// is reported by the session with its caret rather than blocking the prompt.
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        let input = ctx.input();
        if super::is_repl_input(input) {
            return Ok(ValidationResult::Valid(None));
        }
        let Ok(session) = self.session.try_lock() else {
            return Ok(ValidationResult::Valid(None));
        };
        Ok(match check(session.engine(), input) {
            Completeness::Incomplete => ValidationResult::Incomplete,
            _ => ValidationResult::Valid(None),
        })
    }
}

impl Helper for ReplHelper {}
