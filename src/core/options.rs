//! Client options (`new Mava({...})`, `new Mavibot({...})`) and per-call options, checked with
//! the same engine as call inputs so a typo (`timeout` for `timeoutMs`) is an issue, not a
//! silently ignored setting. Functions and signals are read by the wasm layer; here they are
//! only known names.

use serde::Deserialize;

use super::issue::{code, Issues};
use super::request::check_base_url;
use super::schema::{check, Field, Fmt, Method, Object, Shape, Ty, REQ, TEXT};
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
    Field::new("queueTimeoutMs", &TIMEOUT, 0),
    Field::new("rateLimit", &RATE_LIMIT, 0),
    Field::new("messageMethod", &Ty::Enum(&["PUT", "POST"]), 0),
];

const CALL_FIELDS: &[Field] = &[
    Field::new("signal", &Ty::Opaque, 0),
    Field::new("timeoutMs", &TIMEOUT, 0),
    Field::new("queueTimeoutMs", &TIMEOUT, 0),
    Field::new("maxRetries", &RETRIES, 0),
    Field::new("retryCreates", &Ty::Bool, 0),
    Field::new("method", &Ty::Enum(&["GET", "POST"]), 0),
    Field::new("onProgress", &Ty::Opaque, 0),
];

/// The shapes of client options and of call options.
pub const CLIENT: Shape = &Ty::Obj(&Object { fields: CLIENT_FIELDS, open: false, more: &[] });
pub const CALL: Shape = &Ty::Obj(&Object { fields: CALL_FIELDS, open: false, more: &[] });

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
    /// How long a call may wait for a rate-limit slot or the shared store.
    pub queue_timeout_ms: f64,
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

/// Client options as given, typed: read (with serde) from an input that passed [`CLIENT`]'s
/// checks. Opaque options (`fetch`, `rateLimit.store`) are the wasm layer's.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClientInput {
    api_key: String,
    base_url: Option<String>,
    timeout_ms: Option<f64>,
    max_retries: Option<u32>,
    retry_base_ms: Option<f64>,
    retry_max_ms: Option<f64>,
    max_retry_after_ms: Option<f64>,
    queue_timeout_ms: Option<f64>,
    rate_limit: Option<RateLimitInput>,
    message_method: Option<Method>,
}

/// `rateLimit`: a switch, or the window (its `store` is the wasm layer's).
enum RateLimitInput {
    Switch(bool),
    Window { requests: u32, window_ms: u32 },
}

impl<'de> Deserialize<'de> for RateLimitInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Window {
            requests: u32,
            window_ms: u32,
        }
        struct Either;
        impl<'de> serde::de::Visitor<'de> for Either {
            type Value = RateLimitInput;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("true, false or { requests, windowMs }")
            }
            fn visit_bool<E>(self, on: bool) -> Result<RateLimitInput, E> {
                Ok(RateLimitInput::Switch(on))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RateLimitInput, A::Error> {
                let w = Window::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(RateLimitInput::Window { requests: w.requests, window_ms: w.window_ms })
            }
        }
        d.deserialize_any(Either)
    }
}

/// Reads client options, or every issue with them.
pub fn client(v: &Value, d: &Defaults) -> Result<ClientOptions, Issues> {
    let mut issues = check(CLIENT, v, "");
    if !d.message_method && v.get("messageMethod").is_some() {
        issues.push("messageMethod", code::UNKNOWN_FIELD, "is an option of Mava clients only");
    }
    if let Some(base_url) = v.get("baseUrl").and_then(Value::as_str) {
        if let Err(text) = check_base_url(base_url) {
            issues.push("baseUrl", code::INVALID_URL, text);
        }
    }
    if let Some(api_key) = v.get("apiKey").and_then(Value::as_str) {
        if let Some(text) = key_problem(api_key, d.key_in_header) {
            issues.push("apiKey", code::INVALID_TYPE, text);
        }
    }
    let input = match ClientInput::deserialize(v) {
        Ok(input) if issues.is_empty() => input,
        // Only a check missing from CLIENT could let serde refuse what passed them.
        Ok(_) | Err(_) => {
            if issues.is_empty() {
                issues.push("", code::INVALID_TYPE, "must be an options object");
            }
            return Err(issues);
        }
    };
    Ok(ClientOptions {
        base_url: input.base_url.as_deref().unwrap_or(d.base_url).trim_end_matches('/').into(),
        api_key: input.api_key,
        timeout_ms: input.timeout_ms.unwrap_or(30_000.0),
        max_retries: input.max_retries.unwrap_or(2),
        retry_base_ms: input.retry_base_ms.unwrap_or(500.0),
        retry_max_ms: input.retry_max_ms.unwrap_or(8_000.0),
        max_retry_after_ms: input.max_retry_after_ms.unwrap_or(60_000.0),
        queue_timeout_ms: input.queue_timeout_ms.unwrap_or(QUEUE_TIMEOUT_MS),
        rate_limit: match input.rate_limit {
            None => d.rate_limit,
            Some(RateLimitInput::Switch(true)) => Some(d.rate_limit.unwrap_or(MAVA_RATE_LIMIT)),
            Some(RateLimitInput::Switch(false)) => None,
            Some(RateLimitInput::Window { requests, window_ms }) => Some(RateLimit { requests, window_ms }),
        },
        message_method: input.message_method.unwrap_or(Method::Put),
    })
}

/// What is wrong with an API key, if anything: it travels verbatim (a header value, or a path
/// segment), so what would be changed on the way is refused rather than altered.
fn key_problem(key: &str, in_header: bool) -> Option<&'static str> {
    if !in_header && (key == "." || key == "..") {
        // No encoding helps: URL parsers read `%2e` as `.` too, and drop the segment.
        Some("can't be . or .. (the key is a path segment, where these name the current or parent folder)")
    } else if key.chars().any(|c| c.is_control()) {
        Some("must not contain control characters or line breaks")
    } else if key.trim() != key {
        Some("must not start or end with whitespace (a copied key often does: trim it)")
    } else if in_header && key.chars().any(|c| c > '\u{ff}') {
        Some("must be Latin-1 text (it is sent in a header)")
    } else {
        None
    }
}

/// How long a call may wait for its rate-limit slot (or a shared store) by default: 5 minutes,
/// time for 900 queued calls at Mava's 90 per 30 s.
pub const QUEUE_TIMEOUT_MS: f64 = 300_000.0;

/// The documented Mava limit: 90 requests per 30 seconds per key.
pub const MAVA_RATE_LIMIT: RateLimit = RateLimit { requests: 90, window_ms: 30_000 };

/// Per-call options `{ signal, timeoutMs, queueTimeoutMs, maxRetries, retryCreates, method }`
/// (`signal` is the wasm layer's).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallOptions {
    pub timeout_ms: Option<f64>,
    pub queue_timeout_ms: Option<f64>,
    pub max_retries: Option<u32>,
    #[serde(default)]
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
    match CallOptions::deserialize(v) {
        Ok(o) if issues.is_empty() => Ok(o),
        _ => {
            if issues.is_empty() {
                issues.push("", code::INVALID_TYPE, "must be an options object");
            }
            Err(issues)
        }
    }
}
