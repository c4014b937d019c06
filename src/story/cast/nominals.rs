//! Clusters common-noun mentions ("the dragon", "the fierce dragon") and links them to a name only
//! through strong patterns: "the dragon Fafner", "Fafner, the dragon", "Mime the dwarf",
//! "Fafner was a dragon",
//! or a name that ends in the noun ("the Sea Witch" → "the witch").

use std::collections::HashMap;

use super::entity::{Clusters, Origin};
use super::mentions::{Detail, RawMention};
use super::model::Rule;
use super::realms;
use super::tokens::Token;
use super::tuning::INTRODUCTION_REACH;

/// Determiners whose noun phrase refers back to a known character.
fn is_definite(det: &str) -> bool {
    matches!(det, "the" | "this" | "that")
}

/// Words after which "a man" describes someone already known rather than introducing anyone.
fn is_predicative(lower: &str) -> bool {
    super::words::PREDICATIVE_WORDS.contains(lower)
}

/// Heads of nominal mentions that name a character when a name pattern links them.
fn links_by_pattern(
    toks: &[Token],
    mentions: &[RawMention],
    clusters: &Clusters,
    direct: &mut HashMap<usize, usize>,
) -> HashMap<String, Vec<usize>> {
    let mut links: HashMap<String, Vec<usize>> = HashMap::new();
    let mut add = |head: &str, e: usize| {
        let list = links.entry(head.to_string()).or_default();
        if !list.contains(&e) {
            list.push(e);
        }
    };
    for (i, m) in mentions.iter().enumerate() {
        let Detail::Nominal {
            head,
            plural,
            determiner,
            ..
        } = &m.detail
        else {
            continue;
        };
        if *plural {
            continue;
        }
        // "the dragon Fafner", "a shepherd called Aram"
        if let Some(next) = mentions.get(i + 1) {
            let gap: Vec<&str> = toks[m.last + 1..next.first.max(m.last + 1)]
                .iter()
                .map(|t| t.lower.as_str())
                .collect();
            if gap.is_empty() || (is_naming_gap(&gap)) {
                if let Some(e) = name_entity(next, i + 1, clusters) {
                    add(head, e);
                    if !gap.is_empty() {
                        direct.insert(i, e);
                    }
                    continue;
                }
            }
        }
        let Some(prev) = i.checked_sub(1).map(|p| (p, &mentions[p])) else {
            continue;
        };
        let Some(e) = name_entity(prev.1, prev.0, clusters) else {
            continue;
        };
        let between: Vec<&str> = toks[prev.1.last + 1..m.first]
            .iter()
            .map(|t| t.lower.as_str())
            .collect();
        // "Fafner, the dragon" / "Fafner was a dragon" / "Fafner became the dragon"
        let apposition = between == [","];
        let copula = matches!(
            between.as_slice(),
            ["was"] | ["is"] | ["became"] | ["becomes"] | ["was", "now"] | ["is", "now"]
        );
        // "Mime the dwarf", "Alfred the king": a name with a definite epithet right after it.
        let epithet = between.is_empty() && determiner == "the";
        if apposition || copula || epithet {
            add(head, e);
        }
    }
    // "Gunther, King of Burgundy", "Hagan, liegeman of Gunther": a bare noun in apposition.
    for (i, m) in mentions.iter().enumerate() {
        if let Some(e) = name_entity(m, i, clusters) {
            if let Some(noun) = bare_apposition(toks, m.last + 1) {
                add(noun, e);
            }
        }
    }
    // A name ending in a character noun lends it to the bare noun ("Sea King" → "the king").
    for (i, m) in mentions.iter().enumerate() {
        if let (Detail::Name { words, title, .. }, Some(e)) = (&m.detail, clusters.of_mention[i]) {
            // "Dr. Archie" is "the doctor"; "Sea King" is "the king".
            let noun = title
                .as_deref()
                .map(expand_title)
                .or(words.last().map(String::as_str));
            if let Some(noun) = noun {
                if super::lexicon::character_noun(noun).is_some_and(|(_, plural)| !plural) {
                    add(noun, e);
                }
            }
        }
    }
    links
}

