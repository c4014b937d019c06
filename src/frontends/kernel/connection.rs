//! The connection file Jupyter writes for a kernel: where to bind and how to sign.

use std::path::Path;

use anyhow::{bail, Context};
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct ConnectionInfo {
    pub transport: String,
    pub ip: String,
    pub shell_port: u16,
    pub iopub_port: u16,
    pub stdin_port: u16,
    pub control_port: u16,
    pub hb_port: u16,
    /// Empty means "do not sign" (Jupyter's convention for trusted local use).
    #[serde(default)]
    pub key: String,
    #[serde(default = "default_scheme")]
    pub signature_scheme: String,
}

fn default_scheme() -> String {
    "hmac-sha256".into()
}

impl ConnectionInfo {
    pub fn read(path: &Path) -> anyhow::Result<Self> {
        let text = crate::input_file::read_text(path, crate::input_file::CONNECTION_FILE)
            .context("connection file")?;
        let info: Self = serde_json::from_str(&text)
            .with_context(|| format!("bad connection file {}", path.display()))?;
        if info.transport != "tcp" {
            bail!(
                "transport \"{}\" is not supported; only tcp is",
                info.transport
            );
        }
        if !info.key.is_empty() && info.signature_scheme != "hmac-sha256" {
            bail!(
                "signature scheme \"{}\" is not supported; only hmac-sha256 is",
                info.signature_scheme
            );
        }
        Ok(info)
    }

    /// The ZeroMQ endpoint of one port, on exactly the address the file names.
    pub fn endpoint(&self, port: u16) -> String {
        format!("tcp://{}:{port}", self.ip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_jupyter_connection_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kernel.json");
        std::fs::write(
            &path,
            r#"{"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4,
            "hb_port": 5, "ip": "127.0.0.1", "key": "k", "transport": "tcp",
            "signature_scheme": "hmac-sha256", "kernel_name": "storyreel"}"#,
        )
        .unwrap();
        let info = ConnectionInfo::read(&path).unwrap();
        assert_eq!(info.endpoint(info.hb_port), "tcp://127.0.0.1:5");
        assert_eq!(info.key, "k");
    }
}
