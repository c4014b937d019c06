//! Tokens with byte offsets, sentence and paragraph numbers, and whether they sit inside a quote.
//! One pass over the characters, so any input (a 1 MB line, binary junk) costs linear time.

use super::lexicon;
use super::quotes::QuoteState;
use super::tuning::MAX_SENTENCE_TOKENS;

#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    /// Lowercased text (for words) or the punctuation character itself.
    pub lower: String,
    pub is_word: bool,
    /// First letter is uppercase.
    pub capitalised: bool,
    /// All capitals and longer than one letter: a heading word ("CHAPTER"), not a name.
    pub shouted: bool,
    pub sentence: usize,
    pub paragraph: usize,
    pub in_quote: bool,
    /// First word of a sentence or of a quotation: capitalised for grammar, not as a name.
    pub sentence_initial: bool,
}

/// Tokenised text.
pub(crate) struct Doc {
    pub tokens: Vec<Token>,
}

pub(crate) fn tokenize(text: &str) -> Doc {
    let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 5 + 1);
    let mut sentence = 0usize;
    let mut paragraph = 0usize;
    let mut sentence_len = 0usize;
    let mut quotes = QuoteState::default();
    // A sentence break waits for the next word: "He left." + "The end" breaks, "Mr." does not.
    let mut pending_break = false;
    let mut newlines_since_token = 0usize;
    let mut next_initial = true;
    // Whether the current paragraph has had a quotation mark yet.
    let mut quote_seen = false;

    let mut chars = text.char_indices().peekable();
    let mut prev_char: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            if c == '\n' {
                newlines_since_token += 1;
            }
            prev_char = Some(c);
            continue;
        }
        let newline_before_word = newlines_since_token >= 1 && line_is_indented(text, i);
        if newlines_since_token >= 2 && !tokens.is_empty() {
            paragraph += 1;
            sentence += 1;
            sentence_len = 0;
            pending_break = false;
            next_initial = true;
            if quotes.straight_open() && quote_runs_on(text, i) {
                quotes.keep_straight_only();
            } else {
                quotes.new_paragraph();
            }
            quote_seen = false;
        }
        newlines_since_token = 0;

        if c.is_alphanumeric() {
            // A word: letters, digits, inner apostrophes and hyphens ("don't", "well-grown").
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                let joins = if d.is_alphanumeric() {
                    true
                } else if matches!(d, '\'' | '’' | '-') {
                    let mut look = text[j + d.len_utf8()..].chars();
                    look.next().is_some_and(|n| n.is_alphanumeric())
                } else {
                    false
                };
                if !joins {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            // Split a possessive or clitic off: "Mary's" is the name "Mary", "I'm" the pronoun "I".
            let word_end = end - clitic_len(&text[i..end]);
            if pending_break {
                let starts_upper = c.is_uppercase() || c.is_numeric();
                if starts_upper {
                    sentence += 1;
                    sentence_len = 0;
                    next_initial = true;
                }
                pending_break = false;
            }
            if sentence_len >= MAX_SENTENCE_TOKENS {
                sentence += 1;
                sentence_len = 0;
            }
            // A capital at the start of a line after no sentence end is verse: not a name cue.
            let line_initial = newline_before_word && !pending_sentence_context(&tokens);
            let lower = text[i..word_end].to_lowercase();
            tokens.push(Token {
                start: i,
                end: word_end,
                lower,
                is_word: true,
                capitalised: c.is_uppercase(),
                shouted: text[i..word_end]
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .count()
                    > 1
                    && !text[i..word_end].chars().any(char::is_lowercase),
                sentence,
                paragraph,
                in_quote: quotes.inside(),
                sentence_initial: next_initial || line_initial,
            });
            if word_end < end {
                tokens.push(Token {
                    start: word_end,
                    end,
                    lower: format!(
                        "'{}",
                        text[word_end..end]
                            .chars()
                            .skip(1)
                            .collect::<String>()
                            .to_lowercase()
                    ),
                    is_word: false,
                    capitalised: false,
                    shouted: false,
                    sentence,
                    paragraph,
                    in_quote: quotes.inside(),
                    sentence_initial: false,
                });
            }
            sentence_len += 1;
            next_initial = false;
            prev_char = text[..end].chars().next_back();
            continue;
        }

        // Punctuation: one token per character.
        let next = chars.peek().map(|&(_, d)| d);
        let paragraph_start = tokens.last().is_none_or(|t| t.paragraph != paragraph);
        let quote_event = if paragraph_start && matches!(c, '—' | '―') {
            quotes.paragraph_starts_with(c, next)
        } else if c == '"' && !quotes.inside() && follows_attribution(&tokens, i) {
            quotes.open_straight()
        } else {
            quotes.feed(c, prev_char, next)
        };
        // A paragraph that closes a quote it never opened began inside one (a quote running on
        // from the paragraph before): its text so far was speech.
        if quote_event.orphan_close && !quote_seen {
            for t in tokens
                .iter_mut()
                .rev()
                .take_while(|t| t.paragraph == paragraph)
            {
                t.in_quote = true;
            }
        }
        if quote_event.opened || quote_event.closed || quote_event.orphan_close {
            quote_seen = true;
        }
        if quote_event.opened {
            next_initial = true;
            if pending_break {
                sentence += 1;
                sentence_len = 0;
                pending_break = false;
            }
        }
        if matches!(c, '.' | '!' | '?') {
            let abbreviation = c == '.'
                && tokens
                    .last()
                    .is_some_and(|t| t.is_word && t.end == i && lexicon::is_abbreviation(&t.lower));
            if !abbreviation {
                pending_break = true;
            }
        }
        tokens.push(Token {
            start: i,
            end: i + c.len_utf8(),
            lower: c.to_string(),
            is_word: false,
            capitalised: false,
            shouted: false,
            sentence,
            paragraph,
            in_quote: quotes.inside() || quote_event.closed,
            sentence_initial: false,
        });
        prev_char = Some(c);
    }
    Doc { tokens }
}

