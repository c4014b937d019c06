//! Why a character is in a span of the text: each of its mentions there, the rule that found it
//! and the rule that joined it to this character. What `storyreel characters --explain` and
//! `s.why(…)` print, so that a user who disagrees sees which rule to overrule.

use super::model::{Cast, Mention, MentionKind};

impl Cast {
    /// One line per mention of character `id` inside the byte span `[start, end)` of `text`
    /// (the text the cast was made from); empty when it has none there.
    pub fn why_in(&self, text: &str, id: usize, start: usize, end: usize) -> Vec<String> {
        let Some(c) = self.characters.get(id) else {
            return Vec::new();
        };
        let i = c.mentions.partition_point(|m| m.start < start);
        c.mentions[i..]
            .iter()
            .take_while(|m| m.end <= end)
            .map(|m| explain_mention(text, m))
            .collect()
    }

    /// Who is in `[start, end)` and why: per present character, its name and the lines of
    /// [`Cast::why_in`].
    pub fn explain_span(&self, text: &str, start: usize, end: usize) -> Vec<(usize, Vec<String>)> {
        self.present_in(start, end)
            .into_iter()
            .map(|id| (id, self.why_in(text, id, start, end)))
            .collect()
    }
}

/// Why the character known by any of `names` is (or is not) in the byte span `[start, end)` of
/// `text`, as lines of text; `None` when detection found no character by those names.
pub fn why(text: &str, names: &[&str], start: usize, end: usize) -> Option<String> {
    let cast = super::analyze(text);
    let c = names.iter().find_map(|n| cast.find(n))?;
    let lines = cast.why_in(text, c.id, start, end);
    let present = cast.present_in(start, end).contains(&c.id);
    let mut out = if present {
        format!("{} is here, found by these mentions:", c.name)
    } else if lines.is_empty() {
        format!("{} is not here: no mention of them in this span", c.name)
    } else {
        format!("{} is not here: only named as an owner", c.name)
    };
    for line in lines {
        out.push_str("\n  ");
        out.push_str(&line);
    }
    if !c.aliases.is_empty() {
        out.push_str(&format!(
            "\n{} also stands for: {}",
            c.name,
            c.aliases.join(", ")
        ));
    }
    Some(out)
}

fn explain_mention(text: &str, m: &Mention) -> String {
    let words = text
        .get(m.start..m.end)
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let kind = match m.kind {
        MentionKind::Name => "name",
        MentionKind::Nominal => "epithet",
        MentionKind::Pronoun => "pronoun",
    };
    let owner = if m.possessive {
        "; an owner only (\"X's …\"), which does not place them here"
    } else {
        ""
    };
    format!(
        "\"{words}\" ({kind} at byte {}): found as {}; joined as {}{owner}",
        m.start,
        m.found.describe(),
        m.linked.describe()
    )
}

#[cfg(test)]
mod tests {
    use crate::story::cast::{analyze, Rule};

    #[test]
    fn each_mention_names_the_rules_that_found_and_joined_it() {
        let text = "Long ago there lived a shepherd called Aram. Aram kept sheep on the hills.\n\n\
                    One evening Aram sang. He was happy.";
        let cast = analyze(text);
        let aram = cast.find("Aram").expect("Aram");
        let shepherd = text.find("a shepherd").unwrap();
        let m = aram
            .mentions
            .iter()
            .find(|m| m.start == shepherd)
            .expect("a shepherd is Aram");
        assert_eq!(
            (m.found, m.linked),
            (Rule::CharacterNoun, Rule::NamedOnTheSpot)
        );
        let second = text.find("One evening").unwrap();
        let lines = cast.why_in(text, aram.id, second, text.len());
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("\"Aram\"") && l.contains("capitalised name")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("\"He\"") && l.contains("most salient")),
            "{lines:?}"
        );
    }
}
