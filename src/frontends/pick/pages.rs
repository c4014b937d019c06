//! The page's HTML, made on the server: the list of stories, and one story's scenes with their
//! candidates. The only script is the keyboard: digits pick, arrows move, Enter picks.

use std::fmt::Write;

use super::render_job::JobState;
use super::workspace::{SceneView, StoryView};
use crate::runtime::display::html_escape as esc;

const STYLE: &str = "body{font:15px/1.4 system-ui,sans-serif;margin:0 1.5em 3em;background:#f4f2ee;color:#222}\
h1{font-size:1.4em}table{border-collapse:collapse}td,th{padding:.3em .8em;text-align:left;border-bottom:1px solid #ddd}\
.bar{position:sticky;top:0;background:#f4f2ee;padding:.5em 0;border-bottom:1px solid #ccc;z-index:2;display:flex;gap:1em;align-items:center}\
.scene{display:flex;gap:1.2em;padding:1em 0;border-bottom:1px solid #ddd}.info{width:22em;flex:none}\
.prompt{color:#666;font-size:.85em}.tiles form{display:flex;flex-wrap:wrap;gap:.5em}\
.tile{position:relative;padding:0;border:4px solid transparent;background:none;cursor:pointer}\
.tile img{display:block;height:200px}.tile.picked{border-color:#2a7}.tile:focus{outline:3px solid #36c}\
.badge{position:absolute;left:6px;bottom:6px;min-width:1.4em;padding:1px 5px;background:#ffd600;color:#000;\
border:2px solid #000;font:bold 18px sans-serif}.large img{height:420px}.missing{width:112px;height:200px;\
display:flex;align-items:center;justify-content:center;background:#ddd;color:#777;font-size:.8em}\
.problem{color:#a33}pre{background:#fff;padding:.5em;max-width:60em;overflow:auto}";

const KEYS: &str = r#"<script>
// Digits pick the candidate with that number; arrows move between candidates and scenes;
// Enter picks the focused candidate (a plain button press).
document.addEventListener('keydown', e => {
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  const scenes = [...document.querySelectorAll('.scene')];
  let here = document.activeElement && document.activeElement.closest('.scene');
  if (!here) here = scenes[0];
  if (!here) return;
  const tiles = [...here.querySelectorAll('button.tile')];
  const at = tiles.indexOf(document.activeElement);
  const focus = t => { if (t) { t.focus(); t.scrollIntoView({block: 'nearest'}); } };
  if (/^[0-9]$/.test(e.key)) { const t = tiles[+e.key]; if (t) t.click(); }
  else if (e.key === 'ArrowRight') focus(tiles[Math.min(at + 1, tiles.length - 1)]);
  else if (e.key === 'ArrowLeft') focus(tiles[Math.max(at - 1, 0)]);
  else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    const next = scenes[scenes.indexOf(here) + (e.key === 'ArrowDown' ? 1 : -1)];
    if (next) focus(next.querySelector('button.tile.picked') || next.querySelector('button.tile'));
  } else return;
  e.preventDefault();
});
</script>"#;

fn page(title: &str, head_extra: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>{}</title>{head_extra}\
         <style>{STYLE}</style></head><body>{body}</body></html>",
        esc(title)
    )
}

pub fn index(root: &str, stories: &[StoryView], token: &str) -> String {
    let mut body = format!("<h1>Stories in {}</h1>", esc(root));
    if stories.is_empty() {
        body.push_str(
            "<p>No story here yet: run a script that generates candidates \
             (<code>storyreel run story.rhai</code>), then reload.</p>",
        );
        return page("storyreel pick", "", &body);
    }
    body.push_str("<table><tr><th>story</th><th>scenes picked</th><th>video</th></tr>");
    for s in stories {
        let progress = match &s.problem {
            Some(p) if s.scenes.is_empty() => format!("<span class=problem>{}</span>", esc(p)),
            _ => format!("{} / {}", s.picked_count(), s.scenes.len()),
        };
        let video = if s.video.is_some() {
            format!("<a href=\"/video/{}?t={token}\">rendered</a>", esc(&s.slug))
        } else {
            "—".to_string()
        };
        let _ = write!(
            body,
            "<tr><td><a class=story href=\"/s/{}?t={token}\">{}</a></td><td>{progress}</td><td>{video}</td></tr>",
            esc(&s.slug),
            esc(&s.title)
        );
    }
    body.push_str("</table>");
    page("storyreel pick", "", &body)
}

pub struct StoryPage<'a> {
    pub story: &'a StoryView,
    pub token: &'a str,
    pub job: Option<JobState>,
    pub log: Vec<String>,
    /// Whether each candidate's image is in the cache.
    pub present: &'a dyn Fn(&str) -> bool,
    /// The scene whose picked candidate gets the keyboard focus.
    pub focus: Option<usize>,
    pub message: Option<String>,
}

