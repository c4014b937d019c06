//! From the prompt's words to a palette and a set of props, so that "a night at
//! sea" and "a desert at noon" look different at a glance.

use super::canvas::{hsl, Rgb};

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Props {
    pub sun: bool,
    pub moon: bool,
    pub mountains: bool,
    pub trees: bool,
    pub water: bool,
    pub buildings: bool,
    pub clouds: bool,
    pub fire: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Look {
    pub sky_top: Rgb,
    pub sky_bottom: Rgb,
    pub ground_top: Rgb,
    pub ground_bottom: Rgb,
    pub props: Props,
}

fn has(words: &[String], keys: &[&str]) -> bool {
    words.iter().any(|w| {
        keys.iter()
            .any(|k| w == k || w.strip_suffix('s') == Some(k))
    })
}

/// Stable 64-bit FNV-1a, used to turn words and names into hues.
pub fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

pub fn words_of(prompt: &str) -> Vec<String> {
    prompt
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

pub fn look_of(prompt: &str) -> Look {
    let words = words_of(prompt);
    let night = has(
        &words,
        &[
            "night", "moon", "midnight", "dark", "star", "darkness", "shadow",
        ],
    );
    let dusk = has(
        &words,
        &["sunset", "dusk", "dawn", "evening", "twilight", "sunrise"],
    );
    let storm = has(
        &words,
        &["storm", "rain", "thunder", "fog", "mist", "grey", "gray"],
    );
    let fire = has(
        &words,
        &[
            "fire", "flame", "burning", "lava", "volcano", "ember", "blaze",
        ],
    );
    // A hue of its own per prompt keeps keyword-less scenes distinguishable.
    let accent = (fnv(prompt) % 360) as f32;

    let (sky_top, sky_bottom) = if night {
        (hsl(230.0, 0.5, 0.10), hsl(250.0, 0.35, 0.28))
    } else if fire {
        (hsl(10.0, 0.6, 0.25), hsl(30.0, 0.9, 0.55))
    } else if dusk {
        (hsl(270.0, 0.35, 0.35), hsl(25.0, 0.85, 0.65))
    } else if storm {
        (hsl(215.0, 0.10, 0.35), hsl(210.0, 0.08, 0.65))
    } else {
        (
            hsl(205.0 + accent / 12.0, 0.55, 0.62),
            hsl(195.0, 0.45, 0.86),
        )
    };

    let water = has(
        &words,
        &[
            "sea", "ocean", "water", "river", "lake", "wave", "shore", "beach", "ship", "boat",
        ],
    );
    let forest = has(
        &words,
        &[
            "forest", "tree", "wood", "jungle", "garden", "grass", "meadow", "field",
        ],
    );
    let snow = has(
        &words,
        &["snow", "ice", "winter", "frozen", "frost", "glacier"],
    );
    let sand = has(&words, &["desert", "sand", "dune", "gold", "golden", "sun"]);
    let (ground_top, ground_bottom) = if water {
        (hsl(200.0, 0.6, 0.42), hsl(215.0, 0.7, 0.22))
    } else if snow {
        (hsl(200.0, 0.2, 0.92), hsl(210.0, 0.25, 0.75))
    } else if forest {
        (hsl(110.0, 0.45, 0.38), hsl(130.0, 0.5, 0.18))
    } else if sand {
        (hsl(42.0, 0.65, 0.68), hsl(32.0, 0.55, 0.45))
    } else {
        (hsl(accent, 0.25, 0.50), hsl(accent + 20.0, 0.30, 0.28))
    };
    let darken = |c: Rgb| {
        if night {
            c.map(|v| (v as f32 * 0.45) as u8)
        } else {
            c
        }
    };

    Look {
        sky_top,
        sky_bottom,
        ground_top: darken(ground_top),
        ground_bottom: darken(ground_bottom),
        props: Props {
            sun: !night
                && !storm
                && (dusk || has(&words, &["sun", "day", "noon", "morning", "sky", "summer"])),
            moon: night,
            mountains: has(
                &words,
                &["mountain", "hill", "cliff", "peak", "valley", "volcano"],
            ),
            trees: forest,
            water,
            buildings: has(
                &words,
                &[
                    "castle", "city", "tower", "palace", "temple", "village", "house", "town",
                    "pyramid",
                ],
            ),
            clouds: storm || has(&words, &["cloud", "wind", "sky", "heaven"]),
            fire,
        },
    }
}

/// A character's own colour: the same name gets the same colour in every scene.
/// The hash is mixed further so similar names ("the prince", "the princess")
/// land far apart; lightness varies too, for more distinct colours.
pub fn character_color(name: &str) -> Rgb {
    let mut z = fnv(&name.to_lowercase()).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z ^= z >> 29;
    z = z.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z ^= z >> 32;
    hsl((z % 360) as f32, 0.65, 0.36 + ((z >> 16) % 3) as f32 * 0.08)
}
