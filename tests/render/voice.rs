//! Neural narration: a real Piper voice through ONNX Runtime, a voice per character, sentence
//! timing for captions and subtitles, the audio cache, and the errors of each step.

use crate::render_common;

use render_common::*;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use storyreel::render::voice::piper::PiperVoice;
use storyreel::render::{
    render, CharacterVoice, PiperSettings, RenderError, RenderOptions, RenderScene, Video, Voice,
};

/// Fixed noise: the same text gives the same audio.
const STILL: PiperSettings = PiperSettings {
    speed: 1.0,
    noise_scale: Some(0.0),
    noise_w: Some(0.0),
};

fn piper(model: &Path) -> Voice {
    Voice::Piper {
        model: model.display().to_string(),
        settings: STILL,
    }
}

fn opts(dir: &Path, voice: Voice) -> RenderOptions {
    RenderOptions {
        out: dir.join("v.mp4"),
        width: 180,
        height: 320,
        fps: 10,
        preset: "ultrafast".into(),
        min_scene_secs: 0.5,
        voice,
        draft_audio: true,
        ..RenderOptions::default()
    }
}

fn run(scenes: &[RenderScene], opts: &RenderOptions) -> Result<Video, RenderError> {
    render(scenes, opts, &|_, _| {}, &AtomicBool::new(false))
}

fn rms(samples: &[i16]) -> f64 {
    let sum: f64 = samples.iter().map(|&s| (s as f64).powi(2)).sum();
    (sum / samples.len().max(1) as f64).sqrt()
}

#[test]
fn the_piper_voice_speaks_each_sentence_audibly_and_deterministically() {
    let Some(model) = piper_voice() else { return };
    if !require("espeak-ng") {
        return;
    }
    let voice = PiperVoice::load(&model).unwrap();
    let texts = [
        "Once upon a time, there lived a king.",
        "He had three daughters.",
    ];
    let first = voice.speak(&texts, &STILL).unwrap();
    assert_eq!(first.len(), 2);
    for (audio, text) in first.iter().zip(texts) {
        assert_eq!(audio.rate, 22_050);
        let secs = audio.duration_secs();
        // About 2.5 words a second, give or take.
        let words = text.split_whitespace().count() as f64;
        assert!(
            secs > words / 6.0 && secs < words / 1.2,
            "{text:?} took {secs:.2} s"
        );
        let loud = rms(&audio.samples);
        assert!(loud > 1000.0 && loud < 20000.0, "{text:?}: RMS {loud:.0}");
    }
    assert_eq!(
        voice.speak(&texts, &STILL).unwrap(),
        first,
        "fixed noise, same audio"
    );
    // Faster speech is shorter.
    let fast = PiperSettings {
        speed: 1.5,
        ..STILL
    };
    let quick = voice.speak(&texts[..1], &fast).unwrap();
    assert!(quick[0].duration_secs() < first[0].duration_secs() * 0.8);
}

#[test]
fn a_quote_of_a_character_with_its_own_voice_is_read_in_it() {
    let Some(model) = piper_voice() else { return };
    if !require("ffmpeg") || !require("espeak-ng") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let img = pattern_image(dir.path(), "a.png", (90, 160), 100);
    let text = "The ball fell into the well. \"What ails you?\" said the frog. The princess wept.";
    let mut o = opts(dir.path(), Voice::Espeak("en-us".into()));
    o.character_voices = vec![CharacterVoice {
        names: vec!["the frog".into(), "frog".into()],
        voice: piper(&model),
    }];
    let video = run(&[RenderScene::new(3, &img, text)], &o).unwrap();
    assert!(video.has_audio);
    let voices: Vec<(&str, &str)> = video
        .narration
        .iter()
        .map(|s| (s.text.as_str(), s.voice.as_str()))
        .collect();
    let frog = format!("piper:{}", model.display());
    assert_eq!(
        voices,
        vec![
            ("The ball fell into the well.", "espeak:en-us"),
            ("\"What ails you?\"", frog.as_str()),
            ("said the frog. The princess wept.", "espeak:en-us"),
        ]
    );
    assert!(video.narration.iter().all(|s| s.scene == 3));
    for pair in video.narration.windows(2) {
        assert!(
            pair[0].start < pair[0].end && pair[0].end < pair[1].start,
            "{pair:?}"
        );
    }
    assert!(video.narration.last().unwrap().end <= video.duration_secs);
}

