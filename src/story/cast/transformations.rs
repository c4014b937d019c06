//! A character changed into another form ("you will become a roebuck", "he was turned into a
//! frog", "the witch changed him into a raven") is that form from then on: the epithet entity of
//! the form, first written after the change, merges into the one who changed.

use std::collections::HashMap;

use super::entity::{Clusters, Origin};
use super::mentions::{Detail, RawMention};
use super::model::{Gender, Rule};
use super::tokens::Token;
use super::words::{ANIMAL_KINDS, TRANSFORMATION_VERBS};

/// The kind an animal word names ("roe", "roebuck" → deer), else the word itself.
fn kind(head: &str) -> &str {
    ANIMAL_KINDS.get(head).unwrap_or(head)
}

/// Auxiliaries and adverbs that may stand between the one who changes and the verb.
fn is_auxiliary(lower: &str) -> bool {
    matches!(
        lower,
        "will"
            | "shall"
            | "would"
            | "should"
            | "must"
            | "was"
            | "were"
            | "is"
            | "be"
            | "been"
            | "had"
            | "has"
            | "have"
            | "soon"
            | "then"
            | "now"
            | "at"
            | "once"
            | "suddenly"
    )
}

/// Modifiers looked past between "a" and the form's noun ("a wild young roebuck").
const MAX_MODIFIERS: usize = 3;

/// The token where the form's noun phrase ("a roebuck") starts, when the words after mention
/// `m` say it changes into that form: "will become", "was turned into", or, for an object,
/// "changed him into".
fn form_after(toks: &[Token], m: &RawMention) -> Option<usize> {
    let verb = |t: &Token| TRANSFORMATION_VERBS.get(&t.lower);
    let mut at = m.last + 1;
    // "changed him into a raven": the verb came before the one who changes.
    let before = m.first.checked_sub(1).map(|b| &toks[b]);
    if before.and_then(verb) == Some("into") && toks.get(at)?.lower == "into" {
        return Some(at + 1);
    }
    while toks.get(at).is_some_and(|t| is_auxiliary(&t.lower)) {
        at += 1;
    }
    let needs = verb(toks.get(at)?)?;
    at += 1;
    if needs == "into" {
        (toks.get(at)?.lower == "into").then_some(at + 1)
    } else {
        Some(at)
    }
}

/// The head noun of the indefinite noun phrase at `at` ("a young roebuck" → roebuck), among the
/// heads in `heads`.
fn form_head<'a>(
    toks: &'a [Token],
    at: usize,
    heads: &HashMap<&str, Vec<usize>>,
) -> Option<&'a str> {
    let det = toks.get(at)?;
    if !matches!(det.lower.as_str(), "a" | "an") {
        return None;
    }
    toks.get(at + 1..)?
        .iter()
        .take(MAX_MODIFIERS + 1)
        .take_while(|t| t.is_word && t.sentence == det.sentence)
        .map(|t| kind(&t.lower))
        .find(|w| heads.contains_key(w))
}

/// Merges the form's epithet entity into the one who changed into it.
pub(crate) fn merge_new_forms(toks: &[Token], mentions: &[RawMention], clusters: &mut Clusters) {
    // Per singular head: the live epithet entities written with it, each with its first token
    // and whether every one of its epithets has that head.
    let mut first: HashMap<usize, usize> = HashMap::new();
    let mut heads_of: HashMap<usize, Vec<&str>> = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        let Some(e) = clusters.live(i) else { continue };
        let f = first.entry(e).or_insert(m.first);
        *f = (*f).min(m.first);
        if let Detail::Nominal {
            head,
            plural: false,
            ..
        } = &m.detail
        {
            let heads = heads_of.entry(e).or_default();
            if !heads.contains(&head.as_str()) {
                heads.push(head.as_str());
            }
        }
    }
    let mut by_head: HashMap<&str, Vec<usize>> = HashMap::new();
    for (&e, heads) in &heads_of {
        if let ([head], Origin::Nominal) = (heads.as_slice(), clusters.entities[e].origin) {
            by_head.entry(kind(head)).or_default().push(e);
        }
    }
    let mut merges: HashMap<usize, usize> = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        let Some(who) = clusters.live(i) else {
            continue;
        };
        if clusters.entities[who].gender() == Gender::Plural {
            continue;
        }
        let Some(at) = form_after(toks, m) else {
            continue;
        };
        let Some(head) = form_head(toks, at, &by_head) else {
            continue;
        };
        // The form written after the change only: an earlier roebuck was another.
        let forms = by_head[head]
            .iter()
            .copied()
            .filter(|&f| f != who && first[&f] > m.last && !merges.contains_key(&f));
        for f in forms.collect::<Vec<_>>() {
            merges.insert(f, who);
        }
    }
    for (gone, target) in merges {
        clusters.merge(gone, target, Rule::NewForm);
        // "his sister" of the roebuck is the sister of the one who became it.
        for entity in &mut clusters.entities {
            if entity.owner == Some(gone) {
                entity.owner = Some(target);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::story::cast::{analyze, Rule};

    #[test]
    fn a_form_taken_on_is_the_one_who_changed() {
        let text = "The prince walked in the wood with his sister. The prince was thirsty, and \
                    the prince drank from the spring.\n\nThe witch laughed: \"Now you will become \
                    a raven!\" cried she to the prince. At once a black raven sat on the stone. \
                    The raven cried, and the raven flew to the sister. The sister wept over the \
                    raven.";
        let cast = analyze(text);
        let prince = cast.find("the prince").expect("the prince");
        let raven = text.find("The raven cried").unwrap();
        let m = prince.mentions.iter().find(|m| m.start == raven);
        assert_eq!(m.map(|m| m.linked), Some(Rule::NewForm), "{cast:?}");
    }

    #[test]
    fn a_form_is_known_by_any_word_for_its_kind() {
        let text = "The boy and his sister ran into the forest. The boy was thirsty.\n\n\
                    \"If you drink, you will become a roebuck,\" said the sister to the boy. But \
                    the boy drank. Then the little roe wept, and the sister stroked the roe. \
                    \"I am cold,\" said the roe. The roe slept by the fire, and the roe dreamed.";
        let cast = analyze(text);
        let boy = cast.find("the boy").expect("the boy");
        let roe = text.find("the little roe").unwrap();
        let m = boy.mentions.iter().find(|m| m.start == roe);
        assert_eq!(m.map(|m| m.linked), Some(Rule::NewForm), "{cast:?}");
    }
}
