//! Prints the cast of a text file: `cargo run --release --example cast_show FILE`.

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
        if let Some(d) = &c.suggested_description {
            println!("      description: {d}");
        }
    }
}
