//! `storyreel cache` and `storyreel cache prune` on a workspace made by a real run.

use crate::common;

use common::{stderr, stdout, BIN};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

/// Two candidates of a rendered story's scene, then three images of a loose prompt.
const SCRIPT: &str = r#"// %%
backend("draft");
let s = story("Tiny", "Anna walked to the old mill at dawn.");
sd_generate(s, #{ n: 2 });
s.scene(0).pick(1);
render(s, #{ format: #{ width: 90, height: 160 }, voice: "none", out: "tiny.mp4" });
sd_generate("a lone tree on a hill", #{ n: 3 });
"#;

fn storyreel(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--out")
        .arg(dir.join("ws"))
        .current_dir(dir)
        .output()
        .unwrap()
}

fn cached(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("ws/cache"))
        .unwrap()
        .flat_map(|shard| std::fs::read_dir(shard.unwrap().path()).unwrap())
        .map(|f| f.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

fn age_everything(dir: &Path, days: u64) {
    let then = SystemTime::now() - Duration::from_secs(days * 86_400);
    for sidecar in cached(dir, "json") {
        let file = std::fs::File::options()
            .append(true)
            .open(&sidecar)
            .unwrap();
        file.set_modified(then).unwrap();
    }
}

fn run_story(dir: &Path) {
    let out = storyreel(dir, &["run", "story.rhai"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn prune_removes_unused_images_and_keeps_what_a_rendered_story_uses() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("story.rhai"), SCRIPT).unwrap();
    run_story(dir.path());
    assert_eq!(cached(dir.path(), "png").len(), 5);

    let out = storyreel(dir.path(), &["cache"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("5 images"), "{text}");
    assert!(
        text.contains("2 of them named by a rendered story"),
        "{text}"
    );

    // Fresh entries are not old enough to go.
    let out = storyreel(dir.path(), &["cache", "prune", "--older-than", "7"]);
    assert!(
        stdout(&out).contains("removed 0 images"),
        "{}",
        stdout(&out)
    );

    // A dry run only reports.
    age_everything(dir.path(), 10);
    let out = storyreel(
        dir.path(),
        &["cache", "prune", "--older-than", "7", "--dry-run"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("would remove 3 images"),
        "{}",
        stdout(&out)
    );
    assert_eq!(cached(dir.path(), "png").len(), 5);

    let out = storyreel(dir.path(), &["cache", "prune", "--older-than", "7"]);
    let text = stdout(&out);
    assert!(text.contains("removed 3 images"), "{text}");
    assert!(
        text.contains("kept 2") && text.contains("2 only because a rendered story uses them"),
        "{text}"
    );
    // Every candidate the story's manifest names is still there, PNG and sidecar.
    let manifest = std::fs::read_to_string(dir.path().join("ws/tiny/story.json")).unwrap();
    let left = cached(dir.path(), "png");
    assert_eq!(left.len(), 2);
    for png in &left {
        let name = png.file_name().unwrap().to_str().unwrap();
        assert!(manifest.contains(name), "{name} is not the story's");
        assert!(png.with_extension("json").exists());
    }
    assert_eq!(cached(dir.path(), "json").len(), 2);
}

#[test]
fn a_cache_hit_counts_as_a_use() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("story.rhai"), SCRIPT).unwrap();
    run_story(dir.path());
    age_everything(dir.path(), 10);
    // The re-run is served from the cache, which marks every image as just used.
    run_story(dir.path());
    let out = storyreel(dir.path(), &["cache", "prune", "--older-than", "7"]);
    assert!(
        stdout(&out).contains("removed 0 images"),
        "{}",
        stdout(&out)
    );
    // By size, least recently used first: nothing fits in zero bytes but what a story uses.
    let out = storyreel(dir.path(), &["cache", "prune", "--max-size", "0"]);
    assert!(
        stdout(&out).contains("removed 3 images"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn prune_says_what_it_needs_and_names_a_bad_size() {
    let dir = tempfile::tempdir().unwrap();
    let out = storyreel(dir.path(), &["cache", "prune"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--older-than DAYS or --max-size SIZE"),
        "{}",
        stderr(&out)
    );
    let out = storyreel(dir.path(), &["cache", "prune", "--max-size", "2X"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--max-size") && stderr(&out).contains("\"2X\""),
        "{}",
        stderr(&out)
    );
    // An empty workspace has an empty cache, not an error.
    let out = storyreel(dir.path(), &["cache"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("0 images"), "{}", stdout(&out));
}

#[test]
fn a_manifest_of_a_newer_storyreel_stops_prune_and_render_and_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("story.rhai"), SCRIPT).unwrap();
    run_story(dir.path());
    let path = dir.path().join("ws/tiny/story.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    manifest["version"] = 99.into();
    let newer = manifest.to_string();
    std::fs::write(&path, &newer).unwrap();
    age_everything(dir.path(), 10);

    // Which images the newer manifest protects is unknown: nothing is removed.
    let out = storyreel(dir.path(), &["cache", "prune", "--older-than", "7"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{} was written by a newer storyreel (format 99); this one reads up to 1 — upgrade storyreel", path.display())),
        "{err}"
    );
    assert_eq!(cached(dir.path(), "png").len(), 5);

    // A run does not write over it with less than it holds.
    let out = storyreel(dir.path(), &["run", "story.rhai"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = format!("{}{}", stderr(&out), stdout(&out));
    assert!(err.contains("newer storyreel (format 99)"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), newer);
}
