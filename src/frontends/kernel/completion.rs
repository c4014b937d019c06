//! Tab completion: primitives, Rhai's functions and keywords, the session's variables and
//! functions, and after `obj.` the members of obj's type.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::symbols::{byte_offset, code_points, receiver_type, word_before};
use crate::runtime::{docs, Session};

const KEYWORDS: &[&str] = &[
    "let", "const", "fn", "if", "else", "switch", "while", "loop", "do", "until", "for", "in",
    "break", "continue", "return", "throw", "try", "catch", "import", "export", "as", "global",
    "private", "this", "true", "false",
];

/// Names of every native function the engine knows (`print`, `parse_int` …), computed once.
pub fn builtin_names(session: &Session) -> Vec<String> {
    let names: BTreeSet<String> = session
        .engine()
        .gen_fn_signatures(true)
        .iter()
        .filter_map(|sig| sig.split('(').next())
        .filter(|name| name.starts_with(|c: char| c.is_alphabetic() || c == '_'))
        .filter(|name| !name.contains(['$', ':']))
        .map(str::to_string)
        .collect();
    names.into_iter().collect()
}

/// The `complete_reply` content for `code` with the cursor at `cursor` (code points).
pub fn complete(session: &Session, builtins: &[String], code: &str, cursor: usize) -> Value {
    let pos = byte_offset(code, cursor);
    let word = word_before(code, pos);
    let prefix = word.text.as_str();
    let candidates: BTreeSet<String> = match word.dot {
        Some(dot) => members(session, code, dot),
        None => globals(session, builtins, &code[..word.start]),
    }
    .into_iter()
    .filter(|name| name.starts_with(prefix))
    .collect();
    json!({
        "status": "ok",
        "matches": candidates.into_iter().collect::<Vec<_>>(),
        "cursor_start": code_points(code, word.start),
        "cursor_end": cursor,
        "metadata": {},
    })
}

fn members(session: &Session, code: &str, dot: usize) -> BTreeSet<String> {
    let names = match receiver_type(session, code, dot) {
        Some(ty) => docs::members_of(&ty),
        // Unknown receiver: offer every documented member rather than nothing.
        None => docs::DOCS
            .iter()
            .filter_map(|d| d.name.split_once('.').map(|(_, m)| m))
            .collect(),
    };
    names.into_iter().map(str::to_string).collect()
}

fn globals(session: &Session, builtins: &[String], code_before: &str) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = docs::primitives().map(|d| d.name.to_string()).collect();
    names.extend(builtins.iter().cloned());
    names.extend(KEYWORDS.iter().map(|k| k.to_string()));
    names.extend(
        session
            .scope()
            .iter_raw()
            .map(|(name, ..)| name.to_string()),
    );
    names.extend(session.function_names());
    // Variables declared earlier in the same cell, not yet run.
    for rest in code_before.split("let ").skip(1) {
        let name: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            names.insert(name);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::display::Recorder;
    use crate::runtime::Workspace;
    use std::sync::Arc;

    fn matches(session: &Session, code: &str) -> Vec<String> {
        let builtins = builtin_names(session);
        let reply = complete(session, &builtins, code, code.chars().count());
        serde_json::from_value(reply["matches"].clone()).unwrap()
    }

    #[test]
    fn completes_globals_members_and_variables() {
        let mut s = Session::new(
            Arc::new(Recorder::default()),
            Workspace::new("/nonexistent"),
        );
        assert_eq!(matches(&s, "sto"), ["story", "story_file"]);
        assert!(matches(&s, "pri").contains(&"print".to_string()));
        let _ = s
            .run_input("let tale = story(\"T\", \"One.\");", 1)
            .expect("runs");
        assert_eq!(matches(&s, "tal"), ["tale"]);
        assert_eq!(matches(&s, "tale.sp"), ["split"]);
        assert_eq!(matches(&s, "tale.scene(0).pr"), ["prompt"]);
        assert_eq!(matches(&s, "let abcde = 1; abcd"), ["abcde"]);
    }
}