#[test]
fn a_quote_the_cast_attributes_without_a_name_beside_it_is_read_in_that_voice() {
    let Some(model) = piper_voice() else { return };
    if !require("ffmpeg") || !require("espeak-ng") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let img = pattern_image(dir.path(), "a.png", (90, 160), 100);
    // "he said" is the frog only once "he" is resolved; the last quote names no one: the frog
    // was spoken to, so the frog answers.
    let text = "The frog jumped out of the well. \"I can help,\" he said.\n\n\
                \"Can you?\" asked the princess.\n\n\
                \"I can fetch your ball.\"";
    let mut o = opts(dir.path(), Voice::Espeak("en-us".into()));
    o.character_voices = vec![CharacterVoice {
        names: vec!["the frog".into(), "frog".into()],
        voice: piper(&model),
    }];
    let video = run(&[RenderScene::new(1, &img, text)], &o).unwrap();
    let frog = format!("piper:{}", model.display());
    let voice_of = |quote: &str| {
        video
            .narration
            .iter()
            .find(|s| s.text.contains(quote))
            .map(|s| s.voice.clone())
            .unwrap_or_else(|| panic!("no segment reads {quote:?}: {:?}", video.narration))
    };
    assert_eq!(voice_of("I can help"), frog);
    assert_eq!(voice_of("Can you?"), "espeak:en-us");
    assert_eq!(voice_of("I can fetch your ball"), frog);
}

#[test]
fn a_cached_rerender_synthesizes_nothing_and_an_edit_only_its_sentence() {
    let Some(model) = piper_voice() else { return };
    if !require("ffmpeg") || !require("espeak-ng") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let img = pattern_image(dir.path(), "a.png", (90, 160), 100);
    let mut o = opts(dir.path(), piper(&model));
    o.audio_cache = Some(dir.path().join("speech"));
    o.captions = false;
    let scenes = |second: &str| {
        vec![
            RenderScene::new(0, &img, format!("The sun rose. {second}")),
            RenderScene::new(1, &img, "The moon set."),
        ]
    };
    let first = run(&scenes("The birds sang."), &o).unwrap();
    assert_eq!(
        (
            first.narration_counts.synthesized,
            first.narration_counts.cached
        ),
        (3, 0)
    );
    let again = run(&scenes("The birds sang."), &o).unwrap();
    assert_eq!(
        (
            again.narration_counts.synthesized,
            again.narration_counts.cached
        ),
        (0, 3)
    );
    assert_eq!(
        again.narration, first.narration,
        "the same audio, the same times"
    );
    let edited = run(&scenes("The birds were silent."), &o).unwrap();
    assert_eq!(
        (
            edited.narration_counts.synthesized,
            edited.narration_counts.cached
        ),
        (1, 2)
    );
}

/// `HH:MM:SS,mmm` in seconds.
fn srt_time(s: &str) -> f64 {
    let (hms, ms) = s.trim().split_once(',').unwrap();
    let parts: Vec<f64> = hms.split(':').map(|p| p.parse().unwrap()).collect();
    parts[0] * 3600.0 + parts[1] * 60.0 + parts[2] + ms.parse::<f64>().unwrap() / 1000.0
}

