//! The cast of a story: who the characters are, every place the text refers to them (names,
//! epithets, pronouns), and so which characters are present in any span of the text.
//!
//! Pure rules, no model files, linear time. The steps, one file each:
//! `tokens` (with `quotes`) → `mentions` (names, character noun phrases, pronouns) → `names`
//! (clusters name variants, with the naming customs of `family`) → `nominals` (clusters epithets,
//! links them to names only through strong patterns, "the King of X" only by its realm in
//! `realms`) → `gender` (from appositions and the pronouns that follow) → `people` (drops places
//! and one-offs) → `pronouns` (salience-based resolution with `salience`; quoted "I"/"you" through
//! `dialogue` and `speakers`; "his wife" in `relations`; "X and Y" and plural epithets in
//! `groups`; `narrator`), run twice by `epithets` once recurring epithets are merged into names →
//! `transformations` (a form taken on: "you will become a roebuck") → `roles` ("the Griffin's
//! wife" is the tale's one wife; "the man" its one father) → `descriptors` → `output` (the public
//! types of `model`).
//!
//! Word lists are data (`data/*.txt`, read by `words`), thresholds live in `tuning`; every mention
//! records the rules that found and joined it (`model::Rule`), which `explain` puts in words.
//!
//! Measured on the Grimm development set and LitBank, with the speed, by
//! `cargo run --release --example cast_eval`.

mod descriptors;
mod dialogue;
mod entity;
mod epithets;
mod explain;
mod family;
mod gender;
mod groups;
mod lexicon;
mod mentions;
mod model;
mod names;
mod narrator;
mod nominals;
mod output;
mod people;
mod pronouns;
mod quotes;
mod realms;
mod relations;
mod roles;
mod salience;
mod speakers;
mod tokens;
mod transformations;
mod tuning;
mod words;

pub use explain::why;
pub(crate) use lexicon::is_listed_abbreviation;
pub use model::{Cast, CastCharacter, Gender, Mention, MentionKind, Rule};

/// Whether a lowercase word is a title that starts a name ("mrs", "king", "lady").
pub fn is_title(lower: &str) -> bool {
    lexicon::honorific(lower).is_some()
}

/// Whether a lowercase word introduces or attributes speech ("said", "answered").
pub fn is_speech_verb(lower: &str) -> bool {
    lexicon::is_speech_verb(lower)
}

/// Whether a lowercase word is a third-person personal pronoun ("she", "his", "them").
pub fn is_third_person_pronoun(lower: &str) -> bool {
    lexicon::pronoun(lower).is_some_and(|p| p.person == lexicon::Person::Third)
}

use entity::Clusters;

/// Finds the characters of `text` and all their mentions. Never panics; linear in the text size.
pub fn analyze(text: &str) -> Cast {
    run(text, Depth::Full).0
}

/// Each quotation of `text` (the byte span of its quoted words and closing punctuation) with
/// the character who speaks it as the cast resolved it: by attribution ("said the frog", "he
/// said" resolved), by turn-taking in a dialogue, or by the one character the paragraph
/// narrates; `None` where the cast names no one.
pub fn quotations(text: &str) -> Vec<(std::ops::Range<usize>, Option<CastCharacter>)> {
    let (cast, spoken, by_entity) = run(text, Depth::Full);
    spoken
        .into_iter()
        .map(|(span, entity)| {
            let who = entity.and_then(|e| by_entity.get(&e)).and_then(|&at| {
                cast.characters
                    .iter()
                    .find(|c| c.mentions.iter().any(|m| m.start == at))
                    .cloned()
            });
            (span, who)
        })
        .collect()
}

