//! The page's HTML, made on the server: the list of stories, and one story's scenes with their
//! candidates. Every pick is a plain form post; the script (script.js) makes it a background
//! one, and adds the keyboard, the large view and the render's progress.

use std::fmt::Write;

use super::render_job::JobState;
use super::workspace::{SceneView, StoryView};
use crate::runtime::display::html_escape as esc;

const STYLE: &str = "body{font:15px/1.4 system-ui,sans-serif;margin:0 1.5em 3em;background:#f4f2ee;color:#222}\
h1{font-size:1.4em}table{border-collapse:collapse}td,th{padding:.3em .8em;text-align:left;border-bottom:1px solid #ddd}\
.bar{position:sticky;top:0;background:#f4f2ee;padding:.5em 0;border-bottom:1px solid #ccc;z-index:2;display:flex;flex-wrap:wrap;gap:.4em 1em;align-items:center}\
.keys{color:#666;font-size:.8em}.scene{display:flex;gap:1.2em;padding:1em 0;border-bottom:1px solid #ddd}.info{width:22em;flex:none}\
.prompt{color:#666;font-size:.85em}.tiles form{display:flex;flex-wrap:wrap;gap:.5em}.cell{position:relative}\
.tile{position:relative;padding:0;border:4px solid transparent;background:none;cursor:pointer}\
.tile img{display:block;height:200px}.many .tile img{height:128px}.tile.picked{border-color:#2a7}.tile:focus{outline:3px solid #36c}\
.tile.pending{opacity:.5}.mark{display:none;position:absolute;right:6px;top:6px;padding:1px 6px;background:#2a7;color:#fff;font:bold 13px sans-serif}\
.tile.picked .mark{display:block}.zoom{position:absolute;right:8px;bottom:8px;background:#fff;color:#000;padding:0 5px;border:1px solid #000;text-decoration:none}\
.badge{position:absolute;left:6px;bottom:6px;min-width:1.4em;padding:1px 5px;background:#ffd600;color:#000;\
border:2px solid #000;font:bold 18px sans-serif}.large img{height:320px}.missing{width:112px;height:200px;\
display:flex;align-items:center;justify-content:center;background:#ddd;color:#777;font-size:.8em}\
.problem{color:#a33}pre{background:#fff;padding:.5em;max-width:60em;overflow:auto}\
#lightbox{position:fixed;inset:0;background:rgba(0,0,0,.85);z-index:5;display:flex;flex-direction:column;align-items:center;justify-content:center;gap:.6em;color:#fff}\
#lightbox[hidden]{display:none}#lightbox img{max-width:95vw;max-height:85vh}video{max-height:60vh;max-width:100%}";

/// The page's script (picks in the background, keys, large view, render progress).
const SCRIPT: &str = include_str!("script.js");

fn page(title: &str, body: &str) -> String {
    page_with_body_data(title, "", body)
}

pub fn index(root: &str, stories: &[StoryView], token: &str) -> String {
    let mut body = format!("<h1>Stories in {}</h1>", esc(root));
    if stories.is_empty() {
        body.push_str(
            "<p>No story here yet: run a script that generates candidates \
             (<code>storyreel run story.rhai</code>), then reload.</p>",
        );
        return page("storyreel pick", &body);
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
    page("storyreel pick", &body)
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
    /// What Render will do, in words (the script it runs, whether it renders).
    pub plan: RenderPlan,
}

/// What "Render" would run, known before it runs.
#[derive(Debug, Default)]
pub struct RenderPlan {
    pub script: Option<String>,
    /// Whether the script's text calls `render(` at all.
    pub renders: bool,
    /// The last video's file name.
    pub video: Option<String>,
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
    let message = p.message.as_deref().unwrap_or_default();
    let _ = write!(
        body,
        "<p class=problem id=message{}>{}</p>",
        if message.is_empty() { " hidden" } else { "" },
        esc(message)
    );
    body.push_str(&render_bar(p));
    for scene in &s.scenes {
        body.push_str(&scene_row(p, scene));
    }
    body.push_str(
        "<div id=lightbox hidden role=dialog aria-label=\"large view\"><img alt=\"large view\">\
         <span class=caption></span><span><button class=pick>Pick this (Enter)</button> \
         <button class=close>Close (Esc)</button></span></div>",
    );
    let running = matches!(p.job, Some(JobState::Running { .. }));
    let page_body = format!("{body}<script>{SCRIPT}</script>");
    page_with_body_data(
        &s.title,
        &format!(
            "data-slug=\"{}\" data-rendering={}",
            esc(&s.slug),
            if running { "yes" } else { "no" }
        ),
        &page_body,
    )
}

fn page_with_body_data(title: &str, data: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>{}</title>\
         <style>{STYLE}</style></head><body {data}>{body}</body></html>",
        esc(title)
    )
}

/// The status line of a render job: running with its time and its latest progress (frames,
/// time left: the terminal's line), done, or failed and why.
pub fn job_status(job: &Option<JobState>, log: &[String]) -> String {
    match job {
        Some(JobState::Running { since }) => {
            let secs = since.elapsed().as_secs_f64();
            match super::render_job::progress_line(log) {
                Some(line) => format!("rendering… {secs:.0} s · {line}"),
                None => format!("rendering… {secs:.0} s"),
            }
        }
        Some(JobState::Done { secs }) => format!("rendered in {secs:.1} s"),
        Some(JobState::Failed { reason }) => reason.clone(),
        None => String::new(),
    }
}