#[test]
fn captions_and_subtitles_follow_the_synthesized_sentences() {
    let Some(model) = piper_voice() else { return };
    if !require("ffmpeg") || !require("espeak-ng") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let img = pattern_image(dir.path(), "a.png", (90, 160), 100);
    // A long first sentence and a short second: by word count alone, the second would start
    // far from where the voice really says it.
    let text = "Far away beyond the seven mountains and the seven rivers, in a valley of old \
                oaks and silver streams, lived a miller. He sang.";
    let mut o = opts(dir.path(), piper(&model));
    o.subtitles = true;
    o.caption_style.max_lines = 3;
    let video = run(&[RenderScene::new(0, &img, text)], &o).unwrap();
    // The long sentence is read clause by clause (which bounds the voice's memory).
    let parts: Vec<&str> = video.narration.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        parts,
        [
            "Far away beyond the seven mountains and the seven rivers,",
            "in a valley of old oaks and silver streams, lived a miller.",
            "He sang."
        ]
    );
    let srt_path = dir.path().join("v.srt");
    let vtt_path = dir.path().join("v.vtt");
    assert_eq!(video.subtitles, vec![srt_path.clone(), vtt_path.clone()]);
    let srt = std::fs::read_to_string(&srt_path).unwrap();
    let cues: Vec<(f64, f64, String)> = srt
        .split("\n\n")
        .filter(|c| !c.trim().is_empty())
        .map(|c| {
            let mut lines = c.lines();
            lines.next();
            let (a, b) = lines.next().unwrap().split_once(" --> ").unwrap();
            (
                srt_time(a),
                srt_time(b),
                lines.collect::<Vec<_>>().join(" "),
            )
        })
        .collect();
    let last = cues.last().unwrap();
    assert!(last.2.ends_with("He sang."), "{cues:?}");
    // The cue holding "He sang." shows while that sentence is spoken: not before it starts,
    // and it starts within a moment of it.
    let sang = &video.narration[2];
    let cue_of_sang_starts = if last.2 == "He sang." {
        last.0
    } else {
        // It shares a page: the page ends after the sentence.
        assert!(last.1 >= sang.end, "{cues:?} {sang:?}");
        sang.start
    };
    assert!(
        cue_of_sang_starts >= sang.start - 0.01 && cue_of_sang_starts < sang.start + 0.5,
        "cue at {cue_of_sang_starts:.3} s, sentence at {:.3}..{:.3} s: {cues:?}",
        sang.start,
        sang.end
    );
    assert!(last.1 >= sang.end - 0.05, "{cues:?} {sang:?}");
    // Cues in order and within the video.
    for pair in cues.windows(2) {
        assert!(pair[0].1 <= pair[1].0 + 1e-3, "{cues:?}");
    }
    assert!(cues[0].0 >= video.narration[0].start - 0.01, "{cues:?}");
    // The WebVTT file says the same.
    let vtt = std::fs::read_to_string(&vtt_path).unwrap();
    assert!(vtt.starts_with("WEBVTT\n\n"));
    assert_eq!(
        vtt.matches(" --> ").count(),
        cues.len(),
        "{vtt}\n---\n{srt}"
    );
}

#[test]
fn a_corrupt_model_is_a_clear_error_and_writes_nothing() {
    let Some(model) = piper_voice() else { return };
    if !require("ffmpeg") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let img = pattern_image(dir.path(), "a.png", (90, 160), 100);
    let broken = dir.path().join("broken.onnx");
    std::fs::write(&broken, b"this is no ONNX model").unwrap();
    std::fs::copy(
        model.with_extension("onnx.json"),
        dir.path().join("broken.onnx.json"),
    )
    .unwrap();
    let e = run(
        &[RenderScene::new(0, &img, "Hello.")],
        &opts(dir.path(), piper(&broken)),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("broken.onnx") && e.contains("unusable"), "{e}");
    // A model without its configuration says what is missing.
    let lonely = dir.path().join("lonely.onnx");
    std::fs::copy(&model, &lonely).unwrap();
    let e = run(
        &[RenderScene::new(0, &img, "Hello.")],
        &opts(dir.path(), piper(&lonely)),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("lonely.onnx.json"), "{e}");
    assert!(!dir.path().join("v.mp4").exists());
    assert!(no_partial_files(dir.path()));
}

