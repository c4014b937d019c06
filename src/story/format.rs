//! The image format of a story: the size candidates are generated at.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Format {
    pub width: u32,
    pub height: u32,
}

impl Format {
    /// Named aspect ratios, at sizes Stable Diffusion models handle well.
    pub const NAMED: &'static [(&'static str, Format)] = &[
        (
            "9:16",
            Format {
                width: 576,
                height: 1024,
            },
        ),
        (
            "16:9",
            Format {
                width: 1024,
                height: 576,
            },
        ),
        (
            "1:1",
            Format {
                width: 768,
                height: 768,
            },
        ),
        (
            "2:3",
            Format {
                width: 512,
                height: 768,
            },
        ),
        (
            "3:2",
            Format {
                width: 768,
                height: 512,
            },
        ),
    ];

    pub fn named(name: &str) -> Option<Format> {
        Self::NAMED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
    }

    /// A custom size; both sides must be positive multiples of 8, as latent diffusion needs.
    pub fn custom(width: i64, height: i64) -> Result<Format, BadSide> {
        for (side, value) in [("width", width), ("height", height)] {
            if !(64..=4096).contains(&value) || value % 8 != 0 {
                return Err(BadSide { side, value });
            }
        }
        Ok(Format {
            width: width as u32,
            height: height as u32,
        })
    }

    /// The ratio name when this is a named format, else `WxH`.
    pub fn label(&self) -> String {
        Self::NAMED.iter().find(|(_, f)| f == self).map_or_else(
            || format!("{}x{}", self.width, self.height),
            |(n, _)| n.to_string(),
        )
    }
}

/// A side of a custom format that latent diffusion cannot make.
#[derive(Debug, PartialEq, thiserror::Error)]
#[error("{side} is {value}; it must be a multiple of 8 between 64 and 4096")]
pub struct BadSide {
    pub side: &'static str,
    pub value: i64,
}

impl Default for Format {
    fn default() -> Self {
        Self::NAMED[0].1
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}x{})", self.label(), self.width, self.height)
    }
}
