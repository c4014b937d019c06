//! Stories and scenes: `story`, `story_file`, and the members of Story and Scene.

use super::{member, Kind, Opt, Spec};
use crate::story::SplitStrategy;

/// The keys of `s.split(#{ … })`.
pub const SPLIT: &[Opt] = &[
    Opt {
        name: "by",
        kind: Kind::OneOf(SplitStrategy::NAMES),
        default: "\"paragraphs\"",
        meaning: "how scenes are cut: \"paragraphs\" (a paragraph under min_words merges with a neighbour when the result stays within max_words; a longer one splits at sentences into even pieces), \"sentences\" (sentences per scene), \"markers\" (scenes between marker lines), \"words\" (sentences packed up to max_words, ignoring paragraphs)",
    },
    Opt {
        name: "max_words",
        kind: Kind::Int(1, 10_000),
        default: "45",
        meaning: "the most words of a scene (a longer sentence stays whole)",
    },
    Opt {
        name: "min_words",
        kind: Kind::Int(0, 10_000),
        default: "12",
        meaning: "a paragraph shorter than this merges with a neighbour (by \"paragraphs\")",
    },
    Opt {
        name: "sentences",
        kind: Kind::Int(1, 1_000),
        default: "2",
        meaning: "sentences per scene (by \"sentences\")",
    },
    Opt {
        name: "marker",
        kind: Kind::Text,
        default: "\"---\"",
        meaning: "the line between scenes (by \"markers\")",
    },
];

/// The keys of a custom `s.format = #{ … }`.
pub const FORMAT: &[Opt] = &[
    Opt {
        name: "width",
        kind: Kind::Int(1, i64::MAX),
        default: "",
        meaning: "image width in pixels, a multiple of 8 from 64 to 4096",
    },
    Opt {
        name: "height",
        kind: Kind::Int(1, i64::MAX),
        default: "",
        meaning: "image height in pixels, a multiple of 8 from 64 to 4096",
    },
];

pub const SPECS: &[Spec] = &[
    member("story", "story(title, text)", "Story", "A story from text, split into scenes by paragraphs (45 words at most)."),
    member("story_file", "story_file(path[, title])", "Story", "A story from a text file; the title defaults to the file name."),
    member("Story.title", "s.title", "string", "The story's title (settable)."),
    member("Story.text", "s.text", "string", "The source text."),
    member("Story.style", "s.style = \"…\"", "string", "Leading style of every prompt; presets in styles::…"),
    member("Story.suffix", "s.suffix = \"…\"", "string", "Trailing style of every prompt (\"highly detailed\")."),
    member("Story.negative", "s.negative = \"…\"", "string", "Negative prompt of every scene."),
    member("Story.format", "s.format = \"9:16\"", "string", "Image format: \"9:16\", \"16:9\", \"1:1\", \"2:3\", \"3:2\" or #{ width, height } (multiples of 8 from 64 to 4096). The video's size is render's format."),
    member("Story.width", "s.width", "int", "Image width of the format."),
    member("Story.height", "s.height", "int", "Image height of the format."),
    member("Story.seed", "s.seed = 42", "int", "Seed from which every candidate's seed is derived (default: from the title)."),
    member("Story.prompt_limit", "s.prompt_limit = 150", "int", "Estimated CLIP tokens past which a prompt warns."),
    member("Story.prompt_from", "s.prompt_from = \"picture\"", "string", "What a composed prompt shows of each scene: \"picture\" (default: who does what, where; speech and its tags left out) or \"text\" (the scene's text as written). sc.prompt = … still overrides."),
    Spec {
        name: "Story.split",
        signature: "s.split(#{})",
        returns: "Story",
        summary: "Splits the text into scenes again; unchanged scenes keep their candidates, pick, prompt and chosen characters.",
        options: SPLIT,
    },
    member("Story.scene", "s.scene(i)", "Scene", "Scene i (from 0; -1 is the last). Assignable through: s.scene(2).prompt = \"…\"."),
    member("Story.scenes", "s.scenes", "[Scene]", "Every scene, to iterate: for sc in s.scenes { … }."),
    member("Story.len", "s.len()", "int", "Number of scenes."),
    member("Scene.index", "sc.index", "int", "Position of the scene, from 0."),
    member("Scene.text", "sc.text", "string", "What is narrated and captioned."),
    member("Scene.words", "sc.words", "int", "Word count of the text."),
    member("Scene.prompt", "sc.prompt = \"…\"", "string", "The composed prompt; assign to override, assign \"\" to go back."),
    member("Scene.reset_prompt", "sc.reset_prompt()", "", "Drops the override (and its record in picks.json): the prompt is composed again."),
    member("Scene.negative", "sc.negative", "string", "The story's negative plus those of the characters present."),
    member("Scene.characters", "sc.characters", "[string]", "Names of the characters present in the scene; assign a list to choose them yourself."),
    member("Scene.add_character", "sc.add_character(name)", "", "Adds a character to those the scene shows (kept by a new split while the text is unchanged)."),
    member("Scene.remove_character", "sc.remove_character(name)", "", "Takes a character out of those the scene shows."),
    member("Scene.warnings", "sc.warnings", "[string]", "Prompt warnings (too long for the backend, trimmed descriptions)."),
];
