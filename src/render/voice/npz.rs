//! Just enough of NumPy's `.npz` (a zip of `.npy` arrays, as `np.savez` writes it, uncompressed)
//! to read Kokoro's voice tables: little-endian float32 arrays by name.

use std::collections::HashMap;

/// An array: its shape and its values in C order.
pub type Array = (Vec<usize>, Vec<f32>);

/// Why an `.npz` cannot be read: what in the zip or in an array is not as `np.savez` writes it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NpzError {
    #[error("truncated zip")]
    TruncatedZip,
    #[error("not a zip archive (no end of central directory)")]
    NotAZip,
    #[error("bad zip central directory")]
    BadDirectory,
    #[error("{name} is compressed (method {method}); only np.savez's stored arrays are read")]
    Compressed { name: String, method: usize },
    #[error("not a .npy array")]
    NotNpy,
    #[error("truncated .npy")]
    TruncatedNpy,
    #[error("not little-endian float32: {0}")]
    NotF32(String),
    #[error("Fortran-ordered arrays are not read")]
    FortranOrder,
    #[error("no shape in the .npy header")]
    NoShape,
    #[error("bad shape ({0})")]
    BadShape(String),
    #[error("{len} bytes of data for shape {shape:?}")]
    ShortData { len: usize, shape: Vec<usize> },
    /// The array `name` is not readable.
    #[error("{name}: {source}")]
    InArray { name: String, source: Box<NpzError> },
}

/// The float32 arrays of an `.npz`, by name (without `.npy`).
pub fn read_f32(bytes: &[u8]) -> Result<HashMap<String, Array>, NpzError> {
    let mut out = HashMap::new();
    for (name, data) in stored_entries(bytes)? {
        let name = name.strip_suffix(".npy").unwrap_or(&name).to_string();
        out.insert(
            name.clone(),
            npy_f32(data).map_err(|e| NpzError::InArray {
                name: name.clone(),
                source: Box::new(e),
            })?,
        );
    }
    Ok(out)
}

fn u16_at(b: &[u8], at: usize) -> Result<usize, NpzError> {
    b.get(at..at + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]) as usize)
        .ok_or(NpzError::TruncatedZip)
}

fn u32_at(b: &[u8], at: usize) -> Result<usize, NpzError> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
        .ok_or(NpzError::TruncatedZip)
}

/// The entries of a zip archive whose members are stored (not compressed), from its central
/// directory.
fn stored_entries(b: &[u8]) -> Result<Vec<(String, &[u8])>, NpzError> {
    let eocd = (0..b.len().saturating_sub(21))
        .rev()
        .find(|&i| b[i..].starts_with(b"PK\x05\x06"))
        .ok_or(NpzError::NotAZip)?;
    let count = u16_at(b, eocd + 10)?;
    let mut at = u32_at(b, eocd + 16)?;
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        if !b.get(at..).is_some_and(|s| s.starts_with(b"PK\x01\x02")) {
            return Err(NpzError::BadDirectory);
        }
        let method = u16_at(b, at + 10)?;
        let size = u32_at(b, at + 20)?;
        let name_len = u16_at(b, at + 28)?;
        let extra_len = u16_at(b, at + 30)?;
        let comment_len = u16_at(b, at + 32)?;
        let local = u32_at(b, at + 42)?;
        let name = String::from_utf8_lossy(
            b.get(at + 46..at + 46 + name_len)
                .ok_or(NpzError::TruncatedZip)?,
        )
        .to_string();
        if method != 0 {
            return Err(NpzError::Compressed { name, method });
        }
        let data_at = local + 30 + u16_at(b, local + 26)? + u16_at(b, local + 28)?;
        let data = b
            .get(data_at..data_at + size)
            .ok_or(NpzError::TruncatedZip)?;
        out.push((name, data));
        at += 46 + name_len + extra_len + comment_len;
    }
    Ok(out)
}

/// A `.npy` float32 array: magic, version, a header dict, then the data.
fn npy_f32(b: &[u8]) -> Result<Array, NpzError> {
    if !b.starts_with(b"\x93NUMPY") || b.len() < 10 {
        return Err(NpzError::NotNpy);
    }
    let (header_len, start) = if b[6] == 1 {
        (u16_at(b, 8)?, 10)
    } else {
        (u32_at(b, 8)?, 12)
    };
    let header = String::from_utf8_lossy(
        b.get(start..start + header_len)
            .ok_or(NpzError::TruncatedNpy)?,
    );
    if !header.contains("'descr': '<f4'") {
        return Err(NpzError::NotF32(header.trim().to_string()));
    }
    if header.contains("'fortran_order': True") {
        return Err(NpzError::FortranOrder);
    }
    let shape_text = header
        .split("'shape': (")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .ok_or(NpzError::NoShape)?;
    let shape: Vec<usize> = shape_text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse()
                .map_err(|_| NpzError::BadShape(shape_text.to_string()))
        })
        .collect::<Result<_, _>>()?;
    let data = &b[start + header_len..];
    let n: usize = shape.iter().product();
    if data.len() < n * 4 {
        return Err(NpzError::ShortData {
            len: data.len(),
            shape,
        });
    }
    let values = data[..n * 4]
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    Ok((shape, values))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stored zip of one `.npy` holding a 2×2 float32 array, as np.savez writes it.
    fn npz() -> Vec<u8> {
        let mut npy = b"\x93NUMPY\x01\x00".to_vec();
        let mut header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }".to_string();
        while !(10 + header.len() + 1).is_multiple_of(64) {
            header.push(' ');
        }
        header.push('\n');
        npy.extend((header.len() as u16).to_le_bytes());
        npy.extend(header.as_bytes());
        for v in [1.0f32, 2.0, 3.0, 4.5] {
            npy.extend(v.to_le_bytes());
        }
        let name = b"af_test.npy";
        let mut zip = Vec::new();
        let local = |zip: &mut Vec<u8>| {
            zip.extend(b"PK\x03\x04");
            zip.extend([20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            zip.extend((npy.len() as u32).to_le_bytes());
            zip.extend((npy.len() as u32).to_le_bytes());
            zip.extend((name.len() as u16).to_le_bytes());
            zip.extend(0u16.to_le_bytes());
            zip.extend(name);
            zip.extend(&npy);
        };
        local(&mut zip);
        let central = zip.len();
        zip.extend(b"PK\x01\x02");
        zip.extend([20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        zip.extend((npy.len() as u32).to_le_bytes());
        zip.extend((npy.len() as u32).to_le_bytes());
        zip.extend((name.len() as u16).to_le_bytes());
        zip.extend([0u8; 12]);
        zip.extend(0u32.to_le_bytes());
        zip.extend(name);
        let central_len = zip.len() - central;
        zip.extend(b"PK\x05\x06");
        zip.extend([0, 0, 0, 0, 1, 0, 1, 0]);
        zip.extend((central_len as u32).to_le_bytes());
        zip.extend((central as u32).to_le_bytes());
        zip.extend([0, 0]);
        zip
    }

    #[test]
    fn arrays_of_an_npz_read_with_their_shapes() {
        let arrays = read_f32(&npz()).unwrap();
        assert_eq!(arrays["af_test"], (vec![2, 2], vec![1.0, 2.0, 3.0, 4.5]));
        assert!(read_f32(b"not a zip at all, but long enough").is_err());
    }
}
