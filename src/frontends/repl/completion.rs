//! What Tab offers in the REPL: commands after `:`, else the runtime's completer (the same as
//! Jupyter's). Pure functions of the line, so they are tested without a terminal.

use super::commands::COMMANDS;
use crate::runtime::completion::{self, Names};
use crate::runtime::spec;

/// The start of the word being completed and the candidates for it.
pub fn complete(line: &str, pos: usize, names: &Names) -> (usize, Vec<String>) {
    let before = &line[..pos];
    if !before.trim_start().starts_with(':') {
        let found = completion::complete(line, pos, names);
        let words = found.candidates.into_iter().map(|(w, _)| w).collect();
        return (found.start, words);
    }
    let start = word_start(before);
    let word = &before[start..];
    let mut found = command_words(before);
    found.retain(|c| c.starts_with(word));
    found.sort();
    found.dedup();
    (start, found)
}

/// After `name(` of a primitive or member: the rest of its signature, as a hint.
pub fn signature_hint(line: &str, pos: usize) -> Option<String> {
    if pos != line.len() {
        return None;
    }
    let before = line.strip_suffix('(')?;
    let name = &before[word_start(before)..];
    let spec = spec::find(name).filter(|_| !name.is_empty())?;
    let usage = spec.usage();
    let (_, rest) = usage.split_once('(')?;
    Some(rest.to_string())
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn word_start(before: &str) -> usize {
    before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_ident(*c))
        .last()
        .map_or(before.len(), |(i, _)| i)
}

/// `:he` → commands; `:help sp` → doc names.
fn command_words(before: &str) -> Vec<String> {
    let trimmed = before.trim_start();
    match trimmed.split_once(char::is_whitespace) {
        // The word starts after the `:`, so names are offered without it.
        None => COMMANDS
            .iter()
            .map(|(c, _, _)| c[1..].to_string())
            .collect(),
        Some((":help", _)) => spec::all().map(|s| s.short_name().to_string()).collect(),
        Some(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names {
            variables: vec![("s".into(), "Story".into()), ("n".into(), "i64".into())],
            functions: vec!["shout".into()],
            builtins: Vec::new(),
        }
    }

    fn words(line: &str) -> Vec<String> {
        complete(line, line.len(), &names()).1
    }

    #[test]
    fn members_of_a_known_value() {
        assert_eq!(words("s.sce"), ["scene", "scenes"]);
        assert_eq!(complete("x = s.sce", 9, &names()).0, 6);
        assert!(words("s.scene(0).pro").contains(&"prompt".to_string()));
        assert!(words("story(\"a\", t).spl").contains(&"split".to_string()));
        assert!(words("n.sc").is_empty());
    }

    #[test]
    fn names_in_scope_and_primitives() {
        assert_eq!(words("sh"), ["shout", "show"]);
        assert!(words("sto").contains(&"story".to_string()));
        assert!(words("le").contains(&"let".to_string()));
    }

    #[test]
    fn options_inside_a_map_argument() {
        assert_eq!(words("s.split(#{ b"), ["by"]);
        assert!(words("s.split(#{ by: \"words\", max").contains(&"max_words".to_string()));
        assert!(words("s.split(#{ by: ma").iter().all(|w| w != "max_words"));
        assert_eq!(words("sd_generate(s.scene(0), #{ n: 4, se"), ["seed"]);
    }

    #[test]
    fn commands_and_help_topics() {
        assert_eq!(words(":he"), ["help"]);
        assert!(words(":help spl").contains(&"split".to_string()));
    }

    #[test]
    fn signature_hints() {
        assert_eq!(
            signature_hint("story(", 6).as_deref(),
            Some("title, text) -> Story")
        );
        assert!(signature_hint("s.split(", 8).unwrap().starts_with("#{ by"));
        assert_eq!(signature_hint("nothing(", 8), None);
    }
}