/// Words that give a name to the noun phrase before them: "a shepherd called Aram", "a son,
/// who was named Seame".
fn is_naming_gap(gap: &[&str]) -> bool {
    let gap = match gap {
        [",", rest @ ..] => rest,
        _ => gap,
    };
    matches!(
        gap,
        ["called"]
            | ["named"]
            | ["by", "name"]
            | ["who", "was", "called" | "named"]
            | ["whose", "name", "was"]
    )
}

/// The singular character noun of ", NOUN of …" starting at token `at`, without a determiner.
fn bare_apposition(toks: &[Token], at: usize) -> Option<&str> {
    let [comma, noun, of] = toks.get(at..at + 3)? else {
        return None;
    };
    let singular = super::lexicon::character_noun(&noun.lower).is_some_and(|(_, p)| !p);
    (comma.lower == "," && noun.is_word && singular && of.lower == "of").then_some(&noun.lower)
}

/// The noun behind an abbreviated title.
fn expand_title(title: &str) -> &str {
    match title {
        "dr" => "doctor",
        "capt" => "captain",
        "col" => "colonel",
        "gen" => "general",
        "prof" => "professor",
        "rev" => "reverend",
        other => other,
    }
}

fn name_entity(m: &RawMention, index: usize, clusters: &Clusters) -> Option<usize> {
    match m.detail {
        Detail::Name { .. } => clusters.of_mention[index],
        _ => None,
    }
}

/// Adjectives that tell two people with the same noun apart ("the old man", "the young man");
/// descriptive ones ("the handsome prince", "the beautiful prince") do not.
fn is_contrastive(w: &str) -> bool {
    super::words::CONTRASTIVE_ADJECTIVES.contains(w)
}

/// Two modifier lists describe different people when both carry contrastive adjectives and
/// share none of them.
fn conflicting(a: &[String], b: &[String]) -> bool {
    let ca: Vec<&String> = a.iter().filter(|w| is_contrastive(w)).collect();
    let cb: Vec<&String> = b.iter().filter(|w| is_contrastive(w)).collect();
    !ca.is_empty() && !cb.is_empty() && !ca.iter().any(|x| cb.contains(x))
}

struct NominalCluster {
    entity: usize,
    modifiers: Vec<String>,
    last_mention: usize,
    /// Sentence of the indefinite phrase that introduced it, while that is its only mention.
    introduced_in: Option<usize>,
}

/// Royal titles whose child has a title of its own.
fn is_royal(lower: &str) -> bool {
    super::words::ROYAL_TITLES.contains(lower)
}

/// "the king's daughter" is the princess of the story, "the king's son" its prince, where the
/// text uses that title: (head, gender).
fn royal_child(
    toks: &[Token],
    m: &RawMention,
    head: &str,
    titles: &[&str],
) -> Option<(&'static str, super::model::Gender)> {
    let owner = m.first.checked_sub(2).map(|o| &toks[o])?;
    if toks[m.first - 1].lower != "'s" && toks[m.first - 1].lower != "’s" {
        return None;
    }
    if !is_royal(&owner.lower) || owner.capitalised && !owner.sentence_initial {
        return None;
    }
    let has = |t: &str| titles.contains(&t);
    let title = match head {
        "daughter" => "princess",
        "son" => "prince",
        "child" if has("princess") && !has("prince") => "princess",
        "child" if has("prince") && !has("princess") => "prince",
        _ => return None,
    };
    let gender = super::lexicon::character_noun(title)?.0;
    has(title).then_some((title, gender))
}