/// Token ranges `[start, end)` of each paragraph, indexed by paragraph number.
pub(crate) fn paragraph_token_ranges(toks: &[Token]) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        while ranges.len() <= t.paragraph {
            ranges.push((i, i));
        }
        ranges[t.paragraph].1 = i + 1;
    }
    ranges
}

/// Whether a straight quote left open at the end of the paragraph before runs on into the
/// paragraph starting at byte `i`, rather than closing there as novels do before reopening it.
/// Scenes cut by sentence count split speech anywhere: "…I will tell thee.\n\nLast night…
/// together. "The two children…" closes with its one mark; and "\n\n"Betimes next morning…
/// Then Lina said, "If thou…" opens with the mark that closes, since the next one opens speech
/// after an attribution (`said, "If`), where a reopened quote would be followed by its close.
fn quote_runs_on(text: &str, i: usize) -> bool {
    let rest = &text[i..];
    let end = rest
        .match_indices('\n')
        .find(|&(k, _)| {
            rest[k + 1..]
                .trim_start_matches([' ', '\t'])
                .starts_with('\n')
        })
        .map_or(rest.len(), |(k, _)| k);
    let para = &rest[..end];
    let marks: Vec<usize> = para.match_indices('"').map(|(k, _)| k).collect();
    // A whole scene of one speaker's words ("…your master is going… Then I will come…").
    if marks.is_empty() {
        return para
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| matches!(w, "I" | "you" | "You" | "thou" | "Thou" | "thee" | "ye"));
    }
    if !para.starts_with('"') {
        // The first mark glued to the end of a sentence or clause (`…of day."`) can only
        // close, and so can a doubled one (`refuse it. ""All that…`), which closes and reopens.
        let closer = marks.first().is_some_and(|&k| {
            let glued = para[..k]
                .chars()
                .next_back()
                .is_some_and(|c| matches!(c, '.' | ',' | '!' | '?' | ';'));
            glued || para[k + 1..].starts_with('"')
        });
        return closer || marks.len() % 2 == 1;
    }
    // '""' closes and reopens, as the quote state reads it anyway.
    let Some(&second) = marks.get(1).filter(|&&k| k > 1) else {
        return false;
    };
    let before = para[..second].trim_end();
    let spaced = before.len() < second;
    let after_word = para[second + 1..]
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric);
    let attribution = before.ends_with([',', ':']);
    // `"On that the woman began and sang," I've sent…`: glued to the attribution, it opens.
    let verb = before
        .trim_end_matches([',', ':'])
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .is_some_and(|w| lexicon::is_speech_verb(&w.to_lowercase()));
    attribution && (spaced && after_word || verb)
}

