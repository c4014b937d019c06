//! Matching a name a person wrote to the names a server lists: exact, then
//! ignoring case, then by file stem; otherwise an error that lists what the
//! server has, with the closest name as "did you mean".

/// The listed name `wanted` stands for, if any.
pub fn find<'a>(wanted: &str, listed: &'a [String]) -> Option<&'a str> {
    let stem = |name: &str| -> String {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let base = base.split(" [").next().unwrap_or(base);
        base.rsplit_once('.')
            .map_or(base, |(stem, _)| stem)
            .to_lowercase()
    };
    listed
        .iter()
        .find(|name| *name == wanted)
        .or_else(|| listed.iter().find(|name| name.eq_ignore_ascii_case(wanted)))
        .or_else(|| listed.iter().find(|name| stem(name) == stem(wanted)))
        .map(String::as_str)
}

/// The listed name closest to `wanted`, when it is close enough to be a slip.
pub fn closest<'a>(wanted: &str, listed: &'a [String]) -> Option<&'a str> {
    let wanted = wanted.to_lowercase();
    listed
        .iter()
        .map(|name| (strsim::jaro_winkler(&wanted, &name.to_lowercase()), name))
        .filter(|(score, _)| *score >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name.as_str())
        // A short name for a long file: "sd15" for "sd15-random-f16.safetensors".
        .or_else(|| {
            listed
                .iter()
                .find(|name| wanted.len() >= 3 && name.to_lowercase().starts_with(&wanted))
                .map(String::as_str)
        })
}

/// The listed name `wanted` is almost certainly a slip of (a letter or two off), as
/// opposed to a name the list does not have yet.
pub fn typo_of<'a>(wanted: &str, listed: &'a [String]) -> Option<&'a str> {
    let wanted = wanted.to_lowercase();
    listed
        .iter()
        .map(|name| (strsim::jaro_winkler(&wanted, &name.to_lowercase()), name))
        .filter(|(score, _)| *score >= 0.93)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name.as_str())
}

/// "it has: a, b, c; did you mean b?" (at most 20 names, then a count).
pub fn listing(wanted: &str, listed: &[String]) -> String {
    if listed.is_empty() {
        return "it lists none".into();
    }
    let mut shown: Vec<String> = listed.iter().take(20).map(|n| format!("{n:?}")).collect();
    if listed.len() > 20 {
        shown.push(format!("and {} more", listed.len() - 20));
    }
    let hint = closest(wanted, listed)
        .map(|name| format!("; did you mean {name:?}?"))
        .unwrap_or_default();
    format!("it has {}{hint}", shown.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn names_match_exactly_then_by_case_then_by_stem() {
        let listed = list(&[
            "chars/hero.safetensors",
            "Euler a",
            "v1-5.ckpt [6ce0161689]",
        ]);
        assert_eq!(find("euler A", &listed), Some("Euler a"));
        assert_eq!(find("hero", &listed), Some("chars/hero.safetensors"));
        assert_eq!(find("v1-5", &listed), Some("v1-5.ckpt [6ce0161689]"));
        assert_eq!(find("villain", &listed), None);
    }

    #[test]
    fn a_listing_suggests_the_closest_name() {
        let listed = list(&["euler", "dpmpp_2m", "dpmpp_2m_sde"]);
        let text = listing("dpmpp2m", &listed);
        assert!(
            text.contains("\"euler\"") && text.contains("did you mean \"dpmpp_2m\"?"),
            "{text}"
        );
        assert!(!listing("zzzzzz", &listed).contains("did you mean"));
        // A short name for a long file name.
        let files = list(&["sd15-random-f16.safetensors", "sdxl-base.safetensors"]);
        assert!(listing("sd15", &files).contains("did you mean \"sd15-random-f16.safetensors\"?"));
    }

    #[test]
    fn only_a_near_miss_is_a_typo() {
        let listed = list(&["Deliberate", "AlbedoBase XL (SDXL)"]);
        assert_eq!(typo_of("Deliberat", &listed), Some("Deliberate"));
        assert_eq!(typo_of("Juggernaut XL", &listed), None);
    }
}
