//! A scene's narration: the text cut into parts by who reads them (the narrator, or a character
//! with a voice of its own), a neural voice's parts further into sentences; each part
//! synthesized, or taken from the cache, then laid end to end with a short pause, the time of
//! each part kept for captions, subtitles and the manifest.

use super::audio::Clip;
use super::error::RenderError;
use super::options::{RenderOptions, RenderScene, Voice};
use super::speech_timing::{voiced_spans, TimedRange};
use super::voice::kokoro::KokoroVoice;
use super::voice::piper::{PiperSettings, PiperVoice};
use super::voice::{cache, fetch, kokoro_fetch, Audio, VoiceError};
use super::{speakers, tts, wav};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Silence after a part that ends a sentence, and after one that does not ("…," said the frog).
const SENTENCE_PAUSE_SECS: f64 = 0.3;
const CLAUSE_PAUSE_SECS: f64 = 0.12;

/// A voice ready to read: models loaded, names resolved.
pub struct Reader {
    /// As the options wrote it ("piper:en_US-joe-medium").
    pub label: String,
    engine: Engine,
    /// What makes the sound, for cache keys: the model's content and its settings.
    identity: String,
}

enum Engine {
    Piper {
        voice: Arc<PiperVoice>,
        settings: PiperSettings,
    },
    Kokoro {
        voice: Arc<KokoroVoice>,
        speed: f32,
    },
    /// espeak-ng or a speech server: one part at a time, through a WAV file.
    External(Voice),
}

/// The narrator and the characters with voices of their own.
pub struct Readers {
    narrator: Reader,
    characters: Vec<Reader>,
    names: Vec<Vec<String>>,
}

impl Readers {
    /// Resolves and loads every voice the render uses, before anything is made: an unknown
    /// voice, a missing runtime or a broken model stops the render at once.
    pub fn prepare(opts: &RenderOptions) -> Result<Readers, RenderError> {
        let narrator = reader(&opts.voice, opts)?;
        let mut characters = Vec::new();
        let mut names = Vec::new();
        for c in &opts.character_voices {
            if c.voice.is_none() {
                continue;
            }
            characters.push(reader(&c.voice, opts)?);
            names.push(c.names.clone());
        }
        Ok(Readers {
            narrator,
            characters,
            names,
        })
    }
}

fn reader(voice: &Voice, opts: &RenderOptions) -> Result<Reader, RenderError> {
    let (engine, identity) = match voice {
        Voice::Piper { model, settings } => {
            let path = piper_model(model, opts)?;
            let loaded = PiperVoice::load(&path)?;
            let identity = format!(
                "piper {} {}",
                cache::model_digest(&path)?,
                loaded.settings_key(settings)
            );
            (
                Engine::Piper {
                    voice: loaded,
                    settings: *settings,
                },
                identity,
            )
        }
        Voice::Kokoro {
            voice: spec,
            settings,
        } => {
            let (folder, name) = match spec.rsplit_once('/') {
                Some((folder, name)) => (PathBuf::from(folder), name.to_string()),
                // By name: fetched on first use into the voices folder.
                None => {
                    let dir = opts
                        .voice_dir
                        .clone()
                        .unwrap_or_else(default_voice_dir)
                        .join("kokoro");
                    let folder = kokoro_fetch::resolve(spec, &dir, &|line| eprintln!("{line}"))?;
                    (folder, spec.clone())
                }
            };
            let loaded = KokoroVoice::load(&folder, &name)?;
            let identity = format!(
                "kokoro {} {name} speed {}",
                cache::model_digest(loaded.model_path())?,
                settings.speed
            );
            (
                Engine::Kokoro {
                    voice: Arc::new(loaded),
                    speed: settings.speed,
                },
                identity,
            )
        }
        Voice::Espeak(v) => (
            Engine::External(voice.clone()),
            format!("espeak-ng {v} 165"),
        ),
        Voice::OpenAi {
            url,
            model,
            voice: v,
        } => (
            Engine::External(voice.clone()),
            format!("openai {url} {model} {v}"),
        ),
        Voice::None => (Engine::External(Voice::None), String::new()),
    };
    Ok(Reader {
        label: voice.label(),
        engine,
        identity,
    })
}

