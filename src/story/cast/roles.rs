//! A plain noun ("the man", "the woman", "the peasant") for the household's one parent or spouse of
//! that gender: tales call the father "the man" a few lines after "the father", and the pair are
//! one person, not two. Only when the plain noun came first: a man met after "the father" is
//! someone else.

use std::collections::HashMap;

use super::entity::{Clusters, Origin};
use super::mentions::{Detail, RawMention};
use super::model::{Gender, Rule};
use super::words::{GENERIC_ROLE_NOUNS, HOUSEHOLD_KIN, KIN_NOUNS, PLAIN_CHILD_NOUNS};

/// Whether `head` ("step-mother", "man") is in `list`, by its last part.
fn last_part_in(list: &super::words::WordList, head: &str) -> bool {
    list.contains(head.rsplit('-').next().unwrap_or(head))
}

/// Merges each plain-noun entity into the one household-kin entity of its gender, when the text
/// has exactly one and the plain noun came first: "a rich man" is later "the father", while a man
/// met after the father is someone else.
pub(crate) fn merge_generic_into_household(mentions: &[RawMention], clusters: &mut Clusters) {
    // Per live entity: the token of its first mention.
    let mut first: HashMap<usize, usize> = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        if let Some(e) = clusters.live(i) {
            let f = first.entry(e).or_insert(m.first);
            *f = (*f).min(m.first);
        }
    }
    let met_before = |e: usize, t: usize| match (first.get(&e), first.get(&t)) {
        (Some(a), Some(b)) => a < b,
        _ => false,
    };
    // Per live nominal entity: whether all its heads are plain nouns, and whether any is kin.
    let mut generic: HashMap<usize, bool> = HashMap::new();
    let mut kin: HashMap<usize, bool> = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        let (Some(e), Detail::Nominal { head, .. }) = (clusters.live(i), &m.detail) else {
            continue;
        };
        if clusters.entities[e].origin != Origin::Nominal {
            continue;
        }
        *generic.entry(e).or_insert(true) &= last_part_in(&GENERIC_ROLE_NOUNS, head);
        *kin.entry(e).or_insert(false) |= last_part_in(&HOUSEHOLD_KIN, head);
    }
    let household = |g: Gender| -> Vec<usize> {
        let mut of: Vec<usize> = kin
            .iter()
            .filter(|&(&e, &k)| k && clusters.entities[e].gender() == g)
            .map(|(&e, _)| e)
            .collect();
        of.sort_unstable();
        of
    };
    let mut merges: Vec<(usize, usize)> = Vec::new();
    for (&e, _) in generic.iter().filter(|&(_, &g)| g) {
        let g = clusters.entities[e].gender();
        if !matches!(g, Gender::Male | Gender::Female) {
            continue;
        }
        if let [target] = household(g)[..] {
            if target != e && met_before(e, target) {
                merges.push((e, target));
            }
        }
    }
    for (gone, target) in merges {
        clusters.merge(gone, target, Rule::HouseholdRole);
    }
}

/// Merges each possessive relative ("the Griffin's wife", and "his wife" for a spouse) into the
/// one epithet entity the tale calls by that kin word ("the wife" … "the woman"), when there is
/// exactly one such entity of a fitting gender and it is not the owner: the tale's one wife is
/// the wife whose owner it names. "his sister" too, when "his" is someone the tale calls by a kin
/// word ("the brother"): the siblings of a tale told by kin words are its one brother and sister.
pub(crate) fn merge_relative_into_epithet(mentions: &[RawMention], clusters: &mut Clusters) {
    // Per live relational entity: its kin word, and whether a name or epithet owns it ("X's").
    let mut relatives: HashMap<usize, (&str, bool)> = HashMap::new();
    // Per kin word: the live nominal entities written "the WORD".
    let mut by_head: HashMap<&str, Vec<usize>> = HashMap::new();
    let kin = |head: &str| last_part_in(&HOUSEHOLD_KIN, head) || last_part_in(&KIN_NOUNS, head);
    // Live nominal entities the tale calls by a kin word ("the brother").
    let mut kin_called: Vec<usize> = Vec::new();
    for (i, m) in mentions.iter().enumerate() {
        let (
            Some(e),
            Detail::Nominal {
                head,
                determiner,
                plural: false,
                ..
            },
        ) = (clusters.live(i), &m.detail)
        else {
            continue;
        };
        if clusters.entities[e].origin == Origin::Nominal
            && determiner == "the"
            && last_part_in(&KIN_NOUNS, head)
            && !kin_called.contains(&e)
        {
            kin_called.push(e);
        }
        match clusters.entities[e].origin {
            Origin::Relational => {
                let slot = relatives.entry(e).or_insert((head.as_str(), false));
                slot.1 |= determiner == "'s";
            }
            Origin::Nominal if determiner == "the" && kin(head) => {
                let list = by_head.entry(head.as_str()).or_default();
                if !list.contains(&e) {
                    list.push(e);
                }
            }
            _ => {}
        }
    }
    let mut merges: Vec<(usize, usize)> = Vec::new();
    for (&r, &(head, named_owner)) in &relatives {
        // "his wife" too, a spouse being one per household; "his mother" may be a mother long
        // dead beside "the mother" who is a step-mother.
        let spouse = HOUSEHOLD_KIN.get(head) == Some("spouse");
        let owner = clusters.entities[r].owner;
        // "his sister" of "the brother": both known by kin words, the one sister of the tale.
        let kin_pair =
            owner.is_some_and(|o| kin_called.contains(&o)) && last_part_in(&KIN_NOUNS, head);
        let household = last_part_in(&HOUSEHOLD_KIN, head);
        if !(named_owner && household || spouse || kin_pair) {
            continue;
        }
        let gender = clusters.entities[r].gender();
        let fits = |&&e: &&usize| {
            let g = clusters.entities[e].gender();
            Some(e) != owner && (g == gender || g == Gender::Unknown || gender == Gender::Unknown)
        };
        let candidates: Vec<&usize> = by_head
            .get(head)
            .into_iter()
            .flatten()
            .filter(fits)
            .collect();
        if let [&target] = candidates[..] {
            merges.push((r, target));
        }
    }
    for (gone, target) in merges {
        clusters.merge(gone, target, Rule::KnownRelative);
    }
}

