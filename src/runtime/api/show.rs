//! How script values are shown: `show(x)` and the last value of a cell.

use std::sync::Arc;

use rhai::{Array, Dynamic, Engine};

use super::handles::{CharacterRef, ImageRef, SceneRef, StoryRef};
use crate::runtime::check::plural;
use crate::runtime::context::Context;
use crate::runtime::display::{ImageItem, Output, Sheet, Storyboard, Table};
use crate::story::Story;

pub fn register(engine: &mut Engine, ctx: &Arc<Context>) {
    engine.register_type_with_name::<Table>("Table");
    engine.register_fn("to_string", |t: &mut Table| t.to_text(80));
    engine.register_fn("to_debug", |t: &mut Table| t.to_text(80));
    engine.register_get("rows", |t: &mut Table| -> Array {
        t.rows
            .iter()
            .map(|r| Dynamic::from(r.iter().cloned().map(Dynamic::from).collect::<Array>()))
            .collect()
    });
    engine.register_type_with_name::<Storyboard>("Storyboard");
    engine.register_fn("to_string", |b: &mut Storyboard| storyboard_text(b));
    engine.register_fn("to_debug", |b: &mut Storyboard| storyboard_text(b));
    let c = ctx.clone();
    engine.register_fn("show", move |value: Dynamic| {
        if let Some(output) = to_output(&value) {
            c.display.show(&output);
        }
    });
    let c = ctx.clone();
    engine.register_fn("clear_output", move || c.display.clear(false));
    let c = ctx.clone();
    engine.register_fn("clear_output", move |wait: bool| c.display.clear(wait));
}

/// The richest output for a value; `None` for `()`.
pub fn to_output(value: &Dynamic) -> Option<Output> {
    if value.is_unit() {
        return None;
    }
    if let Some(s) = value.read_lock::<StoryRef>() {
        return Some(Output::Table(scenes_table(&s.lock())));
    }
    if let Some(sc) = value.read_lock::<SceneRef>() {
        return Some(match sc.story() {
            Ok(story) => Output::Table(scene_table(&story, sc.index)),
            Err(e) => Output::Text(e.to_string()),
        });
    }
    if let Some(c) = value.read_lock::<CharacterRef>() {
        return Some(
            c.read(character_table)
                .map_or_else(|| Output::Text("Character (removed)".into()), Output::Table),
        );
    }
    if let Some(img) = value.read_lock::<ImageRef>() {
        return Some(Output::Image(image_item(&img, "")));
    }
    if let Some(v) = value.read_lock::<crate::render::Video>() {
        return Some(Output::Video(crate::runtime::display::VideoItem {
            path: v.path.clone(),
            width: v.width,
            height: v.height,
            duration_secs: v.duration_secs,
            poster: None,
        }));
    }
    if let Some(t) = value.read_lock::<Table>() {
        return Some(Output::Table(t.clone()));
    }
    if let Some(b) = value.read_lock::<Storyboard>() {
        return Some(Output::Sheet(b.0.clone()));
    }
    if let Some(items) = value.read_lock::<Array>() {
        if let Some(table) = characters_table(&items) {
            return Some(Output::Table(table));
        }
        let images: Vec<ImageItem> = items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                v.read_lock::<ImageRef>()
                    .map(|img| image_item(&img, &i.to_string()))
            })
            .collect();
        if !items.is_empty() && images.len() == items.len() {
            return Some(Output::Sheet(Sheet {
                title: String::new(),
                images,
                pick: Vec::new(),
            }));
        }
    }
    if value.is_string() {
        return Some(Output::Text(value.to_string()));
    }
    Some(Output::Text(format!("{value:?}")))
}

/// `s.characters`: one row per character, in the array's order; `None` unless every item is
/// a character.
fn characters_table(items: &Array) -> Option<Table> {
    if items.is_empty() {
        return None;
    }
    let mut t = Table::new(
        &plural(items.len(), "character"),
        &["name", "aliases", "description"],
    );
    for item in items {
        let c = item.read_lock::<CharacterRef>()?;
        let row = c
            .read(|c| vec![c.name.clone(), c.aliases.join(", "), c.description.clone()])
            .unwrap_or_else(|| vec!["(removed)".into(), String::new(), String::new()]);
        t.row(row);
    }
    Some(t)
}

fn storyboard_text(b: &Storyboard) -> String {
    format!("{}: {}", b.0.title, plural(b.0.images.len(), "scene"))
}

fn image_item(img: &ImageRef, caption: &str) -> ImageItem {
    ImageItem {
        path: img.path.clone(),
        width: img.width,
        height: img.height,
        caption: caption.to_string(),
    }
}

pub fn scenes_table(story: &Story) -> Table {
    let title = format!(
        "{} — {}, {}, format {}",
        story.title,
        plural(story.scenes.len(), "scene"),
        plural(crate::story::text::word_count(&story.text), "word"),
        story.format
    );
    let mut t = Table::new(&title, &["#", "words", "characters", "text"]);
    for (i, scene) in story.scenes.iter().enumerate() {
        let names: Vec<&str> = story
            .characters_in(i)
            .into_iter()
            .map(|c| story.characters[c].name.as_str())
            .collect();
        t.row(vec![
            i.to_string(),
            scene.words().to_string(),
            names.join(", "),
            scene.text.clone(),
        ]);
    }
    t
}

pub fn prompts_table(story: &Story) -> Table {
    let mut t = Table::new(
        &format!("{} — prompts", story.title),
        &["#", "tokens", "prompt", "warnings"],
    );
    for i in 0..story.scenes.len() {
        let p = story.prompt(i);
        let tokens = if p.overridden {
            format!("{} (yours)", p.tokens)
        } else {
            p.tokens.to_string()
        };
        t.row(vec![i.to_string(), tokens, p.text, p.warnings.join("; ")]);
    }
    t
}

fn scene_table(story: &Story, index: usize) -> Table {
    let scene = &story.scenes[index];
    let prompt = story.prompt(index);
    let names: Vec<&str> = story
        .characters_in(index)
        .into_iter()
        .map(|c| story.characters[c].name.as_str())
        .collect();
    let mut t = Table::new(&format!("Scene {index}"), &["field", "value"]);
    t.row(vec!["text".into(), scene.text.clone()]);
    t.row(vec!["words".into(), scene.words().to_string()]);
    t.row(vec!["characters".into(), names.join(", ")]);
    t.row(vec!["prompt".into(), prompt.text]);
    t.row(vec!["negative".into(), story.negative_for(index)]);
    if !prompt.warnings.is_empty() {
        t.row(vec!["warnings".into(), prompt.warnings.join("; ")]);
    }
    t
}

fn character_table(c: &crate::story::Character) -> Table {
    let mut t = Table::new(&format!("Character {}", c.name), &["field", "value"]);
    t.row(vec!["aliases".into(), c.aliases.join(", ")]);
    t.row(vec!["description".into(), c.description.clone()]);
    t.row(vec!["negative".into(), c.negative.clone()]);
    t.row(vec![
        "seed".into(),
        c.seed.map(|s| s.to_string()).unwrap_or_default(),
    ]);
    t.row(vec![
        "reference".into(),
        c.reference
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
    ]);
    t.row(vec!["lora".into(), c.lora.clone().unwrap_or_default()]);
    t.row(vec!["excluded".into(), c.excluded.to_string()]);
    t
}
