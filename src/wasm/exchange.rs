//! One call's attempts, decided here and carried out by the async driver
//! ([`super::transport`]): the request ([`Exchange::request`]) and time limit of each attempt
//! ([`Exchange::next`]), and for what
//! happened — a response ([`Exchange::reply`]) or none ([`Exchange::failed`]) — the result, or
//! the error the call ends with, and whether and when to try again. No I/O, timers or promises
//! here: every decision is synchronous and testable on its own.

use super::client::{Api, Config};
use super::convert::{from_tree, get, is_array, parse_json, to_js};
use super::errors::{self, Headers, SdkError};
use crate::core::issue::push_uint;
use crate::core::options::CallOptions;
use crate::core::request::{base_path_hint, Request};
use crate::core::response::{error_message, Answer, ErrorKind};
use crate::core::retry::{decide, parse_retry_after, Decision, Ended, Policy};
use crate::core::schema::Repeat;
use crate::core::secret::Redactor;
use crate::core::value::Value;
use js_sys::JsString;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// Why an attempt got no response.
pub enum Failure {
    /// The per-attempt timeout fired.
    Timeout,
    /// The caller's signal aborted (before, during or between attempts).
    Aborted,
    /// `fetch` failed (refused, reset, DNS, CORS …) or answered with something that is not a
    /// `Response`; the original error (or a description).
    Network(JsValue),
    /// The rate-limit store failed (its error): reported, never retried.
    Store(JsValue),
    /// No rate-limit slot (or store answer) within the call's `queueTimeoutMs`.
    QueueTimeout,
}

/// What the call does next.
pub enum Outcome {
    /// It resolves to this.
    Done(JsValue),
    /// It fails with `error`, unless `retry_ms` says to try again after that long; `pause_ms`
    /// holds the whole rate-limit window (a 429's `Retry-After`).
    Failed { error: SdkError, retry_ms: Option<f64>, pause_ms: Option<f64> },
}

pub struct Exchange {
    config: Rc<Config>,
    repeat: Repeat,
    /// What a success must answer.
    answer: Answer,
    action: String,
    request: Request,
    /// The request's path with the key masked: what messages show of it, after the method.
    path: String,
    policy: Policy,
    timeout_ms: f64,
    queue_timeout_ms: f64,
    attempts: u32,
    mask: Redactor,
}

impl Exchange {
    pub(super) fn new(config: Rc<Config>, repeat: Repeat, answer: Answer, action: &str, request: Request, o: &CallOptions) -> Exchange {
        let c = &config.options;
        let policy = Policy {
            max_retries: o.max_retries.unwrap_or(c.max_retries),
            base_ms: c.retry_base_ms,
            cap_ms: c.retry_max_ms,
            max_retry_after_ms: c.max_retry_after_ms,
            retry_creates: o.retry_creates,
        };
        let mask = Redactor::new(&c.api_key);
        let path = mask.apply(masked_path(&request.url));
        Exchange {
            timeout_ms: o.timeout_ms.unwrap_or(c.timeout_ms),
            queue_timeout_ms: o.queue_timeout_ms.unwrap_or(c.queue_timeout_ms),
            config,
            repeat,
            answer,
            action: action.into(),
            request,
            path,
            policy,
            attempts: 0,
            mask,
        }
    }

    /// Begins the next attempt: counts it and gives how long it may take.
    pub fn next(&mut self) -> f64 {
        self.attempts += 1;
        self.timeout_ms
    }

    pub fn request(&self) -> &Request {
        &self.request
    }

    /// How long the call may wait for a rate-limit slot.
    pub fn queue_timeout_ms(&self) -> f64 {
        self.queue_timeout_ms
    }

