//! One call's attempts, decided here and carried out by the package's JavaScript transport
//! (`pkg-template/transport.js`). The transport asks for the request of each attempt
//! ([`Exchange::next`]), sends it, and reports what happened: a response ([`Exchange::reply`])
//! or none ([`Exchange::failed`]). The answer is the result, or the error the call ends with —
//! carrying `$retryMs` when the transport should wait that long and try again, and `$pauseMs`
//! when a 429 holds every caller of the rate-limit window. No I/O, timers or promises here,
//! so the module stays synchronous and small.

use super::client::{Api, Config};
use super::convert::{get, parse_json, request_to_js, set};
use super::errors::{self, error};
use crate::core::format;
use crate::core::issue::push_uint;
use crate::core::options::CallOptions;
use crate::core::request::Request;
use crate::core::response::{error_message, ErrorKind};
use crate::core::retry::{decide, parse_retry_after, Decision, Ended, Policy};
use crate::core::schema::Repeat;
use crate::core::secret::redact;
use alloc::rc::Rc;
use alloc::string::String;
use js_sys::{JsString, Object};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

/// Why an attempt got no response, as the transport reports it.
pub mod failure {
    /// The per-attempt timeout fired.
    pub const TIMEOUT: u8 = 0;
    /// The caller's signal aborted (before, during or between attempts).
    pub const ABORTED: u8 = 1;
    /// `fetch` rejected or returned something that is not a `Response`.
    pub const NETWORK: u8 = 2;
    /// The rate-limit store's `acquire` failed: reported, never retried.
    pub const STORE: u8 = 3;
}

#[wasm_bindgen]
pub struct Exchange {
    config: Rc<Config>,
    repeat: Repeat,
    action: String,
    request: Request,
    /// The request's path with the key masked: what messages show of it, after the method.
    path: String,
    policy: Policy,
    timeout_ms: f64,
    attempts: u32,
}

impl Exchange {
    pub(super) fn new(config: Rc<Config>, repeat: Repeat, action: &str, request: Request, o: &CallOptions) -> Exchange {
        let c = &config.options;
        let policy = Policy {
            max_retries: o.max_retries.unwrap_or(c.max_retries),
            base_ms: c.retry_base_ms,
            cap_ms: c.retry_max_ms,
            max_retry_after_ms: c.max_retry_after_ms,
            retry_creates: o.retry_creates,
        };
        let timeout_ms = o.timeout_ms.unwrap_or(c.timeout_ms);
        let path = masked_path(&request.url, &c.api_key);
        Exchange { config, repeat, action: action.into(), request, path, policy, timeout_ms, attempts: 0 }
    }

    /// The error, marked for a retry when the policy allows one after this attempt.
    fn decided(&self, e: Object, ended: Ended, retry_after: Option<f64>) -> JsValue {
        if let Decision::Retry(ms) = decide(&self.policy, self.repeat, self.attempts, ended, retry_after, js_sys::Math::random()) {
            set(&e, "$retryMs", &ms.into());
        }
        e.into()
    }

    fn outcome(&self, status: u16, headers: Object, text: &JsString, retry_after: Option<f64>) -> Result<JsValue, Object> {
        let blank = text.trim().length() == 0;
        let (body, json) = if blank {
            (JsValue::NULL, true)
        } else {
            match parse_json(text) {
                Ok(v) => (v, true),
                Err(_) => (JsValue::from(text), false),
            }
        };
        let ok = (200..300).contains(&status);
        let (class, code) = match self.failure(status, &body) {
            // An empty body is only an answer for 204 No Content.
            None if json && (status == 204 || !blank) => return Ok(body),
            None => (errors::API, String::from("INVALID_RESPONSE")),
            Some((ErrorKind::Api, code)) => (errors::API, code),
            Some((ErrorKind::Authentication, code)) => (errors::AUTHENTICATION, code),
            Some((ErrorKind::RateLimit, code)) => (errors::RATE_LIMIT, code),
        };
        let detail = if ok && blank {
            Some(String::from("the response body is empty"))
        } else if ok && !json {
            Some(String::from("the response body is not valid JSON"))
        } else if json {
            ["message", "error", "status"].iter().find_map(|k| get(&body, k).as_string())
        } else {
            text.as_string()
        };
        let message = redact(&error_message(self.request.method.as_str(), &self.path, status, &code, detail.as_deref()), &self.config.options.api_key);
        let e = error(class, &code, &message);
        set(&e, "status", &status.into());
        set(&e, "body", &body);
        set(&e, "headers", &headers.into());
        set(&e, "attempts", &self.attempts.into());
        if let Some(ms) = retry_after {
            set(&e, "retryAfterMs", &ms.into());
        }
        Err(e)
    }

