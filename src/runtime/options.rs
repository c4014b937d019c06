//! Validation of the option maps primitives take (`#{ by: "paragraphs", max_words: 45 }`)
//! against their spec (`spec`). Every error names the primitive, the option, the value given
//! and what is allowed.

use rhai::{Dynamic, EvalAltResult, Map};

use super::spec::{quoted, Kind, Opt};

pub type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

/// A runtime error with a message for people; Rhai adds the position of the call. The one
/// place a message or a typed error becomes a script error.
pub fn error(message: impl std::fmt::Display) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(
        Dynamic::from(message.to_string()),
        rhai::Position::NONE,
    ))
}

/// `Err` of [`error`].
pub fn fail<T>(message: impl std::fmt::Display) -> RhaiResult<T> {
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

/// An options map checked against its spec: every key is known and every value has the kind,
/// range or name the spec allows, before the primitive does anything.
pub struct Options {
    primitive: String,
    map: Map,
    spec: &'static [Opt],
}

impl Options {
    /// Rejects unknown option names (suggesting the closest allowed one) and values the spec
    /// does not allow; a nested map (`Kind::Map`) is checked the same way.
    pub fn new(primitive: impl Into<String>, map: Map, spec: &'static [Opt]) -> RhaiResult<Self> {
        let options = Self {
            primitive: primitive.into(),
            map,
            spec,
        };
        let allowed: Vec<&str> = spec.iter().map(|o| o.name).collect();
        for key in options.map.keys() {
            if !allowed.contains(&key.as_str()) {
                let hint = closest(key, &allowed)
                    .map(|c| format!(" (did you mean {c}?)"))
                    .unwrap_or_default();
                return fail(format!(
                    "{}: unknown option \"{key}\"{hint}; allowed options: {}",
                    options.primitive,
                    allowed.join(", ")
                ));
            }
        }
        for opt in spec {
            if let Some(value) = options.map.get(opt.name) {
                options.check(opt, value)?;
            }
        }
        Ok(options)
    }

    fn check(&self, opt: &Opt, value: &Dynamic) -> RhaiResult<()> {
        let key = opt.name;
        match &opt.kind {
            Kind::Int(min, max) => {
                let Ok(n) = value.as_int() else {
                    return self.wrong_type(key, value, &opt.kind.allowed());
                };
                if n < *min || n > *max {
                    return self.not_allowed(key, &n.to_string(), &opt.kind);
                }
            }
            Kind::Number(min, max) => {
                let Some(n) = number(value) else {
                    return self.wrong_type(key, value, &opt.kind.allowed());
                };
                if !(*min..=*max).contains(&n) {
                    return self.not_allowed(key, &n.to_string(), &opt.kind);
                }
            }
            Kind::Bool if !value.is_bool() => return self.wrong_type(key, value, "true or false"),
            Kind::Text if !value.is_string() => return self.wrong_type(key, value, "a string"),
            Kind::Named(names) if !value.is_string() => {
                return self.wrong_type(key, value, &format!("a string, one of {}", quoted(names)))
            }
            Kind::OneOf(names) => {
                let text = value.clone().into_string().unwrap_or_default();
                if !value.is_string() || !names.contains(&text.as_str()) {
                    return self.not_allowed(key, &describe(value), &opt.kind);
                }
            }
            Kind::Map(keys) => {
                let Some(map) = value.clone().try_cast::<Map>() else {
                    let names: Vec<&str> = keys.iter().map(|k| k.name).collect();
                    return fail(format!(
                        "{}: option \"{key}\" is {value}; expected a map like #{{ {} }}",
                        self.primitive,
                        names.join(", ")
                    ));
                };
                Self::new(format!("{} {key}", self.primitive), map, keys)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn not_allowed<T>(&self, key: &str, value: &str, kind: &Kind) -> RhaiResult<T> {
        fail(format!(
            "{}: option \"{key}\" is {value}; allowed: {}",
            self.primitive,
            kind.allowed()
        ))
    }

    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// A value of a kind the primitive reads itself (`Kind::Value`).
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

    /// The value of `key`, which its spec must give as `kind` (else the code and its spec
    /// disagree, an error worth a clear message rather than a panic).
    fn get(&self, key: &str, kind: fn(&Kind) -> bool) -> RhaiResult<Option<&Dynamic>> {
        match self.spec.iter().find(|o| o.name == key) {
            Some(opt) if kind(&opt.kind) => Ok(self.map.get(key)),
            _ => fail(format!(
                "{}: option \"{key}\" is read as its spec does not say (a bug of storyreel)",
                self.primitive
            )),
        }
    }

    /// A `Text`, `OneOf` or `Named` option.
    pub fn string(&self, key: &str) -> RhaiResult<Option<String>> {
        let value = self.get(key, |k| {
            matches!(k, Kind::Text | Kind::OneOf(_) | Kind::Named(_))
        })?;
        Ok(value.map(|v| v.clone().into_string().unwrap_or_default()))
    }

    /// An `Int` option, within its spec's range.
    pub fn int(&self, key: &str) -> RhaiResult<Option<i64>> {
        let value = self.get(key, |k| matches!(k, Kind::Int(..)))?;
        Ok(value.and_then(|v| v.as_int().ok()))
    }

    /// A `Number` option (integer or decimal), within its spec's range.
    pub fn float(&self, key: &str) -> RhaiResult<Option<f64>> {
        let value = self.get(key, |k| matches!(k, Kind::Number(..)))?;
        Ok(value.and_then(number))
    }

    pub fn bool(&self, key: &str) -> RhaiResult<Option<bool>> {
        let value = self.get(key, |k| matches!(k, Kind::Bool))?;
        Ok(value.and_then(|v| v.as_bool().ok()))
    }

    /// A nested options map (`Kind::Map`), checked like this one.
    pub fn map(&self, key: &str) -> RhaiResult<Option<Options>> {
        let Some(value) = self.get(key, |k| matches!(k, Kind::Map(_)))? else {
            return Ok(None);
        };
        let Some(Opt {
            kind: Kind::Map(keys),
            ..
        }) = self.spec.iter().find(|o| o.name == key)
        else {
            return Ok(None);
        };
        let map = value.clone().try_cast::<Map>().unwrap_or_default();
        Self::new(format!("{} {key}", self.primitive), map, keys).map(Some)
    }
}

fn number(value: &Dynamic) -> Option<f64> {
    match (value.as_float(), value.as_int()) {
        (Ok(f), _) => Some(f),
        (_, Ok(i)) => Some(i as f64),
        _ => None,
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
    use crate::runtime::spec;

    fn map(pairs: &[(&str, Dynamic)]) -> Map {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), v.clone()))
            .collect()
    }

    fn error_of(pairs: &[(&str, Dynamic)], opts: &'static [Opt]) -> String {
        Options::new("split", map(pairs), opts)
            .err()
            .expect("an error")
            .to_string()
    }

    #[test]
    fn errors_name_option_value_and_allowed() {
        let err = error_of(&[("max_word", Dynamic::from(3_i64))], spec::SPLIT);
        assert!(
            err.contains("unknown option \"max_word\" (did you mean max_words?)"),
            "{err}"
        );
        let err = error_of(&[("by", Dynamic::from("chapters"))], spec::SPLIT);
        assert!(
            err.contains("option \"by\" is \"chapters\"; allowed: \"paragraphs\", \"sentences\""),
            "{err}"
        );
        let err = error_of(&[("max_words", Dynamic::from(0_i64))], spec::SPLIT);
        assert!(
            err.contains("is 0; allowed: an integer from 1 to 10000"),
            "{err}"
        );
        let err = error_of(&[("marker", Dynamic::from(3_i64))], spec::SPLIT);
        assert!(
            err.contains("option \"marker\" is 3 (i64); expected a string"),
            "{err}"
        );
    }

    #[test]
    fn ranges_and_nested_maps_come_from_the_spec() {
        let err = error_of(&[("timeout", Dynamic::from(0.5_f64))], spec::BACKEND);
        assert!(
            err.contains("option \"timeout\" is 0.5; allowed: a number from 1 to 86400"),
            "{err}"
        );
        let nested = map(&[("weight", Dynamic::from(3_i64))]);
        let err = error_of(&[("ip_adapter", Dynamic::from(nested))], spec::BACKEND);
        assert!(
            err.contains("split ip_adapter: option \"weight\" is 3; allowed: a number from 0 to 2"),
            "{err}"
        );
        let err = error_of(&[("ip_adapter", Dynamic::from(5_i64))], spec::BACKEND);
        assert!(
            err.contains(
                "option \"ip_adapter\" is 5; expected a map like #{ module, model, weight }"
            ),
            "{err}"
        );
        let o = Options::new(
            "backend",
            map(&[("steps", Dynamic::from(30_i64))]),
            spec::BACKEND,
        )
        .unwrap();
        assert_eq!(o.int("steps").unwrap(), Some(30));
        assert_eq!(o.float("cfg").unwrap(), None);
        // Code that reads an option as its spec does not say is told so, not answered wrongly.
        assert!(o.float("steps").is_err());
    }
}
