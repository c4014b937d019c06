//! Characters and their detection: `character`, the cast members of Story, and Character.

use super::{member, Spec};

pub const SPECS: &[Spec] = &[
    member("character", "character(name[, description])", "Character", "A character to add to a story with s.add(…)."),
    member("Story.add", "s.add(character)", "Character", "Adds a character (or updates the one with that name)."),
    member("Story.character", "s.character(name)", "Character", "The character with that name or alias (also s.character[name])."),
    member("Story.characters", "s.characters", "[Character]", "The story's characters."),
    member("Story.cast", "s.cast", "Table", "Detected characters: name, aliases, gender, mentions, scenes, suggested description."),
    member("Story.merge", "s.merge(keep, absorb)", "Story", "Makes two characters one (\"Sigurd\" and \"Siegfried\")."),
    member("Story.exclude", "s.exclude(name)", "Story", "Leaves a character out of every prompt."),
    member("Story.why", "s.why(name, i)", "string", "Why detection puts a character in a scene (or not): each mention there, the rule that found it and the rule that joined it to that character."),
    member("Story.presence", "s.presence()", "", "Shows a chart of which character is in which scene."),
    member("Story.prompts", "s.prompts", "Table", "Every scene's composed prompt, with token estimates and warnings."),
    member("Character.name", "c.name", "string", "The character's name (settable)."),
    member("Character.aliases", "c.aliases = [\"…\"]", "[string]", "Other names that refer to the character."),
    member("Character.description", "c.description = \"…\"", "string", "Visual description injected into every scene the character is in."),
    member("Character.negative", "c.negative = \"…\"", "string", "Negative prompt added to the scenes the character is in."),
    member("Character.seed", "c.seed = 7", "int", "Seed used when this character dominates a scene."),
    member("Character.reference", "c.reference = image(\"ref.png\")", "Image", "Reference image for identity (IP-Adapter)."),
    member("Character.lora", "c.lora = \"name:0.8\"", "string", "A LoRA for the character, as name:weight."),
    member("Character.voice", "c.voice = \"piper:en_US-ryan-medium\"", "string", "The voice that reads the character's quoted speech (any voice render takes); () leaves it to the narrator."),
    member("Character.gender", "c.gender", "string", "Inferred gender: male, female, neuter, plural or unknown."),
    member("Character.suggested_description", "c.suggested_description", "string", "Descriptors found in the text (\"long golden hair\")."),
    member("Character.mentions", "c.mentions", "int", "How often the text refers to the character (names, epithets, pronouns)."),
    member("Character.excluded", "c.excluded = true", "bool", "Leaves the character out of prompts."),
];
