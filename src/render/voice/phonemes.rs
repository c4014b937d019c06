//! Text → phonemes → a Piper voice's ids. espeak-ng (already the fallback voice) writes the IPA,
//! clause by clause; the clause punctuation, which espeak drops, is put back because the voices
//! were trained with it (it shapes the intonation and the pauses).

use super::VoiceError;
use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};

/// Punctuation that ends a clause, kept in the phoneme string.
const CLAUSE_ENDS: &[char] = &[',', '.', ';', ':', '!', '?', '…', '—'];

/// A clause of text and the punctuation that ends it (`None` at the end of unpunctuated text).
fn clauses(text: &str) -> Vec<(String, Option<char>)> {
    let mut out: Vec<(String, Option<char>)> = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if CLAUSE_ENDS.contains(&c) {
            let mark = if c == '—' { ',' } else { c };
            if current.trim().is_empty() {
                // "?!" or "...": the mark joins the clause before.
                if let Some((_, last)) = out.last_mut() {
                    if last.is_none() {
                        *last = Some(mark);
                    }
                }
            } else {
                out.push((std::mem::take(&mut current), Some(mark)));
            }
        } else {
            current.push(c);
        }
    }
    if !current.trim().is_empty() {
        out.push((current, None));
    }
    out.into_iter()
        .map(|(t, p)| (speakable(&t), p))
        .filter(|(t, _)| !t.is_empty())
        .collect()
}

/// The clause without quotes and brackets, which espeak would read or stumble on, on one line.
fn speakable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '"' | '“' | '”' | '(' | ')' | '[' | ']' | '«' | '»' | '\n' | '\r' | '\t' => ' ',
            c => c,
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The IPA of each text, clause punctuation included, from one espeak-ng run.
pub fn phonemize(texts: &[&str], espeak_voice: &str) -> Result<Vec<String>, VoiceError> {
    let per_text: Vec<Vec<(String, Option<char>)>> = texts.iter().map(|t| clauses(t)).collect();
    let all: Vec<&str> = per_text.iter().flatten().map(|(t, _)| t.as_str()).collect();
    let mut lines = espeak_ipa(&all, espeak_voice)?;
    // espeak splits where it sees fit; when its clauses are not ours, ask clause by clause.
    if lines.len() != all.len() {
        lines = all
            .iter()
            .map(|c| espeak_ipa(&[c], espeak_voice).map(|l| l.join(" ")))
            .collect::<Result<_, _>>()?;
    }
    let mut lines = lines.into_iter();
    Ok(per_text
        .iter()
        .map(|clauses| {
            let mut s = String::new();
            for (_, mark) in clauses {
                if !s.is_empty() {
                    s.push(' ');
                }
                s.push_str(lines.next().unwrap_or_default().trim());
                if let Some(m) = mark {
                    s.push(*m);
                }
            }
            s
        })
        .collect())
}

/// One line of IPA per clause: clauses are fed separated by blank lines, which espeak-ng
/// treats as clause ends.
fn espeak_ipa(clauses: &[&str], voice: &str) -> Result<Vec<String>, VoiceError> {
    if clauses.is_empty() {
        return Ok(Vec::new());
    }
    let fail = |reason: String| VoiceError::Phonemes(format!("espeak-ng -v {voice}: {reason}"));
    let mut child = Command::new("espeak-ng")
        .args(["-q", "--ipa", "-v", voice, "--stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            VoiceError::Phonemes(format!(
                "cannot run espeak-ng ({e}); Piper voices need it for their phonemes: install espeak-ng"
            ))
        })?;
    let input = clauses.join("\n\n") + "\n";
    let mut stdin = child.stdin.take().expect("piped");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().map_err(|e| fail(e.to_string()))?;
    let _ = writer.join();
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() || stdout.contains("Voice does not exist") {
        return Err(fail(format!(
            "{} {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(stdout
        .lines()
        .map(strip_language_tags)
        .filter(|l| !l.trim().is_empty())
        .collect())
}

/// espeak marks words it reads in another language's rules with "(fr)" … "(en)": drop them.
fn strip_language_tags(line: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in line.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Piper's id sequence: `^`, each phoneme followed by the pad `_`, then `$`. Phonemes the voice
/// does not know are skipped, as Piper does.
pub fn ids(phonemes: &str, map: &HashMap<String, Vec<i64>>) -> Vec<i64> {
    let id = |s: &str| map.get(s).cloned().unwrap_or_default();
    let pad = id("_");
    let mut out = id("^");
    out.extend(&pad);
    for c in phonemes.chars() {
        let mut buf = [0u8; 4];
        if let Some(ids) = map.get(c.encode_utf8(&mut buf) as &str) {
            out.extend(ids);
            out.extend(&pad);
        }
    }
    out.extend(id("$"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_keep_their_punctuation_and_lose_quotes() {
        assert_eq!(
            clauses("\"Hello,\" said the frog. Why?! Well…"),
            vec![
                ("Hello".to_string(), Some(',')),
                ("said the frog".to_string(), Some('.')),
                ("Why".to_string(), Some('?')),
                ("Well".to_string(), Some('…')),
            ]
        );
        assert_eq!(clauses("no end"), vec![("no end".to_string(), None)]);
        assert!(clauses("\" ...").is_empty());
    }

    #[test]
    fn ids_intersperse_the_pad_and_skip_unknown_phonemes() {
        let map: HashMap<String, Vec<i64>> = [("^", 1), ("$", 2), ("_", 0), ("a", 5), (",", 7)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), vec![v]))
            .collect();
        assert_eq!(ids("a,ẞa", &map), vec![1, 0, 5, 0, 7, 0, 5, 0, 2]);
        assert_eq!(strip_language_tags("(fr)bɔ̃ʒuʁ(en) hə"), "bɔ̃ʒuʁ hə");
    }

    #[test]
    fn espeak_writes_one_ipa_string_per_text_with_the_clause_marks() {
        if Command::new("espeak-ng").arg("--version").output().is_err() {
            crate::test_skip::skip("espeak-ng is not installed");
            return;
        }
        let out = phonemize(
            &["Once upon a time, a king.", "\"Hello!\" he said"],
            "en-us",
        )
        .unwrap();
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(out[0].contains(',') && out[0].ends_with('.'), "{out:?}");
        assert!(out[0].contains("kˈɪŋ"), "{out:?}");
        assert!(out[1].contains('!') && !out[1].contains('"'), "{out:?}");
    }
}
