//! Plain-data description of a render and the parsers the scripting layer calls to validate it.

use super::error::RenderError;
use super::motion::Motion;
use super::voice::piper::PiperSettings;
use std::path::PathBuf;

/// One scene to render: its picked image, its narration text and an optional camera move.
#[derive(Debug, Clone)]
pub struct RenderScene {
    pub index: usize,
    /// `None` when the scene has no picked image: the render refuses and lists such scenes.
    pub image: Option<PathBuf>,
    pub text: String,
    /// Overrides the default motion of [`RenderOptions::motion`] for this scene.
    pub motion: Option<Motion>,
}

impl RenderScene {
    pub fn new(index: usize, image: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        RenderScene {
            index,
            image: Some(image.into()),
            text: text.into(),
            motion: None,
        }
    }
}

/// Everything that shapes the output video.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub out: PathBuf,
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    pub fit: Fit,
    pub motion: MotionMode,
    pub transition: Transition,
    pub transition_secs: f32,
    /// The narrator's voice.
    pub voice: Voice,
    /// Characters with voices of their own: their attributed quotations are read in them.
    pub character_voices: Vec<CharacterVoice>,
    /// Where Piper voices named by name are found and fetched to; `None` is the user's cache
    /// folder (`~/.cache/storyreel/voices`).
    pub voice_dir: Option<PathBuf>,
    /// Where each sentence's audio is cached by content; `None` caches nothing.
    pub audio_cache: Option<PathBuf>,
    pub captions: bool,
    /// Also write the captions as `NAME.srt` and `NAME.vtt` beside the video.
    pub subtitles: bool,
    pub caption_style: CaptionStyle,
    pub music: Option<Music>,
    pub title: Option<String>,
    /// x264 preset (ultrafast … veryslow).
    pub preset: String,
    /// x264 constant rate factor (quality; lower is better, 18–28 is sensible).
    pub crf: u32,
    pub encoder: EncoderChoice,
    /// Opt-in ffmpeg hardware encoder ("h264_nvenc", "h264_qsv", "h264_amf",
    /// "h264_videotoolbox"); libx264 is used, with a warning, when it does not work here.
    pub hw_encoder: Option<String>,
    /// Varies the default Ken Burns moves; the same seed gives the same video.
    pub seed: u64,
    /// Seconds of silence before and after each scene's narration.
    pub padding_secs: f32,
    /// Shortest scene, whatever its text.
    pub min_scene_secs: f32,
    /// Speaking rate assumed when there is no narration audio.
    pub words_per_sec: f32,
    /// Sound good enough to hear that it is there (mono, 16 kHz, a fast AAC coder): for quick
    /// check renders, where full-quality AAC takes longer than the pictures.
    pub draft_audio: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            out: PathBuf::from("video.mp4"),
            width: 1080,
            height: 1920,
            fps: 30,
            fit: Fit::Cover,
            motion: MotionMode::KenBurns,
            transition: Transition::Fade,
            transition_secs: 0.5,
            voice: Voice::None,
            character_voices: Vec::new(),
            voice_dir: None,
            audio_cache: None,
            captions: true,
            subtitles: false,
            caption_style: CaptionStyle::default(),
            music: None,
            title: None,
            preset: "veryfast".into(),
            crf: 21,
            encoder: EncoderChoice::Auto,
            hw_encoder: None,
            seed: 0,
            padding_secs: 0.4,
            min_scene_secs: 3.0,
            words_per_sec: 2.5,
            draft_audio: false,
        }
    }
}

impl RenderOptions {
    /// Checks the combination of options before anything is decoded or spawned.
    pub fn validate(&self) -> Result<(), RenderError> {
        if self.width < 16 || self.height < 16 || self.width > 7680 || self.height > 7680 {
            return Err(RenderError::option(
                "size",
                format!("{}x{}", self.width, self.height),
                "each side between 16 and 7680 pixels",
            ));
        }
        // H.264 4:2:0 needs even sides.
        if self.width % 2 == 1 || self.height % 2 == 1 {
            return Err(RenderError::option(
                "size",
                format!("{}x{}", self.width, self.height),
                "width and height must be even numbers",
            ));
        }
        if !(1..=120).contains(&self.fps) {
            return Err(RenderError::option("fps", self.fps.to_string(), "1 to 120"));
        }
        if !(0.0..=5.0).contains(&self.transition_secs) {
            return Err(RenderError::option(
                "transition_secs",
                self.transition_secs.to_string(),
                "0 to 5 seconds",
            ));
        }
        parse_preset(&self.preset)?;
        if let Some(hw) = &self.hw_encoder {
            parse_hw_encoder(hw)?;
        }
        if self.crf > 51 {
            return Err(RenderError::option("crf", self.crf.to_string(), "0 to 51"));
        }
        if let Some(music) = &self.music {
            if !(0.0..=4.0).contains(&music.volume) {
                return Err(RenderError::option(
                    "music.volume",
                    music.volume.to_string(),
                    "0.0 to 4.0 (1.0 = unchanged)",
                ));
            }
        }
        Ok(())
    }
}

