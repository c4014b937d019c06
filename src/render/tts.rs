//! Text-to-speech: one WAV clip per scene from espeak-ng or an OpenAI-style speech server.

use super::error::RenderError;
use super::options::Voice;
use super::tools::tail_lines;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Speaks `text` into the WAV file `out`.
pub fn synthesize(voice: &Voice, scene: usize, text: &str, out: &Path) -> Result<(), RenderError> {
    match voice {
        Voice::None => Ok(()),
        Voice::Espeak(name) => espeak(name, scene, text, out),
        Voice::OpenAi { url, model, voice } => openai(url, model, voice, scene, text, out),
    }
}

fn espeak(voice: &str, scene: usize, text: &str, out: &Path) -> Result<(), RenderError> {
    let fail = |reason: String| RenderError::Tts {
        scene,
        engine: format!("espeak-ng voice {voice:?}"),
        reason,
    };
    // Text goes through stdin so that no quoting or length limit applies.
    let mut child = Command::new("espeak-ng")
        .args(["-v", voice, "-s", "165", "--stdin", "-w"])
        .arg(out)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| RenderError::ToolMissing {
            program: "espeak-ng",
            why: format!("{e}; install espeak-ng or use voice \"none\""),
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(text.as_bytes())
            .map_err(|e| fail(e.to_string()))?;
    }
    let output = child.wait_with_output().map_err(|e| fail(e.to_string()))?;
    // espeak-ng reports some errors (an unknown voice) on stdout.
    let said = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if !output.status.success() || !out.exists() {
        return Err(fail(format!("{}: {}", output.status, tail_lines(&said, 5))));
    }
    Ok(())
}

/// POSTs to an OpenAI-compatible `/v1/audio/speech` with curl, the key read from
/// `OPENAI_API_KEY` and handed to curl on stdin so it never appears in a process list.
fn openai(
    url: &str,
    model: &str,
    voice: &str,
    scene: usize,
    text: &str,
    out: &Path,
) -> Result<(), RenderError> {
    let fail = |reason: String| RenderError::Tts {
        scene,
        engine: format!("speech server {url} (voice {voice:?})"),
        reason,
    };
    let body = format!(
        "{{\"model\":{},\"voice\":{},\"input\":{},\"response_format\":\"wav\"}}",
        json_string(model),
        json_string(voice),
        json_string(text)
    );
    let mut config = format!(
        "url = {}\nrequest = \"POST\"\nheader = \"Content-Type: application/json\"\n",
        json_string(url)
    );
    if let Ok(key) = std::env::var("OPENAI_API_KEY") {
        config.push_str(&format!(
            "header = {}\n",
            json_string(&format!("Authorization: Bearer {key}"))
        ));
    }
    config.push_str(&format!("data = {}\n", json_string(&body)));
    let mut child = Command::new("curl")
        .args([
            "--silent",
            "--show-error",
            "--fail-with-body",
            "--max-time",
            "120",
            "--config",
            "-",
            "--output",
        ])
        .arg(out)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| RenderError::ToolMissing {
            program: "curl",
            why: format!("{e}; the OpenAI speech engine needs curl"),
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(config.as_bytes())
            .map_err(|e| fail(e.to_string()))?;
    }
    let output = child.wait_with_output().map_err(|e| fail(e.to_string()))?;
    if !output.status.success() {
        let body = std::fs::read_to_string(out).unwrap_or_default();
        let _ = std::fs::remove_file(out);
        return Err(fail(format!(
            "{} {}",
            tail_lines(&String::from_utf8_lossy(&output.stderr), 3),
            tail_lines(&body, 3)
        )));
    }
    Ok(())
}

/// A JSON (and curl config) string literal.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
