//! Sampler and scheduler names across dialects: A1111 writes "DPM++ 2M Karras"
//! (sampler and scheduler in one name), ComfyUI `dpmpp_2m` + `karras`, sd-server
//! `dpm++2m` + `karras`, the AI Horde `k_dpmpp_2m` + `karras: true`. A name in any
//! dialect becomes the one the server lists.

/// The same sampler as named by A1111, ComfyUI, sd-server and the AI Horde ("" where
/// one has none).
const SAMPLERS: &[[&str; 4]] = &[
    ["Euler a", "euler_ancestral", "euler_a", "k_euler_a"],
    ["Euler", "euler", "euler", "k_euler"],
    ["Heun", "heun", "heun", "k_heun"],
    ["LMS", "lms", "", "k_lms"],
    ["DPM2", "dpm_2", "dpm2", "k_dpm_2"],
    ["DPM2 a", "dpm_2_ancestral", "", "k_dpm_2_a"],
    [
        "DPM++ 2S a",
        "dpmpp_2s_ancestral",
        "dpm++2s_a",
        "k_dpmpp_2s_a",
    ],
    ["DPM++ 2M", "dpmpp_2m", "dpm++2m", "k_dpmpp_2m"],
    ["DPM++ SDE", "dpmpp_sde", "", "k_dpmpp_sde"],
    ["DPM++ 2M SDE", "dpmpp_2m_sde", "dpm++2m_sde", ""],
    ["DPM++ 3M SDE", "dpmpp_3m_sde", "", ""],
    ["DPM fast", "dpm_fast", "", "k_dpm_fast"],
    ["DPM adaptive", "dpm_adaptive", "", "k_dpm_adaptive"],
    ["LCM", "lcm", "lcm", "lcm"],
    ["DDIM", "ddim", "ddim_trailing", "DDIM"],
    ["UniPC", "uni_pc", "", ""],
    ["iPNDM", "ipndm", "ipndm", ""],
];

/// The AI Horde's sampler names (its `consts.py`); it has no route that lists them.
pub const HORDE_SAMPLERS: &[&str] = &[
    "k_euler_a",
    "k_euler",
    "k_heun",
    "k_lms",
    "k_dpm_2",
    "k_dpm_2_a",
    "k_dpmpp_2s_a",
    "k_dpmpp_2m",
    "k_dpmpp_sde",
    "k_dpm_fast",
    "k_dpm_adaptive",
    "dpmsolver",
    "lcm",
    "DDIM",
];

/// The AI Horde's schedules: `karras: true`, or the sampler's plain one.
pub const HORDE_SCHEDULERS: &[&str] = &["karras", "normal"];

/// Scheduler words that old A1111 sampler names end with, and the scheduler they mean.
const SCHEDULER_SUFFIXES: &[(&str, &str)] = &[
    (" Karras", "karras"),
    (" Exponential", "exponential"),
    (" SGM Uniform", "sgm_uniform"),
];

/// Splits "DPM++ 2M Karras" into ("DPM++ 2M", Some("karras")).
pub fn split_scheduler(name: &str) -> (&str, Option<&'static str>) {
    for (suffix, scheduler) in SCHEDULER_SUFFIXES {
        let cut = name.len().saturating_sub(suffix.len());
        if name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(suffix) && cut > 0 {
            return (&name[..cut], Some(scheduler));
        }
    }
    (name, None)
}

/// Every name of the sampler `name` stands for, in all dialects (itself first).
pub fn synonyms(name: &str) -> Vec<&str> {
    let mut names = vec![name];
    if let Some(row) = SAMPLERS.iter().find(|row| {
        row.iter()
            .any(|n| !n.is_empty() && n.eq_ignore_ascii_case(name))
    }) {
        names.extend(row.iter().filter(|n| !n.is_empty()));
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1111_names_carry_their_scheduler() {
        assert_eq!(
            split_scheduler("DPM++ 2M Karras"),
            ("DPM++ 2M", Some("karras"))
        );
        assert_eq!(split_scheduler("Euler a"), ("Euler a", None));
        assert_eq!(split_scheduler("Karras"), ("Karras", None));
    }

    #[test]
    fn each_dialect_finds_the_others() {
        assert!(synonyms("DPM++ 2M").contains(&"dpmpp_2m"));
        assert!(synonyms("dpmpp_2m").contains(&"DPM++ 2M"));
        assert!(synonyms("euler_a").contains(&"euler_ancestral"));
        assert!(synonyms("DPM++ 2M").contains(&"k_dpmpp_2m"));
        assert!(synonyms("k_euler_a").contains(&"Euler a"));
        assert_eq!(synonyms("nonsense"), ["nonsense"]);
    }
}