/// How an image whose shape differs from the video fills the frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Fill the frame, cropping what overflows.
    Cover,
    /// Show the whole image over a blurred, enlarged copy of itself.
    Contain,
}

impl Fit {
    pub fn parse(s: &str) -> Result<Self, RenderError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "cover" => Ok(Fit::Cover),
            "contain" => Ok(Fit::Contain),
            _ => Err(RenderError::option(
                "fit",
                s,
                "one of \"cover\", \"contain\"",
            )),
        }
    }
}

/// Default camera movement of scenes that do not set their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MotionMode {
    /// Slow zoom and pan, direction varied per scene (deterministic from the seed).
    KenBurns,
    None,
}

impl MotionMode {
    pub fn parse(s: &str) -> Result<Self, RenderError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "kenburns" | "ken-burns" | "ken_burns" => Ok(MotionMode::KenBurns),
            "none" | "static" => Ok(MotionMode::None),
            _ => Err(RenderError::option(
                "motion",
                s,
                "one of \"kenburns\", \"none\"",
            )),
        }
    }
}

/// How one scene gives way to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Fade,
    Cut,
    /// The next scene pushes the current one out to the left.
    Slide,
}

impl Transition {
    pub fn parse(s: &str) -> Result<Self, RenderError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fade" | "crossfade" => Ok(Transition::Fade),
            "cut" | "none" => Ok(Transition::Cut),
            "slide" => Ok(Transition::Slide),
            _ => Err(RenderError::option(
                "transition",
                s,
                "one of \"fade\", \"cut\", \"slide\"",
            )),
        }
    }
}

/// A character's own voice, and the names (aliases included) its speech is attributed by.
#[derive(Debug, Clone, PartialEq)]
pub struct CharacterVoice {
    pub names: Vec<String>,
    pub voice: Voice,
}

/// Narration engine.
#[derive(Debug, Clone, PartialEq)]
pub enum Voice {
    None,
    /// A Piper voice run in process: a published voice's name (fetched on first use) or a
    /// model file (`.onnx`, its `.onnx.json` beside it).
    Piper {
        model: String,
        settings: PiperSettings,
    },
    /// A Kokoro-82M voice run in process: `VOICE` (in the voices folder's `kokoro/`) or
    /// `FOLDER/VOICE`, the folder holding the model, the voices and `vocab.json`. Only
    /// `settings.speed` applies.
    Kokoro {
        voice: String,
        settings: PiperSettings,
    },
    /// espeak-ng with the given voice (e.g. "en-us").
    Espeak(String),
    /// Any OpenAI-style `/v1/audio/speech` server; the key comes from `OPENAI_API_KEY`.
    OpenAi {
        url: String,
        model: String,
        voice: String,
    },
}

