//! Videos and previews: `render`, `contact_sheet`, `animatic`, a scene's camera move, Video.

use super::{member, Kind, Opt, Spec};
use crate::render::PRESETS;

/// The keys of a custom video size, `render(s, #{ format: #{ … } })`.
pub const SIZE: &[Opt] = &[
    Opt {
        name: "width",
        kind: Kind::Int(16, 8192),
        default: "",
        meaning: "video width in pixels, even",
    },
    Opt {
        name: "height",
        kind: Kind::Int(16, 8192),
        default: "",
        meaning: "video height in pixels, even",
    },
];

/// The keys of `caption_style: #{ … }`.
pub const CAPTION_STYLE: &[Opt] = &[
    Opt {
        name: "font",
        kind: Kind::Text,
        default: "a bold sans font found on the system",
        meaning: "a font file (TTF or OTF)",
    },
    Opt {
        name: "size",
        kind: Kind::Number(8.0, 400.0),
        default: "scaled to the video",
        meaning: "text size in pixels",
    },
    Opt {
        name: "color",
        kind: Kind::Text,
        default: "\"white\"",
        meaning: "text colour: \"#rrggbb\" or a name",
    },
    Opt {
        name: "stroke",
        kind: Kind::Text,
        default: "\"black\"",
        meaning: "outline colour",
    },
    Opt {
        name: "stroke_width",
        kind: Kind::Number(0.0, 40.0),
        default: "scaled to the size",
        meaning: "outline width in pixels",
    },
    Opt {
        name: "position",
        kind: Kind::Text,
        default: "\"bottom\"",
        meaning: "\"bottom\", \"center\", \"top\" or a height such as \"70%\"",
    },
    Opt {
        name: "lines",
        kind: Kind::Int(1, 3),
        default: "2",
        meaning: "lines per caption page",
    },
    Opt {
        name: "mode",
        kind: Kind::OneOf(&["page", "word"]),
        default: "\"page\"",
        meaning: "\"word\" highlights the word being spoken",
    },
    Opt {
        name: "highlight",
        kind: Kind::Text,
        default: "yellow in \"word\" mode",
        meaning: "colour of the spoken word",
    },
];

/// The keys of `music: #{ … }`.
pub const MUSIC: &[Opt] = &[
    Opt {
        name: "path",
        kind: Kind::Text,
        default: "",
        meaning: "the music file (required)",
    },
    Opt {
        name: "volume",
        kind: Kind::Number(0.0, 4.0),
        default: "0.25",
        meaning: "loudness under the narration",
    },
    Opt {
        name: "fade_in",
        kind: Kind::Number(0.0, 60.0),
        default: "1.5",
        meaning: "seconds of fade at the start",
    },
    Opt {
        name: "fade_out",
        kind: Kind::Number(0.0, 60.0),
        default: "2.5",
        meaning: "seconds of fade at the end",
    },
    Opt {
        name: "duck",
        kind: Kind::Bool,
        default: "true",
        meaning: "lower the music while the voice speaks",
    },
];

/// The keys of `sc.motion = #{ … }`.
pub const MOTION: &[Opt] = &[
    Opt {
        name: "from",
        kind: Kind::Value("[x, y, w, h] or #{ x, y, w, h } in 0..1 of the image"),
        default: "",
        meaning: "the crop window at the scene's start",
    },
    Opt {
        name: "to",
        kind: Kind::Value("[x, y, w, h] or #{ x, y, w, h } in 0..1 of the image"),
        default: "",
        meaning: "the crop window at the scene's end",
    },
];

