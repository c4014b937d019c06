//! Help on a name: Shift-Tab in notebooks (`inspect_request`) and `name?` in a cell (a pager
//! payload, as in IPython).

use serde_json::{json, Value};

use super::display::bundle;
use super::symbols::{byte_offset, receiver_type, word_around};
use crate::runtime::{docs, Session};

/// The `inspect_reply` content for the name at `cursor` (code points).
pub fn inspect(session: &Session, builtins: &[String], code: &str, cursor: usize) -> Value {
    let word = word_around(code, byte_offset(code, cursor));
    let owner = word.dot.and_then(|dot| receiver_type(session, code, dot));
    match describe(session, builtins, owner.as_deref(), &word.text) {
        Some(text) => json!({
            "status": "ok", "found": true, "data": { "text/plain": text }, "metadata": {},
        }),
        None => json!({ "status": "ok", "found": false, "data": {}, "metadata": {} }),
    }
}

/// `story?` or `s.split?`: the name asked about, if the cell is just that.
pub fn help_request(code: &str) -> Option<&str> {
    let name = code.trim().strip_suffix('?')?.trim_end_matches('?');
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.');
    valid.then_some(name)
}

/// Help text for a dotted name, as a pager payload would show it.
pub fn help(session: &Session, builtins: &[String], name: &str) -> String {
    let (owner, member) = match name.rsplit_once('.') {
        Some((head, member)) => {
            let probe = format!("{head}.");
            (receiver_type(session, &probe, head.len()), member)
        }
        None => (None, name),
    };
    describe(session, builtins, owner.as_deref(), member)
        .unwrap_or_else(|| format!("No help for \"{name}\"."))
}

fn describe(
    session: &Session,
    builtins: &[String],
    owner: Option<&str>,
    name: &str,
) -> Option<String> {
    if name.is_empty() {
        return None;
    }
    let doc = match owner {
        Some(t) => docs::DOCS.iter().find(|d| d.name == format!("{t}.{name}")),
        None => docs::DOCS.iter().find(|d| d.name == name),
    }
    .or_else(|| docs::find(name));
    if let Some(doc) = doc {
        let mut text = format!("{}\n\n{}", doc.signature, doc.summary);
        if !doc.options.is_empty() {
            text.push_str(&format!("\n\nOptions: {}", doc.options.join(", ")));
        }
        return Some(text);
    }
    if let Some(value) = session.scope().get(name) {
        let ty = session.engine().map_type_name(value.type_name());
        // What the cell would show for it: a story's scene table rather than a type name.
        let shown = session
            .output_of(value)
            .and_then(|o| bundle(&o).0["text/plain"].as_str().map(str::to_string))
            .unwrap_or_else(|| value.to_string());
        return Some(format!("{name}: {ty}\n\n{shown}"));
    }
    if session.function_names().iter().any(|f| f == name) || builtins.iter().any(|b| b == name) {
        let signatures: Vec<String> = session
            .engine()
            .gen_fn_signatures(true)
            .into_iter()
            .filter(|s| s.split('(').next() == Some(name))
            .collect();
        let text = if signatures.is_empty() {
            format!("fn {name}(…), defined in this session")
        } else {
            signatures.join("\n")
        };
        return Some(text);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::display::Recorder;
    use crate::runtime::Workspace;
    use std::sync::Arc;

    #[test]
    fn documents_primitives_members_and_values() {
        let mut s = Session::new(
            Arc::new(Recorder::default()),
            Workspace::new("/nonexistent"),
        );
        let _ = s
            .run_input("let tale = story(\"T\", \"One.\"); let n = 3;", 1)
            .unwrap();
        let text =
            |code: &str| inspect(&s, &[], code, code.chars().count())["data"]["text/plain"].clone();
        assert!(text("story")
            .as_str()
            .unwrap()
            .starts_with("story(title, text)"));
        assert!(text("tale.split").as_str().unwrap().contains("max_words"));
        assert_eq!(text("n"), "n: i64\n\n3");
        assert!(text("tale")
            .as_str()
            .unwrap()
            .starts_with("tale: Story\n\nT — 1 scene,"));
        assert_eq!(inspect(&s, &[], "zzz", 3)["found"], false);
        assert_eq!(help_request("tale.split?"), Some("tale.split"));
        assert_eq!(help_request("a ? b : c"), None);
        assert!(help(&s, &[], "tale.split").contains("paragraphs"));
    }
}