    /// A response arrived: its status, its headers (lower-case names; read only for an error)
    /// and its body text.
    pub fn reply(&self, status: u16, headers: &dyn Fn() -> Vec<(String, String)>, text: &JsString) -> Outcome {
        let blank = text.trim().length() == 0;
        let parsed = if blank { Ok(JsValue::NULL) } else { parse_json(text) };
        let field = |key: &str| parsed.as_ref().ok().and_then(|json| get(json, key).as_string());
        // A success that isn't what the call answers (empty, not JSON, not the documented
        // shape) is an error, as its types say: never handed over as the typed result.
        let (class, code, wrong) = match self.failure(status, field("error"), field("status")) {
            None => {
                let wrong = match &parsed {
                    _ if blank => "the response body is empty".into(),
                    Err(_) => "the response body is not valid JSON".into(),
                    Ok(json) if fits(json, self.answer) => return Outcome::Done(json.clone()),
                    Ok(_) => self.answer.describe(),
                };
                (errors::API, String::from("INVALID_RESPONSE"), Some(wrong))
            }
            Some((ErrorKind::Api, code)) => (errors::API, code, None),
            Some((ErrorKind::Authentication, code)) => (errors::AUTHENTICATION, code, None),
            Some((ErrorKind::RateLimit, code)) => (errors::RATE_LIMIT, code, None),
        };
        let headers = headers();
        let retry_after = headers.iter().find(|(k, _)| k == "retry-after").and_then(|(_, v)| parse_retry_after(v, js_sys::Date::now()));
        let body = match &parsed {
            Ok(json) => from_tree(json),
            Err(_) => Value::Str(String::from(text)),
        };
        let detail = wrong.or_else(|| match &body {
            Value::Str(text) => Some(text.clone()),
            json => ["message", "error", "status"].iter().find_map(|k| json.get(k).and_then(Value::as_str).map(String::from)),
        });
        let mut message = error_message(self.request.method.as_str(), &self.path, status, &code, detail.as_deref());
        if let Some(hint) = (status == 404).then(|| base_path_hint(&self.config.options.base_url)).flatten() {
            message.push(' ');
            message.push_str(&hint);
        }
        let message = self.mask.apply(message);
        let mut e = SdkError::new(class, &code, message);
        e.status = Some(status);
        e.body = self.masked_body(&body, parsed.ok());
        e.headers = Some(Headers(headers.into_iter().map(|(k, v)| (k, self.mask.apply(v))).collect()));
        e.attempts = Some(self.attempts);
        e.retry_after_ms = retry_after;
        let retry_ms = self.retry(Ended::Status(status), retry_after);
        // A 429's Retry-After holds every caller of the window, but never for longer than the
        // client would wait itself.
        let pause_ms = (status == 429).then_some(retry_after).flatten().map(|ms| ms.min(self.policy.max_retry_after_ms));
        Outcome::Failed { error: e, retry_ms, pause_ms }
    }

    /// The body for an error: as parsed when it holds no trace of the key, else a masked copy.
    fn masked_body(&self, body: &Value, parsed: Option<JsValue>) -> JsValue {
        match parsed {
            Some(json) if !body.any_string(&|s| self.mask.finds(s)) => json,
            _ => to_js(&body.map_strings(&|s| self.mask.apply(s.into()))),
        }
    }

    /// Whether a response that arrived is a failure, and its class and code, from its status
    /// and its body's `error` and `status` fields (when text).
    fn failure(&self, status: u16, error: Option<String>, body_status: Option<String>) -> Option<(ErrorKind, String)> {
        match self.config.api {
            Api::Mava => (!(200..300).contains(&status))
                .then(|| (crate::core::response::kind_of(status), crate::core::response::error_code(status, error.as_deref()))),
            Api::Mavibot => crate::mavibot::failure(&self.action, status, body_status.as_deref()),
        }
    }

