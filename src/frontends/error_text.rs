//! How a front-end says an error to a person: one line, `outer: inner: cause`, each part once
//! (a typed error often already quotes its cause in its own message).

/// `outer: inner: cause`, leaving out a cause the text already says.
pub fn said_once(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text = format!("{text}: {cause}");
        }
    }
    text
}