#[test]
fn piper_voices_parse_by_name_or_file() {
    assert_eq!(
        Voice::parse("piper:en_US-lessac-medium").unwrap(),
        Voice::Piper {
            model: "en_US-lessac-medium".into(),
            settings: PiperSettings::default()
        }
    );
    assert_eq!(
        Voice::parse("piper:voices/joe.onnx").unwrap().label(),
        "piper:voices/joe.onnx"
    );
    let e = Voice::parse("piper:").unwrap_err().to_string();
    assert!(e.contains("piper:<voice>"), "{e}");
}

/// A static file server on a free port: `files` by URL path, 404 for anything else. Returns
/// its base URL and the paths asked for.
fn serve_files(
    files: Vec<(String, Vec<u8>)>,
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}/voices", listener.local_addr().unwrap());
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = asked.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            reader.read_line(&mut request).unwrap();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() == 0 || line.trim().is_empty() {
                    break;
                }
            }
            let path = request.split_whitespace().nth(1).unwrap_or("").to_string();
            log.lock().unwrap().push(path.clone());
            let mut stream = stream;
            match files.iter().find(|(p, _)| format!("/voices/{p}") == path) {
                Some((_, body)) => {
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(body);
                }
                None => {
                    let _ = write!(
                        stream,
                        "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found"
                    );
                }
            }
        }
    });
    (base, asked)
}

#[test]
fn a_voice_named_by_name_is_fetched_once_checked_and_whole_or_not_at_all() {
    use md5::{Digest, Md5};
    use storyreel::render::voice::fetch::resolve_from;
    let Some(model) = piper_voice() else { return };
    let onnx = std::fs::read(&model).unwrap();
    let json = std::fs::read(model.with_extension("onnx.json")).unwrap();
    let entry = |name: &str, onnx_md5: String| {
        let file = |ext: &str, bytes: &[u8], md5: String| {
            (
                format!("en/en_US/x/medium/{name}.{ext}"),
                serde_json::json!({ "size_bytes": bytes.len(), "md5_digest": md5 }),
            )
        };
        let (a, ai) = file("onnx", &onnx, onnx_md5);
        let (b, bi) = file("onnx.json", &json, format!("{:x}", Md5::digest(&json)));
        serde_json::json!({ "key": name, "files": { a: ai, b: bi } })
    };
    let good_md5 = format!("{:x}", Md5::digest(&onnx));
    let catalog = serde_json::json!({
        "en_US-ryan-medium": entry("en_US-ryan-medium", good_md5.clone()),
        "en_US-bad-medium": entry("en_US-bad-medium", "0".repeat(32)),
        "en_US-gone-medium": entry("en_US-gone-medium", good_md5),
    });
    let mut files = vec![("voices.json".to_string(), catalog.to_string().into_bytes())];
    for name in ["en_US-ryan-medium", "en_US-bad-medium"] {
        files.push((format!("en/en_US/x/medium/{name}.onnx"), onnx.clone()));
        files.push((format!("en/en_US/x/medium/{name}.onnx.json"), json.clone()));
    }
    let (base, asked) = serve_files(files);
    let dir = tempfile::tempdir().unwrap();
    let voices = dir.path().join("voices");
    let said = std::sync::Mutex::new(Vec::<String>::new());
    let progress = |line: &str| said.lock().unwrap().push(line.to_string());

    let path = resolve_from(&base, "en_US-ryan-medium", &voices, &progress).unwrap();
    assert_eq!(path, voices.join("en_US-ryan-medium.onnx"));
    assert_eq!(std::fs::read(&path).unwrap(), onnx);
    assert_eq!(
        std::fs::read(voices.join("en_US-ryan-medium.onnx.json")).unwrap(),
        json
    );
    assert!(
        said.lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("fetching Piper voice en_US-ryan-medium") && l.contains("MB")),
        "{said:?}"
    );
    // Once there, it is used without asking the server again.
    let requests = asked.lock().unwrap().len();
    resolve_from(&base, "en_US-ryan-medium", &voices, &progress).unwrap();
    assert_eq!(asked.lock().unwrap().len(), requests);

    // A name the catalog lacks: the voices here, and the nearest name.
    let e = resolve_from(&base, "en_US-ryan-medum", &voices, &progress)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("unknown Piper voice \"en_US-ryan-medum\"")
            && e.contains("did you mean \"en_US-ryan-medium\"")
            && e.contains("voices here: en_US-ryan-medium"),
        "{e}"
    );
    // A file that fails its checksum, and one the server does not have: a clear error, and
    // nothing of the voice left behind.
    let e = resolve_from(&base, "en_US-bad-medium", &voices, &progress)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("checksum mismatch") && e.contains("en_US-bad-medium"),
        "{e}"
    );
    let e = resolve_from(&base, "en_US-gone-medium", &voices, &progress)
        .unwrap_err()
        .to_string();
    assert!(e.contains("HTTP 404"), "{e}");
    let left: Vec<String> = std::fs::read_dir(&voices)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    let mut left = left;
    left.sort();
    assert_eq!(
        left,
        ["en_US-ryan-medium.onnx", "en_US-ryan-medium.onnx.json"]
    );
    // An unreachable catalog names where it was looked for.
    let e = resolve_from(
        "http://127.0.0.1:9/none",
        "en_US-amy-low",
        &voices,
        &progress,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("http://127.0.0.1:9/none/voices.json"), "{e}");
}

