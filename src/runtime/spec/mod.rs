//! The script surface, said once: every primitive and member with its signature, what it returns,
//! what it does and the options its `#{ … }` map takes. Option validation, `:help`, Jupyter's
//! inspect, completion and its type inference all read these tables, and tests hold the engine's
//! registered functions and the README to them.

#[cfg(test)]
mod checks;
mod generate;
mod people;
mod render;
mod story;
mod values;

pub use generate::{BACKEND, CHARACTER_SHEET, IMG2IMG, IP_ADAPTER, SD_GENERATE};
pub use render::{CAPTION_STYLE, MOTION, MUSIC, RENDER, SIZE};
pub use story::{FORMAT, SPLIT};

/// A primitive (`story`) or a member of a script type (`Story.split`, `Scene.prompt`).
pub struct Spec {
    /// The name as looked up: `story`, `Story.split`, `Scene.prompt`.
    pub name: &'static str,
    /// How it is written, without the return type; `#{}` stands for the options map, whose keys
    /// come from `options`.
    pub signature: &'static str,
    /// The script type returned (`Story`, `[Scene]`), or "" when nothing worth naming is.
    pub returns: &'static str,
    pub summary: &'static str,
    /// The keys the `#{ … }` map takes.
    pub options: &'static [Opt],
}

/// A spec without options: most members and a few primitives.
const fn member(
    name: &'static str,
    signature: &'static str,
    returns: &'static str,
    summary: &'static str,
) -> Spec {
    Spec {
        name,
        signature,
        returns,
        summary,
        options: &[],
    }
}

/// One key of an options map.
pub struct Opt {
    pub name: &'static str,
    pub kind: Kind,
    /// What applies when the key is left out, as a person reads it; "" when nothing is set.
    pub default: &'static str,
    pub meaning: &'static str,
}

/// What a key takes; validation enforces it before a primitive does anything.
pub enum Kind {
    /// An integer within the bounds (inclusive).
    Int(i64, i64),
    /// A number (integer or decimal) within the bounds (inclusive).
    Number(f64, f64),
    Bool,
    /// Any string; what it means is checked where it is used.
    Text,
    /// Exactly one of these strings.
    OneOf(&'static [&'static str]),
    /// One of these names, read by the domain's own parser (which takes a few spellings more).
    Named(&'static [&'static str]),
    /// A nested options map.
    Map(&'static [Opt]),
    /// Another shape, described (`an array of URLs`); checked where it is read.
    Value(&'static str),
}

impl Kind {
    /// What is allowed, as an error message or help says it.
    pub fn allowed(&self) -> String {
        match self {
            Self::Int(min, max) => format!("an integer from {min} to {max}"),
            Self::Number(min, max) => format!("a number from {min} to {max}"),
            Self::Bool => "true or false".into(),
            Self::Text => "a string".into(),
            Self::OneOf(names) | Self::Named(names) => quoted(names),
            Self::Map(keys) => {
                let keys: Vec<&str> = keys.iter().map(|k| k.name).collect();
                format!("a map #{{ {} }}", keys.join(", "))
            }
            Self::Value(what) => (*what).into(),
        }
    }
}

/// `"a", "b", "c"`.
pub fn quoted(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    quoted.join(", ")
}

const FAMILIES: &[&[Spec]] = &[
    story::SPECS,
    people::SPECS,
    generate::SPECS,
    render::SPECS,
    values::SPECS,
];

/// Every spec, primitives and members, in the order help lists them.
pub fn all() -> impl Iterator<Item = &'static Spec> {
    FAMILIES.iter().flat_map(|family| family.iter())
}

impl Spec {
    /// The member's name without its type (`split` of `Story.split`).
    pub fn short_name(&self) -> &'static str {
        self.name.rsplit('.').next().unwrap_or(self.name)
    }

    /// The type a member belongs to (`Story` of `Story.split`); `None` for a primitive.
    pub fn owner(&self) -> Option<&'static str> {
        self.name.split_once('.').map(|(owner, _)| owner)
    }

    /// Whether a member is called (`s.split(…)`) rather than read (`s.title`).
    pub fn is_method(&self) -> bool {
        self.signature.contains(&format!("{}(", self.short_name()))
    }

    /// The signature with the option names in its map and the return type:
    /// `s.split(#{ by, max_words, … }) -> Story`.
    pub fn usage(&self) -> String {
        let names: Vec<&str> = self.options.iter().map(|o| o.name).collect();
        let signature = self
            .signature
            .replace("#{}", &format!("#{{ {} }}", names.join(", ")));
        match self.returns {
            "" => signature,
            returns => format!("{signature} -> {returns}"),
        }
    }

    pub fn option(&self, name: &str) -> Option<&'static Opt> {
        self.options.iter().find(|o| o.name == name)
    }

    /// The help text of `:help` and Shift-Tab: usage, summary, and each option with what it
    /// takes, its default and its meaning.
    pub fn help(&self) -> String {
        let mut text = format!("{}\n\n{}", self.usage(), self.summary);
        if !self.options.is_empty() {
            text.push_str("\n\nOptions:");
            describe_options(&mut text, self.options, "  ");
        }
        text
    }
}

