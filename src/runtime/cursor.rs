//! What the code around a cursor means: the word being typed, the call whose brackets hold the
//! cursor, and the type of `obj` in `obj.`. Positions are byte offsets. Shared by completion
//! and help in every front-end.

use super::expression_type::expression_type;
use super::spec::{self, Spec};

pub fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A word in the code, in byte offsets, and what it is a member of.
#[derive(Clone, Debug, PartialEq)]
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

/// Brackets opened before the end of `before` and not yet closed, innermost last, with their
/// offsets. Brackets inside strings and comments do not count.
fn open_brackets(before: &str) -> Vec<(char, usize)> {
    scan(before).0
}

/// Whether the end of `before` is inside a string or a comment, where no name is completed.
pub fn in_literal(before: &str) -> bool {
    scan(before).1
}

/// The open brackets of `before`, and whether it ends inside a string or comment.
fn scan(before: &str) -> (Vec<(char, usize)>, bool) {
    let mut open = Vec::new();
    let mut chars = before.char_indices().peekable();
    let mut in_literal = false;
    while let Some((i, c)) = chars.next() {
        match c {
            '"' | '`' | '\'' => {
                // Skip to the closing quote; a backslash escapes the next character.
                in_literal = true;
                while let Some((_, s)) = chars.next() {
                    if s == '\\' {
                        chars.next();
                    } else if s == c {
                        in_literal = false;
                        break;
                    }
                }
            }
            '/' if chars.peek().is_some_and(|(_, n)| *n == '/') => {
                while chars.next_if(|(_, n)| *n != '\n').is_some() {}
                in_literal = chars.peek().is_none();
            }
            '/' if chars.peek().is_some_and(|(_, n)| *n == '*') => {
                chars.next();
                let mut last = ' ';
                in_literal = true;
                for (_, s) in chars.by_ref() {
                    if last == '*' && s == '/' {
                        in_literal = false;
                        break;
                    }
                    last = s;
                }
            }
            '(' | '[' | '{' => open.push((c, i)),
            ')' | ']' | '}' => {
                open.pop();
            }
            _ => {}
        }
    }
    (open, in_literal)
}

/// The name of the innermost call whose brackets hold `pos`: `story(|`, `s.split(#{ by: | })`.
/// Grouping parentheses are skipped for the call around them.
pub fn enclosing_call(code: &str, pos: usize) -> Option<Word> {
    let before = &code[..pos];
    open_brackets(before)
        .into_iter()
        .rev()
        .filter(|&(bracket, _)| bracket == '(')
        .map(|(_, at)| word_before(code, before[..at].trim_end().len()))
        .find(|callee| !callee.text.is_empty())
}

/// When `pos` is where an option name goes in the `#{ }` argument of a call (`f(x, #{ |` or
/// after a `,` in it), the name of that call.
pub fn option_call(code: &str, pos: usize) -> Option<Word> {
    option_site(code, pos)
        .filter(|(_, keys)| keys.is_empty())
        .map(|(call, _)| call)
}

/// When `pos` is where an option name goes, in the `#{ }` argument of a call or in a map nested
/// in it (`render(s, #{ caption_style: #{ |`): the call, and the keys of the nested maps from
/// the outermost (`["caption_style"]`).
pub fn option_site(code: &str, pos: usize) -> Option<(Word, Vec<String>)> {
    let before = &code[..word_before(code, pos).start];
    if !matches!(before.trim_end().chars().last(), Some('{' | ',')) {
        return None;
    }
    let mut open = open_brackets(before);
    let mut keys = Vec::new();
    loop {
        let (brace, at) = open.pop()?;
        let map_start = before[..at].strip_suffix('#')?;
        if brace != '{' {
            return None;
        }
        match map_start.trim_end().strip_suffix(':') {
            // `key: #{`: a map nested in the one still open around it.
            Some(key) => keys.push(word_before(code, key.trim_end().len()).text),
            None => {
                let (paren, call_at) = open.pop()?;
                if paren != '(' {
                    return None;
                }
                let callee = word_before(code, before[..call_at].trim_end().len());
                keys.reverse();
                return (!callee.text.is_empty()).then_some((callee, keys));
            }
        }
    }
}

/// When `pos` is in a string that is an option's value (`s.split(#{ by: "w|`): the option's
/// site as [`option_site`] gives it, with the option's own name last.
pub fn option_value_site(code: &str, pos: usize) -> Option<(Word, Vec<String>)> {
    let word = word_before(code, pos);
    let key_end = code[..word.start]
        .strip_suffix('"')?
        .trim_end()
        .strip_suffix(':')?
        .trim_end()
        .len();
    let key = word_before(code, key_end);
    let (call, mut keys) = option_site(code, key_end)?;
    keys.push(key.text);
    Some((call, keys))
}

