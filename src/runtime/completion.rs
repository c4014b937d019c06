//! Tab completion, the same in the REPL and in Jupyter: members after `obj.` when obj's type is
//! known (every documented member when it is not), option names where a key goes in the `#{ }`
//! of a primitive's call (or a map nested in it), an option's named values in the string after
//! its key, else keywords, functions, primitives and variables. Members and options come from
//! the spec (`spec`).

use std::collections::{BTreeMap, BTreeSet};

use rhai::Engine;

use super::cursor::{
    doc_of, in_literal, option_site, option_value_site, receiver_type, word_before, Word,
};
use super::spec::{Kind as OptionKind, Opt};
use super::{spec, stdlib, Session};

const KEYWORDS: &[&str] = &[
    "let", "const", "fn", "if", "else", "switch", "while", "loop", "do", "until", "for", "in",
    "break", "continue", "return", "throw", "try", "catch", "import", "export", "as", "global",
    "private", "this", "true", "false",
];

/// What the session has defined, as completion needs it.
#[derive(Default)]
pub struct Names {
    /// Variable name and script type ("Story", "i64", …).
    pub variables: Vec<(String, String)>,
    /// Functions defined by the user.
    pub functions: Vec<String>,
    /// Native functions of the engine (`print`, `parse_int` …); see [`builtin_names`].
    pub builtins: Vec<String>,
}

impl Names {
    /// The session's variables and functions; `builtins` as computed once by the caller.
    pub fn of(session: &Session, builtins: &[String]) -> Self {
        let variables = session
            .scope()
            .iter_raw()
            .map(|(name, _, value)| {
                let ty = session.engine().map_type_name(value.type_name());
                (name.to_string(), ty.to_string())
            })
            .collect();
        Self {
            variables,
            functions: session.function_names(),
            builtins: builtins.to_vec(),
        }
    }

    /// The type of a variable; the latest of that name wins, as in the scope.
    pub fn type_of(&self, name: &str) -> Option<String> {
        self.variables
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
    }
}

/// Names of every native function the engine knows, worth computing once.
pub fn builtin_names(engine: &Engine) -> Vec<String> {
    let names: BTreeSet<String> = engine
        .gen_fn_signatures(true)
        .iter()
        .filter_map(|sig| sig.split('(').next())
        .filter(|name| name.starts_with(|c: char| c.is_alphabetic() || c == '_'))
        .filter(|name| !name.contains(['$', ':']))
        .map(str::to_string)
        .collect();
    names.into_iter().collect()
}

/// What a candidate is; Jupyter front-ends show it beside the match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Keyword,
    Function,
    Property,
    Variable,
    /// A key of a primitive's options map.
    Option,
    /// A module of helpers written in Rhai (`styles::`).
    Module,
}

impl Kind {
    /// The names JupyterLab's completer knows.
    pub fn jupyter_type(self) -> &'static str {
        match self {
            Self::Keyword => "keyword",
            Self::Function => "function",
            Self::Property | Self::Option => "property",
            Self::Variable => "instance",
            Self::Module => "module",
        }
    }
}

/// Where the completed word starts (byte offset) and its candidates, sorted.
#[derive(Debug)]
pub struct Completion {
    pub start: usize,
    pub candidates: Vec<(String, Kind)>,
}

/// Completes the word before `pos` (a byte offset) in `code`.
pub fn complete(code: &str, pos: usize, names: &Names) -> Completion {
    let word = word_before(code, pos);
    if in_literal(&code[..pos]) {
        // Inside a string or comment the user writes prose, not names; the string value of an
        // option with named values (`by: "w`) is one of those names.
        let values = option_value_site(code, pos)
            .and_then(|site| option_values(code, &site, names))
            .unwrap_or_default();
        let mut candidates: Vec<(String, Kind)> = values
            .iter()
            .filter(|v| v.starts_with(word.text.as_str()))
            .map(|v| (v.to_string(), Kind::Option))
            .collect();
        candidates.sort_by(|a, b| a.0.cmp(&b.0));
        return Completion {
            start: word.start,
            candidates,
        };
    }
    let module = code[..word.start]
        .strip_suffix("::")
        .map(|before| &before[word_before(before, before.len()).start..]);
    let all = if let Some(module) = module {
        module_members(module)
    } else if let Some(site) = option_site(code, pos) {
        options(code, &site, names)
    } else if let Some(dot) = word.dot {
        members(code, dot, names)
    } else {
        globals(&code[..word.start], names)
    };
    let candidates = all
        .into_iter()
        .filter(|(name, _)| name.starts_with(word.text.as_str()))
        .collect();
    Completion {
        start: word.start,
        candidates,
    }
}

type Candidates = BTreeMap<String, Kind>;

/// The keys of the map at an option site: the call's options, or those of a nested map.
fn site_options(
    code: &str,
    (call, keys): &(Word, Vec<String>),
    names: &Names,
) -> Option<&'static [Opt]> {
    let owner = call
        .dot
        .and_then(|dot| receiver_type(code, dot, &|v| names.type_of(v)));
    let mut options = doc_of(owner.as_deref(), &call.text)?.options;
    for key in keys {
        match options.iter().find(|o| o.name == key)?.kind {
            OptionKind::Map(nested) => options = nested,
            _ => return None,
        }
    }
    Some(options)
}

fn options(code: &str, site: &(Word, Vec<String>), names: &Names) -> Candidates {
    site_options(code, site, names)
        .unwrap_or_default()
        .iter()
        .map(|o| (o.name.to_string(), Kind::Option))
        .collect()
}

