//! The multipart form of `POST /upload/image`, built by hand (one file and two
//! fields do not justify a multipart dependency).

use crate::generate::cache::sha256_hex;

pub struct Form {
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Form {
    pub fn for_png(png: &[u8]) -> Form {
        // Named by content, so a repeat upload overwrites an identical file
        // instead of piling up copies.
        let name = format!("storyreel_{}.png", &sha256_hex(png)[..16]);
        let boundary = format!("----storyreel{}", &sha256_hex(png)[16..40]);
        let mut body = Vec::with_capacity(png.len() + 512);
        for (field, value) in [("overwrite", "true"), ("type", "input")] {
            body.extend(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"{name}\"\r\nContent-Type: image/png\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(png);
        body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
        Form {
            content_type: format!("multipart/form-data; boundary={boundary}"),
            body,
        }
    }
}
