//! Picking a candidate: the one path that `sc.pick(k)`, `s.pick(…)`, `sc.image = …` and every
//! front-end (REPL, notebook widgets) take, so that every pick is recorded in the story's
//! `picks.json` and comes back on the next run.

use super::api::handles::StoryRef;
use super::context::Context;
use super::options::{fail, RhaiResult};
use crate::generate::cache::content_address;
use crate::story::picks::Picks;
use crate::story::Story;

/// Picks candidate `k` of scene `index` and records it.
pub fn pick(ctx: &Context, story: &StoryRef, index: usize, k: i64) -> RhaiResult<()> {
    let mut s = story.lock();
    let Some(scene) = s.scenes.get_mut(index) else {
        let count = s.scenes.len();
        return fail(format!(
            "scene {index} no longer exists: the story was split again and now has {count} scenes"
        ));
    };
    let n = scene.candidates.len();
    if n == 0 {
        return fail(format!(
            "pick({k}): scene {index} has no candidates yet; run sd_generate(s.scene({index})) first"
        ));
    }
    if k < 0 || k as usize >= n {
        return fail(format!(
            "pick({k}): scene {index} has {n} candidates, numbered 0 to {}",
            n - 1
        ));
    }
    scene.picked = Some(k as usize);
    record(ctx, &s, index);
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
pub fn restore(ctx: &Context, story: &mut Story) {
    let dir = ctx.workspace.story_dir(&story.slug());
    match Picks::load(&dir) {
        Ok(picks) => {
            picks.restore(story, content_address);
        }
        Err(e) => ctx.warn(&format!("recorded picks are not used: {e}")),
    }
}
