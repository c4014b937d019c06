//! Tab completion in Jupyter: the shared completer's answer as a `complete_reply`.

use serde_json::{json, Value};

use super::symbols::{byte_offset, code_points};
use crate::runtime::completion::{self, Names};
use crate::runtime::Session;

/// The `complete_reply` content for `code` with the cursor at `cursor` (code points).
pub fn complete(session: &Session, builtins: &[String], code: &str, cursor: usize) -> Value {
    let pos = byte_offset(code, cursor);
    let found = completion::complete(code, pos, &Names::of(session, builtins));
    let start = code_points(code, found.start);
    let (matches, kinds): (Vec<&String>, Vec<Value>) = found
        .candidates
        .iter()
        .map(|(name, kind)| {
            let typed = json!({
                "start": start, "end": cursor, "text": name, "type": kind.jupyter_type(),
            });
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::completion::builtin_names;
    use crate::runtime::display::Recorder;
    use crate::runtime::Workspace;
    use std::sync::Arc;

    fn matches(session: &Session, code: &str) -> Vec<String> {
        let builtins = builtin_names(session.engine());
        let reply = complete(session, &builtins, code, code.chars().count());
        serde_json::from_value(reply["matches"].clone()).unwrap()
    }

    #[test]
    fn completes_globals_members_options_and_variables() {
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
        assert_eq!(matches(&s, "tale.split(#{ max_"), ["max_words"]);
        assert_eq!(matches(&s, "sd_generate(tale, #{ n"), ["n", "negative"]);
        let reply = complete(&s, &[], "tale.sc", 7);
        let kinds = &reply["metadata"]["_jupyter_types_experimental"];
        assert_eq!(
            kinds[0],
            json!({"start": 5, "end": 7, "text": "scene", "type": "function"})
        );
        assert_eq!(kinds[1]["type"], "property");
    }
}
