//! ComfyUI API-format graphs: the built-in minimal SD txt2img/img2img graph, and
//! patching a user's exported workflow by node class (never by node id, which
//! differs in every export).

use serde_json::{json, Map, Value};

use crate::generate::backends::decimal;
use crate::generate::request::ImageRequest;

/// Files already uploaded to the server's `input` folder, by their server-side names.
#[derive(Debug, Default, Clone)]
pub struct Uploaded {
    pub reference: Option<String>,
    pub init: Option<String>,
}

/// The minimal SD1.5 graph of ComfyUI's `basic_api_example.py` (ids kept).
pub fn builtin(model: Option<&str>) -> Value {
    json!({
        "3": {"class_type": "KSampler", "inputs": {"cfg": 8, "denoise": 1, "latent_image": ["5", 0], "model": ["4", 0],
              "negative": ["7", 0], "positive": ["6", 0], "sampler_name": "euler", "scheduler": "normal", "seed": 0, "steps": 20}},
        "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": model.unwrap_or("v1-5-pruned-emaonly.safetensors")}},
        "5": {"class_type": "EmptyLatentImage", "inputs": {"batch_size": 1, "height": 512, "width": 512}},
        "6": {"class_type": "CLIPTextEncode", "inputs": {"clip": ["4", 1], "text": ""}},
        "7": {"class_type": "CLIPTextEncode", "inputs": {"clip": ["4", 1], "text": ""}},
        "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
        "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "storyreel", "images": ["8", 0]}}
    })
}

/// Why a workflow cannot be used: what it lacks for the request. Each message reads after
/// "the workflow … cannot be used:".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    #[error("it is not a JSON object of nodes")]
    NotAnObject,
    #[error("it is in ComfyUI's UI format; export it with \"Save (API Format)\"")]
    UiFormat,
    #[error("every entry must be a node with a `class_type` (API format)")]
    NotApiNodes,
    #[error("it has no KSampler node to take the seed, steps and cfg")]
    NoSampler,
    /// `input` is "positive" or "negative".
    #[error("the `{input}` input of KSampler {sampler} does not lead to a CLIPTextEncode node")]
    NoTextEncoder {
        input: &'static str,
        sampler: String,
    },
    #[error("positive and negative of KSampler {sampler} share CLIPTextEncode {encoder}")]
    SharedTextEncoder { sampler: String, encoder: String },
    #[error("a model is set but it has no CheckpointLoaderSimple node")]
    NoCheckpointForModel,
    #[error("LoRAs need a CheckpointLoaderSimple node to attach LoraLoader nodes to")]
    NoCheckpointForLoras,
    #[error("it has no EmptyLatentImage node to take the width and height")]
    NoLatentImage,
    #[error("img2img needs a VAEDecode node to find the VAE")]
    NoVae,
    #[error("a reference image needs IPAdapter nodes fed by a LoadImage node")]
    NoReferenceLoader,
}

/// Checks that a parsed file is an API-format graph (not the UI format).
pub fn check_api_format(graph: &Value) -> Result<(), GraphError> {
    let Some(nodes) = graph.as_object() else {
        return Err(GraphError::NotAnObject);
    };
    if nodes.contains_key("nodes") && nodes.contains_key("links") {
        return Err(GraphError::UiFormat);
    }
    if nodes.is_empty()
        || !nodes
            .values()
            .all(|n| n.get("class_type").is_some_and(Value::is_string))
    {
        return Err(GraphError::NotApiNodes);
    }
    Ok(())
}

fn class_of<'a>(graph: &'a Map<String, Value>, id: &str) -> &'a str {
    graph
        .get(id)
        .and_then(|n| n["class_type"].as_str())
        .unwrap_or("")
}

