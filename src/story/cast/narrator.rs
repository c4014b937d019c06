//! Naming the narrator: "my name is Pip", "call me Ishmael", a letter signed "Sallie McBride."
//! after "Yours ever,", or a name only ever heard addressed in dialogue ("Really, Watson, …") and
//! never used by the narration.

use super::entity::Origin;
use super::mentions::Detail;
use super::model::Rule;
use super::pronouns::Resolver;

impl Resolver<'_> {
    /// "My name is Pip", or others answering the narrator with "Pip": the narrator is Pip.
    pub(super) fn name_the_narrator(&mut self) {
        let Some(narrator) = self.narrator else {
            return;
        };
        for (i, m) in self.mentions.iter().enumerate() {
            if self.toks[m.first].in_quote || !matches!(m.detail, Detail::Name { .. }) {
                continue;
            }
            let before: Vec<&str> = self.toks[m.first.saturating_sub(3)..m.first]
                .iter()
                .map(|t| t.lower.as_str())
                .collect();
            let introduces = matches!(
                before.as_slice(),
                [.., "my", "name", "is" | "was"]
                    | [.., "call", "me"]
                    | [.., "called", "me"]
                    | [.., "named", "me"]
                    | [.., "called", "myself"]
            );
            let introduces = introduces || self.is_signature(m.first, m.last);
            if let (true, Some(e)) = (introduces, self.clusters.live(i)) {
                *self.narrator_names.entry(e).or_default() += 2;
            }
        }
        // A name only ever heard addressed in dialogue ("Really, Watson, …") and never used by
        // the narration belongs to the one who tells the story.
        let mut narrated = vec![false; self.clusters.entities.len()];
        for (i, m) in self.mentions.iter().enumerate() {
            if let (Detail::Name { .. }, false, Some(e)) = (
                &m.detail,
                self.toks[m.first].in_quote,
                self.clusters.live(i),
            ) {
                narrated[e] = true;
            }
        }
        for (&e, &n) in &self.vocatives {
            if n >= 2 && !narrated[e] {
                *self.narrator_names.entry(e).or_default() += n;
            }
        }
        let best = self
            .narrator_names
            .iter()
            .filter(|(&e, _)| e != narrator && self.clusters.entities[e].origin == Origin::Named)
            .max_by_key(|(&e, &v)| (v, std::cmp::Reverse(e)))
            .map(|(&e, &v)| (e, v));
        let all_votes: u32 = self.narrator_names.values().sum();
        if let Some((named, votes)) = best {
            // Clear evidence only: most votes, at least two, and twice all the others together.
            if votes >= 2 && votes * 3 >= all_votes * 2 {
                self.clusters.merge(narrator, named, Rule::NarratorSigned);
            }
        }
    }

    /// A name alone in its paragraph right after a paragraph ending in a comma ("Yours ever,"):
    /// the signature of a letter, whose writer is the "I" of the narration.
    fn is_signature(&self, first: usize, last: usize) -> bool {
        let p = self.toks[first].paragraph;
        let (Some(&(from, to)), Some(prev)) = (self.paragraphs.get(p), p.checked_sub(1)) else {
            return false;
        };
        let alone = from == first && self.toks[last + 1..to].iter().all(|t| !t.is_word);
        let after_closing = self
            .paragraphs
            .get(prev)
            .is_some_and(|&(a, b)| b > a && self.toks[b - 1].lower == ",");
        alone && after_closing
    }
}

#[cfg(test)]
mod tests {
    use crate::story::cast::analyze;

    #[test]
    fn the_signature_of_a_letter_names_the_narrator() {
        let text = "Dear Judy,\n\nI arrived today as the new head, Sallie McBride. I met Gordon, and Gordon \
                    frowned at me. I laughed.\n\nYours ever,\n\nSallie McBride.\n\nDear Judy,\n\nI am tired, and \
                    I shall sleep.\n\nAffectionately,\n\nSallie McBride.";
        let cast = analyze(text);
        let sallie = cast.find("Sallie McBride").expect("Sallie");
        let i = text.find("I arrived").unwrap();
        assert!(sallie.mentions.iter().any(|m| m.start == i), "{cast:?}");
    }
}