fn render_bar(p: &StoryPage) -> String {
    let (s, t) = (p.story, p.token);
    let slug = esc(&s.slug);
    let mut bar = format!(
        "<div class=bar><span id=progress>{} / {} scenes picked</span>",
        s.picked_count(),
        s.scenes.len()
    );
    match &p.plan.script {
        Some(script) => {
            let _ = write!(
                bar,
                "<form method=post action=\"/s/{slug}/render?t={t}\"><button id=render>Render</button></form>"
            );
            let what = if p.plan.renders {
                match &p.plan.video {
                    Some(v) => format!("runs {} again, which renders {}", esc(script), esc(v)),
                    None => format!("runs {} again, which renders the video", esc(script)),
                }
            } else {
                format!(
                    "<span class=problem>runs {} again, but it has no render() call: no video will be made</span>",
                    esc(script)
                )
            };
            let _ = write!(bar, "<span id=render-plan>{what}</span>");
        }
        None => bar.push_str(
            "<span>Render needs the story's script: run it once with <code>storyreel run</code>.</span>",
        ),
    }
    let failed = matches!(p.job, Some(JobState::Failed { .. }));
    let _ = write!(
        bar,
        "<span id=render-status{}>{}</span>\
         <span class=keys>keys: arrows move · a number picks (1 2 = 12) · Enter picks · V large view · Esc closes</span></div>",
        if failed { " class=problem" } else { "" },
        esc(&job_status(&p.job, &p.log))
    );
    let log = if p.job.is_some() {
        p.log.join("\n")
    } else {
        String::new()
    };
    let _ = write!(
        bar,
        "<pre id=render-log{}>{}</pre>",
        if log.is_empty() { " hidden" } else { "" },
        esc(&log)
    );
    // The last video stays folded away: the candidates are the first screen, and the video's
    // controls are no Tab stops before them.
    let running = matches!(p.job, Some(JobState::Running { .. }));
    let shown = s.video.is_some() && !running;
    let _ = write!(
        bar,
        "<details id=last-video{}><summary>Last video</summary><video id=video controls preload=metadata{}></video></details>",
        if shown { "" } else { " hidden" },
        if shown {
            format!(" src=\"/video/{slug}?t={t}\"")
        } else {
            String::new()
        }
    );
    bar
}

fn scene_row(p: &StoryPage, scene: &SceneView) -> String {
    let (s, t) = (p.story, p.token);
    let i = scene.index;
    let mut row = format!(
        "<section class=scene id=scene-{i} data-scene={i}><div class=info><h2>Scene {i}</h2><p class=text>{}</p>\
         <p class=prompt>{}</p></div><div class=\"tiles{}\">",
        esc(&scene.text),
        esc(&scene.prompt),
        if scene.candidates.len() > 12 { " many" } else { "" }
    );
    if scene.candidates.is_empty() {
        row.push_str("<p>No candidates yet.</p>");
    } else {
        let _ = write!(
            row,
            "<form class=pick method=post action=\"/s/{}/pick?t={t}\"><input type=hidden name=scene value={i}>",
            esc(&s.slug)
        );
        // One Tab stop per scene (its pick, else its first candidate); arrows move inside.
        let stop = scene.picked.unwrap_or(0);
        for (k, address) in scene.candidates.iter().enumerate() {
            row.push_str(&tile(p, scene, k, address.as_deref(), k == stop));
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

fn tile(p: &StoryPage, scene: &SceneView, k: usize, address: Option<&str>, stop: bool) -> String {
    let t = p.token;
    let i = scene.index;
    let picked = scene.picked == Some(k);
    let class = if picked { "tile picked" } else { "tile" };
    let autofocus = if stop && p.focus == Some(i) {
        " autofocus"
    } else {
        ""
    };
    let tabindex = if stop { 0 } else { -1 };
    let present = address.filter(|a| (p.present)(a));
    let picture = match present {
        Some(a) => format!(
            "<img loading=lazy alt=\"scene {i}, candidate {k}\" src=\"/thumb/s/{a}?t={t}\">"
        ),
        None => "<span class=missing>not in the cache</span>".to_string(),
    };
    let zoom = match present {
        Some(a) => format!(
            "<a class=zoom tabindex=-1 target=_blank title=\"large view (V)\" href=\"/thumb/l/{a}?t={t}\">⤢</a>"
        ),
        None => String::new(),
    };
    format!(
        "<span class=cell><button type=submit class=\"{class}\" id=tile-{i}-{k} name=k value={k} tabindex={tabindex} \
         aria-pressed={picked}{autofocus}>{picture}<span class=badge>{k}</span><span class=mark>✓ picked</span></button>{zoom}</span>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_hundred_candidates_make_one_tab_stop_and_small_tiles() {
        let view = StoryView {
            slug: "night".into(),
            title: "Night".into(),
            scenes: vec![SceneView {
                index: 0,
                text: "Once.".into(),
                candidates: (0..200).map(|k| Some(format!("{k:064x}"))).collect(),
                picked: Some(150),
                ..Default::default()
            }],
            ..Default::default()
        };
        let html = story(&StoryPage {
            story: &view,
            token: "t",
            job: None,
            log: Vec::new(),
            present: &|_| true,
            focus: Some(0),
            message: None,
            plan: RenderPlan::default(),
        });
        assert_eq!(html.matches("tabindex=0").count(), 1);
        assert_eq!(html.matches("tabindex=-1 aria-pressed").count(), 199);
        assert!(html.contains("class=\"tile picked\" id=tile-0-150 name=k value=150 tabindex=0"));
        assert!(
            html.contains("autofocus"),
            "the picked tile gets the keyboard"
        );
        assert!(html.contains("class=\"tiles many\""));
        assert!(!html.contains("#scene-"), "no fragment to defeat autofocus");
    }
}
