//! Carrying the user's work over a re-split: a new scene whose text equals an old scene's takes
//! over its candidates, pick, prompt, chosen characters and camera move; what had nowhere to go is reported.

use super::scene::Scene;

/// For each new scene, the old scene with the same text, if any (each old scene used once, in
/// order, so repeated texts pair up first with first).
pub fn match_by_text(old: &[Scene], new: &[Scene]) -> Vec<Option<usize>> {
    let mut taken = vec![false; old.len()];
    new.iter()
        .map(|n| {
            let found = (0..old.len()).find(|&i| !taken[i] && old[i].text == n.text)?;
            taken[found] = true;
            Some(found)
        })
        .collect()
}

/// Moves the user's work from `old` scenes into the `new` ones with the same text; returns one
/// line per old scene whose work could not be carried over.
pub fn carry_over(old: Vec<Scene>, new: &mut [Scene]) -> Vec<String> {
    let matches = match_by_text(&old, new);
    let mut carried = vec![false; old.len()];
    let mut old: Vec<Option<Scene>> = old.into_iter().map(Some).collect();
    for (scene, from) in new.iter_mut().zip(&matches) {
        let Some(from) = *from else { continue };
        let o = old[from].take().expect("each old scene matches once");
        carried[from] = true;
        scene.candidates = o.candidates;
        scene.picked = o.picked;
        scene.prompt_override = o.prompt_override;
        scene.motion = o.motion;
        scene.characters = o.characters;
    }
    old.into_iter()
        .flatten()
        .filter_map(|o| lost_work(&o).map(|what| (o, what)))
        .map(|(o, what)| {
            format!(
                "scene {} (\"{}\"): its {what} could not be carried over; no scene has that text any more",
                o.index,
                excerpt(&o.text)
            )
        })
        .collect()
}

/// What the user made or chose for a scene, in words; `None` when there is nothing.
fn lost_work(s: &Scene) -> Option<String> {
    let mut what = Vec::new();
    if !s.candidates.is_empty() {
        what.push(format!("{} candidates", s.candidates.len()));
    }
    if let Some(k) = s.picked {
        what.push(format!("pick ({k})"));
    }
    if s.prompt_override.is_some() {
        what.push("prompt".to_string());
    }
    if s.motion.is_some() {
        what.push("camera move".to_string());
    }
    if s.characters.is_some() {
        what.push("chosen characters".to_string());
    }
    (!what.is_empty()).then(|| what.join(", "))
}

fn excerpt(text: &str) -> String {
    let mut words: Vec<&str> = text.split_whitespace().take(7).collect();
    if text.split_whitespace().count() > 7 {
        words.push("…");
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scene(index: usize, text: &str) -> Scene {
        Scene {
            index,
            text: text.into(),
            ..Default::default()
        }
    }

    #[test]
    fn same_text_keeps_its_work_and_the_rest_is_named() {
        let mut a = scene(0, "The sun rose.");
        a.candidates = vec!["a0.png".into(), "a1.png".into()];
        a.picked = Some(1);
        a.prompt_override = Some("dawn".into());
        let mut b = scene(1, "The dragon slept on its gold in the dark cave.");
        b.picked = Some(0);
        b.candidates = vec!["b0.png".into()];
        let c = scene(2, "Nothing chosen here.");
        let mut new = vec![scene(0, "Prologue."), scene(1, "The sun rose.")];
        let lost = carry_over(vec![a, b, c], &mut new);
        assert_eq!(new[1].picked, Some(1));
        assert_eq!(new[1].candidates.len(), 2);
        assert_eq!(new[1].prompt_override.as_deref(), Some("dawn"));
        assert_eq!(new[0].picked, None);
        assert_eq!(lost.len(), 1, "{lost:?}");
        assert!(lost[0].starts_with("scene 1 (\"The dragon slept on its gold in …\")"));
        assert!(lost[0].contains("1 candidates, pick (0)"));
    }

    #[test]
    fn repeated_texts_pair_in_order() {
        let old = vec![scene(0, "Again."), scene(1, "Again.")];
        let new = vec![scene(0, "Again."), scene(1, "x"), scene(2, "Again.")];
        assert_eq!(match_by_text(&old, &new), [Some(0), None, Some(1)]);
    }
}
