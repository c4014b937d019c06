//! The session's image backend: its configuration and a generator made on first use.

use std::sync::{Arc, Mutex};

use crate::generate::{BackendConfig, GenerateError, Generator};

pub struct Generation {
    config: BackendConfig,
    generator: Option<Arc<Generator>>,
}

impl Default for Generation {
    fn default() -> Self {
        Self {
            config: BackendConfig::draft(),
            generator: None,
        }
    }
}

impl Generation {
    pub fn config(&self) -> &BackendConfig {
        &self.config
    }

    /// Switches backend; the next generation starts a new generator.
    pub fn set(&mut self, config: BackendConfig) -> Result<(), GenerateError> {
        config.validate()?;
        self.config = config;
        self.generator = None;
        Ok(())
    }

    /// The generator, made on first use with the workspace's cache.
    pub fn generator(
        &mut self,
        cache_dir: std::path::PathBuf,
    ) -> Result<Arc<Generator>, GenerateError> {
        if let Some(g) = &self.generator {
            return Ok(g.clone());
        }
        let g = Arc::new(Generator::new(self.config.clone(), cache_dir)?);
        self.generator = Some(g.clone());
        Ok(g)
    }
}

pub type SharedGeneration = Arc<Mutex<Generation>>;