/// Merges a plain noun for a child ("the girl") into the tale's one entity called by the kin
/// word it stands for ("the daughter"), whichever came first: a tale's girl beside its one
/// daughter is mostly that daughter.
pub(crate) fn merge_plain_child_into_kin(mentions: &[RawMention], clusters: &mut Clusters) {
    // Per live nominal entity: the kin word all its heads stand for, if one; and its kin words.
    let mut plain: HashMap<usize, Option<&str>> = HashMap::new();
    let mut by_kin: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        let (
            Some(e),
            Detail::Nominal {
                head,
                plural: false,
                ..
            },
        ) = (clusters.live(i), &m.detail)
        else {
            continue;
        };
        if clusters.entities[e].origin != Origin::Nominal {
            continue;
        }
        let stands_for = PLAIN_CHILD_NOUNS.get(head);
        let slot = plain.entry(e).or_insert(stands_for);
        if *slot != stands_for {
            *slot = None;
        }
        if KIN_NOUNS.contains(head) {
            let list = by_kin.entry(head.as_str()).or_default();
            if !list.contains(&e) {
                list.push(e);
            }
        }
    }
    let mut merges: Vec<(usize, usize)> = Vec::new();
    for (&e, kin) in &plain {
        let Some(kin) = kin else { continue };
        if let Some([target]) = by_kin.get(kin).map(Vec::as_slice) {
            if *target != e {
                merges.push((e, *target));
            }
        }
    }
    for (gone, target) in merges {
        clusters.merge(gone, target, Rule::PlainChild);
    }
}

#[cfg(test)]
mod tests {
    use crate::story::cast::analyze;

    #[test]
    fn a_relative_named_through_its_owner_is_the_tales_one_such_epithet() {
        let text = "The giant lived in a castle on the hill. Tom came to the castle, but the wife \
                    was alone at home. The wife gave him bread, and the wife hid him in the oven.\n\n\
                    At night the giant came home and roared. The giant's wife said, \"Hush, you \
                    are dreaming.\" The giant slept, and the giant's wife let Tom out.";
        let cast = analyze(text);
        let wife = cast.find("the wife").expect("the wife");
        let later = text.find("wife said").unwrap();
        assert!(wife.mentions.iter().any(|m| m.start == later), "{cast:?}");
        let why = wife
            .mentions
            .iter()
            .find(|m| m.start == later)
            .unwrap()
            .linked;
        assert_eq!(why, crate::story::cast::Rule::KnownRelative);
    }

    #[test]
    fn his_sister_of_the_brother_is_the_sister() {
        let text = "The brother and the sister lived in the wood. The sister baked bread, and the \
                    brother cut wood. The brother sang.\n\nOne day the brother said to his \
                    sister, \"I will go to the town.\" The brother kissed his sister. The sister \
                    waited at the door, and the sister wept.";
        let cast = analyze(text);
        let sister = cast.find("the sister").expect("the sister");
        assert!(
            sister
                .mentions
                .iter()
                .any(|m| m.linked == crate::story::cast::Rule::KnownRelative),
            "{cast:?}"
        );
    }

    #[test]
    fn the_girl_is_the_tales_one_daughter() {
        let text = "A woodcutter had a daughter. The daughter lived with the woodcutter in the \
                    forest. The woodcutter cut wood all day, and the daughter cooked. The \
                    daughter sang.\n\nOne day a wolf came out of the dark wood. He was hungry. He \
                    ran past the oaks. He ran past the mill. He ran over the bridge. The wolf came \
                    to the hut, and he knocked. The girl opened the door, and the wolf looked at \
                    the girl. The girl screamed.";
        let cast = analyze(text);
        let daughter = cast.find("the daughter").expect("the daughter");
        let girl = text.find("The girl opened").unwrap();
        let m = daughter.mentions.iter().find(|m| m.start == girl);
        assert_eq!(
            m.map(|m| m.linked),
            Some(crate::story::cast::Rule::PlainChild),
            "{cast:?}"
        );
    }
}