    /// Whether a response that arrived is a failure, and its class and code.
    fn failure(&self, status: u16, body: &JsValue) -> Option<(ErrorKind, String)> {
        match self.config.api {
            Api::Mava => (!(200..300).contains(&status)).then(|| {
                let field = get(body, "error").as_string();
                (crate::core::response::kind_of(status), crate::core::response::error_code(status, field.as_deref()))
            }),
            Api::Mavibot => crate::mavibot::failure(&self.action, status, get(body, "status").as_string().as_deref()),
        }
    }
}

#[wasm_bindgen]
impl Exchange {
    /// The next attempt: its request `{ method, url, headers, body }` and `timeoutMs`, how long
    /// it may take before the transport aborts it. Counts the attempt.
    pub fn next(&mut self) -> JsValue {
        self.attempts += 1;
        let attempt = request_to_js(&self.request);
        set(attempt.unchecked_ref(), "timeoutMs", &self.timeout_ms.into());
        attempt
    }

    /// A response arrived: the parsed body, or the error (thrown) that this status or body means.
    pub fn reply(&self, status: u16, headers: Object, text: JsString) -> Result<JsValue, JsValue> {
        let retry_after = get(&headers, "retry-after").as_string().and_then(|v| parse_retry_after(&v, js_sys::Date::now()));
        let e = match self.outcome(status, headers, &text, retry_after) {
            Ok(body) => return Ok(body),
            Err(e) => e,
        };
        if status == 429 {
            if let Some(ms) = retry_after {
                set(&e, "$pauseMs", &ms.into());
            }
        }
        Err(self.decided(e, Ended::Status(status), retry_after))
    }

    /// No response arrived ([`failure`] says why; `cause` is what was thrown): the error.
    pub fn failed(&self, kind: u8, cause: JsValue) -> JsValue {
        let mut m = String::from(self.request.method.as_str());
        m.push(' ');
        m.push_str(&self.path);
        let (e, ended) = match kind {
            failure::TIMEOUT => {
                m.push_str(" timed out after ");
                push_uint(&mut m, self.timeout_ms as u64);
                m.push_str(" ms");
                (error(errors::TIMEOUT, "TIMEOUT", &m), Some(Ended::Timeout))
            }
            failure::ABORTED => {
                m.push_str(" was aborted");
                (error(errors::ABORT, "ABORTED", &m), None)
            }
            _ => {
                let (cause, text) = safe_cause(&cause, &self.config.options.api_key);
                m.push_str(" failed: ");
                m.push_str(&text);
                let e = error(errors::NETWORK, "NETWORK_ERROR", &m);
                set(&e, "cause", &cause);
                (e, (kind == failure::NETWORK).then_some(Ended::Network))
            }
        };
        set(&e, "attempts", &self.attempts.into());
        match ended {
            Some(ended) => self.decided(e, ended, None),
            None => e.into(),
        }
    }
}

/// The path of `url` (no query), the key masked.
fn masked_path(url: &str, secret: &str) -> String {
    let after_scheme = format::find(url, "://").map_or(0, |i| i + 3);
    let rest = url.get(after_scheme..).unwrap_or_default();
    let path = format::position(rest, |b| b == b'/').and_then(|i| rest.get(i..)).unwrap_or("/");
    redact(format::before(path, b'?'), secret)
}

/// `{ name, message }` of a thrown value, with the secret masked: a `cause` safe to expose.
fn safe_cause(e: &JsValue, secret: &str) -> (JsValue, String) {
    let name = get(e, "name").as_string().unwrap_or_else(|| "Error".into());
    let mut message = get(e, "message").as_string().or_else(|| e.as_string()).unwrap_or_default();
    // undici hides the useful part ("connect ECONNREFUSED …") in `cause`.
    if let Some(inner) = get(&get(e, "cause"), "message").as_string() {
        message.push_str(" (");
        message.push_str(&inner);
        message.push(')');
    }
    let message = redact(&message, secret);
    let cause = js_sys::Error::new(&message);
    set(&cause, "name", &name.into());
    (cause.into(), message)
}
