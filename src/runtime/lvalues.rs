//! Lets scripts assign through lookups: `s.scene(2).prompt = "…"`.
//!
//! Rhai does not accept a method call inside the target of an assignment, but it does accept an
//! index. Before compiling, `.scene(2).prompt = …` is rewritten to `.scene[2].prompt = …`, where
//! the `scene` property is a view with an indexer. The rewrite keeps every character's position,
//! so error lines and columns still match what the user wrote.

/// Methods that have an indexable property twin.
pub const LOOKUPS: &[&str] = &["scene", "character"];

pub fn rewrite(code: &str) -> String {
    let mut bytes = code.as_bytes().to_vec();
    let mut i = 0;
    while i < code.len() {
        if let Some(next) = skip_literal(code.as_bytes(), i) {
            i = next;
            continue;
        }
        if bytes[i] == b'.' {
            if let Some((open, close)) = lookup_call_at(code, i) {
                if is_assignment_target_after(code, close + 1) {
                    bytes[open] = b'[';
                    bytes[close] = b']';
                }
            }
        }
        i += 1;
    }
    String::from_utf8(bytes).unwrap_or_else(|_| code.to_string())
}

/// Skips a string or comment starting at `i`; returns the index after it.
fn skip_literal(b: &[u8], i: usize) -> Option<usize> {
    match (b[i], b.get(i + 1)) {
        (b'/', Some(b'/')) => Some(
            b[i..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |p| i + p),
        ),
        (b'/', Some(b'*')) => Some(find(b, i + 2, b"*/").map_or(b.len(), |p| p + 2)),
        (q @ (b'"' | b'`' | b'\''), _) => {
            let mut j = i + 1;
            while j < b.len() && b[j] != q {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            Some((j + 1).min(b.len()))
        }
        _ => None,
    }
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// At a `.`, a call to one of `LOOKUPS`: positions of its `(` and matching `)`.
fn lookup_call_at(code: &str, dot: usize) -> Option<(usize, usize)> {
    let rest = &code[dot + 1..];
    let name = LOOKUPS
        .iter()
        .find(|n| rest.starts_with(*n) && rest[n.len()..].starts_with('('))?;
    let open = dot + 1 + name.len();
    let b = code.as_bytes();
    let mut depth = 0;
    let mut j = open;
    while j < b.len() {
        if let Some(next) = skip_literal(b, j) {
            j = next;
            continue;
        }
        match b[j] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return (b[j] == b')').then_some((open, j));
                }
            }
            _ => {}
        }
        j += 1;
    }
    None
}

/// After a lookup: `.prop` (and more `.prop` / `[i]`) then an assignment operator.
fn is_assignment_target_after(code: &str, mut i: usize) -> bool {
    let b = code.as_bytes();
    let skip_ws = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let mut saw_property = false;
    loop {
        i = skip_ws(i);
        if i < b.len() && b[i] == b'.' {
            i = skip_ws(i + 1);
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            if i == start || (i < b.len() && b[i] == b'(') {
                return false;
            }
            saw_property = true;
        } else if i < b.len() && b[i] == b'[' && saw_property {
            let mut depth = 0;
            while i < b.len() {
                match b[i] {
                    b'[' => depth += 1,
                    b']' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            i += 1;
        } else {
            break;
        }
    }
    saw_property && is_assignment_operator(&code[i.min(code.len())..])
}

fn is_assignment_operator(rest: &str) -> bool {
    const COMPOUND: &[&str] = &[
        "+=", "-=", "*=", "/=", "%=", "**=", "|=", "&=", "^=", "<<=", ">>=", "??=",
    ];
    (rest.starts_with('=') && !rest.starts_with("==") && !rest.starts_with("=>"))
        || COMPOUND.iter().any(|op| rest.starts_with(op))
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn rewrites_only_assignment_targets() {
        assert_eq!(
            rewrite("s.scene(2).prompt = \"x\";"),
            "s.scene[2].prompt = \"x\";"
        );
        assert_eq!(
            rewrite("s.scene(i + f(1)).prompt += \"x\";"),
            "s.scene[i + f(1)].prompt += \"x\";"
        );
        assert_eq!(
            rewrite("s.character(\"Q\").description = d;"),
            "s.character[\"Q\"].description = d;"
        );
        assert_eq!(
            rewrite("print(s.scene(2).prompt == x);"),
            "print(s.scene(2).prompt == x);"
        );
        assert_eq!(rewrite("s.scene(0).pick(2);"), "s.scene(0).pick(2);");
        assert_eq!(
            rewrite("let a = \"s.scene(2).prompt = 1\";"),
            "let a = \"s.scene(2).prompt = 1\";"
        );
        assert_eq!(
            rewrite("// s.scene(2).prompt = 1"),
            "// s.scene(2).prompt = 1"
        );
    }
}
