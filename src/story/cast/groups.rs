//! Groups joined by "and" ("Holmes and Watson"), which a following "they" can refer to.

use super::entity::Origin;
use super::mentions::Detail;
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
        self.clusters.extra.push((m.first, next.last, g));
        self.bump(g, weight(m), m.first);
    }
}