    /// No response arrived; `cause` is what was thrown, if anything.
    pub fn failed(&self, why: Failure) -> Outcome {
        let mut m = format!("{} {}", self.request.method.as_str(), self.path);
        let (mut e, ended) = match why {
            Failure::Timeout => {
                m.push_str(" timed out after ");
                push_uint(&mut m, self.timeout_ms as u64);
                m.push_str(" ms");
                (SdkError::new(errors::TIMEOUT, "TIMEOUT", m), Some(Ended::Timeout))
            }
            Failure::QueueTimeout => {
                m.push_str(" waited ");
                push_uint(&mut m, self.queue_timeout_ms as u64);
                m.push_str(" ms for a rate-limit slot without getting one (queueTimeoutMs)");
                (SdkError::new(errors::TIMEOUT, "QUEUE_TIMEOUT", m), None)
            }
            Failure::Aborted => {
                m.push_str(" was aborted");
                (SdkError::new(errors::ABORT, "ABORTED", m), None)
            }
            Failure::Network(cause) => {
                let (cause, text) = safe_cause(&cause, &self.mask);
                m.push_str(" failed: ");
                m.push_str(&text);
                let mut e = SdkError::new(errors::NETWORK, "NETWORK_ERROR", m);
                e.cause = cause;
                (e, Some(Ended::Network))
            }
            Failure::Store(cause) => {
                let (cause, text) = safe_cause(&cause, &self.mask);
                m.push_str(" failed: the rate-limit store's acquire failed: ");
                m.push_str(&text);
                let mut e = SdkError::new(errors::NETWORK, "NETWORK_ERROR", m);
                e.cause = cause;
                (e, None)
            }
        };
        e.attempts = Some(self.attempts);
        let retry_ms = ended.and_then(|ended| self.retry(ended, None));
        Outcome::Failed { error: e, retry_ms, pause_ms: None }
    }

    /// How long to wait before trying again after this attempt ended so, if the policy allows.
    fn retry(&self, ended: Ended, retry_after: Option<f64>) -> Option<f64> {
        match decide(&self.policy, self.repeat, self.attempts, ended, retry_after, js_sys::Math::random()) {
            Decision::Retry(ms) => Some(ms),
            Decision::Stop => None,
        }
    }
}

/// Whether a parsed body is what the call answers.
fn fits(json: &JsValue, answer: Answer) -> bool {
    let object = |v: &JsValue| v.is_object() && !is_array(v);
    match answer {
        Answer::Any => true,
        Answer::Array => is_array(json),
        Answer::Object(keys) => object(json) && keys.iter().all(|k| is_array(&get(json, k))),
    }
}

/// The path of `url` (no query).
fn masked_path(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let rest = url.get(after_scheme..).unwrap_or_default();
    let path = rest.find('/').and_then(|i| rest.get(i..)).unwrap_or("/");
    path.split('?').next().unwrap_or_default().into()
}

/// A `cause` safe to expose, and its text for the message: the original error when nothing in
/// it shows the key, else a copy of the same name with the key masked.
pub(super) fn safe_cause(e: &JsValue, mask: &Redactor) -> (JsValue, String) {
    let name = get(e, "name").as_string().unwrap_or_else(|| "Error".into());
    let own = get(e, "message").as_string().or_else(|| e.as_string()).unwrap_or_else(|| describe(e));
    // undici hides the useful part ("connect ECONNREFUSED …") in `cause`.
    let inner = get(&get(e, "cause"), "message").as_string();
    let stack = get(e, "stack").as_string();
    let mut text = own.clone();
    if let Some(inner) = &inner {
        text.push_str(" (");
        text.push_str(inner);
        text.push(')');
    }
    let leaks = [Some(&own), inner.as_ref(), stack.as_ref()].into_iter().flatten().any(|s| mask.finds(s));
    if !leaks && is_error(e) {
        return (e.clone(), text);
    }
    let masked = js_sys::Error::new(&mask.apply(own));
    masked.set_name(&name);
    (masked.into(), mask.apply(text))
}

/// Whether `e` is an `Error` of any realm (not a proxy or a look-alike).
fn is_error(e: &JsValue) -> bool {
    super::convert::tag_of(e).ok().and_then(|t| t.as_string()).as_deref() == Some("[object Error]")
}

/// A thrown value that is not an Error, in words (`throw null`, `throw 42`).
fn describe(e: &JsValue) -> String {
    if e.is_null() {
        "null was thrown".into()
    } else if e.is_undefined() {
        "undefined was thrown".into()
    } else if let Some(n) = e.as_f64() {
        format!("{n} was thrown")
    } else {
        "a non-Error value was thrown".into()
    }
}