fn ids_of_class(graph: &Map<String, Value>, class: impl Fn(&str) -> bool) -> Vec<String> {
    let mut ids: Vec<String> = graph
        .iter()
        .filter(|(_, n)| class(n["class_type"].as_str().unwrap_or("")))
        .map(|(id, _)| id.clone())
        .collect();
    ids.sort_by_key(|id| (id.parse::<u64>().unwrap_or(u64::MAX), id.clone()));
    ids
}

/// The node feeding `input` of `node`, if that input is a link `[id, slot]`.
fn link(graph: &Map<String, Value>, node: &str, input: &str) -> Option<String> {
    let value = &graph.get(node)?["inputs"][input];
    let id = value.as_array()?.first()?;
    Some(
        id.as_str()
            .map(String::from)
            .unwrap_or_else(|| id.to_string()),
    )
}

/// Follows conditioning links upstream from a sampler input to the text encoder.
fn text_encoder_for(graph: &Map<String, Value>, sampler: &str, input: &str) -> Option<String> {
    let mut frontier = vec![link(graph, sampler, input)?];
    for _ in 0..16 {
        let mut next = Vec::new();
        for id in frontier {
            if class_of(graph, &id) == "CLIPTextEncode" {
                return Some(id);
            }
            if let Some(inputs) = graph.get(&id).and_then(|n| n["inputs"].as_object()) {
                for name in inputs.keys() {
                    next.extend(link(graph, &id, name));
                }
            }
        }
        frontier = next;
    }
    None
}

fn set(graph: &mut Map<String, Value>, node: &str, input: &str, value: Value) {
    if let Some(inputs) = graph
        .get_mut(node)
        .and_then(|n| n["inputs"].as_object_mut())
    {
        inputs.insert(input.into(), value);
    }
}

fn next_id(graph: &Map<String, Value>) -> u64 {
    graph
        .keys()
        .filter_map(|k| k.parse::<u64>().ok())
        .max()
        .unwrap_or(0)
        + 1
}

/// Sets prompt, seed, steps, cfg, size, model, LoRAs and uploaded images into a
/// graph; any part that cannot be found is an error saying what is missing.
pub fn patch(
    graph: &Value,
    r: &ImageRequest,
    model: Option<&str>,
    files: &Uploaded,
) -> Result<Value, GraphError> {
    check_api_format(graph)?;
    let mut g = graph.as_object().cloned().unwrap_or_default();
    let samplers = ids_of_class(&g, |c| c == "KSampler" || c == "KSamplerAdvanced");
    let Some(first) = samplers.first().cloned() else {
        return Err(GraphError::NoSampler);
    };
    let positive =
        text_encoder_for(&g, &first, "positive").ok_or_else(|| GraphError::NoTextEncoder {
            input: "positive",
            sampler: first.clone(),
        })?;
    let negative =
        text_encoder_for(&g, &first, "negative").ok_or_else(|| GraphError::NoTextEncoder {
            input: "negative",
            sampler: first.clone(),
        })?;
    if positive == negative {
        return Err(GraphError::SharedTextEncoder {
            sampler: first,
            encoder: positive,
        });
    }
    set(&mut g, &positive, "text", json!(r.prompt));
    set(&mut g, &negative, "text", json!(r.negative));
    for id in &samplers {
        let seed_input = if class_of(&g, id) == "KSamplerAdvanced" {
            "noise_seed"
        } else {
            "seed"
        };
        set(&mut g, id, seed_input, json!(r.seed));
        set(&mut g, id, "steps", json!(r.steps));
        set(&mut g, id, "cfg", decimal(r.cfg));
        if let Some(sampler) = &r.sampler {
            set(&mut g, id, "sampler_name", json!(sampler));
        }
        if let Some(scheduler) = &r.scheduler {
            set(&mut g, id, "scheduler", json!(scheduler));
        }
    }

    let checkpoint = ids_of_class(&g, |c| c == "CheckpointLoaderSimple")
        .into_iter()
        .next();
    if let Some(model) = model {
        let id = checkpoint
            .as_ref()
            .ok_or(GraphError::NoCheckpointForModel)?;
        set(&mut g, id, "ckpt_name", json!(model));
    }
    if !r.loras.is_empty() {
        let id = checkpoint
            .as_ref()
            .ok_or(GraphError::NoCheckpointForLoras)?;
        insert_loras(&mut g, id, r);
    }

    if let Some(init) = &files.init {
        use_init_image(&mut g, &first, init, r.strength.unwrap_or(0.6))?;
    } else {
        let latents = ids_of_class(&g, |c| c == "EmptyLatentImage");
        if latents.is_empty() {
            return Err(GraphError::NoLatentImage);
        }
        for id in latents {
            set(&mut g, &id, "width", json!(r.width));
            set(&mut g, &id, "height", json!(r.height));
            set(&mut g, &id, "batch_size", json!(1));
        }
    }

    if let Some(reference) = &files.reference {
        let loader = reference_loader(&g).ok_or(GraphError::NoReferenceLoader)?;
        set(&mut g, &loader, "image", json!(reference));
    }
    Ok(Value::Object(g))
}

