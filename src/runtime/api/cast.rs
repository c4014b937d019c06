//! `s.cast`, `s.merge(…)`, `s.exclude(…)`, `s.why(…)`, `s.presence()`: the detected characters.

use std::sync::Arc;

use rhai::Engine;

use super::handles::StoryRef;
use crate::runtime::context::Context;
use crate::runtime::display::{Output, Table};
use crate::runtime::options::{fail, RhaiResult};
use crate::story::Story;

pub fn register(engine: &mut Engine, ctx: &Arc<Context>) {
    engine.register_get("cast", |s: &mut StoryRef| cast_table(&s.lock()));
    engine.register_fn(
        "merge",
        |s: &mut StoryRef, keep: &str, absorb: &str| -> RhaiResult<StoryRef> {
            s.lock()
                .merge(keep, absorb)
                .or_else(|e| fail(format!("merge: {e}")))?;
            Ok(s.clone())
        },
    );
    engine.register_fn(
        "exclude",
        |s: &mut StoryRef, name: &str| -> RhaiResult<StoryRef> {
            let mut story = s.lock();
            let Some(i) = story.character_index(name) else {
                return fail(format!("exclude: {}", story.unknown_character(name)));
            };
            story.characters[i].excluded = true;
            drop(story);
            Ok(s.clone())
        },
    );
    engine.register_fn(
        "why",
        |s: &mut StoryRef, name: &str, scene: i64| -> RhaiResult<String> {
            let story = s.lock();
            why(&story, name, scene)
        },
    );
    let c = ctx.clone();
    engine.register_fn("presence", move |s: &mut StoryRef| -> RhaiResult<()> {
        let story = s.lock();
        let path = c
            .workspace
            .display_path("presence", "png")
            .or_else(|e| fail(format!("presence: cannot write the chart: {e}")))?;
        let (width, height) = crate::story::presence_chart::draw(&story, &path)
            .or_else(|e| fail(format!("presence: {e}")))?;
        c.display
            .show(&Output::Chart(crate::runtime::display::ImageItem {
                path,
                width,
                height,
                caption: format!("{} — who is in which scene", story.title),
            }));
        Ok(())
    });
}

/// `s.why(name, scene)`: the detection's reasons for a character in one scene.
fn why(story: &Story, name: &str, scene: i64) -> RhaiResult<String> {
    let count = story.scenes.len();
    let Some(sc) = usize::try_from(scene)
        .ok()
        .and_then(|i| story.scenes.get(i))
    else {
        return fail(format!(
            "why: scene {scene} does not exist; the story has scenes 0 to {}",
            count.saturating_sub(1)
        ));
    };
    let Some(i) = story.character_index(name) else {
        return fail(format!("why: {}", story.unknown_character(name)));
    };
    let character = &story.characters[i];
    let names: Vec<&str> = character.names().collect();
    let (start, end) = sc.span;
    let mut out = crate::story::cast::why(&story.text, &names, start, end).unwrap_or_else(|| {
        format!(
            "{} was not found in the text: it was added by hand",
            character.name
        )
    });
    if let Some(chosen) = &sc.characters {
        out.push_str(&format!(
            "\nscene {scene}'s characters are chosen by hand: {}",
            chosen.join(", ")
        ));
    }
    if character.excluded {
        out.push_str(&format!("\n{} is excluded from prompts", character.name));
    }
    Ok(out)
}

pub fn cast_table(story: &Story) -> Table {
    let mut t = Table::new(
        &format!("{} — cast", story.title),
        &[
            "name",
            "aliases",
            "gender",
            "mentions",
            "scenes",
            "description",
            "suggested description",
        ],
    );
    // Who is in each scene, worked out once rather than once per character.
    let presence: Vec<Vec<usize>> = (0..story.scenes.len())
        .map(|s| story.characters_in(s))
        .collect();
    for (i, c) in story.characters.iter().enumerate() {
        let scenes: Vec<usize> = (0..presence.len())
            .filter(|&s| presence[s].contains(&i))
            .collect();
        let name = if c.excluded {
            format!("{} (excluded)", c.name)
        } else {
            c.name.clone()
        };
        t.row(vec![
            name,
            c.aliases.join(", "),
            c.gender.clone(),
            c.mentions.len().to_string(),
            compact_ranges(&scenes),
            c.description.clone(),
            c.suggested_description.clone(),
        ]);
    }
    t
}

/// 0, 1, 2, 5 → "0-2, 5".
pub fn compact_ranges(nums: &[usize]) -> String {
    let mut out = Vec::new();
    let mut i = 0;
    while i < nums.len() {
        let mut j = i;
        while j + 1 < nums.len() && nums[j + 1] == nums[j] + 1 {
            j += 1;
        }
        out.push(if j > i {
            format!("{}-{}", nums[i], nums[j])
        } else {
            nums[i].to_string()
        });
        i = j + 1;
    }
    out.join(", ")
}