/// The quote mark at byte `i` comes right after "said," or "cried:" (no space between), where
/// only an opening quote can stand.
fn follows_attribution(tokens: &[Token], i: usize) -> bool {
    let [.., verb, mark] = tokens else {
        return false;
    };
    mark.end == i
        && matches!(mark.lower.as_str(), "," | ":")
        && verb.is_word
        && !verb.in_quote
        && lexicon::is_speech_verb(&verb.lower)
}

/// The line holding byte `i` starts with spaces: verse or a quotation block.
fn line_is_indented(text: &str, i: usize) -> bool {
    let line_start = text[..i].rfind('\n').map_or(0, |k| k + 1);
    text[line_start..i].starts_with([' ', '\t'])
}

/// True when the previous token ends a clause, so a capital here is grammatical anyway.
fn pending_sentence_context(tokens: &[Token]) -> bool {
    tokens
        .last()
        .is_some_and(|t| matches!(t.lower.as_str(), "." | "!" | "?"))
}

/// Byte length of a trailing "'s", "'ll", "'m", "'ve", "'d" or "'re" (straight or curly).
fn clitic_len(word: &str) -> usize {
    for apostrophe in ['\'', '’'] {
        if let Some(k) = word.rfind(apostrophe) {
            let rest = &word[k + apostrophe.len_utf8()..];
            let known = matches!(
                rest.to_ascii_lowercase().as_str(),
                "s" | "m" | "ll" | "ve" | "d" | "re"
            );
            if k > 0 && known {
                return word.len() - k;
            }
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_curly_quotes_do_not_end_the_speech() {
        let doc = tokenize("“Sunday [local for “holiday”] I'll go,” she said.");
        let quoted = |w: &str| doc.tokens.iter().find(|t| t.lower == w).unwrap().in_quote;
        assert!(quoted("holiday") && quoted("i") && quoted("go"));
        assert!(!quoted("she"));
    }

    #[test]
    fn a_paragraph_opening_with_a_dash_is_speech() {
        let doc = tokenize("Stephen came up.\n\n—Come up, Kinch! I said.\n\nHe - Stephen - went.");
        let quoted = |w: &str| doc.tokens.iter().find(|t| t.lower == w).unwrap().in_quote;
        assert!(!quoted("stephen"));
        assert!(quoted("kinch") && quoted("i"));
        assert!(!quoted("went"));
    }

    #[test]
    fn a_quote_running_on_from_the_paragraph_before_is_speech() {
        let doc = tokenize(
            "He said, \"Come with me.\n\n\"\"I am here,\" said she.\n\nAnd I am glad,\" said \
             he, \"very glad.\" He went.",
        );
        let quoted = |word: &str, paragraph: usize| {
            let t = doc
                .tokens
                .iter()
                .find(|t| t.lower == word && t.paragraph == paragraph);
            t.unwrap_or_else(|| panic!("{word} in {paragraph}"))
                .in_quote
        };
        // '""' closes the quote before and opens this one.
        assert!(quoted("i", 1) && !quoted("she", 1));
        // A closing mark with no opening one: what came before it was speech.
        assert!(quoted("and", 2) && quoted("i", 2) && quoted("glad", 2));
        assert!(!quoted("said", 2) && quoted("very", 2) && !quoted("went", 2));
    }

    #[test]
    fn a_quote_cut_by_a_scene_break_runs_on() {
        // Scenes cut mid-speech: the next scene closes the quote with its one mark, or opens
        // with the mark that closes it when the following mark opens speech after "said,".
        let doc = tokenize(
            "Then said Lina, \"I will tell thee.\n\nLast night the cook said so. We go away \
             together.\" The children got up.\n\nShe laughed, and said, \"Come now.\n\n\"Next \
             morning the forester went out. Then Lina said, \"If thou wilt stay.\"",
        );
        let quoted = |word: &str| {
            let t = doc.tokens.iter().find(|t| t.lower == word);
            t.unwrap_or_else(|| panic!("{word}")).in_quote
        };
        assert!(quoted("night") && quoted("together") && !quoted("children"));
        assert!(!quoted("morning") && !quoted("forester") && quoted("thou"));
    }

    #[test]
    fn a_quote_glued_to_its_attribution_opens_and_a_double_mark_turns() {
        let doc = tokenize(
            "Then he said,\" Here stand I, poor Rinkrank.\" She laughed. \"It is I,\" said \
             the man, \"let me in. \"\"Indeed,\" said the woman.",
        );
        let quoted = |word: &str| {
            let t = doc.tokens.iter().find(|t| t.lower == word);
            t.unwrap_or_else(|| panic!("{word}")).in_quote
        };
        assert!(quoted("here") && quoted("rinkrank") && !quoted("laughed"));
        assert!(quoted("indeed") && !quoted("woman") && !quoted("man"));
    }

    #[test]
    fn a_scene_of_one_speakers_words_without_marks_is_speech() {
        let doc = tokenize(
            "\"Hark ye,\" said the wolf, \"I will help you.\n\nTo-morrow your master goes \
             out. Then I will come.\n\nI will let it fall.\" The plan pleased the dog.\n\n\
             \"Go,\" he said, \"now.\n\nThe sun rose over the hill.",
        );
        let quoted = |word: &str| {
            let t = doc.tokens.iter().find(|t| t.lower == word);
            t.unwrap_or_else(|| panic!("{word}")).in_quote
        };
        assert!(quoted("master") && quoted("come") && quoted("fall"));
        assert!(!quoted("plan") && !quoted("sun"));
    }

    #[test]
    fn a_scene_whose_first_mark_closes_runs_on() {
        // A doubled mark first (`it. ""All`) closes and reopens; `sang," I've` opens after a
        // scene that began with the mark closing the quote before it.
        let doc = tokenize(
            "\"Aha,\" said the servant, \"you can work wonders!\n\nThen I wish for a gun. \
             \"\"All that shall you have,\" said the dwarf.\n\nThe parson said, \"Sing a \
             song.\n\n\"On that the woman began and sang,\" I have sent my husband away.\"",
        );
        let quoted = |word: &str| {
            let t = doc.tokens.iter().find(|t| t.lower == word);
            t.unwrap_or_else(|| panic!("{word}")).in_quote
        };
        assert!(quoted("wish") && quoted("gun") && quoted("all") && !quoted("dwarf"));
        assert!(!quoted("woman") && quoted("husband"));
    }

    #[test]
    fn splits_sentences_but_not_after_titles() {
        let doc = tokenize("Mr. Bennet came. He sat down.\n\nShe left.");
        let words: Vec<(&str, usize, usize)> = doc
            .tokens
            .iter()
            .filter(|t| t.is_word)
            .map(|t| (t.lower.as_str(), t.sentence, t.paragraph))
            .collect();
        assert_eq!(words[1], ("bennet", 0, 0));
        assert_eq!(words[3], ("he", 1, 0));
        assert_eq!(words[6].2, 1);
        assert!(words[6].1 > words[3].1);
    }

    #[test]
    fn marks_quoted_words_and_possessives() {
        let doc = tokenize("\"I am here,\" said Mary's friend.");
        let i = doc.tokens.iter().find(|t| t.lower == "i").unwrap();
        assert!(i.in_quote);
        let said = doc.tokens.iter().find(|t| t.lower == "said").unwrap();
        assert!(!said.in_quote);
        assert!(doc.tokens.iter().any(|t| t.lower == "mary"));
        let doc = tokenize("I'm sure I’ll go.");
        assert_eq!(doc.tokens.iter().filter(|t| t.lower == "i").count(), 2);
    }
}
