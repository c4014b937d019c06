//! Help on a name: Shift-Tab in notebooks (`inspect_request`) and `name?` in a cell (a pager
//! payload, as in IPython).

use serde_json::{json, Value};

use super::display::bundle;
use super::symbols::byte_offset;
use crate::runtime::cursor::{doc_of, enclosing_call, receiver_type, word_around, Word};
use crate::runtime::Session;

/// The `inspect_reply` content for `cursor` (code points): inside a call's brackets, the call
/// (as IPython does: `story(|` shows story's signature); else the name under the cursor.
pub fn inspect(session: &Session, builtins: &[String], code: &str, cursor: usize) -> Value {
    let pos = byte_offset(code, cursor);
    let about = |word: Word| {
        let owner = word.dot.and_then(|dot| owner_type(session, code, dot));
        describe(session, builtins, owner.as_deref(), &word.text)
    };
    let text = enclosing_call(code, pos)
        .and_then(about)
        .or_else(|| about(word_around(code, pos)));
    match text {
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
            (owner_type(session, &probe, head.len()), member)
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
    if let Some(spec) = doc_of(owner, name) {
        return Some(spec.help());
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
    // An option's name (`fps?`): what it means in each primitive that takes it.
    crate::runtime::spec::option_help(name)
}

/// The type of the expression before `dot`, from the session's variables or the code.
fn owner_type(session: &Session, code: &str, dot: usize) -> Option<String> {
    receiver_type(code, dot, &|name| {
        let value = session.scope().get(name)?;
        Some(
            session
                .engine()
                .map_type_name(value.type_name())
                .to_string(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::display::Recorder;
    use crate::runtime::Workspace;
    use std::sync::Arc;

    fn text_at(s: &Session, code: &str, pos: usize) -> String {
        let reply = inspect(s, &[], code, code[..pos].chars().count());
        reply["data"]["text/plain"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

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
        let signature = |code: &str| {
            let pos = code.find('|').unwrap();
            let text = text_at(&s, &code.replace('|', ""), pos);
            text.lines().next().unwrap_or_default().to_string()
        };
        assert_eq!(signature("story(|"), "story(title, text) -> Story");
        assert!(signature("sd_generate(tale, |").starts_with("sd_generate(prompt"));
        assert!(signature("render(tale, #{ |").starts_with("render(story, #{"));
        assert!(signature("tale.split(#{ by: \"x|\" })").starts_with("s.split(#{ by"));
        assert!(signature("tale.split(#{ b|y: \"x\" })").starts_with("s.split(#{ by"));
        assert_eq!(signature("tale.scene(0).pick(|"), "sc.pick(k)");
        // Outside any call, the name under the cursor.
        assert_eq!(signature("story(\"a\", \"b\"); n|"), "n: i64");
        assert_eq!(help_request("tale.split?"), Some("tale.split"));
        assert_eq!(help_request("a ? b : c"), None);
        assert!(help(&s, &[], "tale.split").contains("paragraphs"));
        // An option's name: its meaning and default in each primitive that takes it.
        assert!(help(&s, &[], "transition_secs").contains("default 0.5"));
    }
}
