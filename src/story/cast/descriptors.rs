//! Collects visual descriptors of each character from the text, to suggest a prompt description:
//! adjectives on its epithets ("the little mermaid"), possessed body parts and garments with
//! adjectives ("her long golden hair", "Siegfried's bright sword"), and "X, a / X was a …" phrases.

use super::entity::Clusters;
use super::lexicon::{self, Case};
use super::mentions::{Detail, RawMention};
use super::tokens::Token;
use super::tuning::MAX_PHRASES;

pub(crate) fn describe(
    toks: &[Token],
    mentions: &[RawMention],
    clusters: &Clusters,
) -> Vec<Vec<String>> {
    let mut phrases: Vec<Vec<String>> = vec![Vec::new(); clusters.entities.len()];
    let mut add = |e: usize, phrase: String| {
        let list = &mut phrases[e];
        if list.len() < MAX_PHRASES && !list.iter().any(|p| p == &phrase) {
            list.push(phrase);
        }
    };
    for (i, m) in mentions.iter().enumerate() {
        let Some(e) = clusters.live(i) else { continue };
        match &m.detail {
            Detail::Nominal {
                head, modifiers, ..
            } if !modifiers.is_empty() => {
                add(e, format!("{} {head}", modifiers.join(" ")));
            }
            Detail::Pronoun(p) if p.case == Case::Possessive || p.case == Case::Ambiguous => {
                if let Some(phrase) = possessed_visual(toks, m.last + 1) {
                    add(e, phrase);
                }
            }
            Detail::Name { .. } => {
                if toks.get(m.last + 1).is_some_and(|t| t.lower == "'s") {
                    if let Some(phrase) = possessed_visual(toks, m.last + 2) {
                        add(e, phrase);
                    }
                }
                // "Hildebrand, a magician" / "Fafner was a dragon"
                if let Some(Detail::Nominal {
                    head, modifiers, ..
                }) = mentions.get(i + 1).map(|n| &n.detail)
                {
                    let next = &mentions[i + 1];
                    let between: Vec<&str> = toks[m.last + 1..next.first]
                        .iter()
                        .map(|t| t.lower.as_str())
                        .collect();
                    if matches!(between.as_slice(), [","] | ["was"] | ["is"]) {
                        let mut words = modifiers.clone();
                        words.push(head.clone());
                        add(e, words.join(" "));
                    }
                }
            }
            _ => {}
        }
    }
    phrases
}

/// "long golden hair" starting at token `t`: one to three modifiers, then a visual noun.
fn possessed_visual(toks: &[Token], t: usize) -> Option<String> {
    let mut words: Vec<&str> = Vec::new();
    for tok in toks.iter().skip(t).take(4) {
        if !tok.is_word {
            if tok.lower == "," && !words.is_empty() {
                continue;
            }
            return None;
        }
        if lexicon::is_visual_noun(&tok.lower) {
            if words.is_empty() {
                return None;
            }
            words.push(&tok.lower);
            return Some(words.join(" "));
        }
        if lexicon::is_function_word(&tok.lower) && tok.lower != "and" {
            return None;
        }
        words.push(&tok.lower);
    }
    None
}
