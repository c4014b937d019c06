//! Image generation: requests, deterministic seeds, the content-addressed cache,
//! the server pool and the backends (draft, A1111/Forge/SD.Next, sd.cpp, ComfyUI,
//! OpenAI-style). Knows nothing of scripts or front-ends.
//!
//! What each backend supports:
//!
//! | technique        | draft   | a1111 | sdcpp | comfyui                  | openai |
//! |------------------|---------|-------|-------|--------------------------|--------|
//! | seed, steps, cfg | yes     | yes   | yes   | yes                      | no (ignored by the server) |
//! | LoRA             | ignored | `<lora:n:w>` tags | `lora` array | `LoraLoader` nodes | error |
//! | reference image  | ignored | ControlNet IP-Adapter unit | error | workflow with an IPAdapter + LoadImage | error |
//! | img2img          | ignored | `/img2img` | `/img2img` | built-in graph only | error |

pub mod backends;
pub mod cache;
pub mod cache_upkeep;
pub mod capabilities;
pub mod config;
pub mod error;
mod generator;
pub mod pool;
pub mod progress;
pub mod request;
pub mod seed;
pub mod sidecar;

pub use config::{BackendConfig, BackendKind, IpAdapter};
pub use error::GenerateError;
pub use generator::{GeneratedImage, Generator};
pub use progress::Progress;
pub use request::{validate_candidates, ImageRequest, Lora, MAX_CANDIDATES};
pub use seed::{derive_seed, given_seed, MAX_DERIVED_SEED, MAX_SEED};
pub mod scenes;