/// The model file of a Piper voice: a path as given, else a voice by name in the voices folder,
/// fetched there on first use.
fn piper_model(spec: &str, opts: &RenderOptions) -> Result<PathBuf, VoiceError> {
    if fetch::is_path(spec) {
        return Ok(PathBuf::from(spec));
    }
    let dir = opts.voice_dir.clone().unwrap_or_else(default_voice_dir);
    fetch::resolve(spec, &dir, &|line| eprintln!("{line}"))
}

/// `~/.cache/storyreel/voices`, shared by every workspace of the user.
pub fn default_voice_dir() -> PathBuf {
    dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("storyreel/voices")
}

/// A part of a scene's narration as spoken: its text, who read it and when, in seconds from the
/// start of the scene's narration. `range` covers the text up to the next part, so that every
/// word of the scene belongs to one part.
#[derive(Debug, Clone)]
pub struct Spoken {
    pub range: Range<usize>,
    pub text: String,
    pub voice: String,
    pub start: f64,
    pub end: f64,
}

impl Spoken {
    pub fn timed(&self) -> TimedRange {
        TimedRange {
            range: self.range.clone(),
            start: self.start,
            end: self.end,
        }
    }
}

/// How many parts were synthesized and how many came from the cache (for the render's report).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub synthesized: usize,
    pub cached: usize,
}

/// Synthesizes the narration of `scene` into `out` (a WAV), `None` when it has nothing to say.
pub fn narrate_scene(
    scene: &RenderScene,
    readers: &Readers,
    cache_dir: Option<&Path>,
    out: &Path,
) -> Result<Option<(Clip, Counts)>, RenderError> {
    let text = scene.text.as_str();
    let parts = parts(text, readers);
    if parts.is_empty() {
        return Ok(None);
    }
    let mut counts = Counts::default();
    let audio = synthesize(scene, &parts, cache_dir, out, &mut counts)?;
    let rate = audio.iter().map(|a| a.rate).max().unwrap_or(22_050);
    let mut samples: Vec<i16> = Vec::new();
    let mut spoken = Vec::with_capacity(parts.len());
    for (k, (part, sound)) in parts.iter().zip(&audio).enumerate() {
        let start = samples.len() as f64 / rate as f64;
        samples.extend(resample(sound, rate));
        let end = samples.len() as f64 / rate as f64;
        let range_end = parts.get(k + 1).map_or(text.len(), |p| p.range.start);
        spoken.push(Spoken {
            range: if k == 0 { 0 } else { part.range.start }..range_end,
            text: text[part.range.clone()].to_string(),
            voice: part.reader.label.clone(),
            start,
            end,
        });
        if k + 1 < parts.len() {
            let pause = if ends_sentence(&text[part.range.clone()]) {
                SENTENCE_PAUSE_SECS
            } else {
                CLAUSE_PAUSE_SECS
            };
            samples.resize(samples.len() + (pause * rate as f64) as usize, 0);
        }
    }
    let mut bytes = wav::header_for(rate, samples.len() as u64 * 2).to_vec();
    bytes.extend(samples.iter().flat_map(|s| s.to_le_bytes()));
    std::fs::write(out, &bytes).map_err(|e| RenderError::io(out, e))?;
    let info = wav::read_info(out).map_err(|reason| RenderError::Tts {
        scene: scene.index,
        engine: readers.narrator.label.clone(),
        reason: format!("unreadable audio: {reason}"),
    })?;
    let voiced = voiced_spans(&samples, rate);
    Ok(Some((
        Clip {
            path: out.to_path_buf(),
            info,
            voiced,
            segments: spoken,
        },
        counts,
    )))
}