/// The names an option's string value may be, from its spec.
fn option_values(
    code: &str,
    (call, keys): &(Word, Vec<String>),
    names: &Names,
) -> Option<&'static [&'static str]> {
    let (key, outer) = keys.split_last()?;
    let options = site_options(code, &(call.clone(), outer.to_vec()), names)?;
    match options.iter().find(|o| o.name == key)?.kind {
        OptionKind::OneOf(values) | OptionKind::Named(values) => Some(values),
        _ => None,
    }
}

fn members(code: &str, dot: usize, names: &Names) -> Candidates {
    let owner = receiver_type(code, dot, &|v| names.type_of(v));
    spec::all()
        .filter(|s| s.owner().is_some())
        // Unknown receiver: offer every documented member rather than nothing.
        .filter(|s| owner.as_deref().is_none_or(|o| s.owner() == Some(o)))
        .map(|s| {
            let kind = if s.is_method() {
                Kind::Function
            } else {
                Kind::Property
            };
            (s.short_name().to_string(), kind)
        })
        .collect()
}

/// `styles::` then Tab: the module's presets and functions.
fn module_members(module: &str) -> Candidates {
    stdlib::members(module)
        .iter()
        .map(|(name, is_function)| {
            let kind = if *is_function {
                Kind::Function
            } else {
                Kind::Variable
            };
            (name.clone(), kind)
        })
        .collect()
}

fn globals(code_before: &str, names: &Names) -> Candidates {
    let mut found = Candidates::new();
    found.extend(stdlib::module_names().map(|m| (format!("{m}::"), Kind::Module)));
    found.extend(KEYWORDS.iter().map(|k| (k.to_string(), Kind::Keyword)));
    found.extend(names.builtins.iter().map(|b| (b.clone(), Kind::Function)));
    found.extend(spec::primitives().map(|s| (s.name.to_string(), Kind::Function)));
    found.extend(names.functions.iter().map(|f| (f.clone(), Kind::Function)));
    found.extend(
        names
            .variables
            .iter()
            .map(|(v, _)| (v.clone(), Kind::Variable)),
    );
    // Variables declared earlier in the same code, not yet run.
    for rest in code_before.split("let ").skip(1) {
        let name: String = rest
            .trim_start()
            .chars()
            .take_while(|c| super::cursor::is_ident(*c))
            .collect();
        if !name.is_empty() {
            found.insert(name, Kind::Variable);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names {
            variables: vec![("s".into(), "Story".into()), ("n".into(), "i64".into())],
            functions: vec!["shout".into()],
            builtins: vec!["print".into(), "parse_int".into()],
        }
    }

    fn words(code: &str) -> Vec<String> {
        let found = complete(code, code.len(), &names());
        found.candidates.into_iter().map(|(w, _)| w).collect()
    }

    #[test]
    fn members_of_a_known_value() {
        assert_eq!(words("s.sce"), ["scene", "scenes"]);
        assert_eq!(complete("x = s.sce", 9, &names()).start, 6);
        assert!(words("s.scene(0).pro").contains(&"prompt".to_string()));
        assert!(words("story(\"a\", t).spl").contains(&"split".to_string()));
        assert!(words("n.sc").is_empty());
        // Unknown receivers get every documented member.
        assert!(words("mystery.spl").contains(&"split".to_string()));
    }

    #[test]
    fn names_in_scope_primitives_and_builtins() {
        assert_eq!(words("sh"), ["shout", "show"]);
        assert_eq!(words("sto"), ["story", "story_file"]);
        assert_eq!(words("pri"), ["print", "private"]);
        assert_eq!(words("let abcde = 1; abcd"), ["abcde"]);
        let found = complete("s", 1, &names());
        assert!(found.candidates.contains(&("s".into(), Kind::Variable)));
    }

    #[test]
    fn style_presets_after_the_module_name_and_nothing_inside_strings() {
        assert_eq!(words("s.style = sty"), ["styles::"]);
        assert_eq!(words("s.style = styles::wa"), ["watercolor"]);
        let all = words("s.style = styles::");
        assert!(all.contains(&"ukiyo_e".to_string()) && all.contains(&"get".to_string()));
        assert!(all.len() < 30, "{all:?}");
        assert!(words("let t = \"par").is_empty());
        assert!(words("// par").is_empty());
        assert_eq!(words("let t = \"a\"; pri"), ["print", "private"]);
    }

    #[test]
    fn options_inside_a_map_argument() {
        assert_eq!(words("s.split(#{ b"), ["by"]);
        assert_eq!(words("s.split(#{ max_"), ["max_words"]);
        assert!(words("s.split(#{ by: \"words\", max").contains(&"max_words".to_string()));
        assert!(words("s.split(#{ by: ma").iter().all(|w| w != "max_words"));
        assert_eq!(words("sd_generate(s.scene(0), #{ n: 4, se"), ["seed"]);
        assert_eq!(words("sd_generate(s, #{ n"), ["n", "negative"]);
        let found = complete("render(s, #{ ", 13, &names());
        assert!(found.candidates.contains(&("voice".into(), Kind::Option)));
        assert_eq!(
            words("render(s, #{ fps: 3, caption_style: #{ size: 40, po"),
            ["position"]
        );
        assert_eq!(words("backend(\"a1111\", #{ ip_adapter: #{ w"), ["weight"]);
    }

    #[test]
    fn named_values_inside_an_option_string() {
        assert_eq!(words("s.split(#{ by: \"w"), ["words"]);
        assert_eq!(
            words("render(s, #{ transition: \""),
            ["cut", "fade", "slide"]
        );
        assert_eq!(words("render(s, #{ caption_style: #{ mode: \"w"), ["word"]);
        // Free text (a marker, a title) is the user's own.
        assert!(words("s.split(#{ marker: \"-").is_empty());
        assert!(words("render(s, #{ title: \"Th").is_empty());
    }
}
