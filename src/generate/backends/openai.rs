//! OpenAI-style `/v1/images/generations` (OpenAI, LocalAI, sd-server). Such servers
//! take no seed, steps or negative prompt; those stay in the cache key regardless.

use serde_json::{json, Value};

use super::http::{png_from_base64, png_from_bytes, Http};
use super::identify::explain_missing_route;
use super::{Job, Output};
use crate::generate::config::{BackendConfig, BackendKind};
use crate::generate::error::GenerateError;

const DEFAULT_KEY_ENV: &str = "OPENAI_API_KEY";

pub struct OpenAi {
    pub http: Http,
    model: Option<String>,
    key: Option<String>,
}

impl OpenAi {
    pub fn new(config: &BackendConfig, url: &str) -> Result<Self, GenerateError> {
        let var = config.auth_env.as_deref().unwrap_or(DEFAULT_KEY_ENV);
        let key = std::env::var(var).ok().filter(|k| !k.is_empty());
        if let Some(key) = &key {
            crate::server_message::remember_secret(key);
        }
        Ok(OpenAi {
            http: Http::new(url.trim_end_matches("/v1"), config.timeout)?,
            model: config.model.clone(),
            key,
        })
    }

    fn authorised(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.key {
            Some(key) => request.bearer_auth(key),
            None => request,
        }
    }

    pub async fn generate(&self, job: &Job) -> Result<Output, GenerateError> {
        let r = &job.request;
        let mut body = json!({
            "prompt": r.prompt,
            "n": 1,
            "size": format!("{}x{}", r.width, r.height),
            "response_format": "b64_json",
        });
        if let Some(model) = &self.model {
            body["model"] = json!(model);
        }
        let request = self.authorised(
            self.http
                .client
                .post(self.http.at("/v1/images/generations"))
                .json(&body),
        );
        let body = match self.http.send(request).await {
            Ok(body) => body,
            Err(error) => {
                let route = "POST /v1/images/generations";
                return Err(
                    explain_missing_route(&self.http, BackendKind::OpenAi, route, error).await,
                );
            }
        };
        let reply = self.http.parse_json(&body)?;
        let first = reply
            .get("data")
            .and_then(Value::as_array)
            .and_then(|d| d.first())
            .ok_or_else(|| self.http.bad("the reply has no `data` entries"))?;
        let png = if let Some(encoded) = first.get("b64_json").and_then(Value::as_str) {
            png_from_base64(&self.http, encoded)?
        } else if let Some(url) = first.get("url").and_then(Value::as_str) {
            let bytes = self.http.send(self.http.client.get(url)).await?;
            png_from_bytes(&self.http, bytes)?
        } else {
            return Err(self.http.bad("the image has neither `b64_json` nor `url`"));
        };
        let info = json!({ "revised_prompt": first.get("revised_prompt"), "created": reply.get("created") });
        Ok(Output::new(png, info))
    }

    pub async fn describe(&self) -> Result<String, GenerateError> {
        let reply = self.http.parse_json(
            &self
                .http
                .send(self.authorised(self.http.client.get(self.http.at("/v1/models"))))
                .await?,
        )?;
        let models: Vec<&str> = reply["data"]
            .as_array()
            .map(|d| d.iter().filter_map(|m| m["id"].as_str()).collect())
            .unwrap_or_default();
        Ok(format!(
            "openai-compatible server at {}\n  models: {}",
            self.http.url,
            models.join(", ")
        ))
    }
}