#[test]
fn a_kokoro_voice_named_by_name_is_fetched_once_checked_and_whole_or_not_at_all() {
    use sha2::{Digest, Sha256};
    use storyreel::render::voice::kokoro::KokoroVoice;
    use storyreel::render::voice::kokoro_fetch::{published, resolve_from, KokoroFile};
    let Some(kokoro) = kokoro_dir() else { return };
    let model = std::fs::read(kokoro.join("kokoro-v1.0.int8.onnx")).unwrap();
    let styles = std::fs::read(kokoro.join("voices_ja.npz")).unwrap();
    // The int8 model the tests read is the very file Kokoro publishes: its pinned entry.
    let published_model = published()[0].clone();
    assert_eq!(published_model.name, "kokoro-v1.0.int8.onnx");
    assert_eq!(published_model.size, model.len() as u64);
    // Japanese voices stand in for the published voices file (English ones, 28 MB).
    let entry = |name: &str, bytes: &[u8], sha256: String| KokoroFile {
        name: name.into(),
        size: bytes.len() as u64,
        sha256,
    };
    let good = vec![
        published_model.clone(),
        entry(
            "voices_ja.npz",
            &styles,
            format!("{:x}", Sha256::digest(&styles)),
        ),
    ];
    let wrong_sum = vec![
        published_model.clone(),
        entry("voices_ja.npz", &styles, "0".repeat(64)),
    ];
    // A server sending more than the catalog says is cut off there, not read to its end.
    let too_long = vec![KokoroFile {
        size: styles.len() as u64 - 1000,
        ..good[1].clone()
    }];
    let missing = vec![
        published_model,
        entry("voices-gone.bin", &styles, "0".repeat(64)),
    ];
    let (base, asked) = serve_files(vec![
        ("kokoro-v1.0.int8.onnx".into(), model),
        ("voices_ja.npz".into(), styles),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("kokoro");
    let said = std::sync::Mutex::new(Vec::<String>::new());
    let progress = |line: &str| said.lock().unwrap().push(line.to_string());
    let listing = || {
        let mut left: Vec<String> = std::fs::read_dir(&folder)
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().to_string())
                    .collect()
            })
            .unwrap_or_default();
        left.sort();
        left
    };

    // An unknown name: the voices Kokoro has and the nearest, before anything is fetched.
    let e = resolve_from(&base, &good, "af_haert", &folder, &progress)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("unknown Kokoro voice \"af_haert\"")
            && e.contains("did you mean \"af_heart\"")
            && e.contains("jm_kumo"),
        "{e}"
    );
    assert!(asked.lock().unwrap().is_empty());
    // A file that fails its checksum, and one the server does not have: a clear error, and
    // nothing left behind, not even part of a file.
    let e = resolve_from(&base, &wrong_sum, "jf_alpha", &folder, &progress)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("checksum mismatch") && e.contains("voices_ja.npz"),
        "{e}"
    );
    assert_eq!(listing(), Vec::<String>::new());
    let e = resolve_from(&base, &too_long, "jf_alpha", &folder, &progress)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("the answer is longer than the") && e.contains("voices_ja.npz"),
        "{e}"
    );
    assert_eq!(listing(), Vec::<String>::new());
    let e = resolve_from(&base, &missing, "jf_alpha", &folder, &progress)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("HTTP 404") && e.contains("voices-gone.bin"),
        "{e}"
    );
    assert_eq!(listing(), Vec::<String>::new());

    // Fetched whole, with a progress line per file, and then read.
    said.lock().unwrap().clear();
    let got = resolve_from(&base, &good, "jf_alpha", &folder, &progress).unwrap();
    assert_eq!(got, folder);
    assert_eq!(
        listing(),
        ["kokoro-v1.0.int8.onnx", "vocab.json", "voices_ja.npz"]
    );
    let lines = said.lock().unwrap().clone();
    assert!(
        lines.len() == 2
            && lines[0].contains("fetching Kokoro voices")
            && lines[0].contains("92.4 MB"),
        "{lines:?}"
    );
    KokoroVoice::load(&folder, "jf_alpha").unwrap();
    // Once there, it is used without asking the server again.
    let requests = asked.lock().unwrap().len();
    resolve_from(&base, &good, "jf_nezumi", &folder, &progress).unwrap();
    assert_eq!(asked.lock().unwrap().len(), requests);
}

