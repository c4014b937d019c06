//! Image generation: `backend`, `sd_generate`, `img2img`, `character_sheet`, and picking.

use super::{Kind, Opt, Spec};
use crate::generate::{MAX_CANDIDATES, MAX_SEED};

/// The keys of `backend(kind, #{ ip_adapter: #{ … } })`.
pub const IP_ADAPTER: &[Opt] = &[
    Opt {
        name: "module",
        kind: Kind::Text,
        default: "\"ip-adapter_clip_h\"",
        meaning: "the ControlNet preprocessor",
    },
    Opt {
        name: "model",
        kind: Kind::Text,
        default: "\"ip-adapter-plus-face_sd15\"",
        meaning: "the ControlNet model",
    },
    Opt {
        name: "weight",
        kind: Kind::Number(0.0, 2.0),
        default: "0.7",
        meaning: "how strongly the reference holds",
    },
];

/// The keys of `backend(kind, #{ … })`.
pub const BACKEND: &[Opt] = &[
    Opt {
        name: "url",
        kind: Kind::Text,
        default: "the kind's usual address (a1111 http://127.0.0.1:7860, sdcpp :1234, comfyui :8188)",
        meaning: "the server",
    },
    Opt {
        name: "urls",
        kind: Kind::Value("an array of URLs"),
        default: "",
        meaning: "several servers forming a pool: work is spread so that none idles",
    },
    Opt {
        name: "model",
        kind: Kind::Text,
        default: "the server's current one",
        meaning: "checkpoint (or OpenAI, Horde) model name; part of the cache key",
    },
    Opt {
        name: "sampler",
        kind: Kind::Text,
        default: "the server's",
        meaning: "sampler of requests that name none",
    },
    Opt {
        name: "scheduler",
        kind: Kind::Text,
        default: "the server's",
        meaning: "scheduler of requests that name none",
    },
    Opt {
        name: "steps",
        kind: Kind::Int(1, 500),
        default: "the server's",
        meaning: "sampling steps of requests that name none",
    },
    Opt {
        name: "cfg",
        kind: Kind::Number(0.0, 50.0),
        default: "the server's",
        meaning: "guidance scale of requests that name none",
    },
    Opt {
        name: "timeout",
        kind: Kind::Number(1.0, 86_400.0),
        default: "600",
        meaning: "seconds one request may take, queueing on the server included",
    },
    Opt {
        name: "concurrency",
        kind: Kind::Int(1, 64),
        default: "1",
        meaning: "requests in flight per server",
    },
    Opt {
        name: "retry_for",
        kind: Kind::Number(0.0, 86_400.0),
        default: "300",
        meaning: "seconds a batch waits for a server to answer again before its work fails",
    },
    Opt {
        name: "workflow",
        kind: Kind::Text,
        default: "the built-in graph",
        meaning: "an API-format ComfyUI workflow file, patched by node class (comfyui)",
    },
    Opt {
        name: "auth",
        kind: Kind::Text,
        default: "",
        meaning: "the NAME of an environment variable holding user:password (a1111 --api-auth), never the credentials",
    },
    Opt {
        name: "ip_adapter",
        kind: Kind::Map(IP_ADAPTER),
        default: "",
        meaning: "the IP-Adapter unit that character references use (a1111)",
    },
    Opt {
        name: "models",
        kind: Kind::Value("an array of model names"),
        default: "any model a worker offers",
        meaning: "models the AI Horde may use (horde only)",
    },
    Opt {
        name: "apikey",
        kind: Kind::Text,
        default: "\"STORYREEL_HORDE_KEY\", anonymous when unset",
        meaning: "the NAME of the environment variable holding the AI Horde key (horde only)",
    },
    Opt {
        name: "poll_secs",
        kind: Kind::Number(1.0, 600.0),
        default: "1",
        meaning: "seconds between status checks of a queued image (horde only)",
    },
    Opt {
        name: "nsfw",
        kind: Kind::Bool,
        default: "false",
        meaning: "whether NSFW images may come back; false has the Horde censor them (horde only)",
    },
];

const fn n(default: &'static str) -> Opt {
    Opt {
        name: "n",
        kind: Kind::Int(1, MAX_CANDIDATES as i64),
        default,
        meaning: "how many candidates",
    }
}

