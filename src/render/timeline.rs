//! When each scene (and the optional title card) is on screen, when its narration plays, and
//! how consecutive spans blend. All boundaries are whole frames so that audio, captions and
//! video agree exactly.

use super::options::Transition;
use super::speech_timing::TimedRange;

/// What a span of the video shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanKind {
    Title,
    /// Position in the render's scene list.
    Scene(usize),
}

/// A contiguous run of frames belonging to one scene or the title card.
#[derive(Debug, Clone)]
pub struct Span {
    pub kind: SpanKind,
    pub start_frame: u64,
    pub frames: u64,
    /// Narration interval in seconds from the span start (estimated when there is no audio).
    pub speech: (f64, f64),
    /// Where the voice actually sounds, in seconds from the span start; empty when unknown.
    pub voiced: Vec<(f64, f64)>,
    /// When each separately synthesized part of the narration is spoken, from the span start.
    pub segments: Vec<TimedRange>,
}

impl Span {
    pub fn end_frame(&self) -> u64 {
        self.start_frame + self.frames
    }
}

/// What one output frame is made of.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FrameRecipe {
    /// One span alone.
    Single { span: usize },
    /// The outgoing span `from` giving way to the next at progress `p` (0..1).
    Blend { from: usize, p: f64 },
}

/// Input to the timeline for one scene.
#[derive(Debug, Clone, Default)]
pub struct SceneTiming {
    /// Narration length in seconds, when there is narration audio.
    pub audio_secs: Option<f64>,
    /// Where the voice sounds within the narration, in seconds from its start.
    pub voiced: Vec<(f64, f64)>,
    /// When each separately synthesized part is spoken, from the narration's start.
    pub segments: Vec<TimedRange>,
    pub words: usize,
}

#[derive(Debug, Clone, Copy)]
pub struct TimingRules {
    pub fps: u32,
    pub padding_secs: f64,
    pub min_scene_secs: f64,
    pub words_per_sec: f64,
    pub title_secs: Option<f64>,
    pub transition: Transition,
    pub transition_secs: f64,
}

/// The whole video's schedule.
#[derive(Debug, Clone)]
pub struct Timeline {
    pub fps: u32,
    pub spans: Vec<Span>,
    pub total_frames: u64,
    /// Frames of each transition, centred on the boundary between two spans.
    pub transition_frames: u64,
    pub transition: Transition,
}

impl Timeline {
    pub fn build(scenes: &[SceneTiming], rules: &TimingRules) -> Timeline {
        let fps = rules.fps as f64;
        let mut spans = Vec::with_capacity(scenes.len() + 1);
        let mut start = 0u64;
        if let Some(secs) = rules.title_secs {
            let frames = (secs * fps).round().max(1.0) as u64;
            spans.push(Span {
                kind: SpanKind::Title,
                start_frame: 0,
                frames,
                speech: (0.0, 0.0),
                voiced: Vec::new(),
                segments: Vec::new(),
            });
            start = frames;
        }
        for (i, scene) in scenes.iter().enumerate() {
            let speech_len = scene
                .audio_secs
                .unwrap_or(scene.words as f64 / rules.words_per_sec.max(0.1));
            let secs = (speech_len + 2.0 * rules.padding_secs).max(rules.min_scene_secs);
            let frames = (secs * fps).round().max(1.0) as u64;
            // Centre the speech in the scene when the minimum length stretched it.
            let lead = ((frames as f64 / fps) - speech_len) / 2.0;
            spans.push(Span {
                kind: SpanKind::Scene(i),
                start_frame: start,
                frames,
                speech: (lead, lead + speech_len),
                voiced: scene
                    .voiced
                    .iter()
                    .map(|&(a, b)| (lead + a, lead + b))
                    .collect(),
                segments: scene
                    .segments
                    .iter()
                    .map(|s| TimedRange {
                        range: s.range.clone(),
                        start: lead + s.start,
                        end: lead + s.end,
                    })
                    .collect(),
            });
            start += frames;
        }
        let shortest = spans.iter().map(|s| s.frames).min().unwrap_or(0);
        let transition_frames = match rules.transition {
            Transition::Cut => 0,
            _ => ((rules.transition_secs * fps).round() as u64).min(shortest),
        };
        Timeline {
            fps: rules.fps,
            spans,
            total_frames: start,
            transition_frames,
            transition: rules.transition,
        }
    }

    pub fn duration_secs(&self) -> f64 {
        self.total_frames as f64 / self.fps as f64
    }