/// A part to synthesize: its text (trimmed) and its reader.
struct Part<'r> {
    range: Range<usize>,
    reader: &'r Reader,
}

/// The scene's parts, in order: runs of one reader, a neural voice's runs cut into sentences.
fn parts<'r>(text: &str, readers: &'r Readers) -> Vec<Part<'r>> {
    let mut out = Vec::new();
    for (run, who) in speakers::runs(text, &readers.names) {
        let reader = who.map_or(&readers.narrator, |k| &readers.characters[k]);
        if matches!(reader.engine, Engine::External(Voice::None)) {
            continue;
        }
        let pieces = match reader.engine {
            // Sentence by sentence: captions follow the real audio, and an edit re-reads only
            // the sentences it touched.
            Engine::Piper { .. } | Engine::Kokoro { .. } => {
                crate::story::sentences::sentences(text, (run.start, run.end))
                    .into_iter()
                    .flat_map(|(a, b)| split_long(text, a..b))
                    .collect()
            }
            Engine::External(_) => vec![run],
        };
        for r in pieces {
            let (a, b) = crate::story::text::trim_span(text, (r.start, r.end));
            if text[a..b].chars().any(char::is_alphanumeric) {
                out.push(Part {
                    range: a..b,
                    reader,
                });
            }
        }
    }
    out
}

/// Words a neural voice reads at once, at most: the model's working memory grows with the
/// length of what it reads (about 20 MB a second of speech for a medium Piper voice), so a long
/// sentence is read clause by clause, and a clause longer than that cut between words.
const MAX_PART_WORDS: usize = 16;

/// `range` of `text` as is, or cut after clause punctuation (else between words) into parts
/// of at most [`MAX_PART_WORDS`] words where it is longer.
fn split_long(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let words: Vec<(usize, &str)> = text[range.clone()]
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    if words.len() <= MAX_PART_WORDS {
        return vec![range];
    }
    let mut parts = Vec::new();
    let mut from = 0;
    while words.len() - from > MAX_PART_WORDS {
        let window = &words[from..from + MAX_PART_WORDS];
        // The last clause end in the window that leaves a part of a few words at least.
        let cut = (4..window.len())
            .rev()
            .find(|&k| window[k - 1].1.ends_with([',', ';', ':', '—']))
            .unwrap_or(window.len());
        let start = if from == 0 {
            range.start
        } else {
            words[from].0
        };
        let end = words[from + cut - 1].0 + words[from + cut - 1].1.len();
        parts.push(start..end);
        from += cut;
    }
    parts.push(words[from].0..range.end);
    parts
}