/// Chains one `LoraLoader` per LoRA after the checkpoint and points every former
/// consumer of the checkpoint's MODEL and CLIP at the end of the chain.
fn insert_loras(g: &mut Map<String, Value>, checkpoint: &str, r: &ImageRequest) {
    let (mut model, mut clip) = (json!([checkpoint, 0]), json!([checkpoint, 1]));
    let mut added = Vec::new();
    for (id, lora) in (next_id(g)..).zip(&r.loras) {
        let name = if lora.name.contains('.') {
            lora.name.clone()
        } else {
            format!("{}.safetensors", lora.name)
        };
        let key = id.to_string();
        g.insert(key.clone(), json!({"class_type": "LoraLoader", "inputs": {
            "model": model, "clip": clip, "lora_name": name, "strength_model": decimal(lora.weight), "strength_clip": decimal(lora.weight)}}));
        (model, clip) = (json!([key, 0]), json!([key, 1]));
        added.push(key);
    }
    for (node_id, node) in g.iter_mut() {
        if added.contains(node_id) {
            continue;
        }
        if let Some(inputs) = node["inputs"].as_object_mut() {
            for value in inputs.values_mut() {
                if *value == json!([checkpoint, 0]) {
                    *value = model.clone();
                } else if *value == json!([checkpoint, 1]) {
                    *value = clip.clone();
                }
            }
        }
    }
}

/// img2img: LoadImage → VAEEncode replaces the sampler's empty latent.
fn use_init_image(
    g: &mut Map<String, Value>,
    sampler: &str,
    image: &str,
    strength: f32,
) -> Result<(), GraphError> {
    let vae = ids_of_class(g, |c| c == "VAEDecode")
        .first()
        .and_then(|id| g[id]["inputs"]["vae"].as_array().cloned())
        .ok_or(GraphError::NoVae)?;
    let load = next_id(g).to_string();
    let encode = (next_id(g) + 1).to_string();
    g.insert(
        load.clone(),
        json!({"class_type": "LoadImage", "inputs": {"image": image}}),
    );
    g.insert(
        encode.clone(),
        json!({"class_type": "VAEEncode", "inputs": {"pixels": [load, 0], "vae": vae}}),
    );
    set(g, sampler, "latent_image", json!([encode, 0]));
    set(g, sampler, "denoise", decimal(strength));
    Ok(())
}

/// The LoadImage node that feeds an IPAdapter node's `image` input, if any.
fn reference_loader(g: &Map<String, Value>) -> Option<String> {
    ids_of_class(g, |c| c.contains("IPAdapter"))
        .iter()
        .filter_map(|id| link(g, id, "image"))
        .find(|id| class_of(g, id) == "LoadImage")
}

/// Whether a workflow can take a reference image (checked before any request).
pub fn has_reference_input(graph: &Value) -> bool {
    graph
        .as_object()
        .is_some_and(|g| reference_loader(g).is_some())
}
