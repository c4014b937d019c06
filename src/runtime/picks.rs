//! Picking a candidate: the one path that `sc.pick(k)`, `s.pick(…)`, `sc.image = …` and every
//! front-end (REPL, notebook widgets) take, so that every pick is recorded in the story's
//! `picks.json` and comes back on the next run.

use std::path::PathBuf;

use super::api::handles::StoryRef;
use super::check::plural;
use super::context::Context;
use super::options::{fail, RhaiResult};
use crate::generate::cache::{content_address, is_address};
use crate::generate::cache_upkeep::key_of_path;
use crate::generate::sidecar::{self, Sidecar};
use crate::layout;

use crate::story::picks::{Lost, Picks, Restored};
use crate::story::Story;

/// Why a candidate cannot be picked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PickRefused {
    #[error("scene {index} no longer exists: the story was split again and now has {}", plural(*scenes, "scene"))]
    SceneGone { index: usize, scenes: usize },
    #[error(
        "pick({k}): scene {index} has no candidates yet; run sd_generate(s.scene({index})) first"
    )]
    NoCandidates { index: usize, k: i64 },
    #[error("pick({k}): scene {index} has {}, {}", plural(*candidates, "candidate"), numbered(*candidates))]
    NoSuchCandidate {
        index: usize,
        k: i64,
        candidates: usize,
    },
}

fn numbered(n: usize) -> String {
    match n {
        1 => "numbered 0".to_string(),
        _ => format!("numbered 0 to {}", n - 1),
    }
}

/// Why candidate `k` of scene `index` cannot be picked, if it cannot.
pub fn check(story: &Story, index: usize, k: i64) -> Result<(), PickRefused> {
    let Some(scene) = story.scenes.get(index) else {
        return Err(PickRefused::SceneGone {
            index,
            scenes: story.scenes.len(),
        });
    };
    let n = scene.candidates.len();
    if n == 0 {
        return Err(PickRefused::NoCandidates { index, k });
    }
    if k < 0 || k as usize >= n {
        return Err(PickRefused::NoSuchCandidate {
            index,
            k,
            candidates: n,
        });
    }
    Ok(())
}

/// Picks candidate `k` of scene `index` and records it.
pub fn pick(ctx: &Context, story: &StoryRef, index: usize, k: i64) -> RhaiResult<()> {
    let mut s = story.lock();
    check(&s, index, k).or_else(fail)?;
    s.scenes[index].picked = Some(k as usize);
    record(ctx, &s, index);
    Ok(())
}

/// Picks several candidates (scene, candidate), all or nothing: every pick is checked first.
pub fn pick_all(ctx: &Context, story: &StoryRef, picks: &[(usize, i64)]) -> RhaiResult<()> {
    {
        let s = story.lock();
        for &(index, k) in picks {
            if let Err(why) = check(&s, index, k) {
                return fail(format!("{why}; nothing was picked"));
            }
        }
    }
    for &(index, k) in picks {
        pick(ctx, story, index, k)?;
    }
    Ok(())
}

/// Records scene `index`'s pick and prompt in `picks.json`; a failure to write is a warning,
/// never a lost pick in the running session.
pub fn record(ctx: &Context, story: &Story, index: usize) {
    let address = story
        .scenes
        .get(index)
        .and_then(|s| s.image())
        .and_then(|p| content_address(p));
    let dir = ctx.workspace.story_dir(&story.slug());
    if let Err(e) = Picks::update(&dir, |p| p.record_scene(story, index, address)) {
        ctx.warn(&format!("the pick of scene {index} is not saved: {e}"));
    }
}

/// Brings back recorded picks and prompts where the scene has none of its own (so an explicit
/// `pick` or prompt in the script wins, as it runs after this).
pub fn restore(ctx: &Context, story: &mut Story) -> Restored {
    let dir = ctx.workspace.story_dir(&story.slug());
    match Picks::load(&dir) {
        Ok(picks) => picks.restore(story, content_address),
        Err(e) => {
            ctx.warn(&format!("recorded picks are not used: {e}"));
            Restored::default()
        }
    }
}

/// `restore` after new candidates came in for `scenes`, with one warning naming those of them
/// whose pick could not be carried over to the new candidates, and why.
pub fn restore_and_report(ctx: &Context, story: &mut Story, scenes: &[usize]) {
    let restored = restore(ctx, story);
    let lines: Vec<String> = restored
        .not_carried
        .iter()
        .filter(|n| scenes.contains(&n.scene))
        .map(|n| {
            let scene = &story.scenes[n.scene];
            format!(
                "  scene {} (\"{}\"): {}",
                n.scene,
                excerpt(&scene.text),
                why(&n.why, &scene.candidates)
            )
        })
        .collect();
    if !lines.is_empty() {
        ctx.warn(&format!(
            "{} not carried over to the new candidates (earlier picks stay in picks.json and come back with their candidates):\n{}",
            plural(lines.len(), "pick"),
            lines.join("\n")
        ));
    }
}

/// Why a recorded pick is not among a scene's candidates, found by comparing what the picked
/// image and the new candidates were made from (their cache sidecars).
fn why(lost: &Lost, candidates: &[PathBuf]) -> String {
    match lost {
        Lost::TextChanged { recorded_text } => format!(
            "its text changed; the pick was made for \"{}\"",
            excerpt(recorded_text)
        ),
        Lost::OtherCandidates { recorded } => {
            let sidecar =
                |path: PathBuf| -> Option<Sidecar> { sidecar::FORMAT.read(&path).ok().flatten() };
            let Some(first) = candidates.first() else {
                return "it has no candidates".into();
            };
            let cache = layout::cache_of(first);
            let was = cache
                .filter(|_| is_address(recorded))
                .and_then(|cache| sidecar(layout::cached_sidecar(cache, recorded)));
            let now = cache
                .zip(key_of_path(first))
                .and_then(|(cache, key)| sidecar(layout::cached_sidecar(cache, key)));
            let (Some(was), Some(now)) = (was, now) else {
                return "the picked image is not among its candidates".into();
            };
            let (was_asked, now_asked) = (&was.request, &now.request);
            if was_asked.prompt != now_asked.prompt {
                "its prompt changed (style, description, its own prompt, or the setting it takes from the text around it: place, time of day, what its people hold)".into()
            } else if was_asked.negative != now_asked.negative {
                "its negative prompt changed".into()
            } else if was.backend != now.backend || was.model != now.model {
                "the backend or model changed".into()
            } else if (was_asked.width, was_asked.height) != (now_asked.width, now_asked.height) {
                "the image size changed".into()
            } else {
                "its candidates were made with other settings (seed, steps, cfg or how many)".into()
            }
        }
    }
}

fn excerpt(text: &str) -> String {
    let mut words: Vec<&str> = text.split_whitespace().take(7).collect();
    if text.split_whitespace().count() > 7 {
        words.push("…");
    }
    words.join(" ")
}
