//! Hiding a secret in text whatever form it takes there: as given, re-cased, spaced out, or only
//! a long piece of it (a server quoting a key's first and last characters). A secret is known by
//! its letters and digits, so separators and case between them do not matter.

/// The fewest of a secret's characters, in a row, that count as showing it: a random key shares
/// so long a run with ordinary text by chance practically never.
const MIN_RUN: usize = 8;

/// A secret reduced to what identifies it: its letters and digits, lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    core: Vec<char>,
}

impl Secret {
    /// `None` for a secret with too few letters and digits to find without hiding ordinary text.
    pub fn new(secret: &str) -> Option<Secret> {
        let core: Vec<char> = secret.chars().filter_map(fold).collect();
        (core.len() >= 4).then_some(Secret { core })
    }

    /// The shortest run that shows this secret: all of a short one.
    fn min_run(&self) -> usize {
        MIN_RUN.min(self.core.len())
    }
}

/// A letter or digit, lower-cased; `None` for a separator.
fn fold(c: char) -> Option<char> {
    c.is_alphanumeric()
        .then(|| c.to_lowercase().next().unwrap_or(c))
}

/// `text` with every run of a secret's characters (at least its [`Secret::min_run`]) replaced
/// by `[redacted]`, separators inside the run included.
pub fn redact(text: &str, secrets: &[Secret]) -> String {
    if secrets.is_empty() {
        return text.to_string();
    }
    // The text's letters and digits, folded, with the byte range each came from.
    let letters: Vec<(char, usize, usize)> = text
        .char_indices()
        .filter_map(|(at, c)| fold(c).map(|f| (f, at, at + c.len_utf8())))
        .collect();
    let folded: Vec<char> = letters.iter().map(|l| l.0).collect();
    let mut hidden = vec![false; letters.len()];
    for secret in secrets {
        mark_runs(&folded, secret, &mut hidden);
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < letters.len() {
        if !hidden[i] {
            i += 1;
            continue;
        }
        let start = letters[i].1;
        while i < letters.len() && hidden[i] {
            i += 1;
        }
        out.push_str(&text[copied..start]);
        out.push_str("[redacted]");
        copied = letters[i - 1].2;
    }
    out.push_str(&text[copied..]);
    out
}

/// Marks in `hidden` every run of `text` that is a piece of the secret at least its minimum
/// long (longest common substrings, one row of the table at a time).
fn mark_runs(text: &[char], secret: &Secret, hidden: &mut [bool]) {
    let core = &secret.core;
    let min = secret.min_run();
    // run[j + 1]: length of the common run ending at the current text char and core[j].
    let mut run = vec![0usize; core.len() + 1];
    for (i, &c) in text.iter().enumerate() {
        let mut longest = 0;
        for j in (0..core.len()).rev() {
            run[j + 1] = if core[j] == c { run[j] + 1 } else { 0 };
            longest = longest.max(run[j + 1]);
        }
        if longest >= min {
            hidden[i + 1 - longest..=i].fill(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-proj-Q8vN3kLm2Xp9Tr4Wz7Yb1Hc6Jd0Fg5Ks";

    fn shown(text: &str) -> String {
        redact(text, &[Secret::new(KEY).unwrap()])
    }

    #[test]
    fn every_form_of_a_secret_is_hidden() {
        let forms = [
            KEY.to_string(),
            KEY.to_uppercase(),
            KEY.to_lowercase(),
            KEY.chars().map(|c| format!("{c} ")).collect::<String>(),
            KEY.chars().map(|c| format!("{c}-")).collect::<String>(),
            format!("{}…{}", &KEY[..12], &KEY[KEY.len() - 12..]),
            format!("{}****", &KEY[..12]),
            format!("****{}", &KEY[KEY.len() - 12..]),
        ];
        for form in forms {
            let said = shown(&format!(
                "Incorrect API key provided: {form}. See the docs."
            ));
            assert!(said.starts_with("Incorrect API key provided: "), "{said}");
            assert!(said.contains("[redacted]"), "{said}");
            assert!(said.ends_with(". See the docs."), "{said}");
            let letters: String = said.chars().filter(|c| c.is_alphanumeric()).collect();
            assert!(
                !letters.to_lowercase().contains("q8vn3klm"),
                "{form} -> {said}"
            );
            assert!(!letters.to_lowercase().contains("5ks"), "{form} -> {said}");
        }
    }

    #[test]
    fn ordinary_text_and_short_coincidences_stay() {
        let text = "HTTP 401: unauthorised (sk-proj keys need a project). Retry in 4 s.";
        assert_eq!(shown(text), text);
        // Seven characters of the key in a row are not enough to hide anything.
        let near = format!("id {} ok", &KEY[8..15]);
        assert_eq!(shown(&near), near);
        assert_eq!(redact("anything", &[]), "anything");
    }

    #[test]
    fn a_short_secret_is_hidden_only_whole() {
        let pass = Secret::new("pa55w0rd").unwrap();
        assert_eq!(
            redact("login PA55-W0RD failed", std::slice::from_ref(&pass)),
            "login [redacted] failed"
        );
        assert_eq!(redact("pa55w0r", &[pass]), "pa55w0r");
        assert!(Secret::new("a-b-c").is_none());
    }
}