/// The keys of `render(s, #{ … })`.
pub const RENDER: &[Opt] = &[
    Opt {
        name: "out",
        kind: Kind::Text,
        default: "\"<story>.mp4\"",
        meaning: "the video file: a bare name goes into the story's folder of the workspace, a path with a folder is relative to the current folder, ~/ is the home folder",
    },
    Opt {
        name: "format",
        kind: Kind::Value("\"9:16\", \"16:9\", \"1:1\", \"4:5\", \"WxH\" or #{ width, height } (even sides from 16 to 7680)"),
        default: "\"9:16\" (1080x1920)",
        meaning: "the video's size, whatever the story's image format",
    },
    Opt {
        name: "fps",
        kind: Kind::Int(1, 120),
        default: "30",
        meaning: "frames per second",
    },
    Opt {
        name: "fit",
        kind: Kind::Named(&["cover", "contain"]),
        default: "\"cover\"",
        meaning: "how a picture fills the frame: cropped, or whole over a blurred fill",
    },
    Opt {
        name: "motion",
        kind: Kind::Named(&["kenburns", "none"]),
        default: "\"kenburns\"",
        meaning: "the camera move of scenes without their own sc.motion: slow zoom and pan, or none",
    },
    Opt {
        name: "transition",
        kind: Kind::Named(&["fade", "cut", "slide"]),
        default: "\"fade\"",
        meaning: "how one scene gives way to the next",
    },
    Opt {
        name: "transition_secs",
        kind: Kind::Number(0.0, 5.0),
        default: "0.5",
        meaning: "length of a transition in seconds",
    },
    Opt {
        name: "voice",
        kind: Kind::Text,
        default: "\"none\"",
        meaning: "the narrator: \"piper:<name>\" or \"piper:<file>.onnx\", \"kokoro:<voice>\", \"auto\" (a Piper voice when one is here, else espeak-ng), \"espeak:<voice>\", \"openai:<voice>\" or \"none\"",
    },
    Opt {
        name: "voice_url",
        kind: Kind::Text,
        default: "\"https://api.openai.com/v1/audio/speech\"",
        meaning: "the speech server of an \"openai:\" voice",
    },
    Opt {
        name: "voice_model",
        kind: Kind::Text,
        default: "the server's default model",
        meaning: "the model of an \"openai:\" voice",
    },
    Opt {
        name: "voice_speed",
        kind: Kind::Number(0.25, 4.0),
        default: "1.0",
        meaning: "pace of Piper and Kokoro voices (1.2 is 20% faster)",
    },
    Opt {
        name: "voice_noise_scale",
        kind: Kind::Number(0.0, 2.0),
        default: "the voice's own (0.667 for most)",
        meaning: "VITS noise of Piper voices (0 and voice_noise_w 0 read a text the same way every time)",
    },
    Opt {
        name: "voice_noise_w",
        kind: Kind::Number(0.0, 2.0),
        default: "the voice's own (0.8 for most)",
        meaning: "VITS duration noise of Piper voices",
    },
    Opt {
        name: "voices",
        kind: Kind::Value("a map like #{ narrator: \"piper:en_US-lessac-medium\", \"the frog\": \"piper:en_US-ryan-medium\" }"),
        default: "each character's c.voice",
        meaning: "voices by reader: the narrator, or a character's name or alias",
    },
    Opt {
        name: "captions",
        kind: Kind::Bool,
        default: "true",
        meaning: "burn in captions, paged in time with the narration",
    },
    Opt {
        name: "subtitles",
        kind: Kind::Bool,
        default: "false",
        meaning: "also write the captions as NAME.srt and NAME.vtt beside the video",
    },
    Opt {
        name: "caption_style",
        kind: Kind::Map(CAPTION_STYLE),
        default: "",
        meaning: "how captions look",
    },
    Opt {
        name: "music",
        kind: Kind::Value("a file path or #{ path, volume, fade_in, fade_out, duck }"),
        default: "",
        meaning: "music mixed under the narration, looped to length",
    },
    Opt {
        name: "title",
        kind: Kind::Text,
        default: "",
        meaning: "an opening title card",
    },
    Opt {
        name: "preset",
        kind: Kind::Named(&PRESETS),
        default: "\"veryfast\"",
        meaning: "x264 speed preset",
    },
    Opt {
        name: "crf",
        kind: Kind::Int(0, 51),
        default: "21",
        meaning: "x264 quality (lower is better and larger)",
    },
    Opt {
        name: "encoder",
        kind: Kind::Named(&["auto", "ffmpeg", "builtin"]),
        default: "\"auto\"",
        meaning: "ffmpeg when installed, else the built-in H.264 encoder (silent)",
    },
    Opt {
        name: "hw_encoder",
        kind: Kind::Named(&["nvenc", "qsv", "amf", "videotoolbox"]),
        default: "",
        meaning: "an opt-in hardware encoder of ffmpeg; falls back to libx264 with a warning",
    },
    Opt {
        name: "scenes",
        kind: Kind::Value("an array of scene numbers or a range like 0..8"),
        default: "every scene",
        meaning: "only these scenes",
    },
    Opt {
        name: "padding",
        kind: Kind::Number(0.0, 10.0),
        default: "0.4",
        meaning: "seconds of silence before and after each scene's narration",
    },
    Opt {
        name: "min_scene_secs",
        kind: Kind::Number(0.5, 120.0),
        default: "3",
        meaning: "the shortest a scene lasts, in seconds",
    },
    Opt {
        name: "words_per_sec",
        kind: Kind::Number(0.5, 10.0),
        default: "2.5",
        meaning: "the speaking rate assumed without narration",
    },
];

pub const SPECS: &[Spec] = &[
    Spec {
        name: "render",
        signature: "render(story, #{})",
        returns: "Video",
        summary: "Assembles the picks into a narrated, captioned video in one streaming pass (ffmpeg when installed, else a built-in H.264 encoder, silent).",
        options: RENDER,
    },
    member("contact_sheet", "contact_sheet(story)", "Image", "A PNG storyboard of the picks with scene numbers and text (no ffmpeg needed)."),
    member("animatic", "animatic(story)", "Image", "A small GIF preview of the picks (no ffmpeg needed)."),
    member("Scene.motion", "sc.motion = #{ from: [x, y, w, h], to: [x, y, w, h] }", "", "The scene's camera move: crop windows (0..1 of the image) at its start and end; () goes back to the default."),
    member("Video.path", "v.path", "string", "The video file."),
    member("Video.duration", "v.duration", "float", "Length in seconds."),
    member("Video.width", "v.width", "int", "Width in pixels."),
    member("Video.height", "v.height", "int", "Height in pixels."),
    member("Video.frames", "v.frames", "int", "Number of frames."),
    member("Video.has_audio", "v.has_audio", "bool", "Whether the video is narrated."),
];