/// Each part's audio, from the cache where it is there; Piper parts of one voice are read in
/// one call (one phonemizer run).
fn synthesize(
    scene: &RenderScene,
    parts: &[Part],
    cache_dir: Option<&Path>,
    out: &Path,
    counts: &mut Counts,
) -> Result<Vec<Audio>, RenderError> {
    let text = scene.text.as_str();
    let keys: Vec<String> = parts
        .iter()
        .map(|p| cache::key(&p.reader.identity, &text[p.range.clone()]))
        .collect();
    let mut audio: Vec<Option<Audio>> = keys
        .iter()
        .map(|k| cache_dir.and_then(|d| cache::load(d, k)))
        .collect();
    let cached: Vec<bool> = audio.iter().map(Option::is_some).collect();
    counts.cached = cached.iter().filter(|c| **c).count();
    let tts_error = |reader: &Reader, e: VoiceError| RenderError::Tts {
        scene: scene.index,
        engine: reader.label.clone(),
        reason: e.to_string(),
    };
    for (k, part) in parts.iter().enumerate() {
        if audio[k].is_some() {
            continue;
        }
        // A neural voice reads this part and every later uncached one of the same reader
        // together.
        let same: Vec<usize> = (k..parts.len())
            .filter(|&j| audio[j].is_none() && std::ptr::eq(parts[j].reader, part.reader))
            .collect();
        let texts: Vec<&str> = same
            .iter()
            .map(|&j| &text[parts[j].range.clone()])
            .collect();
        let read = match &part.reader.engine {
            Engine::Piper { voice, settings } => voice.speak(&texts, settings),
            Engine::Kokoro { voice, speed } => voice.speak(&texts, *speed),
            Engine::External(voice) => {
                let file = out.with_extension(format!("part{k}.wav"));
                tts::synthesize(voice, scene.index, &text[part.range.clone()], &file)?;
                let info = wav::read_info(&file).map_err(|reason| RenderError::Tts {
                    scene: scene.index,
                    engine: part.reader.label.clone(),
                    reason: format!("unreadable audio: {reason}"),
                })?;
                let samples =
                    wav::read_mono(&file, &info).map_err(|e| RenderError::io(&file, e))?;
                let _ = std::fs::remove_file(&file);
                audio[k] = Some(Audio {
                    rate: info.rate,
                    samples,
                });
                continue;
            }
        }
        .map_err(|e| tts_error(part.reader, e))?;
        for (j, a) in same.into_iter().zip(read) {
            audio[j] = Some(a);
        }
    }
    let done: Vec<Audio> = audio
        .into_iter()
        .map(|a| a.expect("every part synthesized"))
        .collect();
    if let Some(dir) = cache_dir {
        for (k, a) in done.iter().enumerate().filter(|(k, _)| !cached[*k]) {
            cache::store(dir, &keys[k], a)?;
        }
    }
    counts.synthesized = parts.len() - counts.cached;
    Ok(done)
}

/// `audio` at `rate`, linearly interpolated (parts of one scene may come from voices of
/// different rates).
fn resample(audio: &Audio, rate: u32) -> Vec<i16> {
    if audio.rate == rate {
        return audio.samples.clone();
    }
    let ratio = audio.rate as f64 / rate as f64;
    let len = (audio.samples.len() as f64 / ratio).floor() as usize;
    (0..len)
        .map(|i| {
            let pos = i as f64 * ratio;
            let j = pos.floor() as usize;
            let frac = pos - j as f64;
            let a = audio.samples.get(j).copied().unwrap_or(0) as f64;
            let b = audio.samples.get(j + 1).copied().map_or(a, f64::from);
            (a + (b - a) * frac).round() as i16
        })
        .collect()
}

/// Whether a part ends a sentence, perhaps inside closing quotes.
fn ends_sentence(part: &str) -> bool {
    part.trim_end()
        .trim_end_matches(['"', '\'', '”', '’', ')', ']', '»'])
        .ends_with(['.', '!', '?', '…'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_sentence_is_read_clause_by_clause_and_covers_its_text() {
        let short = "The sun rose over the hills.";
        assert_eq!(split_long(short, 0..short.len()), vec![0..short.len()]);
        let long = "The drama continues with the story of Siegfried, which opens with a scene in \
                    the smithy between Mime the dwarf and Siegfried, who scorns him and all his \
                    works and all his words and his swords.";
        let parts = split_long(long, 0..long.len());
        assert!(parts.len() >= 2, "{parts:?}");
        assert_eq!(parts[0].start, 0);
        assert_eq!(parts.last().unwrap().end, long.len());
        assert!(long[parts[0].clone()].ends_with("Siegfried,"), "{parts:?}");
        for p in &parts {
            assert!(
                long[p.clone()].split_whitespace().count() <= MAX_PART_WORDS,
                "{p:?}"
            );
        }
        // No clause end at all: cut between words.
        let words = vec!["word"; 60].join(" ");
        let parts = split_long(&words, 0..words.len());
        assert_eq!(parts.len(), 60usize.div_ceil(MAX_PART_WORDS));
        let count: usize = parts
            .iter()
            .map(|p| words[p.clone()].split_whitespace().count())
            .sum();
        assert_eq!(count, 60);
    }
}
