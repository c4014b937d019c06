//! What Tab offers: commands after `:`, members after `.` on a value whose type is known,
//! option names inside the `#{ }` of a primitive's call, else primitives, variables, functions
//! and keywords. Pure functions of the line, so they are tested without a terminal.

use super::commands::COMMANDS;
use crate::runtime::docs::{self, Doc};
use crate::runtime::expression_type::expression_type;

/// What the session has defined, as completion needs it.
#[derive(Default)]
pub struct Names {
    /// Variable name and script type ("Story", "i64", …).
    pub variables: Vec<(String, String)>,
    pub functions: Vec<String>,
}

const KEYWORDS: &[&str] = &[
    "let", "const", "fn", "if", "else", "for", "in", "while", "loop", "do", "until", "break",
    "continue", "return", "throw", "try", "catch", "switch", "true", "false", "print", "debug",
    "type_of",
];

/// The start of the word being completed and the candidates for it.
pub fn complete(line: &str, pos: usize, names: &Names) -> (usize, Vec<String>) {
    let before = &line[..pos];
    let start = word_start(before);
    let word = &before[start..];
    let mut found: Vec<String> = if before.trim_start().starts_with(':') {
        command_words(before)
    } else if before[..start].ends_with('.') {
        receiver_type(&before[..start - 1], names)
            .map(|t| docs::members_of(&t).into_iter().map(String::from).collect())
            .unwrap_or_default()
    } else if let Some(doc) = option_call(&before[..start]) {
        doc.options.iter().map(|o| o.to_string()).collect()
    } else {
        let primitives = docs::primitives().map(|d| d.name.to_string());
        let vars = names.variables.iter().map(|(n, _)| n.clone());
        let keywords = KEYWORDS.iter().map(|k| k.to_string());
        primitives
            .chain(vars)
            .chain(names.functions.iter().cloned())
            .chain(keywords)
            .collect()
    };
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
    let doc = docs::find(name).filter(|_| !name.is_empty())?;
    let (_, rest) = doc.signature.split_once('(')?;
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
        Some((":help", _)) => docs::DOCS
            .iter()
            .map(|d| d.name.rsplit('.').next().unwrap_or(d.name).to_string())
            .collect(),
        Some(_) => Vec::new(),
    }
}

/// The script type of the expression before a `.`: a variable, a primitive call, or a chain of
/// members (`s.scene(0)`).
fn receiver_type(expr: &str, names: &Names) -> Option<String> {
    expression_type(expr, &|root| {
        names
            .variables
            .iter()
            .rev()
            .find(|(n, _)| n == root)
            .map(|(_, t)| t.clone())
    })
}

/// When the cursor is at a key position of an open `#{`, the doc of the call it is an argument of.
fn option_call(before: &str) -> Option<&'static Doc> {
    let mut open: Vec<(char, usize)> = Vec::new();
    let mut quote: Option<char> = None;
    for (i, c) in before.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '`' | '\'') => quote = Some(c),
            (None, '(' | '[' | '{') => open.push((c, i)),
            (None, ')' | ']' | '}') => {
                open.pop();
            }
            _ => {}
        }
    }
    let &(brace, at) = open.last()?;
    let key_position = matches!(before.trim_end().chars().last(), Some('{' | ','));
    if brace != '{' || !before[..at].ends_with('#') || !key_position {
        return None;
    }
    let &(paren, call_at) = open.get(open.len().checked_sub(2)?)?;
    if paren != '(' {
        return None;
    }
    let callee = before[..call_at].trim_end();
    let name = &callee[word_start(callee)..];
    docs::find(name).filter(|d| !d.options.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names {
            variables: vec![("s".into(), "Story".into()), ("n".into(), "i64".into())],
            functions: vec!["shout".into()],
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
