//! Jupyter's wire format over ZeroMQ: routing identities, the `<IDS|MSG>` delimiter, an
//! HMAC-SHA256 signature, then header, parent header, metadata and content as JSON, then buffers.
//! Incoming messages whose signature does not verify are rejected here, so no handler sees them.

use bytes::Bytes;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

const DELIMITER: &[u8] = b"<IDS|MSG>";
pub const PROTOCOL_VERSION: &str = "5.3";

#[derive(Clone, Debug)]
pub struct Message {
    /// ZeroMQ routing frames (ROUTER sockets) or the topic (IOPub).
    pub identities: Vec<Bytes>,
    pub header: Value,
    pub parent_header: Value,
    pub metadata: Value,
    pub content: Value,
    pub buffers: Vec<Bytes>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum WireError {
    NoDelimiter,
    MissingFrames,
    BadSignature,
    BadJson(String),
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoDelimiter => f.write_str("no <IDS|MSG> delimiter"),
            Self::MissingFrames => f.write_str("fewer than 5 frames after the delimiter"),
            Self::BadSignature => f.write_str("missing or wrong HMAC signature"),
            Self::BadJson(e) => write!(f, "invalid JSON frame: {e}"),
        }
    }
}

/// Signs and verifies with the connection file's key; an empty key disables signing.
#[derive(Clone)]
pub struct Signer {
    key: Option<Hmac<Sha256>>,
}

impl Signer {
    pub fn new(key: &str) -> Self {
        let key = (!key.is_empty())
            .then(|| Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key"));
        Self { key }
    }

    fn mac(&self, parts: &[&[u8]]) -> Option<Hmac<Sha256>> {
        let mut mac = self.key.clone()?;
        for part in parts {
            mac.update(part);
        }
        Some(mac)
    }

    pub fn sign(&self, parts: &[&[u8]]) -> String {
        self.mac(parts)
            .map(|m| to_hex(&m.finalize().into_bytes()))
            .unwrap_or_default()
    }

    /// Constant-time check of a hex signature.
    pub fn verify(&self, signature: &[u8], parts: &[&[u8]]) -> bool {
        match self.mac(parts) {
            None => true,
            Some(mac) => from_hex(signature).is_some_and(|sig| mac.verify_slice(&sig).is_ok()),
        }
    }
}

impl Message {
    pub fn decode(frames: Vec<Bytes>, signer: &Signer) -> Result<Self, WireError> {
        let split = frames
            .iter()
            .position(|f| f.as_ref() == DELIMITER)
            .ok_or(WireError::NoDelimiter)?;
        let rest = &frames[split + 1..];
        if rest.len() < 5 {
            return Err(WireError::MissingFrames);
        }
        let parts: Vec<&[u8]> = rest[1..5].iter().map(|b| b.as_ref()).collect();
        if !signer.verify(&rest[0], &parts) {
            return Err(WireError::BadSignature);
        }
        let json = |b: &[u8]| -> Result<Value, WireError> {
            serde_json::from_slice(b).map_err(|e| WireError::BadJson(e.to_string()))
        };
        Ok(Self {
            identities: frames[..split].to_vec(),
            header: json(parts[0])?,
            parent_header: json(parts[1])?,
            metadata: json(parts[2])?,
            content: json(parts[3])?,
            buffers: rest[5..].to_vec(),
        })
    }

    pub fn encode(&self, signer: &Signer) -> Vec<Bytes> {
        let parts: Vec<Vec<u8>> = [
            &self.header,
            &self.parent_header,
            &self.metadata,
            &self.content,
        ]
        .iter()
        .map(|v| serde_json::to_vec(v).expect("JSON values serialize"))
        .collect();
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        let signature = signer.sign(&refs);
        let mut frames = self.identities.clone();
        frames.push(Bytes::from_static(DELIMITER));
        frames.push(Bytes::from(signature));
        frames.extend(parts.into_iter().map(Bytes::from));
        frames.extend(self.buffers.iter().cloned());
        frames
    }

    pub fn msg_type(&self) -> &str {
        self.header["msg_type"].as_str().unwrap_or("")
    }

    pub fn msg_id(&self) -> &str {
        self.header["msg_id"].as_str().unwrap_or("")
    }

    /// A reply or side effect of `self`: routed back to the same peer, with `self` as parent.
    pub fn child(&self, session: &str, msg_type: &str, content: Value) -> Message {
        Message {
            identities: self.identities.clone(),
            header: new_header(session, msg_type),
            parent_header: self.header.clone(),
            metadata: json!({}),
            content,
            buffers: Vec::new(),
        }
    }
}

pub fn new_header(session: &str, msg_type: &str) -> Value {
    json!({
        "msg_id": uuid::Uuid::new_v4().to_string(),
        "session": session,
        "username": "storyreel",
        "date": now_iso8601(),
        "msg_type": msg_type,
        "version": PROTOCOL_VERSION,
    })
}

/// UTC now as `2024-05-01T12:34:56.789012Z`, without a date-time dependency.
pub fn now_iso8601() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs();
    let (days, day_secs) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:06}Z",
        day_secs / 3600,
        day_secs / 60 % 60,
        day_secs % 60,
        now.subsec_micros()
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &[u8]) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(signer: &Signer) -> Vec<Bytes> {
        let msg = Message {
            identities: vec![Bytes::from_static(b"peer")],
            header: new_header("s", "kernel_info_request"),
            parent_header: json!({}),
            metadata: json!({}),
            content: json!({}),
            buffers: vec![],
        };
        msg.encode(signer)
    }

    #[test]
    fn round_trips_and_verifies() {
        let signer = Signer::new("secret");
        let back = Message::decode(request(&signer), &signer).unwrap();
        assert_eq!(back.msg_type(), "kernel_info_request");
        assert_eq!(back.identities, vec![Bytes::from_static(b"peer")]);
    }

    #[test]
    fn rejects_wrong_key_and_unsigned() {
        let signer = Signer::new("secret");
        let forged = request(&Signer::new("other"));
        assert_eq!(
            Message::decode(forged, &signer).unwrap_err(),
            WireError::BadSignature
        );
        let unsigned = request(&Signer::new(""));
        assert_eq!(
            Message::decode(unsigned.clone(), &signer).unwrap_err(),
            WireError::BadSignature
        );
        // An empty key in the connection file means Jupyter itself does not sign.
        assert!(Message::decode(unsigned, &Signer::new("")).is_ok());
    }

    #[test]
    fn known_hmac_and_dates() {
        // RFC 4231 test case 2.
        let signer = Signer::new("Jefe");
        assert_eq!(
            signer.sign(&[b"what do ya want ", b"for nothing?"]),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
