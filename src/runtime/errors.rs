//! Script errors for people: file, line and column as an editor shows them, the cell, the source
//! line with a caret, and the chain of function calls that led there.

use std::collections::HashMap;
use std::fmt;

use rhai::{EvalAltResult, ParseError, ParseErrorType, Position};

/// Where a piece of compiled code came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The script file, or a name such as `<repl>`.
    pub file: String,
    pub cell_number: usize,
    pub cell_title: String,
    /// File line of the cell's first line (1-based).
    pub first_line: usize,
    pub code: String,
}

/// A point in a script: origin and 1-based line and column inside the cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub origin: Origin,
    pub line: usize,
    pub column: usize,
}

impl Location {
    pub fn file_line(&self) -> usize {
        self.origin.first_line + self.line.saturating_sub(1)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.origin.file.starts_with('<') {
            return write!(f, "cell {}, line {}", self.origin.cell_number, self.line);
        }
        write!(
            f,
            "{}:{}:{}",
            self.origin.file,
            self.file_line(),
            self.column
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    pub function: String,
    /// The call site.
    pub at: Option<Location>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptError {
    pub message: String,
    pub at: Option<Box<Location>>,
    /// Calls from the cell down to the failing function, outermost first.
    pub chain: Vec<Frame>,
    pub interrupted: bool,
    pub is_syntax: bool,
}

impl ScriptError {
    pub fn from_parse(err: &ParseError, origin: &Origin) -> Self {
        let mut message = err.err_type().to_string();
        let mut at = locate(origin, err.position());
        // Rhai notices a missing `;` at the next token, often on the next line: point at the
        // end of the statement that lacks it instead.
        if matches!(err.err_type(), ParseErrorType::MissingToken(t, _) if t == ";") {
            if let Some(end) = at.as_ref().and_then(statement_end_before) {
                message = format!("{message}: add ';' at the end of line {}", end.file_line());
                at = Some(end);
            }
        }
        // `s.add(character(…)).reference = x`: a call's result cannot be assigned through.
        if matches!(err.err_type(), ParseErrorType::AssignmentToInvalidLHS(_)) {
            let line = at
                .as_ref()
                .and_then(|a| a.origin.code.lines().nth(a.line.saturating_sub(1)))
                .unwrap_or("");
            if let Some(hint) = misspelt_lookup(line) {
                message = format!("{message}: {hint}");
            } else if line.contains(".add(") {
                message = format!("{message}: s.add(…) returns the character, but a call's result cannot be assigned through; keep it in a variable first: let c = s.add(character(…)); c.reference = …");
            } else if line.contains(")") {
                message = format!("{message}: a call's result cannot be assigned through; keep it in a variable first (let x = …; x.name = …)");
            }
        }
        Self {
            message,
            at: at.map(Box::new),
            chain: Vec::new(),
            interrupted: false,
            is_syntax: true,
        }
    }

    /// Walks Rhai's nested function-call errors; `functions` maps script function names to the
    /// cell that defined them, so positions inside a function point into that cell.
    pub fn from_eval(
        err: &EvalAltResult,
        cell: &Origin,
        functions: &HashMap<String, Origin>,
    ) -> Self {
        // `None` once inside a function no cell defined (a stdlib module's).
        let mut origin = Some(cell.clone());
        let mut chain = Vec::new();
        let mut err = err;
        while let EvalAltResult::ErrorInFunctionCall(name, _, inner, pos) = err {
            chain.push(Frame {
                function: name.clone(),
                at: origin.as_ref().and_then(|o| locate(o, *pos)),
            });
            origin = functions.get(name.as_str()).cloned();
            err = inner;
        }
        let out_of_memory = matches!(err, EvalAltResult::ErrorTerminated(token, _)
            if token.read_lock::<rhai::ImmutableString>().is_some_and(|t| t.as_str() == super::memory::OVER_LIMIT));
        let interrupted = matches!(err, EvalAltResult::ErrorTerminated(..)) && !out_of_memory;
        let message = match err {
            _ if out_of_memory => super::memory::over_limit_message(),
            EvalAltResult::ErrorRuntime(value, _) => value.to_string(),
            // What the stopped primitive says of it ("render interrupted; no video was
            // written"), else plainly "interrupted".
            EvalAltResult::ErrorTerminated(token, _) => token
                .read_lock::<rhai::ImmutableString>()
                .map(|t| t.to_string())
                .filter(|t| t.contains("interrupted"))
                .unwrap_or_else(|| "interrupted".to_string()),
            other => {
                let text = other.to_string();
                let suffix = format!(" ({})", other.position());
                text.strip_suffix(&suffix)
                    .map(str::to_string)
                    .unwrap_or(text)
            }
        };
        let at = origin
            .as_ref()
            .and_then(|o| locate(o, err.position()))
            .map(|at| option_named(&message, &at).unwrap_or(at))
            .map(Box::new);
        Self {
            // Primitives quote servers and stories: no secret or escape reaches the terminal.
            message: crate::server_message::clean(&message),
            at,
            chain,
            interrupted,
            is_syntax: false,
        }
    }

    /// The error as printed in a terminal: location, message, source line and caret, call chain.
    pub fn render(&self, color: bool) -> String {
        let (red, bold, blue, reset) = if color {
            ("\x1b[31;1m", "\x1b[1m", "\x1b[34m", "\x1b[0m")
        } else {
            ("", "", "", "")
        };
        let kind = if self.is_syntax {
            "syntax error"
        } else {
            "error"
        };
        let mut out = String::new();
        match &self.at {
            // Typed code has no file: "cell 2, line 1" says where it is.
            Some(at) if at.origin.file.starts_with('<') => {
                out.push_str(&format!(
                    "{red}{kind}{reset} in {}, line {}: {bold}{}{reset}\n",
                    describe_cell(&at.origin),
                    at.line,
                    self.message
                ));
            }
            Some(at) => {
                let cell = describe_cell(&at.origin);
                out.push_str(&format!(
                    "{bold}{at}{reset}: {red}{kind}{reset} in {cell}: {bold}{}{reset}\n",
                    self.message
                ));
            }
            None => out.push_str(&format!(
                "{red}{kind}{reset}: {bold}{}{reset}\n",
                self.message
            )),
        }
        if let Some(at) = &self.at {
            let line_no = at.file_line().to_string();
            let pad = " ".repeat(line_no.len());
            let source = at
                .origin
                .code
                .lines()
                .nth(at.line.saturating_sub(1))
                .unwrap_or("");
            let caret_pad: String = source
                .chars()
                .take(at.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!("{blue}{pad} |{reset}\n"));
            out.push_str(&format!("{blue}{line_no} |{reset} {source}\n"));
            out.push_str(&format!("{blue}{pad} |{reset} {caret_pad}{red}^{reset}\n"));
        }
        for frame in self.chain.iter().rev() {
            match &frame.at {
                Some(at) => out.push_str(&format!("  in {}(), called at {at}\n", frame.function)),
                None => out.push_str(&format!("  in {}()\n", frame.function)),
            }
        }
        out
    }
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.render(false).trim_end())
    }
}

impl std::error::Error for ScriptError {}

fn describe_cell(origin: &Origin) -> String {
    if origin.cell_title.is_empty() {
        format!("cell {}", origin.cell_number)
    } else {
        format!("cell {} \"{}\"", origin.cell_number, origin.cell_title)
    }
}

/// `s.charcter("Ilse").description = …`: a misspelt lookup, which cannot be assigned through
/// only because it is not one of the lookups that can. Names the method and the one meant.
fn misspelt_lookup(line: &str) -> Option<String> {
    let code = without_line_comment(line);
    let before_assignment = &code[..code.find('=')?];
    let call = before_assignment.rfind('(')?;
    let name_start = before_assignment[..call]
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    let name = &before_assignment[name_start..call];
    if name.is_empty() || super::lvalues::LOOKUPS.contains(&name) {
        return None;
    }
    let meant = super::options::closest(name, super::lvalues::LOOKUPS)?;
    Some(format!(
        "there is no method \"{name}\" (did you mean {meant}?)"
    ))
}

/// An error about one option (`option "sed"`) points at that option in the call's map rather
/// than at the function's name, when the option is written there.
fn option_named(message: &str, call: &Location) -> Option<Location> {
    let key = message.split("option \"").nth(1)?.split('"').next()?;
    let lines: Vec<&str> = call.origin.code.lines().collect();
    // The map may run over a few lines after the call.
    for line in call.line..=(call.line + 8).min(lines.len()) {
        let text = without_line_comment(lines.get(line - 1)?);
        let from = if line == call.line {
            text.char_indices()
                .nth(call.column.saturating_sub(1))
                .map_or(text.len(), |(i, _)| i)
        } else {
            0
        };
        let found = [format!("{key}:"), format!("{key} :"), format!("\"{key}\"")]
            .iter()
            .filter_map(|pattern| {
                text[from..]
                    .match_indices(pattern.as_str())
                    .map(|(i, _)| from + i)
                    .find(|&i| !text[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
            })
            .min();
        if let Some(byte) = found {
            return Some(Location {
                origin: call.origin.clone(),
                line,
                column: text[..byte].chars().count() + 1,
            });
        }
        if line > call.line && text.contains(';') {
            break;
        }
    }
    None
}

/// The place just after the last code before `at` (comments and blank lines skipped).
fn statement_end_before(at: &Location) -> Option<Location> {
    let lines: Vec<&str> = at.origin.code.lines().collect();
    let mut line = at.line.min(lines.len());
    let mut upto = at.column.saturating_sub(1);
    while line >= 1 {
        let before: String = lines[line - 1].chars().take(upto).collect();
        let code = without_line_comment(&before).trim_end();
        if !code.is_empty() {
            return Some(Location {
                origin: at.origin.clone(),
                line,
                column: code.chars().count() + 1,
            });
        }
        line -= 1;
        upto = usize::MAX;
    }
    None
}

/// A line without its `// comment` (a `//` inside a string is kept).
pub fn without_line_comment(line: &str) -> &str {
    let b = line.as_bytes();
    let mut quote = None;
    for i in 0..b.len() {
        match (quote, b[i]) {
            (Some(q), c) if c == q && (i == 0 || b[i - 1] != b'\\') => quote = None,
            (None, c @ (b'"' | b'`' | b'\'')) => quote = Some(c),
            (None, b'/') if b.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
    }
    line
}

fn locate(origin: &Origin, pos: Position) -> Option<Location> {
    let line = pos.line()?;
    Some(Location {
        origin: origin.clone(),
        line,
        column: pos.position().unwrap_or(1),
    })
}
