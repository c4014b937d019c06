//! Fits a scene's picture text into one CLIP window: when it is too long, the sentences that show
//! the characters present and a setting come first and those that do not fit are left out,
//! rather than CLIP cutting the text at its end, where the subject and setting may be.

use super::prompt::estimate_tokens;
use super::sentences::sentences;

/// Words that place a picture: "in the forest", "by the well", "at table".
const SETTING_WORDS: &[&str] = &[
    "in", "into", "at", "by", "under", "beneath", "on", "onto", "over", "near", "beside", "behind",
    "before", "through", "across", "inside", "outside", "around", "up", "down",
];

/// `text` if it fits in `budget` estimated tokens, else the best of its sentences that fit, best
/// first (CLIP heeds the start of a prompt most), equals in their order in the text.
pub fn fit(text: &str, budget: usize, present: &[&str]) -> String {
    if estimate_tokens(text) <= budget {
        return text.to_string();
    }
    let spans = sentences(text, (0, text.len()));
    let lower = text.to_lowercase();
    let names: Vec<String> = present.iter().map(|n| n.to_lowercase()).collect();
    let mut ranked: Vec<(usize, usize)> = spans
        .iter()
        .enumerate()
        .map(|(k, &(a, b))| (score(&lower[a..b], &names), k))
        .collect();
    // Best first; among equals, the earliest.
    ranked.sort_by_key(|&(score, k)| (std::cmp::Reverse(score), k));
    let mut kept: Vec<usize> = Vec::new();
    let mut used = 0;
    for &(_, k) in &ranked {
        let (a, b) = spans[k];
        let tokens = estimate_tokens(&text[a..b]);
        if used + tokens <= budget {
            kept.push(k);
            used += tokens;
        }
    }
    if kept.is_empty() {
        // Not one sentence fits: the best one, cut to the window.
        let (a, b) = spans[ranked[0].1];
        return cut_to_tokens(&text[a..b], budget);
    }
    kept.iter()
        .map(|&k| &text[spans[k].0..spans[k].1])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Two points for each character present that the sentence names, one for each place it sets
/// ("into the forest", "by the fountain").
fn score(sentence: &str, names: &[String]) -> usize {
    let named = names
        .iter()
        .filter(|n| !n.is_empty() && sentence.contains(n.as_str()))
        .count();
    let words: Vec<&str> = sentence
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let placed = words
        .windows(2)
        .filter(|w| {
            SETTING_WORDS.contains(&w[0]) && !matches!(w[1], "it" | "him" | "her" | "them" | "me")
        })
        .count();
    2 * named + placed
}

/// The words of `text` that fit in `limit` estimated tokens.
pub fn cut_to_tokens(text: &str, limit: usize) -> String {
    let mut kept = String::new();
    for word in text.split_whitespace() {
        let candidate = if kept.is_empty() {
            word.to_string()
        } else {
            format!("{kept} {word}")
        };
        if estimate_tokens(&candidate) > limit {
            break;
        }
        kept = candidate;
    }
    kept.trim_end_matches(',').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_text_is_kept_whole() {
        let text = "The princess sat by the well.";
        assert_eq!(fit(text, 75, &["the princess"]), text);
    }

    #[test]
    fn a_long_text_keeps_the_sentences_that_show_who_is_there_and_where() {
        let text = "Now it so happened that on one occasion, as had happened many times before \
                    and would happen many times again, nothing at all was as it seemed to be, \
                    whatever anyone thought or hoped or feared of it. The princess sat by the \
                    well in the dark forest. Everything was quiet and still, quieter than ever \
                    before, for a very long while indeed. The frog swam up from the deep water.";
        let got = fit(text, 40, &["the princess", "the frog"]);
        assert!(estimate_tokens(&got) <= 40, "{got}");
        assert!(
            got.starts_with(
                "The princess sat by the well in the dark forest. The frog swam up from the \
                 deep water."
            ),
            "{got}"
        );
        assert!(!got.contains("Now it so happened"), "{got}");
    }

    #[test]
    fn one_sentence_too_long_is_cut_to_the_window() {
        let text = format!("The king walked {}home.", "and walked ".repeat(60));
        let got = fit(&text, 20, &["the king"]);
        assert!(estimate_tokens(&got) <= 20, "{got}");
        assert!(got.starts_with("The king walked"), "{got}");
    }
}
