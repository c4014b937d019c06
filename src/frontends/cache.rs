//! `storyreel cache`: how big the workspace's image cache is, and pruning it.

use anyhow::{bail, Context};

use crate::file_format::FileError;
use crate::generate::cache_upkeep::{self, PrunePolicy};
use crate::layout;
use crate::runtime::manifest::StoryManifest;
use crate::runtime::Workspace;
use std::collections::HashSet;
use std::time::{Duration, SystemTime};

/// The summary printed by `storyreel cache`.
pub fn summary(workspace: &Workspace) -> anyhow::Result<String> {
    let dir = workspace.cache_dir();
    let entries = cache_upkeep::entries(&dir).with_context(|| dir.display().to_string())?;
    let in_use = images_in_use(workspace)?;
    let bytes: u64 = entries.iter().map(|e| e.bytes).sum();
    let used = entries.iter().filter(|e| in_use.contains(e.key())).count();
    let mut text = format!(
        "cache: {}\n{} images, {}",
        dir.display(),
        entries.len(),
        human_bytes(bytes)
    );
    if let (Some(oldest), Some(newest)) = (entries.first(), entries.last()) {
        text.push_str(&format!(
            "; least recently used {}, most recently {}",
            ago(oldest.last_used),
            ago(newest.last_used)
        ));
    }
    text.push_str(&format!(
        "\n{used} of them named by a rendered story's story.json (never pruned)"
    ));
    Ok(text)
}

/// `storyreel cache prune`: removes by age and size, keeping what rendered stories use.
pub fn prune(
    workspace: &Workspace,
    older_than_days: Option<f64>,
    max_size: Option<&str>,
    dry_run: bool,
) -> anyhow::Result<String> {
    prune_in(workspace, older_than_days, max_size, dry_run).context("cache prune")
}

fn prune_in(
    workspace: &Workspace,
    older_than_days: Option<f64>,
    max_size: Option<&str>,
    dry_run: bool,
) -> anyhow::Result<String> {
    if older_than_days.is_none() && max_size.is_none() {
        bail!("say what to remove with --older-than DAYS or --max-size SIZE (500M, 2G)");
    }
    let older_than = match older_than_days {
        Some(days) if days.is_finite() && days >= 0.0 => {
            Some(Duration::from_secs_f64(days * 86_400.0))
        }
        Some(days) => bail!("--older-than {days} must be a number of days, 0 or more"),
        None => None,
    };
    let max_bytes = max_size
        .map(cache_upkeep::parse_size)
        .transpose()
        .context("--max-size")?;
    let dir = workspace.cache_dir();
    let policy = PrunePolicy {
        older_than,
        max_bytes,
    };
    let in_use = images_in_use(workspace)?;
    let report = cache_upkeep::prune(&dir, &policy, &in_use, dry_run)
        .with_context(|| dir.display().to_string())?;
    let verb = if dry_run { "would remove" } else { "removed" };
    let mut text = format!(
        "{verb} {} images ({}); kept {} ({})",
        report.removed,
        human_bytes(report.removed_bytes),
        report.kept,
        human_bytes(report.kept_bytes)
    );
    if report.protected > 0 {
        text.push_str(&format!(
            ", of which {} only because a rendered story uses them",
            report.protected
        ));
    }
    Ok(text)
}

/// The cache keys of every image a story of the workspace uses, as its `story.json` names them;
/// a manifest of a newer storyreel stops the command (which of its images are in use is unknown).
fn images_in_use(workspace: &Workspace) -> Result<HashSet<String>, FileError> {
    let mut found = HashSet::new();
    for dir in workspace.layout().story_dirs() {
        match StoryManifest::read(&layout::manifest_in(&dir)) {
            Ok(manifest) => found.extend(manifest.iter().flat_map(StoryManifest::images)),
            Err(e @ FileError::Newer { .. }) => return Err(e),
            // One being written, or broken: as before, it protects nothing.
            Err(_) => {}
        }
    }
    Ok(found)
}

fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64;
    let mut unit = "";
    for u in UNITS {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = u;
    }
    format!("{value:.1} {unit}")
}

fn ago(when: SystemTime) -> String {
    let secs = SystemTime::now()
        .duration_since(when)
        .unwrap_or_default()
        .as_secs();
    match secs {
        0..=119 => "just now".into(),
        120..=7_199 => format!("{} minutes ago", secs / 60),
        7_200..=172_799 => format!("{} hours ago", secs / 3_600),
        _ => format!("{} days ago", secs / 86_400),
    }
}