const SEED: Opt = Opt {
    name: "seed",
    kind: Kind::Int(0, MAX_SEED as i64),
    default: "derived from the story seed and the scene's text",
    meaning: "seed of the first candidate, sent as given (candidate k: seed + k); \"sdcpp\" takes at most 2147483647",
};
const STEPS: Opt = Opt {
    name: "steps",
    kind: Kind::Int(1, 500),
    default: "the backend's",
    meaning: "sampling steps",
};
const CFG: Opt = Opt {
    name: "cfg",
    kind: Kind::Number(0.0, 50.0),
    default: "the backend's",
    meaning: "guidance scale",
};
const WIDTH: Opt = Opt {
    name: "width",
    kind: Kind::Int(64, 4096),
    default: "the story's format",
    meaning: "image width in pixels, a multiple of 8",
};
const HEIGHT: Opt = Opt {
    name: "height",
    kind: Kind::Int(64, 4096),
    default: "the story's format",
    meaning: "image height in pixels, a multiple of 8",
};
const NEGATIVE: Opt = Opt {
    name: "negative",
    kind: Kind::Text,
    default: "the scene's",
    meaning: "negative prompt",
};
const SAMPLER: Opt = Opt {
    name: "sampler",
    kind: Kind::Text,
    default: "the backend's",
    meaning: "sampler name as the server knows it",
};
const FORCE: Opt = Opt {
    name: "force",
    kind: Kind::Bool,
    default: "false",
    meaning: "make the images again, ignoring the cache",
};

/// The keys of `sd_generate(x, #{ … })`.
pub const SD_GENERATE: &[Opt] = &[
    n("1 for a prompt, 4 for a scene or story"),
    SEED,
    STEPS,
    CFG,
    WIDTH,
    HEIGHT,
    NEGATIVE,
    SAMPLER,
    FORCE,
    Opt {
        name: "scenes",
        kind: Kind::Value("an array of scene numbers or a range like 0..8"),
        default: "every scene",
        meaning: "only these scenes of a story",
    },
];

/// The keys of `img2img(image, x, #{ … })`.
pub const IMG2IMG: &[Opt] = &[
    Opt {
        name: "strength",
        kind: Kind::Number(0.0, 1.0),
        default: "0.55",
        meaning: "how far to move away from the start image",
    },
    n("1"),
    SEED,
    STEPS,
    CFG,
    Opt {
        default: "the start image's",
        ..WIDTH
    },
    Opt {
        default: "the start image's",
        ..HEIGHT
    },
    NEGATIVE,
    SAMPLER,
    FORCE,
];

/// The keys of `character_sheet(c, #{ … })`.
pub const CHARACTER_SHEET: &[Opt] = &[
    n("4"),
    Opt {
        name: "style",
        kind: Kind::Text,
        default: "",
        meaning: "style words added to the portrait prompt",
    },
    SEED,
    STEPS,
    CFG,
    Opt {
        default: "512",
        ..WIDTH
    },
    Opt {
        default: "512",
        ..HEIGHT
    },
    NEGATIVE,
    SAMPLER,
    FORCE,
];

pub const SPECS: &[Spec] = &[
    Spec {
        name: "backend",
        signature: "backend(kind, #{})",
        returns: "string",
        summary: "Sets the image backend: \"draft\" (default, built in), \"a1111\" (also Forge, SD.Next), \"sdcpp\", \"comfyui\", \"openai\", \"horde\" (the AI Horde's volunteer workers). backend() shows the current one and what its server reports.",
        options: BACKEND,
    },
    Spec {
        name: "sd_generate",
        signature: "sd_generate(prompt | scene | story, #{})",
        returns: "",
        summary: "Generates n candidates concurrently, cached by content. A prompt's and a scene's come back as an array of Image (a scene's attach to it); a story returns its storyboard (each scene's first candidate), shown when it is the cell's last value.",
        options: SD_GENERATE,
    },
    Spec {
        name: "img2img",
        signature: "img2img(image, prompt | scene, #{})",
        returns: "[Image]",
        summary: "Generates from a start image; strength is how far to move away from it.",
        options: IMG2IMG,
    },
    Spec {
        name: "character_sheet",
        signature: "character_sheet(character, #{})",
        returns: "[Image]",
        summary: "Portraits of a character from its description, to pick one as its reference.",
        options: CHARACTER_SHEET,
    },
    Spec {
        name: "Story.pick",
        signature: "s.pick(#{ \"0\": 2, \"3\": 1 }) or s.pick([2, 0, 1])",
        returns: "",
        summary: "Picks a candidate for several scenes at once; every pick is checked first, and one bad pick makes none.",
        options: &[],
    },
    Spec {
        name: "Scene.pick",
        signature: "sc.pick(k)",
        returns: "",
        summary: "Chooses candidate k of the scene for the video; recorded in the story's picks.json and restored by the next run.",
        options: &[],
    },
    Spec {
        name: "Scene.candidates",
        signature: "sc.candidates",
        returns: "[Image]",
        summary: "The scene's generated candidates, numbered from 0.",
        options: &[],
    },
    Spec {
        name: "Scene.image",
        signature: "sc.image",
        returns: "Image",
        summary: "The picked image (assign an Image to use your own).",
        options: &[],
    },
    Spec {
        name: "Scene.picked",
        signature: "sc.picked",
        returns: "int",
        summary: "The number of the picked candidate, or ().",
        options: &[],
    },
];