#[test]
fn a_kokoro_voice_speaks_through_the_same_runtime_and_phonemizer() {
    use storyreel::render::voice::kokoro::KokoroVoice;
    let Some(dir) = kokoro_dir() else { return };
    if !require("espeak-ng") {
        return;
    }
    let voice = KokoroVoice::load(&dir, "jf_alpha").unwrap();
    let text = "Once upon a time, there lived a king.";
    let audio = voice.speak(&[text], 1.0).unwrap();
    assert_eq!(audio[0].rate, 24_000);
    let secs = audio[0].duration_secs();
    assert!(secs > 1.0 && secs < 7.0, "{secs:.2} s");
    let loud = rms(&audio[0].samples);
    assert!(loud > 300.0 && loud < 20000.0, "RMS {loud:.0}");
    assert_eq!(
        voice.speak(&[text], 1.0).unwrap(),
        audio,
        "Kokoro is deterministic"
    );
    // A misspelt voice: the voices the folder has, and the nearest.
    let e = KokoroVoice::load(&dir, "jf_alpah")
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.contains("did you mean \"jf_alpha\"") && e.contains("jm_kumo"),
        "{e}"
    );

    // In a render, sentence by sentence, as Piper.
    if !require("ffmpeg") {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let img = pattern_image(out.path(), "a.png", (90, 160), 100);
    let spec = format!("{}/jf_alpha", dir.display());
    let o = opts(out.path(), Voice::parse(&format!("kokoro:{spec}")).unwrap());
    let video = run(
        &[RenderScene::new(0, &img, "The sun rose. The birds sang.")],
        &o,
    )
    .unwrap();
    assert_eq!(video.narration.len(), 2);
    assert!(video
        .narration
        .iter()
        .all(|s| s.voice == format!("kokoro:{spec}")));
    assert!(video.has_audio);
}
