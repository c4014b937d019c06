//! What the names around a cursor mean: the word being typed, and for `obj.`, the type of `obj`,
//! from the session's variables or, failing that, from the code itself (`let s = story(…)`).
//! Shared by completion and inspection.

use crate::runtime::{docs, Session};

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
    let head = code[..dot].trim_end();
    // `s.scene(2).` or `s.scene[2].`: the type is what the call or property returns.
    if let Some(open) = matching_open(head) {
        let callee = word_before(head, open);
        return match callee.dot {
            Some(d) => {
                let owner = receiver_type(session, head, d);
                member_type(owner.as_deref(), &callee.text)
            }
            None => return_type(&callee.text),
        };
    }
    let name = word_before(head, head.len());
    if name.text.is_empty() {
        return None;
    }
    if let Some(d) = name.dot {
        let owner = receiver_type(session, head, d);
        return member_type(owner.as_deref(), &name.text);
    }
    if let Some(value) = session.scope().get(&name.text) {
        return Some(
            session
                .engine()
                .map_type_name(value.type_name())
                .to_string(),
        );
    }
    declared_type(session, code, &name.text)
}

/// `let name = f(…)` earlier in the same code: the type `f` returns.
fn declared_type(session: &Session, code: &str, name: &str) -> Option<String> {
    let pattern = format!("let {name} =");
    let at = code.rfind(&pattern)? + pattern.len();
    let expr = code[at..].split([';', '\n']).next()?.trim();
    let callee = expr.split('(').next()?.trim();
    if callee.contains('.') {
        let (var, member) = callee.rsplit_once('.')?;
        let owner = session
            .scope()
            .get(var)
            .map(|v| session.engine().map_type_name(v.type_name()).to_string());
        return member_type(owner.as_deref(), member);
    }
    return_type(callee)
}

/// Where the bracket group that `text` ends with opens.
fn matching_open(text: &str) -> Option<usize> {
    let close = text.chars().last()?;
    let open = match close {
        ')' => '(',
        ']' => '[',
        _ => return None,
    };
    let mut depth = 0usize;
    for (i, c) in text.char_indices().rev() {
        if c == close {
            depth += 1;
        } else if c == open {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// The type after `->` in a doc signature: `story(title, text) -> Story` gives `Story`.
fn return_type(primitive: &str) -> Option<String> {
    let doc = docs::DOCS.iter().find(|d| d.name == primitive)?;
    parse_return(doc.signature)
}

fn member_type(owner: Option<&str>, member: &str) -> Option<String> {
    let doc = match owner {
        Some(t) => docs::DOCS
            .iter()
            .find(|d| d.name == format!("{t}.{member}"))?,
        None => docs::find(member)?,
    };
    parse_return(doc.signature)
}

fn parse_return(signature: &str) -> Option<String> {
    let ty = signature.rsplit_once("->")?.1.trim();
    Some(ty.trim_matches(['[', ']']).to_string())
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
