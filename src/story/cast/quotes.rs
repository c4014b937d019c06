//! Tracks whether the reader is inside quoted speech.
//! Straight quotes are judged by their neighbours (a quote after a space opens), curly ones by shape;
//! a paragraph break closes any quote left open, as novels reopen quotes on each paragraph.

#[derive(Default)]
pub(crate) struct QuoteState {
    double: bool,
    single: bool,
}

#[derive(Default, Clone, Copy)]
pub(crate) struct QuoteEvent {
    pub opened: bool,
    pub closed: bool,
}

impl QuoteState {
    pub fn inside(&self) -> bool {
        self.double || self.single
    }

    pub fn new_paragraph(&mut self) {
        self.double = false;
        self.single = false;
    }

    /// Updates the state for punctuation `c` between `prev` and `next`.
    pub fn feed(&mut self, c: char, prev: Option<char>, next: Option<char>) -> QuoteEvent {
        let after_space = prev.is_none_or(|p| p.is_whitespace() || "([{—–-".contains(p));
        let before_word = next.is_some_and(|n| n.is_alphanumeric());
        let was_inside = self.inside();
        match c {
            '“' => self.double = true,
            '”' => self.double = false,
            '"' => {
                if after_space && !self.double {
                    self.double = true;
                } else if self.double {
                    self.double = false;
                } else {
                    // A closing quote with no opening one: a quote that began in an earlier
                    // paragraph or a stray mark; treat the text before it as unquoted.
                    self.double = false;
                }
            }
            '‘' if after_space || before_word => self.single = true,
            // An apostrophe between letters never reaches here (it is inside a word).
            '’' | '\'' if self.single && !before_word => self.single = false,
            '’' if after_space && before_word => self.single = true,
            _ => {}
        }
        QuoteEvent {
            opened: !was_inside && self.inside(),
            closed: was_inside && !self.inside(),
        }
    }
}
