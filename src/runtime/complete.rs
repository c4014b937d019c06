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

fn has_open_block_comment(code: &str) -> bool {
    let bytes = code.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    let mut string: Option<u8> = None;
    while i < bytes.len() {
        let (c, next) = (bytes[i], bytes.get(i + 1).copied());
        if depth > 0 {
            match (c, next) {
                (b'*', Some(b'/')) => (depth -= 1, i += 1).1,
                (b'/', Some(b'*')) => (depth += 1, i += 1).1,
                _ => (),
            }
        } else if let Some(q) = string {
            match c {
                b'\\' => i += 1,
                _ if c == q => string = None,
                _ => {}
            }
        } else {
            match (c, next) {
                (b'"' | b'`' | b'\'', _) => string = Some(c),
                (b'/', Some(b'/')) => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                (b'/', Some(b'*')) => {
                    depth += 1;
                    i += 1;
                }
                _ => {}
            }
        }
        i += 1;
    }
    depth > 0
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
    }
}
