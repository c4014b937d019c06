//! Documentation of every primitive and member, for `:help`, Jupyter's inspect and completion.

pub struct Doc {
    /// The name as typed: `story`, `Story.split`, `Scene.prompt`.
    pub name: &'static str,
    pub signature: &'static str,
    pub summary: &'static str,
    /// Option names accepted in the `#{ … }` map, if any.
    pub options: &'static [&'static str],
}

const fn doc(name: &'static str, signature: &'static str, summary: &'static str) -> Doc {
    Doc {
        name,
        signature,
        summary,
        options: &[],
    }
}

pub const DOCS: &[Doc] = &[
    doc("story", "story(title, text) -> Story", "A story from text, split into scenes by paragraphs (45 words at most)."),
    doc("story_file", "story_file(path[, title]) -> Story", "A story from a text file; the title defaults to the file name."),
    doc("character", "character(name[, description]) -> Character", "A character to add to a story with s.add(…)."),
    doc("image", "image(path) -> Image", "An image file (PNG or JPEG), e.g. a reference or a hand-made pick."),
    doc("show", "show(value)", "Displays any value now, like IPython's display(); the last value of a cell is shown anyway."),
    Doc {
        name: "backend",
        signature: "backend(kind, #{ url, urls, model, sampler, scheduler, steps, cfg, timeout, concurrency, retry_for, workflow, auth, ip_adapter, models, apikey, poll_secs, nsfw })",
        summary: "Sets the image backend: \"draft\" (default, built in), \"a1111\" (also Forge, SD.Next), \"sdcpp\", \"comfyui\", \"openai\", \"horde\" (models, apikey, poll_secs, nsfw: false by default, so the Horde censors NSFW images). backend() shows the current one and what its server reports.",
        options: &["url", "urls", "model", "sampler", "scheduler", "steps", "cfg", "timeout", "concurrency", "workflow", "auth", "ip_adapter"],
    },
    Doc {
        name: "sd_generate",
        signature: "sd_generate(prompt | scene | story, #{ n, seed, steps, cfg, width, height, negative, sampler, force, scenes })",
        summary: "Generates n candidates (4 for scenes) concurrently, cached by content. A scene's candidates attach to it; a story returns its storyboard (each scene's first candidate), shown when it is the cell's last value.",
        options: &["n", "seed", "steps", "cfg", "width", "height", "negative", "sampler", "force", "scenes"],
    },
    Doc {
        name: "img2img",
        signature: "img2img(image, prompt | scene, #{ strength, n, seed, steps, cfg, width, height, negative, sampler, force })",
        summary: "Generates from a start image; strength (0.55) is how far to move away from it.",
        options: &["strength", "n", "seed", "steps", "cfg", "width", "height", "negative", "sampler", "force"],
    },
    Doc {
        name: "character_sheet",
        signature: "character_sheet(character, #{ n, style, seed, … })",
        summary: "Portraits of a character from its description, to pick one as its reference.",
        options: &["n", "seed", "steps", "cfg", "width", "height", "negative", "sampler", "force", "style"],
    },
    doc("clear_output", "clear_output([wait])", "Clears the cell's output so far (in Jupyter); with wait = true, only when new output arrives."),
    Doc {
        name: "render",
        signature: "render(story, #{ out, format, fps, fit, motion, transition, transition_secs, voice, voices, captions, subtitles, caption_style, music, title, preset, crf, encoder, hw_encoder, scenes, … }) -> Video",
        summary: "Assembles the picks into a narrated, captioned video in one streaming pass (ffmpeg when installed, else a built-in H.264 encoder, silent).",
        options: &[
            "out", "format", "fps", "fit", "motion", "transition", "transition_secs", "voice", "voice_url", "voice_model",
            "voice_speed", "voice_noise_scale", "voice_noise_w", "voices", "captions", "subtitles", "caption_style", "music", "title", "preset", "crf", "encoder", "hw_encoder", "scenes", "padding",
            "min_scene_secs", "words_per_sec",
        ],
    },
    doc("contact_sheet", "contact_sheet(story) -> Image", "A PNG storyboard of the picks with scene numbers and text (no ffmpeg needed)."),
    doc("animatic", "animatic(story) -> Image", "A small GIF preview of the picks (no ffmpeg needed)."),
    doc("Story.title", "s.title", "The story's title (settable)."),
    doc("Story.text", "s.text", "The source text."),
    doc("Story.style", "s.style = \"…\"", "Leading style of every prompt; presets in styles::…"),
    doc("Story.suffix", "s.suffix = \"…\"", "Trailing style of every prompt (\"highly detailed\")."),
    doc("Story.negative", "s.negative = \"…\"", "Negative prompt of every scene."),
    doc("Story.format", "s.format = \"9:16\"", "Image format: \"9:16\", \"16:9\", \"1:1\", \"2:3\", \"3:2\" or #{ width, height } (multiples of 8 from 64 to 4096). The video's size is render's format."),
    doc("Story.width", "s.width", "Image width of the format."),
    doc("Story.height", "s.height", "Image height of the format."),
    doc("Story.seed", "s.seed = 42", "Seed from which every candidate's seed is derived (default: from the title)."),
    doc("Story.prompt_limit", "s.prompt_limit = 150", "Estimated CLIP tokens past which a prompt warns."),
    doc("Story.prompt_from", "s.prompt_from = \"picture\"", "What a composed prompt shows of each scene: \"picture\" (default: who does what, where; speech and its tags left out) or \"text\" (the scene's text as written). sc.prompt = … still overrides."),
    Doc {
        name: "Story.split",
        signature: "s.split(#{ by, max_words, min_words, sentences, marker })",
        summary: "Splits the text into scenes again; unchanged scenes keep their candidates, pick, prompt and chosen characters. by: \"paragraphs\" (default: paragraphs under min_words (12) merge with a neighbour when the result stays within max_words (45); longer ones split at sentences into even pieces), \"sentences\" (sentences per scene, 2), \"markers\" (scenes between marker lines, \"---\"), \"words\" (sentences packed up to max_words, ignoring paragraphs).",
        options: &["by", "max_words", "min_words", "sentences", "marker"],
    },
    doc("Story.scene", "s.scene(i) -> Scene", "Scene i (from 0; -1 is the last). Assignable through: s.scene(2).prompt = \"…\"."),
    doc("Story.scenes", "s.scenes -> [Scene]", "Every scene, to iterate: for sc in s.scenes { … }."),
    doc("Story.len", "s.len() -> int", "Number of scenes."),
    doc("Story.add", "s.add(character) -> Character", "Adds a character (or updates the one with that name)."),
    doc("Story.character", "s.character(name) -> Character", "The character with that name or alias."),
    doc("Story.characters", "s.characters -> [Character]", "The story's characters."),
    doc("Story.cast", "s.cast -> Table", "Detected characters: name, aliases, gender, mentions, scenes, suggested description."),
    doc("Story.merge", "s.merge(keep, absorb)", "Makes two characters one (\"Sigurd\" and \"Siegfried\")."),
    doc("Story.exclude", "s.exclude(name)", "Leaves a character out of every prompt."),
    doc(
        "Story.why",
        "s.why(name, i)",
        "Why detection puts a character in a scene (or not): each mention there, the rule that found it and the rule that joined it to that character.",
    ),
    doc("Story.presence", "s.presence()", "Shows a chart of which character is in which scene."),
    doc("Story.prompts", "s.prompts -> Table", "Every scene's composed prompt, with token estimates and warnings."),
    doc("Story.pick", "s.pick(#{ \"0\": 2, \"3\": 1 }) or s.pick([2, 0, 1])", "Picks a candidate for several scenes at once; every pick is checked first, and one bad pick makes none."),
    doc("Scene.pick", "sc.pick(k)", "Chooses candidate k of the scene for the video; recorded in the story's picks.json and restored by the next run."),
    doc("Scene.candidates", "sc.candidates -> [Image]", "The scene's generated candidates, numbered from 0."),
    doc("Scene.image", "sc.image", "The picked image (assign an Image to use your own)."),
    doc("Scene.picked", "sc.picked", "The number of the picked candidate, or ()."),
    doc("Scene.index", "sc.index", "Position of the scene, from 0."),
    doc("Scene.text", "sc.text", "What is narrated and captioned."),
    doc("Scene.words", "sc.words", "Word count of the text."),
    doc("Scene.prompt", "sc.prompt = \"…\"", "The composed prompt; assign to override, assign \"\" to go back."),
    doc("Scene.reset_prompt", "sc.reset_prompt()", "Drops the override (and its record in picks.json): the prompt is composed again."),
    doc("Scene.negative", "sc.negative", "The story's negative plus those of the characters present."),
    doc("Scene.characters", "sc.characters -> [string]", "Names of the characters present in the scene."),
    doc("Scene.warnings", "sc.warnings -> [string]", "Prompt warnings (too long for the backend, trimmed descriptions)."),
    doc("Character.name", "c.name", "The character's name (settable)."),
    doc("Character.aliases", "c.aliases = [\"…\"]", "Other names that refer to the character."),
    doc("Character.description", "c.description = \"…\"", "Visual description injected into every scene the character is in."),
    doc("Character.negative", "c.negative = \"…\"", "Negative prompt added to the scenes the character is in."),
    doc("Character.seed", "c.seed = 7", "Seed used when this character dominates a scene."),
    doc("Character.reference", "c.reference = image(\"ref.png\")", "Reference image for identity (IP-Adapter)."),
    doc("Character.lora", "c.lora = \"name:0.8\"", "A LoRA for the character, as name:weight."),
    doc("Character.voice", "c.voice = \"piper:en_US-ryan-medium\"", "The voice that reads the character's quoted speech (any voice render takes); () leaves it to the narrator."),
    doc("Character.gender", "c.gender", "Inferred gender: male, female, neuter, plural or unknown."),
    doc("Character.suggested_description", "c.suggested_description", "Descriptors found in the text (\"long golden hair\")."),
    doc("Character.mentions", "c.mentions", "How often the text refers to the character (names, epithets, pronouns)."),
    doc("Character.excluded", "c.excluded = true", "Leaves the character out of prompts."),
    doc("Scene.motion", "sc.motion = #{ from: [x, y, w, h], to: [x, y, w, h] }", "The scene's camera move: crop windows (0..1 of the image) at its start and end; () goes back to the default."),
    doc("Video.path", "v.path", "The video file."),
    doc("Video.duration", "v.duration", "Length in seconds."),
    doc("Video.frames", "v.frames", "Number of frames."),
    doc("Video.has_audio", "v.has_audio", "Whether the video is narrated."),
    doc("Image.path", "img.path", "The image file."),
    doc("Image.width", "img.width", "Width in pixels."),
    doc("Image.height", "img.height", "Height in pixels."),
];

