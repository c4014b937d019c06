//! The files storyreel writes and reads back carry a format `version`: an older or unversioned
//! file reads as before (workspaces made earlier keep working), and one written by a newer
//! storyreel is refused with an error naming it, rather than read wrong.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

/// Why a file storyreel wrote cannot be read back.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not a valid {what}: {source}", path.display())]
    Invalid {
        path: PathBuf,
        what: &'static str,
        source: serde_json::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A caller may branch on this one: the file is fine, this storyreel is too old for it.
    #[error(
        "{} was written by a newer storyreel (format {found}); this one reads up to {supported} — upgrade storyreel",
        path.display()
    )]
    Newer {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
}

/// One kind of file: what a message calls it and the newest format this build reads and writes.
#[derive(Clone, Copy, Debug)]
pub struct Format {
    pub what: &'static str,
    pub version: u32,
}

impl Format {
    /// Parses `bytes` read from `path`; a file without a version is format 0.
    pub fn parse<T: DeserializeOwned>(&self, path: &Path, bytes: &[u8]) -> Result<T, FileError> {
        #[derive(serde::Deserialize)]
        struct Probe {
            #[serde(default)]
            version: u32,
        }
        let invalid = |source| FileError::Invalid {
            path: path.to_path_buf(),
            what: self.what,
            source,
        };
        let probe: Probe = serde_json::from_slice(bytes).map_err(invalid)?;
        if probe.version > self.version {
            return Err(FileError::Newer {
                path: path.to_path_buf(),
                found: probe.version,
                supported: self.version,
            });
        }
        serde_json::from_slice(bytes).map_err(invalid)
    }

    /// Reads the file at `path`; `None` when there is none.
    pub fn read<T: DeserializeOwned>(&self, path: &Path) -> Result<Option<T>, FileError> {
        match std::fs::read(path) {
            Ok(bytes) => self.parse(path, &bytes).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(FileError::Read {
                path: path.to_path_buf(),
                source,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Thing {
        #[serde(default)]
        version: u32,
        name: String,
    }

    const THING: Format = Format {
        what: "thing file",
        version: 2,
    };

    #[test]
    fn older_and_unversioned_files_read_and_a_newer_one_is_named() {
        let p = Path::new("/ws/thing.json");
        let old: Thing = THING.parse(p, br#"{"name": "a"}"#).unwrap();
        assert_eq!((old.version, old.name.as_str()), (0, "a"));
        let now: Thing = THING.parse(p, br#"{"version": 2, "name": "b"}"#).unwrap();
        assert_eq!(now.version, 2);
        let e = THING
            .parse::<Thing>(p, br#"{"version": 3, "name": "c", "renamed": 1}"#)
            .unwrap_err();
        assert!(matches!(
            e,
            FileError::Newer {
                found: 3,
                supported: 2,
                ..
            }
        ));
        assert_eq!(
            e.to_string(),
            "/ws/thing.json was written by a newer storyreel (format 3); this one reads up to 2 — upgrade storyreel"
        );
        let e = THING.parse::<Thing>(p, b"{ half").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("/ws/thing.json is not a valid thing file"),
            "{e}"
        );
        assert!(THING
            .read::<Thing>(Path::new("/no/such/thing.json"))
            .unwrap()
            .is_none());
    }
}