pub(crate) fn cluster_nominals(toks: &[Token], mentions: &[RawMention], clusters: &mut Clusters) {
    let titles: Vec<&str> = mentions
        .iter()
        .filter_map(|m| match &m.detail {
            Detail::Nominal { head, plural, .. } if !plural => Some(head.as_str()),
            _ => None,
        })
        .filter(|h| matches!(*h, "princess" | "prince"))
        .collect();
    // Mentions named on the spot ("a shepherd called Aram") belong to that name.
    let mut direct: HashMap<usize, usize> = HashMap::new();
    let links = links_by_pattern(toks, mentions, clusters, &mut direct);
    clusters.head_links = links.clone();
    let realm_links = realms::realm_links(toks, mentions, &clusters.of_mention);
    let mut by_head: HashMap<String, Vec<NominalCluster>> = HashMap::new();
    let mut last_seen: HashMap<usize, usize> = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        if let Some(e) = clusters.of_mention[i] {
            last_seen.insert(e, i);
            continue;
        }
        let Detail::Nominal {
            determiner,
            head,
            modifiers,
            gender,
            plural,
        } = &m.detail
        else {
            continue;
        };
        if let Some(&named) = direct.get(&i) {
            clusters.link(i, Some(named), Rule::NamedOnTheSpot);
            last_seen.insert(named, i);
            continue;
        }
        let royal = (determiner == "'s")
            .then(|| royal_child(toks, m, head, &titles))
            .flatten();
        let royal_head: (String, super::model::Gender, String);
        let (head, gender, determiner) = match royal {
            Some((title, g)) => {
                royal_head = (title.to_string(), g, "the".to_string());
                (&royal_head.0, &royal_head.1, &royal_head.2)
            }
            None => (head, gender, determiner),
        };
        // Narrator-relative kin ("my father") are stable; other possessives depend on whose.
        let narrator_kin = determiner == "my" && !toks[m.first].in_quote;
        // "A young man came in": an indefinite phrase introduces someone new (never the man
        // met before), unless it is a predicate ("he was a good man") or a comparison.
        // Inside quotes "a frog" is mostly any frog ("What does a frog want?").
        let introduces = matches!(determiner.as_str(), "a" | "an")
            && !*plural
            && !toks[m.first].in_quote
            && !m
                .first
                .checked_sub(1)
                .is_some_and(|p| is_predicative(&toks[p].lower));
        if !is_definite(determiner) && !narrator_kin && !introduces {
            continue;
        }
        // "the King of Burgundy" is the one name linked with that realm, else a king of its own.
        let realm = realms::realm_after(toks, m.last);
        if let Some(realm) = realm {
            if let Some(&named) = realm_links.get(&(head.clone(), realm.to_string())) {
                clusters.link(i, Some(named), Rule::RealmTitle);
                last_seen.insert(named, i);
                continue;
            }
        }
        // Number is part of the key: "the mermaids" are not "the mermaid".
        let number = if *plural { "+" } else { "" };
        let key = match (narrator_kin, realm) {
            (true, _) => format!("my {head}{number}"),
            (false, Some(realm)) => format!("{head}{number} of {realm}"),
            (false, None) => format!("{head}{number}"),
        };
        // A linked name wins ("my brother Robert" makes every "my brother" Robert): the most
        // recently mentioned one.
        // ("a son" introduces someone new, whoever else is "son of" somebody).
        if !*plural && !introduces && realm.is_none() {
            if let Some(named) = links.get(head) {
                let best = named
                    .iter()
                    .copied()
                    .max_by_key(|e| last_seen.get(e).copied())
                    .unwrap_or(named[0]);
                // "Jim, the small colored boy" does not make every later "the boy" Jim: a
                // common head needs its name in the same sentence, since "the boy" soon means
                // whichever boy is in view.
                let in_view = last_seen
                    .get(&best)
                    .is_some_and(|&l| toks[m.first].sentence == toks[mentions[l].first].sentence);
                if in_view || !super::lexicon::is_common_person_noun(head) {
                    clusters.link(i, Some(best), Rule::EpithetOfName);
                    last_seen.insert(best, i);
                    continue;
                }
            }
        }
        let list = by_head.entry(key).or_default();
        let sentence = toks[m.first].sentence;
        // "A man knocked. The man was tall": someone new, named again at once. A lone
        // indefinite further back ("once more a mermaid") was a passing or generic use.
        let fresh = |c: &NominalCluster| {
            c.introduced_in
                .is_none_or(|s| sentence.saturating_sub(s) <= INTRODUCTION_REACH)
        };
        // "a wonderful golden fish" after "the wonderful fish": a beast met again, known by
        // the same distinctive word.
        let met_again = |c: &NominalCluster| {
            super::lexicon::is_animal_or_thing(head)
                && modifiers
                    .iter()
                    .any(|w| !is_contrastive(w) && c.modifiers.contains(w))
        };
        let found = list
            .iter_mut()
            .filter(|c| (!introduces || met_again(c)) && !conflicting(&c.modifiers, modifiers))
            .max_by_key(|c| (fresh(c), c.last_mention));
        let why = if introduces && found.is_some() {
            Rule::BeastMetAgain
        } else {
            Rule::SameEpithet
        };
        let e = match found {
            Some(c) => {
                c.introduced_in = None;
                c.last_mention = i;
                for w in modifiers {
                    if !c.modifiers.contains(w) {
                        c.modifiers.push(w.clone());
                    }
                }
                c.entity
            }
            None => {
                let e = clusters.add(Origin::Nominal);
                list.push(NominalCluster {
                    entity: e,
                    modifiers: modifiers.clone(),
                    last_mention: i,
                    introduced_in: introduces.then_some(sentence),
                });
                e
            }
        };
        clusters.link(i, Some(e), why);
        last_seen.insert(e, i);
        let entity = &mut clusters.entities[e];
        entity.vote(*gender, 1.0);
        if *plural {
            entity.votes_plural += 1.0;
        }
        entity.person_evidence += 1.0;
    }
}

