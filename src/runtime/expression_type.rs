//! The script type of an expression being typed (`s`, `story(…)`, `s.scene(0)`, `s.scenes[1]`),
//! followed through the return type of each primitive's and member's spec. Front-ends use it to
//! complete members after a `.`.

use super::spec::{self, Spec};

/// `variable` gives the type of a root name (from the scope, or from earlier code).
pub fn expression_type(expr: &str, variable: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let segments = chain(expr.trim_end())?;
    let mut kind: Option<String> = None;
    for (i, seg) in segments.iter().enumerate() {
        kind = match (i, &kind) {
            (0, _) if seg.bracket == Some('(') => returned(spec::get(seg.name)?, seg.bracket),
            (0, _) => variable(seg.name).map(|t| element_if_indexed(&t, seg.bracket)),
            (_, Some(owner)) => returned(spec::get(&format!("{owner}.{}", seg.name))?, seg.bracket),
            _ => None,
        };
        kind.as_ref()?;
    }
    kind
}

struct Segment<'a> {
    name: &'a str,
    /// `(` for a call, `[` for an index, `None` for a bare name or property.
    bracket: Option<char>,
}

/// The type returned; an index into `[T]` gives `T`.
fn returned(spec: &Spec, bracket: Option<char>) -> Option<String> {
    Some(element_if_indexed(spec.returns, bracket))
        .filter(|t| !t.is_empty() && t.chars().all(is_ident))
}

fn element_if_indexed(ty: &str, bracket: Option<char>) -> String {
    match (
        bracket,
        ty.strip_prefix('[').and_then(|t| t.strip_suffix(']')),
    ) {
        (Some('['), Some(element)) => element.to_string(),
        _ => ty.to_string(),
    }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Splits `s.scene(0).prompt` into its names, each with the bracket that follows it.
fn chain(expr: &str) -> Option<Vec<Segment<'_>>> {
    let mut segments = Vec::new();
    let mut end = expr.len();
    loop {
        let last = expr[..end].chars().last();
        let bracket = match last {
            Some(')') => Some('('),
            Some(']') => Some('['),
            _ => None,
        };
        let name_end = match bracket {
            Some(_) => matching_open(&expr[..end])?,
            None => end,
        };
        let start = expr[..name_end]
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_ident(*c))
            .last()
            .map_or(name_end, |(i, _)| i);
        if start == name_end {
            return None;
        }
        segments.push(Segment {
            name: &expr[start..name_end],
            bracket,
        });
        match expr[..start].strip_suffix('.') {
            Some(rest) => end = rest.len(),
            None => break,
        }
    }
    segments.reverse();
    Some(segments)
}

/// Where the bracket group that `text` ends with opens.
fn matching_open(text: &str) -> Option<usize> {
    let close = text.chars().last()?;
    let open = if close == ')' { '(' } else { '[' };
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(expr: &str) -> Option<String> {
        expression_type(expr, &|name| (name == "s").then(|| "Story".to_string()))
    }

    #[test]
    fn follows_calls_properties_and_indexes() {
        assert_eq!(ty("s").as_deref(), Some("Story"));
        assert_eq!(ty("s.scene(f(1))").as_deref(), Some("Scene"));
        assert_eq!(ty("s.scene[2]").as_deref(), Some("Scene"));
        assert_eq!(ty("s.scenes[0]").as_deref(), Some("Scene"));
        assert_eq!(ty("story(\"a\", t)").as_deref(), Some("Story"));
        assert_eq!(ty("s.scenes"), None);
        assert_eq!(ty("unknown"), None);
        assert_eq!(ty("s.nothing(1)"), None);
    }
}