impl Voice {
    /// Parses `"none"`, `"piper:<name or file.onnx>"`, `"espeak:<voice>"` or `"openai:<voice>"`
    /// (url and model get defaults, which the caller may overwrite).
    pub fn parse(s: &str) -> Result<Self, RenderError> {
        let allowed = "\"none\", \"piper:<voice>\" (e.g. \"piper:en_US-lessac-medium\" or \"piper:voices/joe.onnx\"), \"kokoro:<voice>\", \"espeak:<voice>\" (e.g. \"espeak:en-us\") or \"openai:<voice>\"";
        let t = s.trim();
        if t.eq_ignore_ascii_case("none") || t.is_empty() {
            return Ok(Voice::None);
        }
        match t.split_once(':') {
            Some(("piper", v)) if !v.trim().is_empty() => Ok(Voice::Piper {
                model: v.trim().into(),
                settings: PiperSettings::default(),
            }),
            Some(("kokoro", v)) if !v.trim().is_empty() => Ok(Voice::Kokoro {
                voice: v.trim().into(),
                settings: PiperSettings::default(),
            }),
            Some(("espeak", v)) => Ok(Voice::Espeak(if v.is_empty() { "en-us" } else { v }.into())),
            Some(("openai", v)) => Ok(Voice::OpenAi {
                url: "https://api.openai.com/v1/audio/speech".into(),
                model: "tts-1".into(),
                voice: if v.is_empty() { "alloy" } else { v }.into(),
            }),
            _ if t == "espeak" => Ok(Voice::Espeak("en-us".into())),
            _ => Err(RenderError::option("voice", s, allowed)),
        }
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Voice::None)
    }

    /// How the voice is written in options and the manifest ("piper:en_US-joe-medium").
    pub fn label(&self) -> String {
        match self {
            Voice::None => "none".into(),
            Voice::Piper { model, .. } => format!("piper:{model}"),
            Voice::Kokoro { voice, .. } => format!("kokoro:{voice}"),
            Voice::Espeak(v) => format!("espeak:{v}"),
            Voice::OpenAi { voice, .. } => format!("openai:{voice}"),
        }
    }
}

/// Background music mixed under the narration.
#[derive(Debug, Clone)]
pub struct Music {
    pub path: PathBuf,
    /// Gain applied to the music (1.0 = unchanged).
    pub volume: f32,
    pub fade_in_secs: f32,
    pub fade_out_secs: f32,
    /// Lower the music while the voice speaks.
    pub duck: bool,
}

impl Music {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Music {
            path: path.into(),
            volume: 0.25,
            fade_in_secs: 1.5,
            fade_out_secs: 2.5,
            duck: true,
        }
    }
}

/// Where captions sit vertically.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CaptionPosition {
    Top,
    Center,
    /// Above the bottom area that phone UIs cover.
    Bottom,
    /// Centre of the caption block as a fraction of the height (0 = top, 1 = bottom).
    Fraction(f32),
}

impl CaptionPosition {
    pub fn parse(s: &str) -> Result<Self, RenderError> {
        let t = s.trim().to_ascii_lowercase();
        match t.as_str() {
            "top" => Ok(CaptionPosition::Top),
            "center" | "centre" | "middle" => Ok(CaptionPosition::Center),
            "bottom" => Ok(CaptionPosition::Bottom),
            _ => match t.trim_end_matches('%').parse::<f32>() {
                Ok(p) if t.ends_with('%') && (0.0..=100.0).contains(&p) => {
                    Ok(CaptionPosition::Fraction(p / 100.0))
                }
                _ => Err(RenderError::option(
                    "caption_style.position",
                    s,
                    "one of \"top\", \"center\", \"bottom\" or a percentage like \"70%\"",
                )),
            },
        }
    }

    /// Centre of the caption block as a fraction of the height.
    pub fn fraction(self) -> f32 {
        match self {
            CaptionPosition::Top => 0.18,
            CaptionPosition::Center => 0.5,
            CaptionPosition::Bottom => 0.72,
            CaptionPosition::Fraction(f) => f.clamp(0.0, 1.0),
        }
    }
}

/// Look of burned-in captions.
#[derive(Debug, Clone)]
pub struct CaptionStyle {
    /// A TTF/OTF file; `None` uses the font shipped in the binary.
    pub font: Option<PathBuf>,
    /// Text height in pixels; `None` scales with the video (8.5% of its short side).
    pub size: Option<f32>,
    pub color: [u8; 3],
    pub stroke_color: [u8; 3],
    /// Stroke width in pixels; `None` scales with the text size.
    pub stroke_width: Option<f32>,
    pub position: CaptionPosition,
    pub max_lines: usize,
    /// Colour of the word being spoken; `None` draws every word alike.
    pub highlight: Option<[u8; 3]>,
}

impl Default for CaptionStyle {
    fn default() -> Self {
        CaptionStyle {
            font: None,
            size: None,
            color: [255, 255, 255],
            stroke_color: [0, 0, 0],
            stroke_width: None,
            position: CaptionPosition::Bottom,
            max_lines: 2,
            highlight: None,
        }
    }
}