/// The doc of a primitive (`story`) or member (`split`, `Story.split`).
pub fn find(name: &str) -> Option<&'static Doc> {
    DOCS.iter().find(|d| d.name == name).or_else(|| {
        DOCS.iter()
            .find(|d| d.name.rsplit('.').next() == Some(name))
    })
}

/// Every doc of that name: a primitive, and the members of each type so named (`pick` is both
/// `Story.pick` and `Scene.pick`); `Story.pick` finds that one only.
pub fn find_all(name: &str) -> Vec<&'static Doc> {
    let exact: Vec<&Doc> = DOCS.iter().filter(|d| d.name == name).collect();
    if name.contains('.') && !exact.is_empty() {
        return exact;
    }
    DOCS.iter()
        .filter(|d| d.name == name || d.name.rsplit('.').next() == Some(name))
        .collect()
}

/// Members (properties and methods) of a script type, for completion after `.`.
pub fn members_of(type_name: &str) -> Vec<&'static str> {
    let prefix = format!("{type_name}.");
    DOCS.iter()
        .filter_map(|d| d.name.strip_prefix(prefix.as_str()))
        .collect()
}

/// Top-level primitives (no type prefix).
pub fn primitives() -> impl Iterator<Item = &'static Doc> {
    DOCS.iter().filter(|d| !d.name.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert!(members_of("Story").contains(&"scenes"));
        assert!(find("split").unwrap().options.contains(&"max_words"));
        assert!(primitives().any(|d| d.name == "story"));
        let picks: Vec<&str> = find_all("pick").iter().map(|d| d.name).collect();
        assert_eq!(picks, ["Story.pick", "Scene.pick"]);
        assert_eq!(find_all("s.characters").len(), 0);
        assert_eq!(find_all("Scene.characters").len(), 1);
    }
}
