//! `story(…)`, `story_file(…)` and the members of Story and Scene.

use std::sync::Arc;

use crate::runtime::check::plural;
use rhai::{Array, Dynamic, Engine, Map};

use super::handles::{CharacterRef, SceneLookup, SceneRef, StoryRef};
use crate::runtime::context::Context;
use crate::runtime::options::{fail, Options, RhaiResult};
use crate::story::prompt::PromptFrom;
use crate::story::{Format, SplitOptions, SplitStrategy, Story};

pub fn register(engine: &mut Engine, ctx: &Arc<Context>) {
    engine.register_type_with_name::<StoryRef>("Story");
    engine.register_type_with_name::<SceneRef>("Scene");

    engine.register_fn("story", |title: &str, text: &str| {
        StoryRef::new(Story::new(title, text))
    });
    let c = ctx.clone();
    engine.register_fn("story_file", move |path: &str| story_file(&c, path, None));
    let c = ctx.clone();
    engine.register_fn("story_file", move |path: &str, title: &str| {
        story_file(&c, path, Some(title))
    });

    register_story_members(engine, ctx);
    register_scene_members(engine, ctx);
}

fn story_file(ctx: &Context, path: &str, title: Option<&str>) -> RhaiResult<StoryRef> {
    let found = ctx
        .resolve(path)
        .or_else(|e| fail(format!("story_file: {e}")))?;
    let text = crate::story::file::read_story_text(&found)
        .or_else(|e| fail(format!("story_file: {e}")))?;
    let title = title
        .map(str::to_string)
        .unwrap_or_else(|| title_from_stem(&found));
    Ok(StoryRef::new(Story::new(&title, &text)))
}

