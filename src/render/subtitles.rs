//! The captions as subtitle files beside the video, `NAME.srt` and `NAME.vtt`: the same pages,
//! at the same times, as the captions burned into the picture, for sites that take subtitles.

use super::breaks::glued;
use super::captions::plan_pages;
use super::error::RenderError;
use super::font::Fonts;
use super::options::{RenderOptions, RenderScene};
use super::timeline::{SpanKind, Timeline};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// One subtitle: its text (lines joined by newlines) and when it shows, in seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    pub start: f64,
    pub end: f64,
    pub text: String,
}

/// The caption pages of every scene, placed on the video's clock.
pub fn cues(
    scenes: &[RenderScene],
    opts: &RenderOptions,
    fonts: &Fonts,
    timeline: &Timeline,
) -> Vec<Cue> {
    let fps = timeline.fps as f64;
    let mut out = Vec::new();
    for span in &timeline.spans {
        let SpanKind::Scene(i) = span.kind else {
            continue;
        };
        let at = span.start_frame as f64 / fps;
        let len = span.frames as f64 / fps;
        // As the burned-in captions do: speech clipped to the scene.
        let speech = (span.speech.0.max(0.0), span.speech.1.min(len));
        let text = &scenes[i].text;
        let (words, _, pages) = plan_pages(
            text,
            &opts.caption_style,
            fonts,
            (opts.width, opts.height),
            speech,
            &span.voiced,
            &span.segments,
        );
        for page in pages {
            let lines: Vec<String> = page
                .lines
                .iter()
                .map(|r| join_words(&words[r.clone()]))
                .collect();
            out.push(Cue {
                start: at + page.start.max(0.0),
                end: at + page.end.min(len),
                text: lines.join("\n"),
            });
        }
    }
    out
}

/// Words put back together: with a space, except between characters of scripts written without.
fn join_words(words: &[&str]) -> String {
    let mut s = String::new();
    for (k, w) in words.iter().enumerate() {
        if k > 0 && !glued(words[k - 1], w) {
            s.push(' ');
        }
        s.push_str(w);
    }
    s
}

/// Writes `OUT.srt` and `OUT.vtt` for the video `out`; returns their paths.
pub fn write(
    scenes: &[RenderScene],
    opts: &RenderOptions,
    fonts: &Fonts,
    timeline: &Timeline,
    out: &Path,
) -> Result<Vec<PathBuf>, RenderError> {
    let cues = cues(scenes, opts, fonts, timeline);
    let mut written = Vec::new();
    for (ext, text) in [("srt", srt(&cues)), ("vtt", vtt(&cues))] {
        let path = out.with_extension(ext);
        crate::generate::cache::write_atomic(&path, text.as_bytes())
            .map_err(|e| RenderError::io(&path, std::io::Error::other(e.to_string())))?;
        written.push(path);
    }
    Ok(written)
}

/// SubRip: numbered cues, times as `HH:MM:SS,mmm`.
pub fn srt(cues: &[Cue]) -> String {
    let mut s = String::new();
    for (n, c) in cues.iter().enumerate() {
        let _ = write!(
            s,
            "{}\n{} --> {}\n{}\n\n",
            n + 1,
            stamp(c.start, ','),
            stamp(c.end, ','),
            c.text
        );
    }
    s
}

/// WebVTT: a header, then cues with times as `HH:MM:SS.mmm`.
pub fn vtt(cues: &[Cue]) -> String {
    let mut s = String::from("WEBVTT\n\n");
    for c in cues {
        let _ = write!(
            s,
            "{} --> {}\n{}\n\n",
            stamp(c.start, '.'),
            stamp(c.end, '.'),
            c.text
        );
    }
    s
}

fn stamp(secs: f64, mark: char) -> String {
    let ms = (secs.max(0.0) * 1000.0).round() as u64;
    format!(
        "{:02}:{:02}:{:02}{mark}{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srt_and_vtt_write_the_same_cues_in_their_formats() {
        let cues = [
            Cue {
                start: 0.5,
                end: 2.25,
                text: "Once upon a time,\nthere lived a king.".into(),
            },
            Cue {
                start: 3661.0,
                end: 3662.0015,
                text: "The end.".into(),
            },
        ];
        assert_eq!(
            srt(&cues),
            "1\n00:00:00,500 --> 00:00:02,250\nOnce upon a time,\nthere lived a king.\n\n\
             2\n01:01:01,000 --> 01:01:02,002\nThe end.\n\n"
        );
        assert_eq!(
            vtt(&cues),
            "WEBVTT\n\n00:00:00.500 --> 00:00:02.250\nOnce upon a time,\nthere lived a king.\n\n\
             01:01:01.000 --> 01:01:02.002\nThe end.\n\n"
        );
        assert_eq!(
            join_words(&["日本", "語", "and", "more"]),
            "日本語 and more"
        );
    }
}
