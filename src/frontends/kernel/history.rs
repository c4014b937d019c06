//! The inputs of this kernel session, for `history_request` (tail, range, glob search), as
//! IPython answers them. Only the current session is kept.

use serde_json::{json, Value};

/// Our one session's number in replies; requests may also say 0 or a negative offset for it.
const SESSION: i64 = 1;

struct Entry {
    line: i64,
    input: String,
    /// The cell's result as text, when it had one.
    output: Option<String>,
}

#[derive(Default)]
pub struct History {
    entries: Vec<Entry>,
}

impl History {
    pub fn record(&mut self, line: usize, input: &str, output: Option<String>) {
        self.entries.push(Entry {
            line: line as i64,
            input: input.to_string(),
            output,
        });
    }

    /// The `history_reply` content for a request's content.
    pub fn reply(&self, request: &Value) -> Value {
        let with_output = request["output"].as_bool().unwrap_or(false);
        let n = request["n"].as_u64().map(|n| n as usize);
        let picked: Vec<&Entry> = match request["hist_access_type"].as_str().unwrap_or("") {
            "tail" => last(self.entries.iter().collect(), n),
            "range" => self.range(request),
            "search" => self.search(
                request["pattern"].as_str().unwrap_or("*"),
                request["unique"].as_bool().unwrap_or(false),
                n,
            ),
            _ => Vec::new(),
        };
        let history: Vec<Value> = picked
            .into_iter()
            .map(|e| {
                let input = if with_output {
                    json!([e.input, e.output])
                } else {
                    json!(e.input)
                };
                json!([SESSION, e.line, input])
            })
            .collect();
        json!({ "status": "ok", "history": history })
    }

    fn range(&self, request: &Value) -> Vec<&Entry> {
        let session = request["session"].as_i64().unwrap_or(0);
        if session > 0 && session != SESSION {
            return Vec::new();
        }
        let start = request["start"].as_i64().unwrap_or(1);
        let stop = request["stop"].as_i64().unwrap_or(i64::MAX);
        self.entries
            .iter()
            .filter(|e| e.line >= start && e.line < stop)
            .collect()
    }

    /// Inputs matching a glob (`*`, `?`); with `unique`, only the latest of equal inputs.
    fn search(&self, pattern: &str, unique: bool, n: Option<usize>) -> Vec<&Entry> {
        let mut found: Vec<&Entry> = Vec::new();
        for entry in self.entries.iter().rev() {
            if glob(pattern, &entry.input)
                && !(unique && found.iter().any(|f| f.input == entry.input))
            {
                found.push(entry);
            }
        }
        found.reverse();
        last(found, n)
    }
}

fn last(entries: Vec<&Entry>, n: Option<usize>) -> Vec<&Entry> {
    let skip = n.map_or(0, |n| entries.len().saturating_sub(n));
    entries.into_iter().skip(skip).collect()
}

/// Whole-text glob match, `*` for any run and `?` for one character (SQLite's GLOB, as IPython).
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                backtrack = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match backtrack {
                Some((star, at)) => {
                    pi = star + 1;
                    ti = at + 1;
                    backtrack = Some((star, at + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> History {
        let mut h = History::default();
        for (i, code) in ["6*7", "1+1", "6*7", "print(1)"].iter().enumerate() {
            h.record(i + 1, code, Some("x".into()));
        }
        h
    }

    #[test]
    fn tail_range_and_search() {
        let h = sample();
        let r = h.reply(&json!({"hist_access_type": "tail", "n": 2, "output": false}));
        assert_eq!(r["history"], json!([[1, 3, "6*7"], [1, 4, "print(1)"]]));
        let r = h.reply(&json!({"hist_access_type": "tail", "n": 1, "output": true}));
        assert_eq!(r["history"][0][2], json!(["print(1)", "x"]));
        let r = h.reply(&json!({"hist_access_type": "range", "session": 1, "start": 2, "stop": 3}));
        assert_eq!(r["history"], json!([[1, 2, "1+1"]]));
        let search = |unique: bool| {
            h.reply(&json!({"hist_access_type": "search", "pattern": "6?7", "unique": unique}))
                ["history"]
                .as_array()
                .unwrap()
                .len()
        };
        assert_eq!((search(false), search(true)), (2, 1));
    }

    #[test]
    fn globs() {
        assert!(glob("*", ""));
        assert!(glob("pr*(*)", "print(1)"));
        assert!(!glob("6?7", "6*77"));
        assert!(glob("*a*b", "xxaxxb"));
    }
}
