//! `storyreel characters FILE`: the cast of a text file, as a table or as JSON for scripting
//! and evaluation.

use serde_json::json;

use crate::runtime::api::cast::compact_ranges;
use crate::runtime::display::Table;
use crate::story::cast::{analyze, Cast};
use crate::story::text::{paragraphs, CharOffsets, Span};
use crate::story::SplitOptions;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SceneMode {
    /// One scene per blank-line-separated paragraph.
    Paragraphs,
    /// The default scene split of `story(…)`.
    Auto,
}

pub fn scene_spans(text: &str, mode: SceneMode) -> Vec<Span> {
    match mode {
        SceneMode::Paragraphs => paragraphs(text),
        SceneMode::Auto => crate::story::split::split(text, &SplitOptions::default()),
    }
}

/// The JSON shape: offsets are character (not byte) offsets into `text`, end exclusive.
pub fn to_json(text: &str, cast: &Cast, scenes: &[Span]) -> serde_json::Value {
    // Offsets grow monotonically per character, so convert through one sorted table.
    let to_chars = CharOffsets::new(text);
    let characters: Vec<serde_json::Value> = cast
        .characters
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "name": c.name,
                "aliases": c.aliases,
                "gender": c.gender.as_str(),
                "mentions": c.mentions.iter().map(|m| [to_chars.of(m.start), to_chars.of(m.end)]).collect::<Vec<_>>(),
            })
        })
        .collect();
    let scenes: Vec<serde_json::Value> = scenes
        .iter()
        .enumerate()
        .map(|(index, &(start, end))| {
            json!({
                "index": index,
                "start": to_chars.of(start),
                "end": to_chars.of(end),
                "characters": cast.present_in(start, end),
            })
        })
        .collect();
    json!({ "characters": characters, "scenes": scenes })
}

/// The cast, one row per character; `scenes` lists the scenes a character is in, as `s.cast` does.
pub fn to_table(title: &str, cast: &Cast, scenes: &[Span]) -> Table {
    let presence: Vec<Vec<usize>> = scenes.iter().map(|&(s, e)| cast.present_in(s, e)).collect();
    let mut t = Table::new(
        &format!(
            "{title} — {} character{}",
            cast.characters.len(),
            if cast.characters.len() == 1 { "" } else { "s" }
        ),
        &[
            "id",
            "name",
            "aliases",
            "gender",
            "mentions",
            "scenes",
            "suggested description",
        ],
    );
    for c in &cast.characters {
        let in_scenes: Vec<usize> = (0..presence.len())
            .filter(|&k| presence[k].contains(&c.id))
            .collect();
        t.row(vec![
            c.id.to_string(),
            c.name.clone(),
            c.aliases.join(", "),
            c.gender.as_str().to_string(),
            c.mentions.len().to_string(),
            compact_ranges(&in_scenes),
            c.suggested_description.clone().unwrap_or_default(),
        ]);
    }
    t
}

/// Who is in each scene, with the scene's opening words.
pub fn scene_table(text: &str, cast: &Cast, scenes: &[Span]) -> Table {
    let mut t = Table::new(
        &format!("{} scenes", scenes.len()),
        &["#", "characters", "text"],
    );
    for (k, &(start, end)) in scenes.iter().enumerate() {
        let names: Vec<&str> = cast
            .present_in(start, end)
            .into_iter()
            .map(|id| cast.characters[id].name.as_str())
            .collect();
        t.row(vec![
            k.to_string(),
            names.join(", "),
            crate::story::text::normalise_whitespace(&text[start..end]),
        ]);
    }
    t
}

/// Per scene, why each character is there: its mentions with the rules that found and joined them.
pub fn explain(text: &str, cast: &Cast, scenes: &[Span]) -> String {
    let mut out = String::new();
    for (k, &(start, end)) in scenes.iter().enumerate() {
        let whole = crate::story::text::normalise_whitespace(&text[start..end]);
        let mut opening: String = whole.chars().take(60).collect();
        if opening.len() < whole.len() {
            opening.push('…');
        }
        out.push_str(&format!("scene {k}: {opening}\n"));
        let why = cast.explain_span(text, start, end);
        if why.is_empty() {
            out.push_str("  nobody: no character is mentioned here\n");
        }
        for (id, lines) in why {
            out.push_str(&format!("  {}\n", cast.characters[id].name));
            for line in lines {
                out.push_str(&format!("    {line}\n"));
            }
        }
    }
    out
}

pub fn run(
    path: &std::path::Path,
    mode: SceneMode,
    json: bool,
    explain_scenes: bool,
) -> anyhow::Result<String> {
    let text = crate::story::file::read_story_text(path)?;
    let cast = analyze(&text);
    let scenes = scene_spans(&text, mode);
    if json {
        let mut value = to_json(&text, &cast, &scenes);
        if explain_scenes {
            for (k, &(start, end)) in scenes.iter().enumerate() {
                let why: serde_json::Map<String, serde_json::Value> = cast
                    .explain_span(&text, start, end)
                    .into_iter()
                    .map(|(id, lines)| (id.to_string(), json!(lines)))
                    .collect();
                value["scenes"][k]["why"] = serde_json::Value::Object(why);
            }
        }
        return Ok(serde_json::to_string(&value)?);
    }
    let title = path
        .file_stem()
        .map(|s| s.to_string_lossy().trim().to_string())
        .unwrap_or_default();
    let scenes_part = if explain_scenes {
        explain(&text, &cast, &scenes)
    } else {
        scene_table(&text, &cast, &scenes).to_text(60)
    };
    Ok(format!(
        "{}\n{}",
        to_table(&title, &cast, &scenes).to_text(60),
        scenes_part
    ))
}
