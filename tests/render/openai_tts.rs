//! The OpenAI-style speech engine against a local stand-in server (own test binary, because it
//! sets OPENAI_API_KEY for the process).

use crate::render_common;

use render_common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::AtomicBool;
use storyreel::render::{render, RenderError, RenderOptions, RenderScene, Voice};

/// One second of 24 kHz mono silence, as such servers answer with `response_format: wav`.
fn wav_second() -> Vec<u8> {
    let data = vec![0u8; 48_000];
    let mut w = Vec::new();
    w.extend_from_slice(b"RIFF");
    w.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    w.extend_from_slice(b"WAVEfmt ");
    w.extend_from_slice(&16u32.to_le_bytes());
    w.extend_from_slice(&1u16.to_le_bytes());
    w.extend_from_slice(&1u16.to_le_bytes());
    w.extend_from_slice(&24_000u32.to_le_bytes());
    w.extend_from_slice(&48_000u32.to_le_bytes());
    w.extend_from_slice(&2u16.to_le_bytes());
    w.extend_from_slice(&16u16.to_le_bytes());
    w.extend_from_slice(b"data");
    w.extend_from_slice(&(data.len() as u32).to_le_bytes());
    w.extend_from_slice(&data);
    w
}

/// Serves one request with `status` and `body`; returns the request's head and body.
fn serve_once(
    status: &'static str,
    body: Vec<u8>,
) -> (String, std::thread::JoinHandle<(String, String)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1/audio/speech", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line.trim().is_empty() {
                break;
            }
            head.push_str(&line);
        }
        let len = head
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().parse().unwrap())
            })
            .unwrap_or(0);
        let mut request_body = vec![0u8; len];
        reader.read_exact(&mut request_body).unwrap();
        let mut stream = stream;
        write!(
            stream,
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .unwrap();
        stream.write_all(&body).unwrap();
        (head, String::from_utf8(request_body).unwrap())
    });
    (url, handle)
}

#[test]
fn openai_voice_posts_the_text_and_uses_the_audio() {
    if !require("ffmpeg") {
        return;
    }
    std::env::set_var("OPENAI_API_KEY", "sk-test-key");
    let dir = tempfile::tempdir().unwrap();
    let img = pattern_image(dir.path(), "a.png", (90, 160), 100);
    let voice = |url: String| Voice::OpenAi {
        url,
        model: "tts-1".into(),
        voice: "nova".into(),
    };
    let opts = |url: String| RenderOptions {
        out: dir.path().join("v.mp4"),
        width: 180,
        height: 320,
        preset: "ultrafast".into(),
        min_scene_secs: 0.5,
        voice: voice(url),
        ..RenderOptions::default()
    };
    let text = "Hello \"quoted\" world\nnew line";

    let (url, server) = serve_once("200 OK", wav_second());
    let video = render(
        &[RenderScene::new(0, &img, text)],
        &opts(url),
        &|_, _| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    let (head, body) = server.join().unwrap();
    assert!(head.starts_with("POST /v1/audio/speech"), "{head}");
    // Header names are case-insensitive; clients send either spelling.
    assert!(
        head.to_ascii_lowercase()
            .contains("authorization: bearer sk-test-key"),
        "{head}"
    );
    assert!(
        body.contains(r#""input":"Hello \"quoted\" world\nnew line""#),
        "{body}"
    );
    assert!(
        body.contains(r#""voice":"nova""#) && body.contains(r#""response_format":"wav""#),
        "{body}"
    );
    assert!(video.has_audio);
    // One second of speech plus 0.4 s of padding on each side.
    assert!(
        (video.duration_secs - 1.8).abs() < 0.05,
        "{}",
        video.duration_secs
    );

    // The error of a render whose scene `index` meets a server answering `status` and `body`.
    let failure = |index: usize, status: &'static str, body: &[u8]| {
        let (url, server) = serve_once(status, body.to_vec());
        let err = render(
            &[RenderScene::new(index, &img, text)],
            &opts(url),
            &|_, _| {},
            &AtomicBool::new(false),
        )
        .unwrap_err();
        server.join().unwrap();
        assert!(
            matches!(err, RenderError::Tts { scene, .. } if scene == index),
            "{err}"
        );
        err.to_string()
    };

    let err = failure(
        4,
        "401 Unauthorized",
        br#"{"error":{"message":"Incorrect API key"}}"#,
    );
    assert!(err.contains("Incorrect API key"), "{err}");
    assert!(
        !err.contains("sk-test-key"),
        "the key leaked into an error: {err}"
    );

    // A server that answers 200 with something other than audio is named, not fed to the mixer.
    let err = failure(2, "200 OK", br#"{"status":"queued"}"#);
    assert!(err.contains("not the WAV audio"), "{err}");
    assert!(err.contains("queued"), "{err}");
}

#[test]
fn an_endless_speech_answer_is_an_error_at_its_cap() {
    // A server that sends a WAV header and then never stops.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1/audio/speech", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                break;
            }
        }
        let mut stream = stream;
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nConnection: close\r\n\r\n"
        );
        let _ = stream.write_all(&wav_second()[..44]);
        let chunk = vec![0u8; 1 << 16];
        while stream.write_all(&chunk).is_ok() {}
    });
    let dir = tempfile::tempdir().unwrap();
    let img = pattern_image(dir.path(), "a.png", (90, 160), 100);
    let opts = RenderOptions {
        out: dir.path().join("v.mp4"),
        width: 180,
        height: 320,
        preset: "ultrafast".into(),
        min_scene_secs: 0.5,
        voice: Voice::OpenAi {
            url,
            model: "tts-1".into(),
            voice: "nova".into(),
        },
        ..RenderOptions::default()
    };
    let started = std::time::Instant::now();
    let err = render(
        &[RenderScene::new(0, &img, "Hello.")],
        &opts,
        &|_, _| {},
        &AtomicBool::new(false),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("larger than the 64 MB a scene's audio may be"),
        "{err}"
    );
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    assert!(!dir.path().join("v.mp4").exists());
}
