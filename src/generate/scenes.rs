//! Requests for a story's scenes: the composed prompt, the characters present, and consistency
//! (per-character seed, LoRAs, reference image) applied per scene.

use super::config::{BackendConfig, BackendKind};
use super::error::GenerateError;
use super::request::{ImageRequest, Lora};
use super::seed::{derive_seed, given_seed};
use crate::story::Story;

/// What the user asked for, beyond the story itself.
#[derive(Clone, Debug, Default)]
pub struct CandidateOptions {
    pub n: usize,
    pub seed: Option<u64>,
    pub steps: Option<u32>,
    pub cfg: Option<f32>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub negative: Option<String>,
    pub sampler: Option<String>,
}

/// The `n` candidate requests of one scene.
pub fn scene_requests(
    story: &Story,
    scene: usize,
    opts: &CandidateOptions,
    config: &BackendConfig,
) -> Result<Vec<ImageRequest>, GenerateError> {
    let prompt = story.prompt(scene);
    // The A1111 family encodes each BREAK-separated chunk in its own CLIP window.
    let text = if matches!(config.kind, BackendKind::A1111) && prompt.chunks.len() > 1 {
        prompt.chunks.join(" BREAK ")
    } else {
        prompt.text.clone()
    };
    let shown = story.pictured_scene(scene);
    let present: Vec<usize> = story
        .characters_in(shown)
        .into_iter()
        .filter(|&i| !story.characters[i].excluded)
        .collect();
    let dominant = dominant_character(story, shown, &present);
    let mut loras = Vec::new();
    for &i in &present {
        if let Some(spec) = &story.characters[i].lora {
            loras.push(Lora::parse(spec)?);
        }
    }
    let reference = dominant.and_then(|i| story.characters[i].reference.clone());
    // A fixed seed per character keeps its look across scenes it dominates; a seed
    // someone chose is sent as chosen.
    let base_seed = opts
        .seed
        .or_else(|| dominant.and_then(|i| story.characters[i].seed));
    let negative = opts
        .negative
        .clone()
        .unwrap_or_else(|| story.negative_for(scene));
    let (own_text, occurrence) = seed_content(story, scene);
    Ok((0..opts.n)
        .map(|k| ImageRequest {
            prompt: text.clone(),
            negative: negative.clone(),
            seed: match base_seed {
                Some(seed) => given_seed(seed, k),
                None => derive_seed(story.seed, own_text, occurrence, k),
            },
            steps: opts.steps.or(config.steps).unwrap_or(25),
            cfg: opts.cfg.or(config.cfg).unwrap_or(7.0),
            width: opts.width.unwrap_or(story.format.width),
            height: opts.height.unwrap_or(story.format.height),
            sampler: opts.sampler.clone().or_else(|| config.sampler.clone()),
            scheduler: config.scheduler.clone(),
            loras: loras.clone(),
            reference: reference.clone(),
            characters: present
                .iter()
                .map(|&i| story.characters[i].name.clone())
                .collect(),
            label: format!("scene {scene} #{k}"),
            ..ImageRequest::default()
        })
        .collect())
}

/// What a scene's derived seeds come from: its own text, and how many scenes before it have the
/// same text (so that a refrain repeated in two scenes still gets two sets of images). The text
/// and not the composed prompt: a new style or description changes the prompt but keeps the
/// seeds, so the new candidates keep their composition, and the prompt already differs anyway.
fn seed_content(story: &Story, scene: usize) -> (&str, usize) {
    let text = story.scenes.get(scene).map_or("", |s| s.text.as_str());
    let earlier = story.scenes[..scene.min(story.scenes.len())]
        .iter()
        .filter(|s| s.text == text)
        .count();
    (text, earlier)
}

/// The `n` candidates of a free prompt (not a scene's): the user's seed as given (counting
/// up per candidate), else seeds derived from `fallback_seed`.
pub fn prompt_requests(
    prompt: &str,
    default_negative: &str,
    fallback_seed: u64,
    default_size: (u32, u32),
    opts: &CandidateOptions,
    config: &BackendConfig,
    label: &str,
) -> Vec<ImageRequest> {
    let base = config.base_request();
    (0..opts.n)
        .map(|k| ImageRequest {
            prompt: prompt.to_string(),
            negative: opts
                .negative
                .clone()
                .unwrap_or_else(|| default_negative.to_string()),
            seed: match opts.seed {
                Some(seed) => given_seed(seed, k),
                None => derive_seed(fallback_seed, "", 0, k),
            },
            steps: opts.steps.unwrap_or(base.steps),
            cfg: opts.cfg.unwrap_or(base.cfg),
            width: opts.width.unwrap_or(default_size.0),
            height: opts.height.unwrap_or(default_size.1),
            sampler: opts.sampler.clone().or_else(|| base.sampler.clone()),
            label: format!("{label} #{k}"),
            ..base.clone()
        })
        .collect()
}

