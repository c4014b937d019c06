//! `character(…)`, `s.add(…)`, `s.character(…)` and the members of Character.

use std::sync::{Arc, Mutex};

use rhai::{Array, Dynamic, Engine};

use super::handles::{CharacterLookup, CharacterRef, ImageRef, StoryRef};
use crate::runtime::context::Context;
use crate::runtime::options::{fail, RhaiResult};
use crate::story::Character;

pub fn register(engine: &mut Engine, ctx: &Arc<Context>) {
    engine.register_type_with_name::<CharacterRef>("Character");
    engine.register_fn("character", |name: &str, description: &str| {
        new_character(name, description)
    });
    engine.register_fn("character", |name: &str| new_character(name, ""));

    engine.register_fn(
        "add",
        |s: &mut StoryRef, c: CharacterRef| -> RhaiResult<CharacterRef> {
            let Some(character) = c.read(Clone::clone) else {
                return fail("add: this character no longer exists");
            };
            let name = character.name.clone();
            s.lock().add_character(character);
            Ok(CharacterRef::InStory {
                story: s.clone(),
                name,
            })
        },
    );
    engine.register_fn("character", |s: &mut StoryRef, name: &str| {
        find_character(s, name)
    });
    engine.register_type_with_name::<CharacterLookup>("CharacterLookup");
    engine.register_get("character", |s: &mut StoryRef| CharacterLookup(s.clone()));
    engine.register_indexer_get(|l: &mut CharacterLookup, name: &str| find_character(&l.0, name));

    register_members(engine, ctx);
}

fn find_character(s: &StoryRef, name: &str) -> RhaiResult<CharacterRef> {
    let story = s.lock();
    // "frog" finds "the frog" when that is the only such name.
    let found = story.character_index(name).or_else(|| {
        let with_article: Vec<usize> = ["the", "a", "an"]
            .iter()
            .filter_map(|a| story.character_index(&format!("{a} {}", name.trim())))
            .collect();
        (with_article.len() == 1).then(|| with_article[0])
    });
    match found {
        Some(i) => Ok(CharacterRef::InStory {
            story: s.clone(),
            name: story.characters[i].name.clone(),
        }),
        None => {
            let known = story.character_names();
            let names: Vec<&str> = story.characters.iter().flat_map(|c| c.names()).collect();
            let hint = crate::runtime::options::closest(name, &names)
                .map(|c| format!(" Did you mean \"{c}\"?"))
                .unwrap_or_default();
            fail(format!(
                    "character(\"{name}\"): no such character.{hint} The story has: {known}. Add one with s.add(character(\"{name}\", \"description\"))"
                ))
        }
    }
}

fn new_character(name: &str, description: &str) -> RhaiResult<CharacterRef> {
    if name.trim().is_empty() {
        return fail("character: the name is empty; give the name the story uses, e.g. character(\"Mime\", \"old dwarf smith\")");
    }
    Ok(CharacterRef::Detached(Arc::new(Mutex::new(
        Character::new(name, description),
    ))))
}

fn gone<T>() -> RhaiResult<T> {
    fail("this character is no longer in its story (it was renamed or merged); look it up again with s.character(name)")
}

/// An alias that is the name of a character the user described (or gave a seed, reference or
/// LoRA) would silently fold that character, description and all, into this one: that takes an
/// explicit `s.merge`. Characters only detection found are still absorbed.
fn refuse_alias_of_described_character(
    story: &crate::story::Story,
    me: &str,
    aliases: &[String],
) -> RhaiResult<()> {
    let mine = story.character_index(me);
    for alias in aliases {
        let other = story.characters.iter().enumerate().find(|(i, other)| {
            Some(*i) != mine
                && other.answers_to(alias)
                && (!other.description.is_empty()
                    || other.seed.is_some()
                    || other.reference.is_some()
                    || other.lora.is_some())
        });
        if let Some((_, other)) = other {
            return fail(format!(
                "aliases: \"{alias}\" is the character \"{}\", who has a description of its own; to make them one character use s.merge(\"{me}\", \"{}\")",
                other.name, other.name
            ));
        }
    }
    Ok(())
}

