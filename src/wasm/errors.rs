//! Errors leave Rust as plain objects `{ $sdk: <class name>, code, message, …fields }`,
//! serialized with serde-wasm-bindgen; the package's JavaScript facade turns them into
//! instances of its `Error` subclasses, so `instanceof`, `name` and `stack` behave as in any
//! JavaScript library. Whatever reaches these fields has had the API key masked.

use super::convert::to_js;
use crate::core::issue::{push_uint, Issue};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use wasm_bindgen::JsValue;

pub const VALIDATION: &str = "ValidationError";
pub const API: &str = "ApiError";
pub const AUTHENTICATION: &str = "AuthenticationError";
pub const RATE_LIMIT: &str = "RateLimitError";
pub const TIMEOUT: &str = "TimeoutError";
pub const NETWORK: &str = "NetworkError";
pub const ABORT: &str = "AbortError";
pub const WEBHOOK: &str = "WebhookError";

/// An error as it crosses to JavaScript.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SdkError {
    #[serde(rename = "$sdk")]
    pub class: &'static str,
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issues: Option<Vec<Issue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The response body: its JSON, its text when not JSON, `null` when empty.
    #[serde(skip_serializing_if = "JsValue::is_undefined", with = "serde_wasm_bindgen::preserve")]
    pub body: JsValue,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<Headers>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempts: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_ms: Option<f64>,
    #[serde(skip_serializing_if = "JsValue::is_undefined", with = "serde_wasm_bindgen::preserve")]
    pub cause: JsValue,
    /// The delivery's `webhookId` (a `WebhookError` about a well-formed delivery).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_id: Option<String>,
}

impl SdkError {
    pub fn new(class: &'static str, code: &str, message: String) -> SdkError {
        SdkError {
            class,
            code: code.into(),
            message,
            issues: None,
            status: None,
            body: JsValue::UNDEFINED,
            headers: None,
            attempts: None,
            retry_after_ms: None,
            cause: JsValue::UNDEFINED,
            webhook_id: None,
        }
    }

    pub fn to_js(&self) -> JsValue {
        to_js(self)
    }
}

/// Response headers as an object (lower-case names, as `fetch` gives them).
pub struct Headers(pub Vec<(String, String)>);

impl Serialize for Headers {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// A `ValidationError` listing every issue; the message names what was invalid (`what` and
/// `part`: "createTicket", " input") and the first issues.
pub fn validation(what: &str, part: &str, issues: &[Issue]) -> JsValue {
    let mut message = format!("Invalid {what}{part}: ");
    for (i, issue) in issues.iter().take(3).enumerate() {
        if i > 0 {
            message.push_str("; ");
        }
        message.push_str(&issue.message);
    }
    if issues.len() > 3 {
        message.push_str("; and ");
        push_uint(&mut message, (issues.len() - 3) as u64);
        message.push_str(" more (see .issues)");
    }
    let mut e = SdkError::new(VALIDATION, "VALIDATION_ERROR", message);
    e.issues = Some(issues.to_vec());
    e.to_js()
}
