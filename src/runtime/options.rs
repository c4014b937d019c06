//! Validation of the option maps primitives take (`#{ by: "paragraphs", max_words: 45 }`).
//! Every error names the primitive, the option, the value given and what is allowed.

use rhai::{Dynamic, EvalAltResult, Map};

pub type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

/// A runtime error with a message for people; Rhai adds the position of the call.
pub fn error(message: impl Into<String>) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(
        Dynamic::from(message.into()),
        rhai::Position::NONE,
    ))
}

/// `Err` of [`error`].
pub fn fail<T>(message: impl Into<String>) -> RhaiResult<T> {
    Err(error(message))
}

/// How a primitive stops when the user interrupts it: the session reports an interrupt, not a
/// failure.
pub fn interrupted(message: impl Into<String>) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorTerminated(
        Dynamic::from(message.into()),
        rhai::Position::NONE,
    ))
}

pub struct Options {
    primitive: &'static str,
    map: Map,
}

impl Options {
    /// Rejects unknown option names, suggesting the closest allowed one.
    pub fn new(primitive: &'static str, map: Map, allowed: &[&str]) -> RhaiResult<Self> {
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) {
                let hint = closest(key, allowed)
                    .map(|c| format!(" (did you mean {c}?)"))
                    .unwrap_or_default();
                return fail(format!(
                    "{primitive}: unknown option \"{key}\"{hint}; allowed options: {}",
                    allowed.join(", ")
                ));
            }
        }
        Ok(Self { primitive, map })
    }

    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    pub fn raw(&self, key: &str) -> Option<&Dynamic> {
        self.map.get(key)
    }

    fn wrong_type<T>(&self, key: &str, value: &Dynamic, expected: &str) -> RhaiResult<T> {
        fail(format!(
            "{}: option \"{key}\" is {} ({}); expected {expected}",
            self.primitive,
            describe(value),
            value.type_name()
        ))
    }

    pub fn string(&self, key: &str) -> RhaiResult<Option<String>> {
        match self.map.get(key) {
            None => Ok(None),
            Some(v) if v.is_string() => Ok(Some(v.clone().into_string().unwrap_or_default())),
            Some(v) => self.wrong_type(key, v, "a string"),
        }
    }

    /// A string that must be one of `allowed`.
    pub fn choice(&self, key: &str, allowed: &[&str]) -> RhaiResult<Option<String>> {
        let Some(value) = self.string(key)? else {
            return Ok(None);
        };
        if allowed.contains(&value.as_str()) {
            return Ok(Some(value));
        }
        let quoted: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
        fail(format!(
            "{}: option \"{key}\" is \"{value}\"; allowed: {}",
            self.primitive,
            quoted.join(", ")
        ))
    }

    /// An integer within `min..=max`.
    pub fn int(&self, key: &str, min: i64, max: i64) -> RhaiResult<Option<i64>> {
        let Some(v) = self.map.get(key) else {
            return Ok(None);
        };
        let Some(n) = v.as_int().ok() else {
            return self.wrong_type(key, v, &format!("an integer from {min} to {max}"));
        };
        if n < min || n > max {
            return fail(format!(
                "{}: option \"{key}\" is {n}; allowed: an integer from {min} to {max}",
                self.primitive
            ));
        }
        Ok(Some(n))
    }

    /// A number (integer or decimal) within `min..=max`.
    pub fn float(&self, key: &str, min: f64, max: f64) -> RhaiResult<Option<f64>> {
        let Some(v) = self.map.get(key) else {
            return Ok(None);
        };
        let n = match (v.as_float(), v.as_int()) {
            (Ok(f), _) => f,
            (_, Ok(i)) => i as f64,
            _ => return self.wrong_type(key, v, &format!("a number from {min} to {max}")),
        };
        if !(min..=max).contains(&n) {
            return fail(format!(
                "{}: option \"{key}\" is {n}; allowed: a number from {min} to {max}",
                self.primitive
            ));
        }
        Ok(Some(n))
    }

    pub fn bool(&self, key: &str) -> RhaiResult<Option<bool>> {
        match self.map.get(key) {
            None => Ok(None),
            Some(v) => match v.as_bool() {
                Ok(b) => Ok(Some(b)),
                Err(_) => self.wrong_type(key, v, "true or false"),
            },
        }
    }
}

fn describe(value: &Dynamic) -> String {
    if value.is_string() {
        format!("\"{value}\"")
    } else {
        value.to_string()
    }
}

/// The allowed name within two edits of `key` (ignoring case), if any; a name that only
/// adds a word to `key` ("the frog" for "frog") counts too.
pub fn closest<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let key_lower = key.to_lowercase();
    allowed
        .iter()
        .filter(|a| !a.eq_ignore_ascii_case(key))
        .map(|a| {
            let lower = a.to_lowercase();
            let extends = lower.split_whitespace().any(|w| w == key_lower);
            let bare = ["the ", "a ", "an "]
                .iter()
                .find_map(|article| lower.strip_prefix(article))
                .unwrap_or(&lower);
            let d = if extends {
                1
            } else {
                edit_distance(&key_lower, &lower).min(edit_distance(&key_lower, bare))
            };
            (d, *a)
        })
        .filter(|(d, _)| *d <= 2 && *d < key.chars().count())
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut row = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            row.push((prev[j] + cost).min(prev[j + 1] + 1).min(row[j] + 1));
        }
        prev = row;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, Dynamic)]) -> Map {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), v.clone()))
            .collect()
    }

    #[test]
    fn errors_name_option_value_and_allowed() {
        let err = Options::new(
            "split",
            map(&[("max_word", Dynamic::from(3_i64))]),
            &["by", "max_words"],
        )
        .err()
        .unwrap()
        .to_string();
        assert!(
            err.contains("unknown option \"max_word\" (did you mean max_words?)"),
            "{err}"
        );
        let o = Options::new("split", map(&[("by", Dynamic::from("chapters"))]), &["by"]).unwrap();
        let err = o
            .choice("by", &["paragraphs", "words"])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("option \"by\" is \"chapters\"; allowed: \"paragraphs\", \"words\""),
            "{err}"
        );
        let o = Options::new(
            "split",
            map(&[("max_words", Dynamic::from(0_i64))]),
            &["max_words"],
        )
        .unwrap();
        assert!(o
            .int("max_words", 1, 500)
            .unwrap_err()
            .to_string()
            .contains("is 0; allowed: an integer from 1 to 500"));
    }
}