/// Parses a colour given as "#rrggbb", "rrggbb" or a few common names.
pub fn parse_color(option: &'static str, s: &str) -> Result<[u8; 3], RenderError> {
    let t = s.trim().to_ascii_lowercase();
    let named = match t.as_str() {
        "white" => Some([255, 255, 255]),
        "black" => Some([0, 0, 0]),
        "yellow" => Some([255, 221, 0]),
        "red" => Some([230, 40, 40]),
        "green" => Some([40, 200, 80]),
        "blue" => Some([40, 110, 240]),
        _ => None,
    };
    if let Some(c) = named {
        return Ok(c);
    }
    let hex = t.trim_start_matches('#');
    if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
        return Ok([byte(0), byte(2), byte(4)]);
    }
    Err(RenderError::option(
        option,
        s,
        "\"#rrggbb\" or one of white, black, yellow, red, green, blue",
    ))
}

/// Which encoder writes the MP4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncoderChoice {
    /// ffmpeg when it is on PATH, else the built-in encoder.
    Auto,
    Ffmpeg,
    /// Pure built-in H.264 + MP4 muxer; always silent.
    Builtin,
}

impl EncoderChoice {
    pub fn parse(s: &str) -> Result<Self, RenderError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(EncoderChoice::Auto),
            "ffmpeg" => Ok(EncoderChoice::Ffmpeg),
            "builtin" | "built-in" | "openh264" => Ok(EncoderChoice::Builtin),
            _ => Err(RenderError::option(
                "encoder",
                s,
                "one of \"auto\", \"ffmpeg\", \"builtin\"",
            )),
        }
    }
}

/// Hardware H.264 encoders of ffmpeg that need no extra filter setup.
pub const HW_ENCODERS: [&str; 4] = ["h264_nvenc", "h264_qsv", "h264_amf", "h264_videotoolbox"];

/// Checks a hardware encoder name; the short forms "nvenc", "qsv", … are accepted.
pub fn parse_hw_encoder(s: &str) -> Result<&'static str, RenderError> {
    let t = s.trim().to_ascii_lowercase();
    HW_ENCODERS
        .iter()
        .find(|e| **e == t || e.strip_prefix("h264_") == Some(t.as_str()))
        .copied()
        .ok_or_else(|| {
            RenderError::option(
                "hw_encoder",
                s,
                format!("one of {}", HW_ENCODERS.join(", ")),
            )
        })
}

/// x264 presets, fastest first.
pub const PRESETS: [&str; 9] = [
    "ultrafast",
    "superfast",
    "veryfast",
    "faster",
    "fast",
    "medium",
    "slow",
    "slower",
    "veryslow",
];

/// Checks an x264 preset name.
pub fn parse_preset(s: &str) -> Result<&'static str, RenderError> {
    PRESETS
        .iter()
        .find(|p| p.eq_ignore_ascii_case(s.trim()))
        .copied()
        .ok_or_else(|| RenderError::option("preset", s, format!("one of {}", PRESETS.join(", "))))
}

/// Parses a format: "9:16" (1080x1920), "16:9", "1:1", "4:5" or "WxH".
pub fn parse_format(s: &str) -> Result<(u32, u32), RenderError> {
    let t = s.trim().to_ascii_lowercase();
    let fixed = match t.as_str() {
        "9:16" => Some((1080, 1920)),
        "16:9" => Some((1920, 1080)),
        "1:1" => Some((1080, 1080)),
        "4:5" => Some((1080, 1350)),
        _ => None,
    };
    if let Some(size) = fixed {
        return Ok(size);
    }
    if let Some((w, h)) = t.split_once('x') {
        if let (Ok(w), Ok(h)) = (w.trim().parse::<u32>(), h.trim().parse::<u32>()) {
            // "9x16" is a ratio written with an x, not a 9-pixel-wide video.
            if w < 16 || h < 16 {
                return Err(RenderError::option(
                    "format",
                    s,
                    format!("\"WIDTHxHEIGHT\" in pixels (each side from 16); for the {w}:{h} aspect ratio write \"{w}:{h}\""),
                ));
            }
            return Ok((w, h));
        }
    }
    Err(RenderError::option(
        "format",
        s,
        "one of \"9:16\", \"16:9\", \"1:1\", \"4:5\" or \"WIDTHxHEIGHT\"",
    ))
}
