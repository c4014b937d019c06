//! Check mode (`storyreel run --check`): a script runs end to end in seconds so that late errors
//! (a bad voice, a missing music file, an unknown scene) surface before the real run. Images come
//! from the draft backend whatever backend the script asks for (no server is contacted), renders
//! are small and short-lived, and what the real run would do is noted for the summary.

use std::fmt::Write as _;

/// What the real run would generate and render.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// The backend the script asked for last (a summary such as `a1111 at http://…`).
    pub backend: Option<String>,
    /// Images requested, per backend summary, in the order first seen.
    pub images: Vec<(String, usize)>,
    /// One line per render: output file, size, scenes, length, voice.
    pub renders: Vec<String>,
}

/// Renders in check mode are this many times smaller in each direction than asked for.
pub const RENDER_SCALE: u32 = 4;
/// And run at this frame rate.
pub const RENDER_FPS: u32 = 6;

impl CheckReport {
    pub fn add_images(&mut self, n: usize) {
        let backend = self
            .backend
            .clone()
            .unwrap_or_else(|| "draft (built in)".to_string());
        match self.images.iter_mut().find(|(b, _)| *b == backend) {
            Some((_, count)) => *count += n,
            None => self.images.push((backend, n)),
        }
    }

    /// Lines for the end-of-run summary.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        if self.images.is_empty() {
            out.push_str("    would generate no images\n");
        }
        for (backend, n) in &self.images {
            let _ = writeln!(
                out,
                "    would generate {} on {backend}",
                plural(*n, "image")
            );
        }
        if self.renders.is_empty() {
            out.push_str("    would render no video\n");
        }
        for r in &self.renders {
            let _ = writeln!(out, "    would render {r}");
        }
        out
    }
}

/// `1 image`, `2 images`.
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_images_per_backend() {
        let mut r = CheckReport::default();
        r.add_images(1);
        r.backend = Some("a1111 at http://127.0.0.1:7860".into());
        r.add_images(4);
        r.add_images(4);
        let s = r.summary();
        assert!(s.contains("would generate 1 image on draft"), "{s}");
        assert!(
            s.contains("would generate 8 images on a1111 at http://127.0.0.1:7860"),
            "{s}"
        );
        assert!(s.contains("would render no video"), "{s}");
    }
}