/// The script type (`Story`, `Scene` …) of the expression that ends just before `dot`.
/// `variable` gives the type of a name in scope; names declared earlier in `code` with
/// `let name = EXPR` are typed from EXPR.
pub fn receiver_type(
    code: &str,
    dot: usize,
    variable: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    // The chain is read backwards from the dot, so whatever precedes it does not matter.
    expression_type(&code[..dot], &|name| {
        variable(name).or_else(|| declared_type(code, name))
    })
}

/// `let name = EXPR` earlier in the same code: the type of EXPR.
fn declared_type(code: &str, name: &str) -> Option<String> {
    let pattern = format!("let {name} =");
    let at = code.rfind(&pattern)? + pattern.len();
    let expr = code[at..].split([';', '\n']).next()?.trim();
    expression_type(expr, &|_| None)
}

/// The spec of a name, a member of `owner` when the owner is known (`Story.split`).
pub fn doc_of(owner: Option<&str>, name: &str) -> Option<&'static Spec> {
    if name.is_empty() {
        return None;
    }
    let exact = match owner {
        Some(t) => spec::get(&format!("{t}.{name}")),
        None => spec::get(name),
    };
    exact.or_else(|| spec::find(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(code: &str) -> Option<String> {
        let pos = code.find('|').expect("a cursor");
        let code = code.replace('|', "");
        enclosing_call(&code, pos).map(|w| w.text)
    }

    #[test]
    fn words() {
        let w = word_before("let é = sto", "let é = sto".len());
        assert_eq!((w.text.as_str(), w.dot), ("sto", None));
        let w = word_around("s.split(1)", 3);
        assert_eq!((w.text.as_str(), w.dot), ("split", Some(1)));
    }

    #[test]
    fn calls_around_the_cursor() {
        assert_eq!(call("story(|").as_deref(), Some("story"));
        assert_eq!(call("sd_generate(s, |").as_deref(), Some("sd_generate"));
        assert_eq!(call("render(s, #{ |").as_deref(), Some("render"));
        assert_eq!(call("s.split(#{ by: \"x|\" })").as_deref(), Some("split"));
        assert_eq!(call("s.split(#{ by: \"(\" }|)").as_deref(), Some("split"));
        assert_eq!(call("show((1 + |").as_deref(), Some("show"));
        assert_eq!(call("story(\"a\", \"b\")|"), None);
        assert_eq!(call("f(1) // g(|"), None);
        let code = "s.scene(0).pick(";
        let callee = enclosing_call(code, code.len()).unwrap();
        assert_eq!(callee.dot, Some(10));
    }

    #[test]
    fn option_positions() {
        let at = |code: &str| option_call(code, code.len()).map(|w| w.text);
        assert_eq!(at("s.split(#{ max_").as_deref(), Some("split"));
        assert_eq!(
            at("sd_generate(s, #{ n: 4, se").as_deref(),
            Some("sd_generate")
        );
        assert_eq!(at("s.split(#{ by: ma"), None);
        assert_eq!(at("#{ a"), None);
        let site = |code: &str| option_site(code, code.len()).map(|(w, keys)| (w.text, keys));
        assert_eq!(
            site("render(s, #{ fps: 3, caption_style: #{ size: 9, po"),
            Some(("render".into(), vec!["caption_style".to_string()]))
        );
        assert_eq!(site("render(s, #{ music: [#{ a"), None);
        let value =
            |code: &str| option_value_site(code, code.len()).map(|(w, keys)| (w.text, keys));
        assert_eq!(
            value("s.split(#{ by: \"wo"),
            Some(("split".into(), vec!["by".to_string()]))
        );
        assert_eq!(value("s.split(#{ marker: x, by: wo"), None);
    }

    #[test]
    fn receivers_from_scope_and_code() {
        let scope = |name: &str| (name == "s").then(|| "Story".to_string());
        let ty = |code: &str| receiver_type(code, code.rfind('.').unwrap(), &scope);
        assert_eq!(ty("s.").as_deref(), Some("Story"));
        assert_eq!(ty("s.scene(1).").as_deref(), Some("Scene"));
        assert_eq!(
            ty("let t = story(\"a\", \"b\"); t.").as_deref(),
            Some("Story")
        );
        assert_eq!(ty("unknown."), None);
        assert_eq!(doc_of(Some("Scene"), "pick").unwrap().name, "Scene.pick");
        assert_eq!(doc_of(None, "story").unwrap().name, "story");
    }
}