/// The character that dominates a scene: the only one present, or the one mentioned most.
fn dominant_character(story: &Story, scene: usize, present: &[usize]) -> Option<usize> {
    let span = story.scenes.get(scene)?.span;
    let mentions = |i: usize| {
        story.characters[i]
            .mentions
            .iter()
            .filter(|&&(a, b)| a >= span.0 && b <= span.1)
            .count()
    };
    match present {
        [] => None,
        [only] => Some(*only),
        many => {
            let mut ranked: Vec<(usize, usize)> = many.iter().map(|&i| (mentions(i), i)).collect();
            ranked.sort_by_key(|r| std::cmp::Reverse(r.0));
            (ranked[0].0 > ranked[1].0).then_some(ranked[0].1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::{Character, SplitOptions};

    fn story() -> Story {
        let mut s = Story::new("T", "Mime forged a sword.\n\nThe dragon slept on gold.");
        s.resplit(SplitOptions {
            min_words: 1,
            ..Default::default()
        });
        s
    }

    #[test]
    fn seeds_are_derived_per_scene_and_candidate() {
        let s = story();
        let opts = CandidateOptions {
            n: 2,
            ..Default::default()
        };
        let a = scene_requests(&s, 0, &opts, &BackendConfig::draft()).unwrap();
        let b = scene_requests(&s, 1, &opts, &BackendConfig::draft()).unwrap();
        assert_ne!(a[0].seed, a[1].seed);
        assert_ne!(a[0].seed, b[0].seed);
        assert_eq!(a[1].seed, derive_seed(s.seed, "Mime forged a sword.", 0, 1));
        assert_eq!((a[0].width, a[0].height), (576, 1024));

        let given = CandidateOptions {
            n: 3,
            seed: Some(3),
            ..Default::default()
        };
        let seeds: Vec<u64> = scene_requests(&s, 1, &given, &BackendConfig::draft())
            .unwrap()
            .iter()
            .map(|r| r.seed)
            .collect();
        assert_eq!(seeds, [3, 4, 5]);
        let free = prompt_requests(
            "a fox",
            "",
            9,
            (64, 64),
            &given,
            &BackendConfig::draft(),
            "p",
        );
        assert_eq!(free.iter().map(|r| r.seed).collect::<Vec<_>>(), [3, 4, 5]);
    }

    #[test]
    fn a_paragraph_added_above_leaves_a_scene_s_seeds_and_a_refrain_gets_its_own() {
        let opts = CandidateOptions {
            n: 2,
            ..Default::default()
        };
        let split = |text: &str| {
            let mut s = Story::new("T", text);
            s.resplit(SplitOptions {
                min_words: 1,
                ..Default::default()
            });
            s
        };
        let seeds = |s: &Story, i: usize| -> Vec<u64> {
            scene_requests(s, i, &opts, &BackendConfig::draft())
                .unwrap()
                .iter()
                .map(|r| r.seed)
                .collect()
        };
        let before = split("The dragon slept on gold.\n\nAgain.\n\nAgain.");
        let after = split("A prologue.\n\nThe dragon slept on gold.\n\nAgain.\n\nAgain.");
        assert_eq!(seeds(&before, 0), seeds(&after, 1));
        assert_eq!(seeds(&before, 1), seeds(&after, 2));
        assert_eq!(seeds(&before, 2), seeds(&after, 3));
        assert_ne!(
            seeds(&after, 2),
            seeds(&after, 3),
            "a repeated text is not one image twice"
        );
        let mut styled = after.clone();
        styled.style = "watercolour".into();
        assert_eq!(
            seeds(&styled, 1),
            seeds(&after, 1),
            "a style keeps the seeds"
        );
    }

    #[test]
    fn a_dominant_character_brings_its_seed_lora_and_reference() {
        let mut s = story();
        let mut mime = Character::new("Mime", "old dwarf");
        mime.seed = Some(77);
        mime.lora = Some("mime_v1:0.7".into());
        mime.reference = Some("ref.png".into());
        s.add_character(mime);
        let opts = CandidateOptions {
            n: 1,
            ..Default::default()
        };
        let r = &scene_requests(&s, 0, &opts, &BackendConfig::draft()).unwrap()[0];
        assert_eq!(r.seed, 77, "a character's seed is sent as given");
        assert_eq!(r.loras.len(), 1);
        assert_eq!(
            r.reference.as_deref(),
            Some(std::path::Path::new("ref.png"))
        );
        assert_eq!(r.characters, ["Mime"]);
        let other = &scene_requests(&s, 1, &opts, &BackendConfig::draft()).unwrap()[0];
        assert!(other.loras.is_empty() && !other.characters.contains(&"Mime".to_string()));
    }
}
