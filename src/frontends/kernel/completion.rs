//! Tab completion: primitives, Rhai's functions and keywords, the session's variables and
//! functions, and after `obj.` the members of obj's type.

use std::collections::{BTreeMap, BTreeSet};

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

/// Candidates and what each is (JupyterLab shows the kind beside the match).
type Candidates = BTreeMap<String, &'static str>;

/// The `complete_reply` content for `code` with the cursor at `cursor` (code points).
pub fn complete(session: &Session, builtins: &[String], code: &str, cursor: usize) -> Value {
    let pos = byte_offset(code, cursor);
    let word = word_before(code, pos);
    let candidates: Candidates = match word.dot {
        Some(dot) => members(session, code, dot),
        None => globals(session, builtins, &code[..word.start]),
    };
    let start = code_points(code, word.start);
    let (matches, kinds): (Vec<&String>, Vec<Value>) = candidates
        .iter()
        .filter(|(name, _)| name.starts_with(word.text.as_str()))
        .map(|(name, kind)| {
            let typed = json!({ "start": start, "end": cursor, "text": name, "type": kind });
            (name, typed)
        })
        .unzip();
    json!({
        "status": "ok",
        "matches": matches,
        "cursor_start": start,
        "cursor_end": cursor,
        "metadata": { "_jupyter_types_experimental": kinds },
    })
}

fn members(session: &Session, code: &str, dot: usize) -> Candidates {
    let owner = receiver_type(session, code, dot);
    docs::DOCS
        .iter()
        .filter_map(|d| d.name.split_once('.').map(|(ty, member)| (ty, member, d)))
        // Unknown receiver: offer every documented member rather than nothing.
        .filter(|(ty, ..)| owner.as_deref().is_none_or(|o| o == *ty))
        .map(|(_, member, d)| {
            let is_method = d.signature.contains(&format!("{member}("));
            (
                member.to_string(),
                if is_method { "function" } else { "property" },
            )
        })
        .collect()
}

fn globals(session: &Session, builtins: &[String], code_before: &str) -> Candidates {
    let mut names = Candidates::new();
    names.extend(KEYWORDS.iter().map(|k| (k.to_string(), "keyword")));
    names.extend(builtins.iter().map(|b| (b.clone(), "function")));
    names.extend(docs::primitives().map(|d| (d.name.to_string(), "function")));
    names.extend(
        session
            .function_names()
            .into_iter()
            .map(|f| (f, "function")),
    );
    let variables = session
        .scope()
        .iter_raw()
        .map(|(name, ..)| name.to_string());
    names.extend(variables.map(|v| (v, "instance")));
    // Variables declared earlier in the same cell, not yet run.
    for rest in code_before.split("let ").skip(1) {
        let name: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            names.insert(name, "instance");
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
        let reply = complete(&s, &[], "tale.sc", 7);
        let kinds = &reply["metadata"]["_jupyter_types_experimental"];
        assert_eq!(
            kinds[0],
            json!({"start": 5, "end": 7, "text": "scene", "type": "function"})
        );
        assert_eq!(kinds[1]["type"], "property");
    }
}