/// The baseline the full analysis is measured against: proper names only, no pronouns or epithets.
pub fn analyze_names_only(text: &str) -> Cast {
    run(text, Depth::NamesOnly).0
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Depth {
    NamesOnly,
    Full,
}

/// Quoted byte spans with the speaking entity; each entity with the byte start of one of its
/// mentions (how an entity is found among the cast's characters).
type Spoken = Vec<(std::ops::Range<usize>, Option<usize>)>;

fn run(text: &str, depth: Depth) -> (Cast, Spoken, std::collections::HashMap<usize, usize>) {
    let doc = tokens::tokenize(text);
    let toks = &doc.tokens;
    let found = mentions::find_mentions(&doc);
    let mut clusters = Clusters::new(&found);
    names::cluster_names(toks, &found, &mut clusters);
    if depth == Depth::Full {
        nominals::cluster_nominals(toks, &found, &mut clusters);
    }
    gender::vote_from_following_pronouns(toks, &found, &mut clusters);
    people::keep_likely_characters(toks, &found, &mut clusters);
    if depth == Depth::Full {
        let paragraphs = tokens::paragraph_token_ranges(toks);
        epithets::resolve_with_epithets(toks, &found, &mut clusters, &paragraphs);
        transformations::merge_new_forms(toks, &found, &mut clusters);
    }
    if depth == Depth::Full {
        roles::merge_relative_into_epithet(&found, &mut clusters);
        roles::merge_generic_into_household(&found, &mut clusters);
        roles::merge_plain_child_into_kin(&found, &mut clusters);
    }
    people::drop_thin_entities(toks, &found, &mut clusters);
    let descriptions = descriptors::describe(toks, &found, &clusters);
    let cast = output::build_cast(text, toks, &found, &clusters, &descriptions);
    let spoken = clusters
        .spoken
        .iter()
        .map(|&(first, end, e)| {
            let live = e.filter(|&e| clusters.entities[e].alive);
            (toks[first].start..toks[end - 1].end, live)
        })
        .collect();
    let mut by_entity: std::collections::HashMap<usize, usize> = Default::default();
    for (i, m) in found.iter().enumerate() {
        if let Some(e) = clusters.live(i) {
            by_entity.entry(e).or_insert(toks[m.first].start);
        }
    }
    (cast, spoken, by_entity)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(cast: &Cast) -> Vec<String> {
        cast.characters.iter().map(|c| c.name.clone()).collect()
    }

    #[test]
    fn resolves_pronouns_to_the_named_character() {
        let text = "Siegfried rode to the river.\n\nHe drew his sword and laughed.";
        let cast = analyze(text);
        let s = cast.find("Siegfried").expect("Siegfried found");
        assert_eq!(s.gender, Gender::Male);
        let second = text.find("He drew").unwrap();
        assert_eq!(cast.present_in(second, text.len()), vec![s.id]);
    }

    #[test]
    fn links_an_epithet_to_a_name_by_apposition() {
        let text = "The dragon Fafner guarded the gold. Siegfried fought the dragon. \
                    Fafner roared, but Siegfried slew him.";
        let cast = analyze(text);
        let fafner = cast.find("Fafner").expect("Fafner");
        assert!(fafner.aliases.iter().any(|a| a == "the dragon"), "{cast:?}");
        assert!(cast.find("the dragon").is_some_and(|c| c.id == fafner.id));
    }

    #[test]
    fn keeps_mr_and_mrs_apart() {
        let text = "Mr. Bennet sat. Mrs. Bennet spoke to him. Mr. Bennet laughed; Mrs. Bennet \
                    frowned at her husband.";
        let cast = analyze(text);
        let n = names(&cast);
        assert!(n.contains(&"Mr. Bennet".to_string()), "{n:?}");
        assert!(n.contains(&"Mrs. Bennet".to_string()), "{n:?}");
    }

    #[test]
    fn first_person_in_quotes_is_the_speaker() {
        let text = "Alice looked up.\n\n\"I am lost,\" said Alice.";
        let cast = analyze(text);
        let alice = cast.find("Alice").unwrap();
        let i_pos = text.find("I am").unwrap();
        assert!(alice.mentions.iter().any(|m| m.start == i_pos), "{cast:?}");
    }

    #[test]
    fn sentence_initial_common_words_are_not_characters() {
        let cast =
            analyze("Fog everywhere. The fog is thick. Smoke rises from the fog. Dogs bark.");
        assert!(cast.characters.is_empty(), "{:?}", names(&cast));
    }

    #[test]
    fn merge_moves_mentions_and_aliases() {
        let text = "Then Sigurd rode out with his sword. Later Sigurd sang to the birds, and \
                    Siegfried listened. They say Siegfried was another name for him.";
        let mut cast = analyze(text);
        let before: usize = cast.characters.iter().map(|c| c.mentions.len()).sum();
        cast.merge("Sigurd", "Siegfried").unwrap();
        let sigurd = cast.find("siegfried").unwrap();
        assert_eq!(sigurd.name, "Sigurd");
        assert_eq!(sigurd.mentions.len(), before);
        assert!(cast.merge("Nobody", "Sigurd").is_err());
    }

    #[test]
    fn garbage_never_panics() {
        for text in [
            "",
            " \n\n ",
            "he he he he",
            "\"\"\"'''’’‘‘“”",
            "I",
            "Mr.",
            "the the the",
            "É\u{0}\u{1}\u{fffd}ß",
        ] {
            let _ = analyze(text);
        }
    }
}
