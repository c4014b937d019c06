//! Prints the cast of a text file: `cargo run --release --example cast_show FILE`
//! (`CAST_SHOW_MENTIONS=1`: every mention, with the text before it).

fn main() {
    let path = std::env::args().nth(1).expect("usage: cast_show FILE");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let cast = storyreel::story::cast::analyze(&text);
    for c in &cast.characters {
        println!(
            "#{:<2} {:<28} {:<8} {:>4} mentions  aliases {:?}",
            c.id,
            c.name,
            c.gender.as_str(),
            c.mentions.len(),
            c.aliases
        );
        if std::env::var_os("CAST_SHOW_MENTIONS").is_some() {
            for m in &c.mentions {
                let from = text[..m.start]
                    .char_indices()
                    .rev()
                    .nth(30)
                    .map_or(0, |x| x.0);
                println!(
                    "      {:>6} {:?}{} … {:?}",
                    m.start,
                    &text[m.start..m.end],
                    if m.possessive { " (owner)" } else { "" },
                    text[from..m.end].replace('\n', " ")
                );
            }
        }
        if let Some(d) = &c.suggested_description {
            println!("      description: {d}");
        }
    }
}
