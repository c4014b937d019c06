//! Possessive noun phrases as characters: "his wife", "Mary's father". The owner is known once
//! the possessive pronoun or name is resolved, so the phrase is keyed by (owner, noun); a spouse
//! or parent sharing the owner's surname ("Mrs. Bennet") or a linked title ("Uncle John") wins.

use super::entity::Origin;
use super::mentions::Detail;
use super::model::Gender;
use super::pronouns::Resolver;

/// Heads naming a relative who bears the owner's surname: (gender, is a spouse). "his wife" of
/// Mr. Bennet is Mrs. Bennet; "Jock's mother" of Jock McChesney is Mrs. McChesney.
fn family_gender(head: &str) -> Option<(Gender, bool)> {
    match head {
        "wife" | "lady" | "widow" => Some((Gender::Female, true)),
        "husband" => Some((Gender::Male, true)),
        "mother" => Some((Gender::Female, false)),
        "father" => Some((Gender::Male, false)),
        _ => None,
    }
}

impl Resolver<'_> {
    /// The entity owning a possessive noun phrase: the pronoun or name right before it.
    pub(super) fn owner(&self, i: usize, determiner: &str) -> Option<usize> {
        let prev = i.checked_sub(1)?;
        let p = &self.mentions[prev];
        let m = &self.mentions[i];
        let adjacent = match determiner {
            "'s" => p.last + 2 == m.first,
            _ => p.last + 1 == m.first && matches!(p.detail, Detail::Pronoun(_)),
        };
        let owner = self.clusters.live(prev).filter(|_| adjacent)?;
        // "their father" of "the girls" is the father of each girl, someone known by name far
        // more often than a new character.
        let entity = &self.clusters.entities[owner];
        let epithet_group = entity.origin != Origin::Group && entity.gender() == Gender::Plural;
        (!epithet_group).then_some(owner)
    }

    pub(super) fn relation(
        &mut self,
        owner: usize,
        head: &str,
        gender: Gender,
        plural: bool,
    ) -> usize {
        let key = (owner, head.to_string());
        if let Some(&e) = self.relations.get(&key) {
            return e;
        }
        let spouse = family_gender(head).and_then(|(g, spouse)| {
            let owner_entity = &self.clusters.entities[owner];
            let (surname, owner_gender) = (owner_entity.surname.clone()?, owner_entity.gender());
            // A spouse has the other gender; a parent is anyone but the owner.
            (!spouse || owner_gender != g).then_some(())?;
            self.by_surname
                .get(&(surname, g))
                .copied()
                .filter(|&e| e != owner)
        });
        // "his uncle" in a story with an "Uncle John": the linked name, if only one.
        let linked = self
            .clusters
            .head_links
            .get(head)
            .filter(|l| l.len() == 1 && !plural && l[0] != owner)
            .map(|l| l[0]);
        let e = spouse.or(linked).unwrap_or_else(|| {
            let e = self.clusters.add(Origin::Relational);
            let entity = &mut self.clusters.entities[e];
            entity.owner = Some(owner);
            entity.vote(gender, 2.0);
            if plural {
                entity.votes_plural += 2.0;
            }
            e
        });
        self.relations.insert(key, e);
        e
    }
}
