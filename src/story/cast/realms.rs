//! "the King of the Netherlands" names one king: the realm after "of" must match before such an
//! epithet joins a name ("Gunther, King of Burgundy" is "the King of Burgundy", never "the King
//! of the Netherlands").

use std::collections::HashMap;

use super::mentions::{Detail, RawMention};
use super::tokens::Token;

/// The capitalised realm after a mention: "of Burgundy", "of the Netherlands" → "netherlands".
pub(crate) fn realm_after(toks: &[Token], last: usize) -> Option<&str> {
    let mut k = last + 1;
    if toks.get(k)?.lower != "of" {
        return None;
    }
    k += 1;
    if toks.get(k)?.lower == "the" {
        k += 1;
    }
    let t = toks.get(k)?;
    (t.is_word && t.capitalised).then_some(t.lower.as_str())
}

/// (character noun, realm) → named entity, from "Gunther, King of Burgundy" and "King Gunther of
/// Burgundy".
pub(crate) fn realm_links(
    toks: &[Token],
    mentions: &[RawMention],
    of_mention: &[Option<usize>],
) -> HashMap<(String, String), usize> {
    let mut links = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        let (Detail::Name { title, .. }, Some(e)) = (&m.detail, of_mention[i]) else {
            continue;
        };
        // "King Gunther of Burgundy"
        if let (Some(title), Some(realm)) = (title, realm_after(toks, m.last)) {
            links.insert((title.clone(), realm.to_string()), e);
        }
        // "Gunther, King of Burgundy"
        let (Some(comma), Some(noun)) = (toks.get(m.last + 1), toks.get(m.last + 2)) else {
            continue;
        };
        if comma.lower == "," && noun.is_word {
            if let Some(realm) = realm_after(toks, m.last + 2) {
                links.insert((noun.lower.clone(), realm.to_string()), e);
            }
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use crate::story::cast::analyze;

    #[test]
    fn a_king_of_another_realm_is_not_the_linked_king() {
        let text = "Siegfried rode to Gunther, King of Burgundy. Gunther smiled, and Gunther \
                    feasted. Later Hagan stabbed Siegfried, as the unfortunate King of the \
                    Netherlands was drinking. Hagan fled.";
        let cast = analyze(text);
        let gunther = cast.find("Gunther").expect("Gunther");
        let at = text.find("the unfortunate King").unwrap();
        assert!(!gunther.mentions.iter().any(|m| m.start == at), "{cast:?}");
    }

    #[test]
    fn the_king_of_the_same_realm_is_the_linked_king() {
        let text = "Siegfried rode to Gunther, King of Burgundy. Gunther smiled. Years later \
                    Kriemhild invited the King of Burgundy to the court. Kriemhild wept.";
        let cast = analyze(text);
        let gunther = cast.find("Gunther").expect("Gunther");
        let at = text.find("the King of Burgundy").unwrap();
        assert!(gunther.mentions.iter().any(|m| m.start == at), "{cast:?}");
    }
}
