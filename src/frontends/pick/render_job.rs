//! "Render": the story's script runs again in the background (`storyreel run SCRIPT`), which
//! restores the picks from `picks.json`; the cache makes this cost only the render. Its output
//! goes to `render.log` in the story's folder (progress lines included), which the page shows
//! as progress; a run that made no new video is reported as such, not as a render.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use anyhow::{bail, Context};

use crate::layout;
use crate::runtime::manifest::StoryManifest;

#[derive(Clone, Debug, PartialEq)]
pub enum JobState {
    Running { since: Instant },
    Done { secs: f64 },
    Failed { reason: String },
}

#[derive(Clone, Default)]
pub struct Jobs(Arc<Mutex<HashMap<String, JobState>>>);

pub const LOG: &str = "render.log";

impl Jobs {
    pub fn state(&self, slug: &str) -> Option<JobState> {
        self.0.lock().unwrap().get(slug).cloned()
    }

    /// Runs `script` again for story `slug` (whose folder is `story_dir`) unless it is already
    /// running. `workdir` is where the script was first run from (its relative paths).
    pub fn start(
        &self,
        slug: &str,
        story_dir: &Path,
        workspace: &Path,
        script: &Path,
        workdir: Option<&Path>,
    ) -> anyhow::Result<()> {
        let mut jobs = self.0.lock().unwrap();
        if matches!(jobs.get(slug), Some(JobState::Running { .. })) {
            return Ok(());
        }
        if !script.is_file() {
            bail!(
                "the story's script {} is not there any more",
                script.display()
            );
        }
        let exe = std::env::current_exe().context("cannot find storyreel")?;
        let log_path = story_dir.join(LOG);
        let log = std::fs::File::create(&log_path)
            .with_context(|| format!("cannot write {}", log_path.display()))?;
        let err_log = log.try_clone()?;
        let dir = workdir
            .filter(|d| d.is_dir())
            .map(Path::to_path_buf)
            .or_else(|| script.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| PathBuf::from("."));
        let mut child = Command::new(exe)
            .arg("run")
            .arg(script)
            .arg("--out")
            .arg(workspace)
            .current_dir(dir)
            // Progress as lines even though the log is no terminal: the page shows them.
            .env("STORYREEL_PROGRESS_LINES", "1")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err_log)
            .spawn()
            .context("cannot start storyreel run")?;
        let since = Instant::now();
        let started = SystemTime::now();
        jobs.insert(slug.to_string(), JobState::Running { since });
        let (jobs, slug) = (self.0.clone(), slug.to_string());
        let (story_dir, script) = (story_dir.to_path_buf(), script.to_path_buf());
        std::thread::spawn(move || {
            let state = match child.wait() {
                Ok(status) if status.success() && !video_since(&story_dir, started) => {
                    JobState::Failed {
                        reason: format!(
                            "{} ran, but rendered no video of this story: it has no render(…) call for it",
                            script.display()
                        ),
                    }
                }
                Ok(status) if status.success() => JobState::Done {
                    secs: since.elapsed().as_secs_f64(),
                },
                Ok(status) => JobState::Failed {
                    reason: format!("the script failed ({status}); see {LOG}"),
                },
                Err(e) => JobState::Failed {
                    reason: format!("lost the render process: {e}"),
                },
            };
            jobs.lock().unwrap().insert(slug, state);
        });
        Ok(())
    }
}

/// Whether the story's manifest names a video written at or after `started`.
fn video_since(story_dir: &Path, started: SystemTime) -> bool {
    StoryManifest::read(&layout::manifest_in(story_dir))
        .ok()
        .flatten()
        .and_then(|m| m.video)
        .and_then(|v| std::fs::metadata(v.path).ok()?.modified().ok())
        .is_some_and(|written| written >= started)
}

/// The latest progress line among `lines` ("render tale.mp4: 120/300 frames, 4 s left").
pub fn progress_line(lines: &[String]) -> Option<&str> {
    lines.iter().rev().map(String::as_str).find(|l| {
        l.rsplit_once(": ").is_some_and(|(_, count)| {
            let (done, rest) = count.split_once('/').unwrap_or_default();
            !done.is_empty()
                && done.bytes().all(|b| b.is_ascii_digit())
                && rest.starts_with(|c: char| c.is_ascii_digit())
        })
    })
}

/// The last `n` lines of a story's render log (progress lines rewritten with `\r` count once).
pub fn log_tail(story_dir: &Path, n: usize) -> Vec<String> {
    let text = std::fs::read_to_string(story_dir.join(LOG)).unwrap_or_default();
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.rsplit('\r').next().unwrap_or(l).to_string())
        .filter(|l| !l.trim().is_empty())
        .collect();
    lines[lines.len().saturating_sub(n)..].to_vec()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_latest_progress_line_is_found() {
        let lines: Vec<String> = [
            "3 scenes: 9/9 images",
            "render tale.mp4: 120/300 frames, 4 s left",
            "warning: no pick for scene(s) 0: using their first candidate",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            super::progress_line(&lines),
            Some("render tale.mp4: 120/300 frames, 4 s left")
        );
        assert_eq!(super::progress_line(&lines[2..]), None);
    }
}