/// "little-mermaid" → "Little Mermaid".
fn title_from_stem(path: &std::path::Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    stem.split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|f| f.to_uppercase().collect::<String>() + cs.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn register_story_members(engine: &mut Engine, ctx: &Arc<Context>) {
    macro_rules! text_property {
        ($name:literal, $field:ident) => {
            engine.register_get_set(
                $name,
                |s: &mut StoryRef| s.lock().$field.clone(),
                |s: &mut StoryRef, v: String| s.lock().$field = v,
            );
        };
    }
    text_property!("title", title);
    text_property!("style", style);
    text_property!("suffix", suffix);
    text_property!("negative", negative);
    engine.register_get("text", |s: &mut StoryRef| s.lock().text.clone());
    engine.register_get_set(
        "seed",
        |s: &mut StoryRef| s.lock().seed as i64,
        |s: &mut StoryRef, v: i64| s.lock().seed = v as u64,
    );
    engine.register_get_set(
        "prompt_limit",
        |s: &mut StoryRef| s.lock().prompt_limit as i64,
        |s: &mut StoryRef, v: i64| -> RhaiResult<()> {
            if v < 1 {
                return fail(format!(
                    "prompt_limit is {v}; it must be a positive number of tokens"
                ));
            }
            s.lock().prompt_limit = v as usize;
            Ok(())
        },
    );
    engine.register_get_set(
        "prompt_from",
        |s: &mut StoryRef| s.lock().prompt_from.as_str().to_string(),
        |s: &mut StoryRef, v: String| -> RhaiResult<()> {
            let Some(from) = PromptFrom::parse(&v) else {
                return fail(format!(
                    "prompt_from is {v:?}; it must be one of: {}",
                    PromptFrom::NAMES.join(", ")
                ));
            };
            s.lock().prompt_from = from;
            Ok(())
        },
    );
    engine.register_get("format", |s: &mut StoryRef| s.lock().format.label());
    engine.register_set("format", |s: &mut StoryRef, v: Dynamic| -> RhaiResult<()> {
        let format = parse_format(&v)?;
        s.lock().format = format;
        Ok(())
    });
    engine.register_get("width", |s: &mut StoryRef| s.lock().format.width as i64);
    engine.register_get("height", |s: &mut StoryRef| s.lock().format.height as i64);

    let c = ctx.clone();
    engine.register_fn(
        "split",
        move |s: &mut StoryRef, opts: Map| -> RhaiResult<StoryRef> {
            let opts = split_options(opts)?;
            resplit(&c, s, opts);
            Ok(s.clone())
        },
    );
    let c = ctx.clone();
    engine.register_fn("split", move |s: &mut StoryRef| {
        resplit(&c, s, SplitOptions::default());
        s.clone()
    });
    engine.register_fn(
        "scene",
        |s: &mut StoryRef, i: i64| -> RhaiResult<SceneRef> { scene_at(s, i) },
    );
    engine.register_type_with_name::<SceneLookup>("SceneLookup");
    engine.register_get("scene", |s: &mut StoryRef| SceneLookup(s.clone()));
    engine.register_indexer_get(|l: &mut SceneLookup, i: i64| -> RhaiResult<SceneRef> {
        scene_at(&l.0, i)
    });
    engine.register_get("scenes", |s: &mut StoryRef| -> Array {
        let count = s.lock().scenes.len();
        (0..count)
            .map(|index| {
                Dynamic::from(SceneRef {
                    story: s.clone(),
                    index,
                })
            })
            .collect()
    });
    engine.register_fn("len", |s: &mut StoryRef| s.lock().scenes.len() as i64);
    engine.register_iterator::<StoryRef>();
    engine.register_get("characters", |s: &mut StoryRef| -> Array {
        let names: Vec<String> = s.lock().characters.iter().map(|c| c.name.clone()).collect();
        names
            .into_iter()
            .map(|name| {
                Dynamic::from(CharacterRef::InStory {
                    story: s.clone(),
                    name,
                })
            })
            .collect()
    });
    engine.register_get("prompts", |s: &mut StoryRef| {
        super::show::prompts_table(&s.lock())
    });
    engine.register_fn("to_string", |s: &mut StoryRef| {
        let st = s.lock();
        format!(
            "Story \"{}\" ({}, {})",
            st.title,
            plural(st.scenes.len(), "scene"),
            plural(st.characters.len(), "character")
        )
    });
    engine.register_fn("to_debug", |s: &mut StoryRef| {
        format!("Story(\"{}\")", s.lock().title)
    });
}

/// Splits again; scenes whose text is unchanged keep what the user made, the rest is named.
fn resplit(ctx: &Context, s: &StoryRef, opts: SplitOptions) {
    for lost in s.lock().resplit(opts) {
        ctx.warn(&format!("split: {lost}"));
    }
}

impl IntoIterator for StoryRef {
    type Item = SceneRef;
    type IntoIter = std::vec::IntoIter<SceneRef>;

    fn into_iter(self) -> Self::IntoIter {
        let count = self.lock().scenes.len();
        (0..count)
            .map(|index| SceneRef {
                story: self.clone(),
                index,
            })
            .collect::<Vec<_>>()
            .into_iter()
    }
}

/// `s.scene(i)`; negative indices count from the end, like `s.scene(-1)` for the last scene.
pub fn scene_at(s: &StoryRef, i: i64) -> RhaiResult<SceneRef> {
    let count = s.lock().scenes.len() as i64;
    let index = if i < 0 { count + i } else { i };
    if index < 0 || index >= count {
        return fail(format!("scene({i}): {}", scene_range(count as usize)));
    }
    Ok(SceneRef {
        story: s.clone(),
        index: index as usize,
    })
}

/// `the story has 3 scenes, numbered 0 to 2`, singular and plural right.
pub fn scene_range(count: usize) -> String {
    match count {
        0 => "the story has no scenes".to_string(),
        1 => "the story has 1 scene, numbered 0".to_string(),
        n => format!("the story has {n} scenes, numbered 0 to {}", n - 1),
    }
}

fn parse_format(v: &Dynamic) -> RhaiResult<Format> {
    let names: Vec<String> = Format::NAMED
        .iter()
        .map(|(n, _)| format!("\"{n}\""))
        .collect();
    if v.is_string() {
        let name = v.to_string();
        return match Format::named(&name) {
            Some(f) => Ok(f),
            None => fail(format!(
                "format is \"{name}\"; allowed: {}, or #{{ width: W, height: H }}",
                names.join(", ")
            )),
        };
    }
    if let Some(map) = v.clone().try_cast::<Map>() {
        let o = Options::new("format", map, crate::runtime::spec::FORMAT)?;
        let (Some(w), Some(h)) = (o.int("width")?, o.int("height")?) else {
            return fail("format: a custom format needs both width and height");
        };
        return Format::custom(w, h).or_else(|e| fail(format!("format: {e}")));
    }
    fail(format!(
        "format is {} ({}); allowed: {}, or #{{ width: W, height: H }}",
        v,
        v.type_name(),
        names.join(", ")
    ))
}

fn split_options(map: Map) -> RhaiResult<SplitOptions> {
    let o = Options::new("split", map, crate::runtime::spec::SPLIT)?;
    let mut opts = SplitOptions::default();
    if let Some(by) = o.string("by")? {
        opts.by = SplitStrategy::parse(&by).expect("validated against NAMES");
    }
    if let Some(n) = o.int("max_words")? {
        opts.max_words = n as usize;
    }
    if let Some(n) = o.int("min_words")? {
        opts.min_words = n as usize;
    }
    if let Some(n) = o.int("sentences")? {
        opts.sentences = n as usize;
    }
    if let Some(m) = o.string("marker")? {
        if m.trim().is_empty() {
            return fail(
                "split: option \"marker\" is \"\"; it must be a non-empty line such as \"---\"",
            );
        }
        opts.marker = m.trim().to_string();
    }
    if opts.min_words > opts.max_words {
        return fail(format!(
            "split: min_words ({}) is larger than max_words ({}); min_words must not exceed max_words",
            opts.min_words, opts.max_words
        ));
    }
    Ok(opts)
}

fn register_scene_members(engine: &mut Engine, ctx: &Arc<Context>) {
    engine.register_get("index", |sc: &mut SceneRef| sc.index as i64);
    engine.register_get("text", |sc: &mut SceneRef| -> RhaiResult<String> {
        Ok(sc.story()?.scenes[sc.index].text.clone())
    });
    engine.register_get("words", |sc: &mut SceneRef| -> RhaiResult<i64> {
        Ok(sc.story()?.scenes[sc.index].words() as i64)
    });
    // The user's prompts are recorded with the picks, so they too survive re-runs.
    let c = ctx.clone();
    engine.register_get_set(
        "prompt",
        |sc: &mut SceneRef| -> RhaiResult<String> { Ok(sc.story()?.prompt(sc.index).text) },
        // An empty prompt goes back to the composed one.
        move |sc: &mut SceneRef, v: String| -> RhaiResult<()> {
            let value = (!v.trim().is_empty()).then_some(v);
            set_prompt(&c, sc, value)
        },
    );
    let c = ctx.clone();
    engine.register_fn("reset_prompt", move |sc: &mut SceneRef| -> RhaiResult<()> {
        set_prompt(&c, sc, None)
    });
    engine.register_get("negative", |sc: &mut SceneRef| -> RhaiResult<String> {
        Ok(sc.story()?.negative_for(sc.index))
    });
    engine.register_get("warnings", |sc: &mut SceneRef| -> RhaiResult<Array> {
        Ok(sc
            .story()?
            .prompt(sc.index)
            .warnings
            .into_iter()
            .map(Dynamic::from)
            .collect())
    });
    // Who is in the scene: detected, or the user's choice, which the prompt follows.
    engine.register_get_set(
        "characters",
        |sc: &mut SceneRef| -> RhaiResult<Array> {
            let s = sc.story()?;
            Ok(s.characters_in(sc.index)
                .into_iter()
                .map(|i| Dynamic::from(s.characters[i].name.clone()))
                .collect())
        },
        |sc: &mut SceneRef, names: Array| -> RhaiResult<()> {
            let mut list = Vec::new();
            for (k, v) in names.into_iter().enumerate() {
                match v.into_string() {
                    Ok(n) => list.push(n),
                    Err(kind) => {
                        return fail(format!(
                            "scene {}: characters[{k}] is a {kind}; give character names, e.g. [\"the princess\", \"the frog\"]",
                            sc.index
                        ))
                    }
                }
            }
            let index = sc.index;
            sc.story()?
                .set_scene_characters(index, &list)
                .or_else(|e| fail(format!("scene {index}: characters: {e}")))
        },
    );
    engine.register_fn(
        "add_character",
        |sc: &mut SceneRef, name: &str| -> RhaiResult<()> {
            let index = sc.index;
            sc.story()?
                .add_scene_character(index, name)
                .or_else(|e| fail(format!("scene {index}: add_character: {e}")))
        },
    );
    engine.register_fn(
        "remove_character",
        |sc: &mut SceneRef, name: &str| -> RhaiResult<()> {
            let index = sc.index;
            sc.story()?
                .remove_scene_character(index, name)
                .or_else(|e| fail(format!("scene {index}: remove_character: {e}")))
        },
    );
    engine.register_fn("to_string", |sc: &mut SceneRef| -> RhaiResult<String> {
        Ok(format!(
            "Scene {}: {}",
            sc.index,
            sc.story()?.scenes[sc.index].text
        ))
    });
    engine.register_fn("to_debug", |sc: &mut SceneRef| {
        format!("Scene({})", sc.index)
    });
}

fn set_prompt(ctx: &Context, sc: &SceneRef, prompt: Option<String>) -> RhaiResult<()> {
    let mut story = sc.story()?;
    story.scenes[sc.index].prompt_override = prompt;
    crate::runtime::picks::record(ctx, &story, sc.index);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_file_names() {
        assert_eq!(
            title_from_stem(std::path::Path::new("x/little-mermaid.txt")),
            "Little Mermaid"
        );
    }
}