#[cfg(test)]
mod tests {
    use crate::story::cast::analyze;

    fn aliases_of(text: &str, name: &str) -> Vec<String> {
        let cast = analyze(text);
        cast.find(name)
            .map(|c| c.aliases.clone())
            .unwrap_or_default()
    }

    #[test]
    fn name_then_definite_epithet_is_one_character() {
        let text = "Brunhild slept on the rock. There was Mime the dwarf and Siegfried in the \
                    smithy. Mime laughed. The dwarf was welding a sword. Brunhild woke.";
        let mime = aliases_of(text, "Mime");
        assert!(mime.iter().any(|a| a == "the dwarf"), "{mime:?}");
        assert!(!aliases_of(text, "Brunhild")
            .iter()
            .any(|a| a == "the dwarf"));
    }

    #[test]
    fn a_common_noun_linked_once_is_not_that_name_forever() {
        let text = "Tom ran. He met Jim, the small boy, at the fence. Tom laughed at Jim.\n\n\
                    Tom went home late. The boy was tired. The boy slept, and the boy dreamed.";
        let jim = aliases_of(text, "Jim");
        assert!(
            !jim.iter().any(|a| a == "The boy" || a == "the boy"),
            "{jim:?}"
        );
    }

    #[test]
    fn an_indefinite_phrase_introduces_someone_new() {
        let text = "The old man sat by the fire. The old man slept.\n\nLater a man knocked at \
                    the door. The man was tall, and the man was wet.";
        let cast = analyze(text);
        let first = cast.find("the old man").expect("the old man");
        let knock = text.find("a man knocked").unwrap();
        assert!(!first.mentions.iter().any(|m| m.start == knock), "{cast:?}");
    }

    #[test]
    fn a_passing_indefinite_does_not_split_a_known_character() {
        let text = "The little mermaid swam up. The little mermaid sang. Nobody knew that a \
                    pretty little mermaid was near. The sun set. The ship sailed on. The waves \
                    rose. The little mermaid wept, and the little mermaid dived.";
        let cast = analyze(text);
        let her = cast.find("the little mermaid").expect("the little mermaid");
        let last = text.rfind("the little mermaid dived").unwrap();
        assert!(her.mentions.iter().any(|m| m.start == last), "{cast:?}");
        assert!(her.mentions.iter().any(|m| m.start == 0), "{cast:?}");
    }

    #[test]
    fn bare_apposition_with_of_links_the_noun() {
        let text = "Siegfried rode to Gunther, King of Burgundy. Siegfried bowed. Gunther \
                    smiled. The king was glad, and the king gave a feast.";
        let gunther = aliases_of(text, "Gunther");
        assert!(gunther.iter().any(|a| a == "the king"), "{gunther:?}");
    }

    #[test]
    fn a_beast_met_again_by_the_same_word_is_the_one_met_before() {
        let text = "A fisherman caught a golden fish. \"Let me go,\" said the wonderful fish, and \
                    the fisherman threw the fish back.\n\nThe next day the fisherman went out \
                    again and caught a wonderful golden fish. \"You again,\" said the fish.";
        let cast = analyze(text);
        let fish = cast.find("the fish").expect("the fish");
        let again = text.find("a wonderful golden fish").unwrap();
        let m = fish.mentions.iter().find(|m| m.start == again);
        assert_eq!(
            m.map(|m| m.linked),
            Some(crate::story::cast::Rule::BeastMetAgain),
            "{cast:?}"
        );
    }
}