    /// Index of the span that owns frame `f`.
    pub fn span_at(&self, f: u64) -> usize {
        self.spans
            .partition_point(|s| s.end_frame() <= f)
            .min(self.spans.len() - 1)
    }

    /// What frame `f` shows.
    pub fn recipe(&self, f: u64) -> FrameRecipe {
        let span = self.span_at(f);
        let t = self.transition_frames;
        if t == 0 {
            return FrameRecipe::Single { span };
        }
        let before = t / 2;
        let after = t - before;
        let s = &self.spans[span];
        // Inside the window straddling the boundary with the next span?
        if span + 1 < self.spans.len() && f + before >= s.end_frame() {
            let into = f + before - s.end_frame();
            return FrameRecipe::Blend {
                from: span,
                p: (into as f64 + 0.5) / t as f64,
            };
        }
        if span > 0 && f < s.start_frame + after {
            let into = f + before - s.start_frame;
            return FrameRecipe::Blend {
                from: span - 1,
                p: (into as f64 + 0.5) / t as f64,
            };
        }
        FrameRecipe::Single { span }
    }

    /// Camera progress (0..1) of span `i` at frame `f`, over all frames the span is visible,
    /// transitions included, so the motion never stops during a blend.
    pub fn motion_progress(&self, i: usize, f: u64) -> f64 {
        let s = &self.spans[i];
        let before = self.transition_frames / 2;
        let after = self.transition_frames - before;
        let first = if i == 0 {
            s.start_frame
        } else {
            s.start_frame.saturating_sub(before)
        };
        let last = if i + 1 == self.spans.len() {
            s.end_frame()
        } else {
            s.end_frame() + after
        };
        let len = (last - first).max(2) - 1;
        (f.saturating_sub(first) as f64 / len as f64).clamp(0.0, 1.0)
    }

    /// Seconds since the start of span `i` at frame `f` (negative before it starts).
    pub fn local_secs(&self, i: usize, f: u64) -> f64 {
        (f as f64 - self.spans[i].start_frame as f64) / self.fps as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(transition: Transition) -> TimingRules {
        TimingRules {
            fps: 10,
            padding_secs: 0.5,
            min_scene_secs: 2.0,
            words_per_sec: 2.5,
            title_secs: None,
            transition,
            transition_secs: 0.4,
        }
    }

    #[test]
    fn durations_follow_audio_else_words_with_minimum() {
        let scenes = [
            SceneTiming {
                audio_secs: Some(3.0),
                words: 99,
                ..Default::default()
            },
            SceneTiming {
                audio_secs: None,
                words: 10,
                ..Default::default()
            },
            SceneTiming {
                audio_secs: None,
                words: 1,
                ..Default::default()
            },
        ];
        let t = Timeline::build(&scenes, &rules(Transition::Cut));
        let frames: Vec<u64> = t.spans.iter().map(|s| s.frames).collect();
        assert_eq!(frames, vec![40, 50, 20]);
        assert_eq!(t.total_frames, 110);
        assert_eq!(t.span_at(40), 1);
    }

    #[test]
    fn where_the_voice_sounds_moves_with_the_narration() {
        // A 0.5 s clip in a scene stretched to the 2 s minimum starts 0.75 s in.
        let scene = SceneTiming {
            audio_secs: Some(0.5),
            voiced: vec![(0.1, 0.2), (0.3, 0.4)],
            words: 2,
            ..Default::default()
        };
        let t = Timeline::build(&[scene], &rules(Transition::Cut));
        assert_eq!(t.spans[0].speech, (0.75, 1.25));
        let shifted: Vec<(f64, f64)> = t.spans[0].voiced.clone();
        let expected = [(0.85, 0.95), (1.05, 1.15)];
        assert!(
            shifted
                .iter()
                .zip(expected)
                .all(|(a, b)| (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9),
            "{shifted:?}"
        );
    }

    #[test]
    fn fade_is_centred_on_the_boundary() {
        let scene = SceneTiming {
            audio_secs: Some(3.0),
            ..Default::default()
        };
        let scenes = [scene.clone(), scene];
        let t = Timeline::build(&scenes, &rules(Transition::Fade));
        assert_eq!(t.transition_frames, 4);
        assert_eq!(t.recipe(37), FrameRecipe::Single { span: 0 });
        assert_eq!(t.recipe(38), FrameRecipe::Blend { from: 0, p: 0.125 });
        assert_eq!(t.recipe(40), FrameRecipe::Blend { from: 0, p: 0.625 });
        assert_eq!(t.recipe(42), FrameRecipe::Single { span: 1 });
    }
}
