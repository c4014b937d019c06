//! When each word of a narration is spoken, for captions that page and highlight in step with
//! the voice. Speech engines report no word timings, but the audio shows where the voice pauses:
//! the pauses at commas and full stops are matched to the clause ends of the text, and words
//! share the time between two matched pauses by their length.

/// Silence shorter than this is part of speech (the closure of a "t" or "p"); speech engines
/// pause about 0.15 s at a comma and 0.3 s or more at a full stop.
const MIN_PAUSE_SECS: f64 = 0.1;
/// A 10 ms window is silent below this fraction of the loudest window.
const SILENCE_FRACTION: f32 = 0.03;
const WINDOW_SECS: f64 = 0.01;
/// A clause end further than this from where word lengths put it is left unmatched.
const MAX_SHIFT_SECS: f64 = 1.5;

/// A part of a scene's text (byte range) and when it is spoken, in seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct TimedRange {
    pub range: std::ops::Range<usize>,
    pub start: f64,
    pub end: f64,
}

/// [`word_times`] when the narration was synthesized in parts (`segments`, in order, covering
/// `text`): each word is said within the time of the part it belongs to, which is exact,
/// refined there by the pauses in `voiced`. `words` are slices of `text`.
pub fn word_times_in(
    text: &str,
    words: &[&str],
    speech: (f64, f64),
    voiced: &[(f64, f64)],
    segments: &[TimedRange],
) -> Vec<(f64, f64)> {
    if segments.is_empty() {
        return word_times(words, speech, voiced);
    }
    let offset = |w: &str| (w.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    let mut times = Vec::with_capacity(words.len());
    let mut from = 0;
    for (k, seg) in segments.iter().enumerate() {
        let to = if k + 1 == segments.len() {
            words.len()
        } else {
            from + words[from..]
                .iter()
                .take_while(|w| offset(w) < seg.range.end)
                .count()
        };
        let inside: Vec<(f64, f64)> = voiced
            .iter()
            .map(|&(a, b)| (a.max(seg.start), b.min(seg.end)))
            .filter(|(a, b)| b > a)
            .collect();
        let span = (seg.start, seg.end.max(seg.start + 0.01));
        times.extend(word_times(&words[from..to], span, &inside));
        from = to;
    }
    times
}

/// [`voiced_spans`] of a 16-bit PCM WAV file.
pub fn voiced_spans_of_file(
    path: &std::path::Path,
) -> Result<Vec<(f64, f64)>, super::wav::WavError> {
    let info = super::wav::read_info(path)?;
    let samples = super::wav::read_mono(path, &info)?;
    Ok(voiced_spans(&samples, info.rate))
}

/// The stretches of `samples` (mono, `rate` per second) where the voice sounds, in seconds,
/// without the silence before, between clauses, and after.
pub fn voiced_spans(samples: &[i16], rate: u32) -> Vec<(f64, f64)> {
    let window = ((rate as f64 * WINDOW_SECS) as usize).max(1);
    let loudness: Vec<f32> = samples
        .chunks(window)
        .map(|w| {
            let energy: f64 = w.iter().map(|&s| (s as f64) * (s as f64)).sum();
            (energy / w.len() as f64).sqrt() as f32
        })
        .collect();
    let peak = loudness.iter().copied().fold(0.0, f32::max);
    if peak <= 0.0 {
        return Vec::new();
    }
    let secs = |i: usize| (i * window) as f64 / rate as f64;
    let mut spans: Vec<(f64, f64)> = Vec::new();
    let mut start = None;
    for (i, &level) in loudness.iter().enumerate() {
        match (level >= peak * SILENCE_FRACTION, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((secs(s), secs(i)));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((secs(s), samples.len() as f64 / rate as f64));
    }
    // Short silences are inside words: join across them.
    let mut joined: Vec<(f64, f64)> = Vec::with_capacity(spans.len());
    for span in spans {
        match joined.last_mut() {
            Some(last) if span.0 - last.1 < MIN_PAUSE_SECS => last.1 = span.1,
            _ => joined.push(span),
        }
    }
    joined
}

/// Start and end of each word of `words`, spoken within `speech`; `voiced` (from
/// [`voiced_spans`], on the same clock) refines it where known, else time follows word length.
pub fn word_times(words: &[&str], speech: (f64, f64), voiced: &[(f64, f64)]) -> Vec<(f64, f64)> {
    if words.is_empty() {
        return Vec::new();
    }
    let weights: Vec<f64> = words
        .iter()
        .map(|w| w.chars().count() as f64 + 2.0)
        .collect();
    let (Some(first), Some(last)) = (voiced.first(), voiced.last()) else {
        return spread(&weights, speech);
    };
    let (start, end) = (first.0.max(speech.0), last.1.min(speech.1));
    if end <= start {
        return spread(&weights, speech);
    }
    let pauses: Vec<(f64, f64)> = voiced.windows(2).map(|w| (w[0].1, w[1].0)).collect();
    let anchors = match_clause_ends(words, &weights, (start, end), &pauses);

    // Words between two anchors share the voiced time between them.
    let mut times = Vec::with_capacity(words.len());
    let (mut from_word, mut from_time) = (0, start);
    for (last_word, pause) in anchors
        .into_iter()
        .map(|(w, p)| (w, Some(pauses[p])))
        .chain([(words.len() - 1, None)])
    {
        let until = pause.map_or(end, |p| p.0);
        times.extend(spread(&weights[from_word..=last_word], (from_time, until)));
        from_word = last_word + 1;
        from_time = pause.map_or(end, |p| p.1);
    }
    times
}

/// Pairs clause ends (word index) with pauses (index into `pauses`), in order, each used at
/// most once, so that the pauses chosen lie as near as possible to where word lengths alone
/// would put each clause end. An alignment by dynamic programming: leaving a clause end
/// unmatched costs as much as the largest shift allowed.
fn match_clause_ends(
    words: &[&str],
    weights: &[f64],
    (start, end): (f64, f64),
    pauses: &[(f64, f64)],
) -> Vec<(usize, usize)> {
    let total: f64 = weights.iter().sum();
    let mut so_far = 0.0;
    let mut ends: Vec<(usize, f64)> = Vec::new();
    for (i, (word, weight)) in words.iter().zip(weights).enumerate() {
        so_far += weight;
        if i + 1 < words.len() && ends_clause(word) {
            ends.push((i, start + (end - start) * so_far / total));
        }
    }
    let (n, m) = (ends.len(), pauses.len());
    if n == 0 || m == 0 {
        return Vec::new();
    }
    // cost[i][j]: best cost of the first i clause ends using only the first j pauses.
    let mut cost = vec![vec![0.0f64; m + 1]; n + 1];
    for i in 1..=n {
        cost[i][0] = i as f64 * MAX_SHIFT_SECS;
        for j in 1..=m {
            let shift = ((pauses[j - 1].0 + pauses[j - 1].1) / 2.0 - ends[i - 1].1).abs();
            let matched = if shift < MAX_SHIFT_SECS {
                cost[i - 1][j - 1] + shift
            } else {
                f64::INFINITY
            };
            cost[i][j] = matched
                .min(cost[i - 1][j] + MAX_SHIFT_SECS)
                .min(cost[i][j - 1]);
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 && j > 0 {
        if cost[i][j] == cost[i][j - 1] {
            j -= 1;
        } else if cost[i][j] == cost[i - 1][j] + MAX_SHIFT_SECS {
            i -= 1;
        } else {
            pairs.push((ends[i - 1].0, j - 1));
            i -= 1;
            j -= 1;
        }
    }
    pairs.reverse();
    pairs
}

/// Whether a voice pauses after this word: it ends with clause punctuation, perhaps inside
/// closing quotes or brackets.
fn ends_clause(word: &str) -> bool {
    let bare = word.trim_end_matches(['"', '\'', '”', '’', ')', ']', '»']);
    bare.ends_with([',', '.', ';', ':', '!', '?', '…', '—'])
}

/// Splits `span` among items in proportion to their weights, back to back.
fn spread(weights: &[f64], (from, to): (f64, f64)) -> Vec<(f64, f64)> {
    let total: f64 = weights.iter().sum();
    let per_weight = (to - from).max(0.0) / total.max(f64::MIN_POSITIVE);
    let mut t = from;
    weights
        .iter()
        .map(|w| {
            let span = (t, t + w * per_weight);
            t = span.1;
            span
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: u32 = 8_000;

    /// A tone where `sounds` says, silence elsewhere, `secs` long.
    fn audio(secs: f64, sounds: &[(f64, f64)]) -> Vec<i16> {
        (0..(secs * RATE as f64) as usize)
            .map(|i| {
                let t = i as f64 / RATE as f64;
                let on = sounds.iter().any(|&(a, b)| t >= a && t < b);
                if on {
                    ((t * 440.0 * std::f64::consts::TAU).sin() * 8_000.0) as i16
                } else {
                    0
                }
            })
            .collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 0.02
    }

    #[test]
    fn voiced_spans_skip_leading_trailing_and_clause_silence_but_not_short_stops() {
        let samples = audio(
            4.0,
            &[(0.5, 1.2), (1.25, 1.6), (2.0, 3.5)], // 50 ms stop inside the first stretch
        );
        let spans = voiced_spans(&samples, RATE);
        assert_eq!(spans.len(), 2, "{spans:?}");
        assert!(
            close(spans[0].0, 0.5) && close(spans[0].1, 1.6),
            "{spans:?}"
        );
        assert!(
            close(spans[1].0, 2.0) && close(spans[1].1, 3.5),
            "{spans:?}"
        );
        assert!(voiced_spans(&audio(1.0, &[]), RATE).is_empty());
    }

    #[test]
    fn words_follow_the_pauses_of_the_voice() {
        // "Aaah," is drawn out for a second and a half; the rest is quick.
        let words = ["Aaah,", "what", "a", "long", "and", "winding", "road."];
        let voiced = [(0.3, 1.8), (2.1, 3.0)];
        let times = word_times(&words, (0.0, 3.5), &voiced);
        assert_eq!(times.len(), words.len());
        assert!(
            close(times[0].0, 0.3),
            "speech starts after the lead-in: {times:?}"
        );
        assert!(close(times[0].1, 1.8), "{times:?}");
        assert!(
            close(times[1].0, 2.1),
            "the second clause starts after the pause: {times:?}"
        );
        assert!(
            close(times[6].1, 3.0),
            "the trailing silence is not a word: {times:?}"
        );
        assert!(
            times.windows(2).all(|w| w[0].1 <= w[1].0 + 1e-9),
            "in order: {times:?}"
        );
        // By length alone, "what" would start within the first half second.
        let by_length = word_times(&words, (0.0, 3.5), &[]);
        assert!(by_length[1].0 < 0.6, "{by_length:?}");
    }

    #[test]
    fn a_pause_without_punctuation_or_punctuation_without_a_pause_changes_little() {
        let words = ["One,", "two", "three", "four", "five", "six."];
        // No pause at the comma, one stray pause mid-clause far from it.
        let voiced = [(0.0, 2.6), (2.8, 3.0)];
        let times = word_times(&words, (0.0, 3.0), &voiced);
        assert!(
            close(times[0].0, 0.0) && close(times[5].1, 3.0),
            "{times:?}"
        );
        assert!(
            times.windows(2).all(|w| w[0].1 <= w[1].0 + 1e-9),
            "{times:?}"
        );
    }

    #[test]
    fn words_stay_inside_the_time_of_their_sentence() {
        let text = "One two three. Four five.";
        let words: Vec<&str> = text.split_whitespace().collect();
        // The first sentence is said slowly, the second quickly, after a pause.
        let segments = [
            TimedRange {
                range: 0..15,
                start: 0.0,
                end: 3.0,
            },
            TimedRange {
                range: 15..text.len(),
                start: 3.5,
                end: 4.0,
            },
        ];
        let times = word_times_in(text, &words, (0.0, 4.0), &[], &segments);
        assert_eq!(times.len(), 5);
        assert!(
            close(times[0].0, 0.0) && close(times[2].1, 3.0),
            "{times:?}"
        );
        assert!(
            close(times[3].0, 3.5) && close(times[4].1, 4.0),
            "{times:?}"
        );
        // By word length alone, "Four" would start well before 3 s.
        assert!(word_times(&words, (0.0, 4.0), &[])[3].0 < 3.0);
    }

    #[test]
    fn clause_ends_see_through_closing_quotes() {
        assert!(ends_clause("there?\""));
        assert!(ends_clause("sea,"));
        assert!(ends_clause("end.”"));
        assert!(word_times(&[], (0.0, 1.0), &[(0.1, 0.9)]).is_empty());
        assert!(!ends_clause("Mr"));
        assert!(!ends_clause("word"));
    }
}