pub fn story(p: &StoryPage) -> String {
    let (s, t) = (p.story, p.token);
    let mut body = format!(
        "<p><a href=\"/?t={t}\">← all stories</a></p><h1>{}</h1>",
        esc(&s.title)
    );
    if let Some(problem) = &s.problem {
        let _ = write!(body, "<p class=problem>{}</p>", esc(problem));
    }
    if let Some(m) = &p.message {
        let _ = write!(body, "<p class=problem>{}</p>", esc(m));
    }
    body.push_str(&render_bar(p));
    for scene in &s.scenes {
        body.push_str(&scene_row(p, scene));
    }
    // While rendering, the page reloads itself every second: the progress without a script.
    // The URL is explicit and has no fragment, or the browser would only scroll.
    let refresh = if matches!(p.job, Some(JobState::Running { .. })) {
        format!(
            "<meta http-equiv=refresh content=\"1; url=/s/{}?t={t}\">",
            esc(&s.slug)
        )
    } else {
        String::new()
    };
    page(&s.title, &refresh, &(body + KEYS))
}

fn render_bar(p: &StoryPage) -> String {
    let (s, t) = (p.story, p.token);
    let slug = esc(&s.slug);
    let mut bar = format!(
        "<div class=bar><span id=progress>{} / {} scenes picked</span>",
        s.picked_count(),
        s.scenes.len()
    );
    match &s.script {
        Some(script) => {
            let _ = write!(
                bar,
                "<form method=post action=\"/s/{slug}/render?t={t}\"><button id=render title=\"runs {}\">Render</button></form>",
                esc(&script.display().to_string())
            );
        }
        None => bar.push_str(
            "<span>Render needs the story's script: run it once with <code>storyreel run</code>.</span>",
        ),
    }
    let status = match &p.job {
        Some(JobState::Running { since }) => {
            format!("rendering… {:.0} s", since.elapsed().as_secs_f64())
        }
        Some(JobState::Done { secs }) => format!("rendered in {secs:.1} s"),
        Some(JobState::Failed { reason }) => {
            format!("<span class=problem>{}</span>", esc(reason))
        }
        None => String::new(),
    };
    let _ = write!(bar, "<span id=render-status>{status}</span></div>");
    if p.job.is_some() && !p.log.is_empty() {
        let _ = write!(bar, "<pre id=render-log>{}</pre>", esc(&p.log.join("\n")));
    }
    let running = matches!(p.job, Some(JobState::Running { .. }));
    if let (Some(_), false) = (&s.video, running) {
        let _ = write!(
            bar,
            "<video id=video controls src=\"/video/{slug}?t={t}\" style=\"max-height:480px\"></video>"
        );
    }
    bar
}

fn scene_row(p: &StoryPage, scene: &SceneView) -> String {
    let (s, t) = (p.story, p.token);
    let i = scene.index;
    let mut row = format!(
        "<section class=scene id=scene-{i}><div class=info><h2>Scene {i}</h2><p class=text>{}</p>\
         <p class=prompt>{}</p></div><div class=tiles>",
        esc(&scene.text),
        esc(&scene.prompt)
    );
    if scene.candidates.is_empty() {
        row.push_str("<p>No candidates yet.</p>");
    } else {
        let _ = write!(
            row,
            "<form method=post action=\"/s/{}/pick?t={t}\"><input type=hidden name=scene value={i}>",
            esc(&s.slug)
        );
        for (k, address) in scene.candidates.iter().enumerate() {
            row.push_str(&tile(p, scene, k, address.as_deref()));
        }
        row.push_str("</form>");
    }
    row.push_str("</div>");
    if let Some(address) = scene
        .picked
        .and_then(|k| scene.candidates.get(k))
        .and_then(|a| a.as_deref())
        .filter(|a| (p.present)(a))
    {
        let _ = write!(
            row,
            "<div class=large><img alt=\"scene {i}, picked\" src=\"/thumb/l/{address}?t={t}\"></div>"
        );
    }
    row.push_str("</section>");
    row
}

fn tile(p: &StoryPage, scene: &SceneView, k: usize, address: Option<&str>) -> String {
    let t = p.token;
    let i = scene.index;
    let picked = scene.picked == Some(k);
    let class = if picked { "tile picked" } else { "tile" };
    let autofocus = if picked && p.focus == Some(i) {
        " autofocus"
    } else {
        ""
    };
    let picture = match address.filter(|a| (p.present)(a)) {
        Some(a) => format!(
            "<img loading=lazy alt=\"scene {i}, candidate {k}\" src=\"/thumb/s/{a}?t={t}\">"
        ),
        None => "<span class=missing>not in the cache</span>".to_string(),
    };
    format!(
        "<button type=submit class=\"{class}\" id=tile-{i}-{k} name=k value={k}{autofocus}>{picture}<span class=badge>{k}</span></button>"
    )
}
