//! Text-to-speech through a WAV file: espeak-ng or an OpenAI-style speech server.

use super::error::RenderError;
use super::options::Voice;
use super::tools::tail_lines;
use crate::server_message::{error_chain, server_message};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Speaks `text` into the WAV file `out`.
pub fn synthesize(voice: &Voice, scene: usize, text: &str, out: &Path) -> Result<(), RenderError> {
    match voice {
        // Neural voices are read in process (see `narration`), not through a file.
        Voice::None | Voice::Piper { .. } | Voice::Kokoro { .. } => Ok(()),
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

/// The most a speech answer may be: a scene's WAV at 24 kHz, 16-bit mono, is about 2.9 MB a
/// minute, so this is over twenty minutes of speech.
const AUDIO_CAP: usize = 64 << 20;
/// What is read of an error answer.
const ERROR_CAP: usize = 64 << 10;

/// POSTs to an OpenAI-compatible `/v1/audio/speech`, the key read from `OPENAI_API_KEY`.
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
    let body = serde_json::json!({
        "model": model, "voice": voice, "input": text, "response_format": "wav",
    });
    // Rendering is synchronous; a one-thread runtime for the one request is all it needs.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(e.to_string()))?;
    let (status, audio, cut) = runtime
        .block_on(async {
            let mut request = reqwest::Client::new()
                .post(url)
                .timeout(Duration::from_secs(120))
                .json(&body);
            if let Ok(key) = std::env::var("OPENAI_API_KEY") {
                crate::server_message::remember_secret(&key);
                request = request.bearer_auth(key);
            }
            let response = request.send().await?;
            let status = response.status();
            let cap = if status.is_success() {
                AUDIO_CAP
            } else {
                ERROR_CAP
            };
            let (body, cut) = crate::generate::backends::http::read_capped(response, cap).await?;
            Ok::<_, reqwest::Error>((status, body, cut))
        })
        .map_err(|e| fail(error_chain(&e).join(": ")))?;
    if !status.is_success() {
        return Err(fail(format!(
            "HTTP {}: {}",
            status.as_u16(),
            server_message(status.as_u16(), &audio)
        )));
    }
    if cut {
        return Err(fail(format!(
            "the answer is larger than the {} MB a scene's audio may be",
            AUDIO_CAP >> 20
        )));
    }
    if !audio.starts_with(b"RIFF") {
        return Err(fail(format!(
            "the answer is not the WAV audio asked for (it began with {:?})",
            crate::server_message::preview(&audio[..audio.len().min(40)])
        )));
    }
    std::fs::write(out, &audio).map_err(|e| RenderError::io(out, e))
}
