//! Client options (`new Mava({...})`, `new Mavibot({...})`) and per-call options, checked with
//! the same engine as call inputs so a typo (`timeout` for `timeoutMs`) is an issue, not a
//! silently ignored setting. Functions and signals are read by the wasm layer; here they are
//! only known names.

use crate::prelude::*;

use super::issue::{code, Issues};
use super::request::check_base_url;
use super::schema::{check, shape, Field, Shape, Fmt, Method, Object, Ty, REQ, TEXT};
use super::value::Value;

/// `rateLimit`: `true`/`false`, or the window (and optionally a shared store).
pub const RATE_LIMIT: Ty = Ty::Either(
    &Ty::Bool,
    &Ty::Obj(&Object {
        fields: &[
            Field::new("requests", &Ty::Int { min: 1, max: 1_000_000 }, REQ),
            Field::new("windowMs", &Ty::Int { min: 1, max: 86_400_000 }, REQ),
            Field::new("store", &Ty::Opaque, 0),
        ],
        open: false,
        more: &[],
    }),
);
/// At most a day: beyond 2^31 ms `setTimeout` fires at once, and no call should wait that long.
const TIMEOUT: Ty = Ty::Int { min: 1, max: 86_400_000 };
const RETRIES: Ty = Ty::Int { min: 0, max: 10 };
const MS: Ty = Ty::Int { min: 0, max: 86_400_000 };

const CLIENT_FIELDS: &[Field] = &[
    Field::new("apiKey", &TEXT, REQ),
    Field::new("baseUrl", &Ty::Str { fmt: Fmt::Any, max: 0, nonempty: true }, 0),
    Field::new("fetch", &Ty::Opaque, 0),
    Field::new("timeoutMs", &TIMEOUT, 0),
    Field::new("maxRetries", &RETRIES, 0),
    Field::new("retryBaseMs", &MS, 0),
    Field::new("retryMaxMs", &MS, 0),
    Field::new("maxRetryAfterMs", &MS, 0),
    Field::new("rateLimit", &RATE_LIMIT, 0),
    Field::new("messageMethod", &Ty::Enum(&["PUT", "POST"]), 0),
];

const CALL_FIELDS: &[Field] = &[
    Field::new("signal", &Ty::Opaque, 0),
    Field::new("timeoutMs", &TIMEOUT, 0),
    Field::new("maxRetries", &RETRIES, 0),
    Field::new("retryCreates", &Ty::Bool, 0),
    Field::new("method", &Ty::Enum(&["GET", "POST"]), 0),
    Field::new("onProgress", &Ty::Opaque, 0),
];

/// The shapes of client options and of call options.
pub const CLIENT: Shape = shape!(Ty::Obj(&Object { fields: CLIENT_FIELDS, open: false, more: &[] }));
pub const CALL: Shape = shape!(Ty::Obj(&Object { fields: CALL_FIELDS, open: false, more: &[] }));

/// A client-side limit of `requests` per sliding `window_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub requests: u32,
    pub window_ms: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClientOptions {
    pub api_key: String,
    pub base_url: String,
    pub timeout_ms: f64,
    pub max_retries: u32,
    pub retry_base_ms: f64,
    pub retry_max_ms: f64,
    /// A `Retry-After` longer than this is not waited for: the error is thrown instead.
    pub max_retry_after_ms: f64,
    pub rate_limit: Option<RateLimit>,
    pub message_method: Method,
}

/// Defaults that differ between the two APIs.
pub struct Defaults {
    pub base_url: &'static str,
    pub rate_limit: Option<RateLimit>,
    /// Whether `messageMethod` is an option of this client.
    pub message_method: bool,
    /// Whether the key travels in a header (Mava's `x-auth-token`), whose value `fetch`
    /// accepts only as Latin-1 text; Mavibot's goes percent-encoded in the path.
    pub key_in_header: bool,
}

fn int(v: &Value, key: &str) -> Option<f64> {
    v.get(key).and_then(Value::as_f64)
}

/// Reads client options, or every issue with them.
pub fn client(v: &Value, d: &Defaults) -> Result<ClientOptions, Issues> {
    let mut issues = check(CLIENT, v, "");
    if !d.message_method && v.get("messageMethod").is_some() {
        issues.push("messageMethod", code::UNKNOWN_FIELD, "is an option of Mava clients only");
    }
    let base_url = v.get("baseUrl").and_then(Value::as_str).unwrap_or(d.base_url);
    if let Err(text) = check_base_url(base_url) {
        issues.push("baseUrl", code::INVALID_URL, text);
    }
    let api_key = v.get("apiKey").and_then(Value::as_str).unwrap_or_default();
    if api_key.chars().any(|c| c.is_control()) {
        issues.push("apiKey", code::INVALID_TYPE, "must not contain control characters or line breaks");
    } else if d.key_in_header && api_key.chars().any(|c| c > '\u{ff}') {
        issues.push("apiKey", code::INVALID_TYPE, "must be Latin-1 text (it is sent in a header)");
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    let rate_limit = match v.get("rateLimit") {
        None => d.rate_limit,
        Some(Value::Bool(true)) => Some(d.rate_limit.unwrap_or(MAVA_RATE_LIMIT)),
        Some(Value::Bool(false)) => None,
        Some(r) => Some(RateLimit {
            requests: int(r, "requests").unwrap_or(1.0) as u32,
            window_ms: int(r, "windowMs").unwrap_or(1.0) as u32,
        }),
    };
    Ok(ClientOptions {
        api_key: api_key.into(),
        base_url: super::format::trim_end(base_url, b'/').into(),
        timeout_ms: int(v, "timeoutMs").unwrap_or(30_000.0),
        max_retries: int(v, "maxRetries").unwrap_or(2.0) as u32,
        retry_base_ms: int(v, "retryBaseMs").unwrap_or(500.0),
        retry_max_ms: int(v, "retryMaxMs").unwrap_or(8_000.0),
        max_retry_after_ms: int(v, "maxRetryAfterMs").unwrap_or(60_000.0),
        rate_limit,
        message_method: match v.get("messageMethod").and_then(Value::as_str) {
            Some("POST") => Method::Post,
            _ => Method::Put,
        },
    })
}

/// The documented Mava limit: 90 requests per 30 seconds per key.
pub const MAVA_RATE_LIMIT: RateLimit = RateLimit { requests: 90, window_ms: 30_000 };

/// Per-call options `{ signal, timeoutMs, maxRetries, retryCreates, method }`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CallOptions {
    pub timeout_ms: Option<f64>,
    pub max_retries: Option<u32>,
    pub retry_creates: bool,
    pub method: Option<Method>,
}

/// `method` is an option only where `method_option` says so (Mavibot calls: the docs allow
/// either for some actions); a Mava call's method is fixed by its description.
pub fn call(v: &Value, method_option: bool) -> Result<CallOptions, Issues> {
    if matches!(v, Value::Null) {
        return Ok(CallOptions::default());
    }
    let mut issues = check(CALL, v, "");
    if !method_option && v.get("method").is_some() {
        issues.push("method", code::UNKNOWN_FIELD, "is an option of Mavibot calls only");
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    Ok(CallOptions {
        timeout_ms: int(v, "timeoutMs"),
        max_retries: int(v, "maxRetries").map(|n| n as u32),
        retry_creates: matches!(v.get("retryCreates"), Some(Value::Bool(true))),
        method: v.get("method").and_then(Value::as_str).and_then(Method::parse),
    })
}
