//! Jupyter counts cursor positions in Unicode code points; Rust strings index bytes.

pub fn byte_offset(code: &str, code_points: usize) -> usize {
    code.char_indices()
        .nth(code_points)
        .map_or(code.len(), |(i, _)| i)
}

pub fn code_points(code: &str, byte: usize) -> usize {
    code[..byte].chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets() {
        let code = "let é = sto";
        assert_eq!(byte_offset(code, code.chars().count()), code.len());
        assert_eq!(byte_offset(code, 5), 6);
        assert_eq!(code_points(code, 9), 8);
    }
}