fn register_members(engine: &mut Engine, ctx: &Arc<Context>) {
    macro_rules! text_property {
        ($name:literal, $field:ident) => {
            engine.register_get_set(
                $name,
                |c: &mut CharacterRef| -> RhaiResult<String> {
                    c.read(|c| c.$field.clone()).map_or_else(gone, Ok)
                },
                |c: &mut CharacterRef, v: String| -> RhaiResult<()> {
                    c.write(|c| c.$field = v.trim().to_string())
                        .map_or_else(gone, Ok)
                },
            );
        };
    }
    text_property!("description", description);
    text_property!("negative", negative);

    engine.register_get_set(
        "name",
        |c: &mut CharacterRef| -> RhaiResult<String> {
            c.read(|c| c.name.clone()).map_or_else(gone, Ok)
        },
        |c: &mut CharacterRef, v: String| -> RhaiResult<()> {
            let new = v.trim().to_string();
            if new.is_empty() {
                return fail("name: a character's name cannot be empty");
            }
            c.write(|ch| ch.name = new.clone()).map_or_else(gone, Ok)?;
            if let CharacterRef::InStory { name, .. } = c {
                *name = new;
            }
            Ok(())
        },
    );
    engine.register_get_set(
        "aliases",
        |c: &mut CharacterRef| -> RhaiResult<Array> {
            c.read(|c| c.aliases.iter().cloned().map(Dynamic::from).collect())
                .map_or_else(gone, Ok)
        },
        |c: &mut CharacterRef, v: Array| -> RhaiResult<()> {
            let mut aliases = Vec::new();
            for item in v {
                match item.into_string() {
                    Ok(s) if !s.trim().is_empty() => aliases.push(s.trim().to_string()),
                    Ok(_) => return fail("aliases: an alias is empty"),
                    Err(t) => return fail(format!("aliases: expected strings, found a {t}")),
                }
            }
            if let CharacterRef::InStory { story, name } = c {
                refuse_alias_of_described_character(&story.lock(), name, &aliases)?;
            }
            c.write(|c| c.aliases = aliases).map_or_else(gone, Ok)?;
            // A new alias may name a character detection found separately: they are one.
            if let CharacterRef::InStory { story, name } = c {
                let mut s = story.lock();
                if let Some(i) = s.character_index(name) {
                    s.absorb_namesakes(i);
                }
            }
            Ok(())
        },
    );
    engine.register_get("seed", |c: &mut CharacterRef| -> RhaiResult<Dynamic> {
        c.read(|c| c.seed.map_or(Dynamic::UNIT, |s| Dynamic::from(s as i64)))
            .map_or_else(gone, Ok)
    });
    engine.register_set("seed", |c: &mut CharacterRef, v: i64| -> RhaiResult<()> {
        c.write(|c| c.seed = Some(v as u64)).map_or_else(gone, Ok)
    });
    engine.register_get_set(
        "excluded",
        |c: &mut CharacterRef| -> RhaiResult<bool> { c.read(|c| c.excluded).map_or_else(gone, Ok) },
        |c: &mut CharacterRef, v: bool| -> RhaiResult<()> {
            c.write(|c| c.excluded = v).map_or_else(gone, Ok)
        },
    );
    engine.register_get("lora", |c: &mut CharacterRef| -> RhaiResult<Dynamic> {
        c.read(|c| c.lora.clone().map_or(Dynamic::UNIT, Dynamic::from))
            .map_or_else(gone, Ok)
    });
    engine.register_set("lora", |c: &mut CharacterRef, v: &str| -> RhaiResult<()> {
        let lora = parse_lora(v).or_else(fail)?;
        c.write(|c| c.lora = lora).map_or_else(gone, Ok)
    });
    engine.register_get("reference", |c: &mut CharacterRef| -> RhaiResult<Dynamic> {
        c.read(|c| {
            c.reference
                .as_ref()
                .map_or(Dynamic::UNIT, |p| Dynamic::from(p.display().to_string()))
        })
        .map_or_else(gone, Ok)
    });
    engine.register_set(
        "reference",
        |c: &mut CharacterRef, img: ImageRef| -> RhaiResult<()> {
            c.write(|c| c.reference = Some(img.path))
                .map_or_else(gone, Ok)
        },
    );
    let cx = ctx.clone();
    engine.register_set(
        "reference",
        move |c: &mut CharacterRef, path: &str| -> RhaiResult<()> {
            let found = cx
                .resolve(path)
                .or_else(|e| fail(format!("reference: {e}")))?;
            let img = ImageRef::open(found).or_else(|e| fail(format!("reference: {e}")))?;
            c.write(|c| c.reference = Some(img.path))
                .map_or_else(gone, Ok)
        },
    );
    engine.register_get("voice", |c: &mut CharacterRef| -> RhaiResult<Dynamic> {
        c.read(|c| c.voice.clone().map_or(Dynamic::UNIT, Dynamic::from))
            .map_or_else(gone, Ok)
    });
    let cx = ctx.clone();
    engine.register_set(
        "voice",
        move |c: &mut CharacterRef, v: &str| -> RhaiResult<()> {
            let voice = super::render::voice_spec(&cx, "voice", v)?;
            c.write(|c| c.voice = voice).map_or_else(gone, Ok)
        },
    );
    engine.register_set(
        "voice",
        |c: &mut CharacterRef, _none: ()| -> RhaiResult<()> {
            c.write(|c| c.voice = None).map_or_else(gone, Ok)
        },
    );
    engine.register_get("gender", |c: &mut CharacterRef| -> RhaiResult<String> {
        c.read(|c| c.gender.clone()).map_or_else(gone, Ok)
    });
    engine.register_get(
        "suggested_description",
        |c: &mut CharacterRef| -> RhaiResult<String> {
            c.read(|c| c.suggested_description.clone())
                .map_or_else(gone, Ok)
        },
    );
    engine.register_get("mentions", |c: &mut CharacterRef| -> RhaiResult<i64> {
        c.read(|c| c.mentions.len() as i64).map_or_else(gone, Ok)
    });
    engine.register_fn("to_string", |c: &mut CharacterRef| {
        c.read(|c| format!("Character \"{}\": {}", c.name, c.description))
            .unwrap_or_else(|| "Character (removed)".into())
    });
    engine.register_fn("to_debug", |c: &mut CharacterRef| {
        c.read(|c| format!("Character(\"{}\")", c.name))
            .unwrap_or_else(|| "Character(removed)".into())
    });
}

