//! Is this code complete, still being typed, or wrong? Shared by the REPL and the kernel.

use rhai::{Engine, LexError, ParseErrorType};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Completeness {
    Complete,
    /// More input is needed: an open brace, bracket, string or block comment.
    Incomplete,
    Invalid(String),
}

pub fn check(engine: &Engine, code: &str) -> Completeness {
    if code.trim().is_empty() {
        return Completeness::Complete;
    }
    // Rhai compiles an unclosed block comment without complaint, so look for one first.
    if has_open_block_comment(code) {
        return Completeness::Incomplete;
    }
    match engine.compile(code) {
        Ok(_) => Completeness::Complete,
        Err(err) => match err.err_type() {
            ParseErrorType::UnexpectedEOF => Completeness::Incomplete,
            // `let q = 1 let r = 2`: Rhai notices the missing `;` at the next statement, which
            // is written already, so the line is wrong, not unfinished (else Enter would keep
            // reading, and the lines typed next would join the failing input).
            ParseErrorType::MissingToken(t, _) if t == ";" && code_after(code, err.position()) => {
                Completeness::Invalid(err.err_type().to_string())
            }
            ParseErrorType::MissingToken(..) if at_end(code, err.position()) => {
                Completeness::Incomplete
            }
            ParseErrorType::BadInput(LexError::UnterminatedString) => Completeness::Incomplete,
            other => Completeness::Invalid(other.to_string()),
        },
    }
}

/// A position on or after the last non-blank line means the parser ran out of input.
fn at_end(code: &str, pos: rhai::Position) -> bool {
    let last_line = code.trim_end().lines().count();
    pos.is_none() || pos.line().is_none_or(|l| l >= last_line)
}

/// Whether code follows `pos` (line and column as Rhai counts them).
fn code_after(code: &str, pos: rhai::Position) -> bool {
    let (Some(line), Some(column)) = (pos.line(), pos.position()) else {
        return false;
    };
    let Some(text) = code.lines().nth(line - 1) else {
        return false;
    };
    let rest: String = text.chars().skip(column.saturating_sub(1)).collect();
    let rest = super::errors::without_line_comment(&rest);
    !rest.trim().is_empty() || code.lines().skip(line).any(|l| !l.trim().is_empty())
}

/// The byte offset of a `/*` that is never closed, if any: Rhai would skip the rest silently.
pub fn open_block_comment(code: &str) -> Option<usize> {
    let mut scan = OpenScan::default();
    scan.feed(code);
    scan.comment_start.filter(|_| scan.comment > 0)
}

fn has_open_block_comment(code: &str) -> bool {
    open_block_comment(code).is_some()
}

/// Brackets, strings and block comments still open in the text fed so far. Fed line by line, it
/// tells in one pass that a long block cannot be complete yet, without parsing it per line.
#[derive(Default)]
pub struct OpenScan {
    depth: isize,
    comment: usize,
    /// Offset (in all text fed) of the outermost open block comment.
    comment_start: Option<usize>,
    string: Option<u8>,
    line_comment: bool,
    escaped: bool,
    fed: usize,
}

impl OpenScan {
    pub fn feed(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let (c, next) = (bytes[i], bytes.get(i + 1).copied());
            if self.line_comment {
                self.line_comment = c != b'\n';
            } else if self.comment > 0 {
                match (c, next) {
                    (b'*', Some(b'/')) => (self.comment -= 1, i += 1).1,
                    (b'/', Some(b'*')) => (self.comment += 1, i += 1).1,
                    _ => (),
                }
            } else if let Some(q) = self.string {
                if self.escaped {
                    self.escaped = false;
                } else if c == b'\\' {
                    self.escaped = true;
                } else if c == q {
                    self.string = None;
                }
            } else {
                match (c, next) {
                    (b'"' | b'`' | b'\'', _) => self.string = Some(c),
                    (b'/', Some(b'/')) => self.line_comment = true,
                    (b'/', Some(b'*')) => {
                        self.comment = 1;
                        self.comment_start = Some(self.fed + i);
                        i += 1;
                    }
                    (b'(' | b'[' | b'{', _) => self.depth += 1,
                    (b')' | b']' | b'}', _) => self.depth -= 1,
                    _ => {}
                }
            }
            i += 1;
        }
        self.fed += bytes.len();
    }

    /// True when the text cannot be complete: parsing it would only say "more input needed".
    pub fn is_open(&self) -> bool {
        self.depth > 0 || self.comment > 0 || self.string.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_like_a_notebook_expects() {
        let e = Engine::new();
        assert_eq!(check(&e, "let x = 1;"), Completeness::Complete);
        assert_eq!(check(&e, "fn foo() {"), Completeness::Incomplete);
        assert_eq!(check(&e, "[1, 2,"), Completeness::Incomplete);
        assert_eq!(check(&e, "1 +"), Completeness::Incomplete);
        assert_eq!(check(&e, "let s = `abc"), Completeness::Incomplete);
        assert_eq!(check(&e, "/* open"), Completeness::Incomplete);
        assert_eq!(check(&e, "let a = \"/*\";"), Completeness::Complete);
        assert!(matches!(
            check(&e, "let x = 1; }"),
            Completeness::Invalid(_)
        ));
        assert!(matches!(check(&e, "let = 5"), Completeness::Invalid(_)));
        // Two statements without `;` between them are wrong, not unfinished.
        assert!(matches!(
            check(&e, "let q = 1 let r = 2"),
            Completeness::Invalid(_)
        ));
    }

    #[test]
    fn open_scan_sees_what_is_still_open_across_lines() {
        let mut scan = OpenScan::default();
        for (line, open) in [
            ("fn f(x) {\n", true),
            ("  let s = \"}) /* \";\n", true),
            ("  // } ) ]\n", true),
            ("  /* } */ x\n", true),
            ("}\n", false),
            ("let t = `multi\n", true),
            ("line`;\n", false),
        ] {
            scan.feed(line);
            assert_eq!(scan.is_open(), open, "after {line:?}");
        }
        assert_eq!(
            open_block_comment("let a = 1;\n/* never closed\nlet b = 2;"),
            Some(11)
        );
        assert_eq!(open_block_comment("/* a /* b */ c */ let x = 1;"), None);
    }
}
