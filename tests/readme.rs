//! The README documents every primitive and member the runtime knows.

use storyreel::runtime::docs::DOCS;

#[test]
fn every_documented_primitive_is_in_the_readme() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let missing: Vec<&str> = DOCS
        .iter()
        .map(|d| d.name.rsplit('.').next().unwrap())
        .filter(|member| {
            !readme.contains(&format!("`{member}")) && !readme.contains(&format!(".{member}"))
        })
        .collect();
    assert!(missing.is_empty(), "README lacks: {missing:?}");
}

#[test]
fn readme_opens_with_the_two_commands() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let first_block = readme
        .split("```sh")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    assert!(first_block.contains("cargo run --release -- run scripts/quickstart.rhai"));
    assert!(first_block.contains("cargo test"));
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(
        ci.lines().any(|l| l.trim() == "cargo test"),
        ".ci/run must run the README's test command"
    );
}