/// `"name"` or `"name:0.8"`; an empty string clears the LoRA.
fn parse_lora(v: &str) -> Result<Option<String>, String> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let (name, weight) = v.rsplit_once(':').map_or((v, None), |(n, w)| (n, Some(w)));
    if name.trim().is_empty() {
        return Err(format!(
            "lora is \"{v}\"; expected \"name\" or \"name:weight\", e.g. \"siegfried_v2:0.8\""
        ));
    }
    match weight.map(str::parse::<f64>) {
        Some(Ok(w)) if (-4.0..=4.0).contains(&w) => Ok(Some(format!("{}:{w}", name.trim()))),
        Some(_) => Err(format!(
            "lora is \"{v}\"; the weight must be a number from -4 to 4, e.g. \"{}:0.8\"",
            name.trim()
        )),
        None => Ok(Some(format!("{}:1", name.trim()))),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_lora;

    #[test]
    fn lora_syntax() {
        assert_eq!(parse_lora("hero:0.8").unwrap().as_deref(), Some("hero:0.8"));
        assert_eq!(parse_lora("hero").unwrap().as_deref(), Some("hero:1"));
        assert!(parse_lora("hero:lots").unwrap_err().contains("weight"));
        assert_eq!(parse_lora("").unwrap(), None);
    }
}
