//! Tracks whether the reader is inside quoted speech.
//! Straight quotes are judged by their neighbours (a quote after a space opens), curly ones by shape;
//! a paragraph break closes any quote left open, as novels reopen quotes on each paragraph, unless
//! the quote runs on (`tokens::quote_runs_on`).
//! A paragraph opening with a dash ("—Come up, Kinch!") is speech in the continental style.

#[derive(Default)]
pub(crate) struct QuoteState {
    double: bool,
    /// Open curly double quotes: “ inside “ is nested ("… for “afternoon” …"), and a straight
    /// '"' inside a curly quote is nested too.
    curly: u8,
    single: bool,
    dash: bool,
}

#[derive(Default, Clone, Copy)]
pub(crate) struct QuoteEvent {
    pub opened: bool,
    pub closed: bool,
    /// A closing mark with no opening one: the paragraph began inside a quote.
    pub orphan_close: bool,
}

impl QuoteState {
    pub fn inside(&self) -> bool {
        self.double || self.single || self.dash
    }

    pub fn new_paragraph(&mut self) {
        self.double = false;
        self.curly = 0;
        self.single = false;
        self.dash = false;
    }

    /// A straight double quote is open (not inside a curly one).
    pub fn straight_open(&self) -> bool {
        self.double && self.curly == 0
    }

    /// A new paragraph into which an open straight quote runs on.
    pub fn keep_straight_only(&mut self) {
        self.single = false;
        self.dash = false;
    }

    /// A straight quote right after an attribution (`he said," Here`) opens speech, however
    /// it is spaced.
    pub fn open_straight(&mut self) -> QuoteEvent {
        let was_inside = self.inside();
        self.double = true;
        QuoteEvent {
            opened: !was_inside,
            closed: false,
            orphan_close: false,
        }
    }

    /// A dash as the first mark of a paragraph opens speech lasting to the paragraph's end.
    pub fn paragraph_starts_with(&mut self, c: char, next: Option<char>) -> QuoteEvent {
        let speech = matches!(c, '—' | '―') && next.is_some_and(|n| n.is_alphanumeric());
        self.dash = speech;
        QuoteEvent {
            opened: speech,
            closed: false,
            orphan_close: false,
        }
    }

    /// Updates the state for punctuation `c` between `prev` and `next`.
    pub fn feed(&mut self, c: char, prev: Option<char>, next: Option<char>) -> QuoteEvent {
        // '""' closes a quote of an earlier paragraph and opens the next one; inside a quote it
        // closes this one, and the second mark opens the next.
        if c == '"' && next == Some('"') && self.curly == 0 && !self.double {
            return QuoteEvent::default();
        }
        // After '""' the second mark opens, as after a space.
        let after_space = prev.is_none_or(|p| p.is_whitespace() || "([{—–-\"".contains(p));
        let mut orphan_close = false;
        let before_word = next.is_some_and(|n| n.is_alphanumeric());
        let was_inside = self.inside();
        match c {
            '“' => {
                self.double = true;
                self.curly = self.curly.saturating_add(1);
            }
            '”' => {
                self.curly = self.curly.saturating_sub(1);
                self.double = self.curly > 0;
            }
            '"' if self.curly > 0 => {}
            '"' => {
                if after_space && !self.double {
                    self.double = true;
                } else if self.double {
                    self.double = false;
                } else {
                    // A closing quote with no opening one: a quote that began in an earlier
                    // paragraph or a stray mark.
                    self.double = false;
                    orphan_close = true;
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
            orphan_close,
        }
    }
}