impl Opt {
    /// What the option means, what it takes and its default, in one line.
    pub fn describe(&self) -> String {
        let default = match self.default {
            "" => String::new(),
            d => format!("; default {d}"),
        };
        let takes = match &self.kind {
            Kind::Map(_) => "a map".to_string(),
            kind => kind.allowed(),
        };
        format!("{} — {takes}{default}", self.meaning)
    }
}

fn describe_options(text: &mut String, options: &[Opt], indent: &str) {
    let width = options.iter().map(|o| o.name.len()).max().unwrap_or(0);
    for o in options {
        text.push_str(&format!("\n{indent}{:<width$}  {}", o.name, o.describe()));
        if let Kind::Map(keys) = &o.kind {
            describe_options(text, keys, &format!("{indent}    "));
        }
    }
}

/// Help on an option's name (`:help max_words`): the option of each primitive that takes it.
pub fn option_help(name: &str) -> Option<String> {
    let found: Vec<String> = all()
        .flat_map(|spec| {
            spec.options
                .iter()
                .filter(|o| o.name == name)
                .map(|o| format!("{name}: an option of {}\n  {}", spec.usage(), o.describe()))
        })
        .collect();
    (!found.is_empty()).then(|| found.join("\n\n"))
}

/// The spec of exactly this name (`story`, `Story.split`).
pub fn get(name: &str) -> Option<&'static Spec> {
    all().find(|s| s.name == name)
}

/// The spec of a primitive (`story`) or member (`split`, `Story.split`).
pub fn find(name: &str) -> Option<&'static Spec> {
    get(name).or_else(|| all().find(|s| s.short_name() == name))
}

/// Every spec of that name: a primitive, and the members of each type so named (`pick` is both
/// `Story.pick` and `Scene.pick`); `Story.pick` finds that one only.
pub fn find_all(name: &str) -> Vec<&'static Spec> {
    if name.contains('.') {
        return get(name).into_iter().collect();
    }
    all()
        .filter(|s| s.name == name || s.short_name() == name)
        .collect()
}

/// Members (properties and methods) of a script type, for completion after `.`.
pub fn members_of(type_name: &str) -> impl Iterator<Item = &'static Spec> + '_ {
    all().filter(move |s| s.owner() == Some(type_name))
}

/// Top-level primitives (no type prefix).
pub fn primitives() -> impl Iterator<Item = &'static Spec> {
    all().filter(|s| s.owner().is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert!(members_of("Story").any(|s| s.short_name() == "scenes"));
        assert!(find("split").unwrap().option("max_words").is_some());
        assert!(primitives().any(|s| s.name == "story"));
        let picks: Vec<&str> = find_all("pick").iter().map(|s| s.name).collect();
        assert_eq!(picks, ["Story.pick", "Scene.pick"]);
        assert_eq!(find_all("s.characters").len(), 0);
        assert_eq!(find_all("Scene.characters").len(), 1);
    }

    #[test]
    fn names_are_unique_and_options_documented() {
        let mut names: Vec<&str> = all().map(|s| s.name).collect();
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count, "a spec name twice");
        for spec in all() {
            assert!(!spec.summary.is_empty(), "{} has no summary", spec.name);
            assert_eq!(
                spec.options.is_empty(),
                !spec.signature.contains("#{}"),
                "{}: options and the #{{}} of its signature go together",
                spec.name
            );
            for o in spec.options {
                assert!(
                    !o.meaning.is_empty(),
                    "{}: {} has no meaning",
                    spec.name,
                    o.name
                );
            }
        }
    }

    #[test]
    fn help_shows_each_option_with_its_default_and_meaning() {
        let help = get("Story.split").unwrap().help();
        assert!(
            help.starts_with("s.split(#{ by, max_words, min_words, sentences, marker }) -> Story"),
            "{help}"
        );
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with("max_words"))
            .unwrap();
        assert!(
            line.contains("default 45") && line.contains("from 1 to 10000"),
            "{line}"
        );
        let backend = get("backend").unwrap().help();
        for option in ["retry_for", "models", "apikey", "poll_secs", "nsfw"] {
            assert!(backend.contains(&format!("\n  {option} ")), "{backend}");
        }
        assert!(backend.contains("\"horde\""), "{backend}");
        let fps = option_help("fps").unwrap();
        assert!(
            fps.starts_with("fps: an option of render(story, #{ out,"),
            "{fps}"
        );
        assert!(
            fps.contains("frames per second — an integer from 1 to 120; default 30"),
            "{fps}"
        );
        assert_eq!(option_help("nothing"), None);
    }
}
