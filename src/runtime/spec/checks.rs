//! The spec against what it describes: the functions registered on the engine, the defaults
//! the domain applies, and the names its parsers take.

use super::{get, Kind, Opt, BACKEND, CAPTION_STYLE, IP_ADAPTER, MUSIC, RENDER, SPLIT};

/// What the engine has registered beside the spec: the text forms every type has, and the
/// size-checked replacements of Rhai's own `pad` and `blob`.
const NOT_PRIMITIVES: &[&str] = &["to_string", "to_debug", "pad", "blob"];

/// Every function registered on a session's engine (a primitive, a method, a property's
/// getter or setter) has a spec, so help and completion know it.
#[test]
fn every_registered_function_has_a_spec() {
    use crate::runtime::display::Recorder;
    use crate::runtime::{Session, Workspace};
    use std::sync::Arc;

    let session = Session::new(
        Arc::new(Recorder::default()),
        Workspace::new("/nonexistent"),
    );
    let signatures = session.engine().gen_fn_signatures(false);
    assert!(signatures.len() > 50, "{signatures:?}");
    let mut missing = Vec::new();
    for signature in &signatures {
        let (name, rest) = signature.split_once('(').unwrap();
        let receiver = rest.split([',', ')']).next().unwrap_or("");
        let receiver = receiver.rsplit(':').next().unwrap_or("").trim();
        let receiver = receiver.trim_start_matches("&mut ").trim();
        let bare = name
            .strip_prefix("get$")
            .or_else(|| name.strip_prefix("set$"))
            .unwrap_or(name);
        if name.starts_with("index$") || name.contains("::") || NOT_PRIMITIVES.contains(&bare) {
            continue;
        }
        let is_property = bare != name;
        let member = format!("{receiver}.{bare}");
        let documented = match get(bare) {
            Some(_) if !is_property => true,
            _ => get(&member).is_some(),
        };
        if !documented {
            missing.push(format!("{signature} (spec {member} or {bare})"));
        }
    }
    assert!(
        missing.is_empty(),
        "registered without a spec:\n{}",
        missing.join("\n")
    );
}

/// The default an option's spec states, as written.
fn default_of(options: &[Opt], name: &str) -> &'static str {
    options
        .iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("no option {name}"))
        .default
}

/// The defaults help states are the ones the domain applies.
#[test]
fn stated_defaults_are_the_domains() {
    let r = crate::render::RenderOptions::default();
    let quoted = |s: &str| format!("\"{s}\"");
    let stated: Vec<(&[Opt], &str, String)> = vec![
        (RENDER, "fps", r.fps.to_string()),
        (RENDER, "transition_secs", r.transition_secs.to_string()),
        (RENDER, "crf", r.crf.to_string()),
        (RENDER, "preset", quoted(&r.preset)),
        (RENDER, "captions", r.captions.to_string()),
        (RENDER, "subtitles", r.subtitles.to_string()),
        (RENDER, "padding", r.padding_secs.to_string()),
        (RENDER, "min_scene_secs", r.min_scene_secs.to_string()),
        (RENDER, "words_per_sec", r.words_per_sec.to_string()),
        (
            CAPTION_STYLE,
            "lines",
            r.caption_style.max_lines.to_string(),
        ),
    ];
    let split = crate::story::SplitOptions::default();
    let backend = crate::generate::BackendConfig::new(crate::generate::BackendKind::A1111);
    let music = crate::render::Music::new("m.mp3");
    let stated = stated.into_iter().chain([
        (SPLIT, "max_words", split.max_words.to_string()),
        (SPLIT, "min_words", split.min_words.to_string()),
        (SPLIT, "sentences", split.sentences.to_string()),
        (SPLIT, "marker", quoted(&split.marker)),
        (SPLIT, "by", quoted(crate::story::SplitStrategy::NAMES[0])),
        (
            BACKEND,
            "timeout",
            backend.timeout.as_secs_f64().to_string(),
        ),
        (BACKEND, "concurrency", backend.concurrency.to_string()),
        (
            BACKEND,
            "retry_for",
            backend.retry_for.as_secs_f64().to_string(),
        ),
        (BACKEND, "poll_secs", backend.poll.as_secs_f64().to_string()),
        (BACKEND, "nsfw", backend.nsfw.to_string()),
        (IP_ADAPTER, "module", quoted(&backend.ip_adapter.module)),
        (IP_ADAPTER, "model", quoted(&backend.ip_adapter.model)),
        (IP_ADAPTER, "weight", backend.ip_adapter.weight.to_string()),
        (MUSIC, "volume", music.volume.to_string()),
        (MUSIC, "fade_in", music.fade_in_secs.to_string()),
        (MUSIC, "fade_out", music.fade_out_secs.to_string()),
        (MUSIC, "duck", music.duck.to_string()),
    ]);
    let wrong: Vec<String> = stated
        .filter(|(options, name, applied)| default_of(options, name) != applied)
        .map(|(options, name, applied)| {
            format!(
                "{name}: help says {}, the domain applies {applied}",
                default_of(options, name)
            )
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every name help and completion offer for render is one its parser takes.
#[test]
fn named_values_parse() {
    use crate::render::{self, EncoderChoice, Fit, MotionMode, Transition};
    for option in RENDER {
        let Kind::Named(names) = option.kind else {
            continue;
        };
        for name in names {
            let parsed = match option.name {
                "fit" => Fit::parse(name).is_ok(),
                "motion" => MotionMode::parse(name).is_ok(),
                "transition" => Transition::parse(name).is_ok(),
                "encoder" => EncoderChoice::parse(name).is_ok(),
                "hw_encoder" => render::parse_hw_encoder(name).is_ok(),
                "preset" => render::parse_preset(name).is_ok(),
                other => panic!("no parser checked for the named option {other}"),
            };
            assert!(parsed, "render: {}: \"{name}\" does not parse", option.name);
        }
    }
}
