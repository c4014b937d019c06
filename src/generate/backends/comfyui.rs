//! ComfyUI client (placeholder while the full client is written).

use super::http::Http;
use super::{Job, Output, StepSink};
use crate::generate::config::BackendConfig;
use crate::generate::error::GenerateError;
use crate::generate::request::ImageRequest;

pub struct ComfyUi {
    pub http: Http,
}

impl ComfyUi {
    pub fn new(config: &BackendConfig, url: &str) -> Result<Self, GenerateError> {
        Ok(ComfyUi {
            http: Http::new(url, config.timeout)?,
        })
    }
    pub async fn generate(&self, _job: &Job, _step: StepSink<'_>) -> Result<Output, GenerateError> {
        Err(GenerateError::Other("comfyui: not yet".into()))
    }
    pub async fn interrupt(&self) {}
    pub async fn describe(&self) -> Result<String, GenerateError> {
        Ok(String::new())
    }
}

pub fn check_supported(
    _config: &BackendConfig,
    _request: &ImageRequest,
) -> Result<(), GenerateError> {
    Ok(())
}
