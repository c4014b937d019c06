//! Groups that a following "they" can refer to: characters joined by "and" ("Holmes and
//! Watson"), and plural epithets ("the sisters").

use super::entity::{Entity, Origin};
use super::mentions::Detail;
use super::model::{Gender, MentionKind, Rule};
use super::pronouns::{weight, Resolver};

impl Resolver<'_> {
    /// "Holmes and Watson": a group that a following "they" can refer to.
    pub(super) fn form_group(&mut self, i: usize, a: usize) {
        let m = &self.mentions[i];
        let Some(next) = self.mentions.get(i + 1) else {
            return;
        };
        let joined = self.toks.get(m.last + 1).is_some_and(|t| t.lower == "and")
            && next.first == m.last + 2
            && !matches!(next.detail, Detail::Pronoun(_))
            && !matches!(m.detail, Detail::Pronoun(_));
        let Some(b) = self.clusters.live(i + 1).filter(|&b| joined && b != a) else {
            return;
        };
        let key = (a.min(b), a.max(b));
        let clusters = &mut *self.clusters;
        let g = *self.groups.entry(key).or_insert_with(|| {
            let g = clusters.add(Origin::Group);
            clusters.entities[g].votes_plural += 10.0;
            g
        });
        self.clusters
            .extra
            .push((m.first, next.last, g, MentionKind::Name, Rule::Group));
        self.bump(g, weight(m), m.first);
    }
}

/// Whether "they" may mean `entity`: a pair joined by "and", or a plural epithet ("the sisters",
/// "his men"). A plural name stays out: "the Alps" is as likely as "the Ambersons".
pub(super) fn can_be_they(entity: &Entity) -> bool {
    match entity.origin {
        Origin::Group => true,
        Origin::Nominal | Origin::Relational => entity.gender() == Gender::Plural,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::story::cast::{analyze, MentionKind};

    fn they_resolved_to(text: &str, name: &str) -> usize {
        let cast = analyze(text);
        let c = cast
            .find(name)
            .unwrap_or_else(|| panic!("{name} missing: {cast:?}"));
        c.mentions
            .iter()
            .filter(|m| m.kind == MentionKind::Pronoun && &text[m.start..m.end] == "They")
            .count()
    }

    #[test]
    fn they_refers_to_a_pair_joined_by_and() {
        let text = "Then Hansel and Gretel walked into the wood. They were hungry. They sat down. Soon Hansel \
                    wept, and Gretel sang.";
        assert_eq!(they_resolved_to(text, "Hansel and Gretel"), 2);
    }

    #[test]
    fn they_refers_to_a_plural_epithet_just_mentioned() {
        let text = "The sisters rose to the surface. The sisters sang to the sailors on the \
                    ships. Once more the sisters swam up. They laughed at the storm.";
        assert_eq!(they_resolved_to(text, "the sisters"), 1);
    }

    #[test]
    fn their_father_of_an_epithet_group_is_no_new_character() {
        let text = "The girls ran in. The girls laughed. The girls sat down. Their father \
                    smiled, and their father spoke, and their father left.";
        let cast = analyze(text);
        assert!(
            cast.characters
                .iter()
                .all(|c| !c.name.contains("girls's father")),
            "{cast:?}"
        );
    }
}
