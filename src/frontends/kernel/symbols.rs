//! What the names around a cursor mean: the word being typed, and for `obj.`, the type of `obj`,
//! from the session's variables or, failing that, from the code itself (`let s = story(…)`).
//! Shared by completion and inspection.

use crate::runtime::expression_type::expression_type;
use crate::runtime::Session;

/// Jupyter counts cursor positions in Unicode code points; Rust strings index bytes.
pub fn byte_offset(code: &str, code_points: usize) -> usize {
    code.char_indices()
        .nth(code_points)
        .map_or(code.len(), |(i, _)| i)
}

pub fn code_points(code: &str, byte: usize) -> usize {
    code[..byte].chars().count()
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A word in the code, in byte offsets, and what it is a member of.
#[derive(Debug, PartialEq)]
pub struct Word {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Byte offset of the `.` before the word, for `obj.word`.
    pub dot: Option<usize>,
}

/// The identifier characters just before `pos` (what is being typed).
pub fn word_before(code: &str, pos: usize) -> Word {
    let start = code[..pos]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_ident(*c))
        .last()
        .map_or(pos, |(i, _)| i);
    word(code, start, pos)
}

/// The whole identifier under or just before `pos` (what is being asked about).
pub fn word_around(code: &str, pos: usize) -> Word {
    let before = word_before(code, pos);
    let end = pos
        + code[pos..]
            .char_indices()
            .find(|(_, c)| !is_ident(*c))
            .map_or(code.len() - pos, |(i, _)| i);
    word(code, before.start, end)
}

fn word(code: &str, start: usize, end: usize) -> Word {
    let dot = code[..start]
        .trim_end()
        .strip_suffix('.')
        .map(|rest| rest.len());
    Word {
        start,
        end,
        text: code[start..end].to_string(),
        dot,
    }
}

/// The script type name (`Story`, `Scene` …) of the expression that ends just before `dot`.
pub fn receiver_type(session: &Session, code: &str, dot: usize) -> Option<String> {
    // The chain is read backwards from the dot, so whatever precedes it does not matter.
    expression_type(&code[..dot], &|name| match session.scope().get(name) {
        Some(value) => Some(
            session
                .engine()
                .map_type_name(value.type_name())
                .to_string(),
        ),
        None => declared_type(code, name),
    })
}

/// `let name = EXPR` earlier in the same code: the type of EXPR.
fn declared_type(code: &str, name: &str) -> Option<String> {
    let pattern = format!("let {name} =");
    let at = code.rfind(&pattern)? + pattern.len();
    let expr = code[at..].split([';', '\n']).next()?.trim();
    expression_type(expr, &|_| None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::display::Recorder;
    use crate::runtime::Workspace;
    use std::sync::Arc;

    fn session() -> Session {
        Session::new(
            Arc::new(Recorder::default()),
            Workspace::new("/nonexistent"),
        )
    }

    #[test]
    fn words_and_offsets() {
        let code = "let é = sto";
        let pos = byte_offset(code, code.chars().count());
        assert_eq!(pos, code.len());
        let w = word_before(code, pos);
        assert_eq!((w.text.as_str(), w.dot), ("sto", None));
        assert_eq!(code_points(code, w.start), 8);
        let w = word_around("s.split(1)", 3);
        assert_eq!((w.text.as_str(), w.dot), ("split", Some(1)));
    }

    #[test]
    fn infers_receivers() {
        let mut s = session();
        let _ = s
            .run_input("let s = story(\"T\", \"One.\\n\\nTwo.\");", 1)
            .unwrap();
        let ty = |code: &str| receiver_type(&s, code, code.rfind('.').unwrap());
        assert_eq!(ty("s.").as_deref(), Some("Story"));
        assert_eq!(ty("s.scene(1).").as_deref(), Some("Scene"));
        assert_eq!(
            ty("let t = story(\"a\", \"b\"); t.").as_deref(),
            Some("Story")
        );
        assert_eq!(ty("unknown.").as_deref(), None);
    }
}
