//! The few built-in functions that make a value of any size in one step (`pad`, `blob(n)`),
//! replaced by versions that first check the size against the memory the script may still take:
//! the memory limit is checked between operations (see `memory`), and one such operation could
//! otherwise allocate gigabytes (or abort the program) before the next check.

use rhai::{Array, Blob, Dynamic, Engine, EvalAltResult, ImmutableString, INT};

use super::memory;

type SizeResult<T> = Result<T, Box<EvalAltResult>>;

/// Registers the checked versions; functions registered on the engine take precedence over
/// the standard packages' ones of the same signature.
pub fn register(engine: &mut Engine) {
    engine.register_fn("pad", pad_char);
    engine.register_fn("pad", pad_str);
    engine.register_fn("pad", pad_array);
    engine.register_fn("pad", pad_blob);
    engine.register_fn("blob", |len: INT| blob(len, 0));
    engine.register_fn("blob", blob);
}

/// Bytes the script may still allocate; without the counting allocator (library use), Rhai's
/// own string limit stands in.
fn room() -> usize {
    if memory::counting() {
        memory::ceiling().saturating_sub(memory::live_bytes())
    } else {
        64 << 20
    }
}

/// `len` items of `item_bytes` each, or an out-of-memory error naming the call.
fn check(call: &str, len: INT, item_bytes: usize) -> SizeResult<usize> {
    let Ok(count) = usize::try_from(len) else {
        return Ok(0);
    };
    let bytes = count.saturating_mul(item_bytes);
    if bytes > room() {
        return Err(format!(
            "out of memory: {call}({len}) would take {} MB, more than the script may still hold \
             (limit {} MB; set STORYREEL_MAX_MEMORY, e.g. 8G, for more)",
            bytes >> 20,
            memory::limit() >> 20
        )
        .into());
    }
    Ok(count)
}

fn pad_char(s: &mut ImmutableString, len: INT, c: char) -> SizeResult<()> {
    let len = check("pad", len, c.len_utf8())?;
    let have = s.chars().count();
    if len > have {
        s.make_mut().extend(std::iter::repeat_n(c, len - have));
    }
    Ok(())
}

fn pad_str(s: &mut ImmutableString, len: INT, padding: &str) -> SizeResult<()> {
    let widest = padding.chars().map(char::len_utf8).max().unwrap_or(1);
    let len = check("pad", len, widest)?;
    let mut have = s.chars().count();
    if padding.is_empty() || len <= have {
        return Ok(());
    }
    let out = s.make_mut();
    while have < len {
        let piece = padding.chars().take(len - have);
        for c in piece {
            out.push(c);
            have += 1;
        }
    }
    Ok(())
}

fn pad_array(a: &mut Array, len: INT, item: Dynamic) -> SizeResult<()> {
    let len = check("pad", len, std::mem::size_of::<Dynamic>())?;
    if len > a.len() {
        a.resize(len, item);
    }
    Ok(())
}

fn pad_blob(b: &mut Blob, len: INT, value: INT) -> SizeResult<()> {
    let len = check("pad", len, 1)?;
    if len > b.len() {
        b.resize(len, (value & 0xff) as u8);
    }
    Ok(())
}

fn blob(len: INT, value: INT) -> SizeResult<Blob> {
    let len = check("blob", len, 1)?;
    Ok(vec![(value & 0xff) as u8; len])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Engine {
        let mut engine = Engine::new();
        register(&mut engine);
        engine
    }

    #[test]
    fn padding_keeps_its_meaning_within_the_room() {
        let e = engine();
        assert_eq!(
            e.eval::<String>(r#"let s = "ab"; s.pad(5, "xy"); s"#)
                .unwrap(),
            "abxyx"
        );
        assert_eq!(
            e.eval::<String>(r#"let s = "é"; s.pad(3, '-'); s"#)
                .unwrap(),
            "é--"
        );
        assert_eq!(
            e.eval::<INT>("let a = [1]; a.pad(4, 0); a.len()").unwrap(),
            4
        );
        assert_eq!(e.eval::<INT>("blob(10, 0x1ff)[9]").unwrap(), 0xff);
        assert_eq!(
            e.eval::<INT>("let b = blob(2); b.pad(-1, 1); b.len()")
                .unwrap(),
            2
        );
    }

    #[test]
    fn one_call_cannot_take_more_than_the_room() {
        let e = engine();
        for code in [
            r#"let s = ""; s.pad(3000000000, "x"); s"#,
            r#"let s = ""; s.pad(3000000000, 'x'); s"#,
            "blob(100000000000)",
            "let a = []; a.pad(100000000000, 1); a",
        ] {
            let err = e.eval::<Dynamic>(code).unwrap_err().to_string();
            assert!(
                err.contains("out of memory") && err.contains("MB"),
                "{code}: {err}"
            );
        }
    }
}
