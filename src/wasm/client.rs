//! The `Client` class the JavaScript facade wraps: options, `call` (validate → build → send →
//! result or error) and `build`. One shared async path serves every call of both APIs.

use super::convert::{get, request_to_js, set, to_value};
use super::errors::{self, error};
use super::transport::{self, Failure, Reply};
use crate::core::issue::{code, Issues};
use crate::core::options::{self, CallOptions, ClientOptions};
use crate::core::request::Request;
use crate::core::response::{error_code, error_message, kind_of, ErrorKind};
use crate::core::retry::{decide, parse_retry_after, Decision, Ended, Policy};
use super::limiter::Gate;
use crate::core::schema::{validate, Call, Method};
use crate::core::secret::redact;
use crate::core::value::Value;
use crate::{mava, mavibot};
use js_sys::{Function, Promise};
use std::rc::Rc;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

/// Which API a client talks to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Api {
    Mava,
    Mavibot,
}

impl Api {
    pub fn parse(name: &str) -> Option<Api> {
        match name {
            "mava" => Some(Api::Mava),
            "mavibot" => Some(Api::Mavibot),
            _ => None,
        }
    }
    pub fn calls(self) -> &'static [&'static Call] {
        match self {
            Api::Mava => mava::CALLS,
            Api::Mavibot => mavibot::CALLS,
        }
    }
    pub fn find(self, name: &str) -> Option<&'static Call> {
        self.calls().iter().copied().find(|c| c.name == name)
    }
    fn defaults(self) -> &'static options::Defaults {
        match self {
            Api::Mava => &mava::DEFAULTS,
            Api::Mavibot => &mavibot::DEFAULTS,
        }
    }
    fn build(self, call: &Call, action: &str, method: Option<Method>, o: &ClientOptions, input: &Value) -> Request {
        match self {
            Api::Mava => mava::build(call, o, input),
            Api::Mavibot => mavibot::build(call, action, method.unwrap_or(call.method), o, input),
        }
    }
    /// Whether a response that arrived is a failure, and its class and code.
    fn failure(self, action: &str, reply: &Reply) -> Option<(ErrorKind, String)> {
        match self {
            Api::Mava => (!(200..300).contains(&reply.status))
                .then(|| (kind_of(reply.status), error_code(reply.status, get(&reply.body, "error").as_string().as_deref()))),
            Api::Mavibot => mavibot::failure(action, reply.status, get(&reply.body, "status").as_string().as_deref()),
        }
    }
    fn label(self) -> &'static str {
        match self {
            Api::Mava => "Mava",
            Api::Mavibot => "Mavibot",
        }
    }
}

struct Config {
    api: Api,
    options: ClientOptions,
    fetch: Option<Function>,
    gate: Gate,
}

#[wasm_bindgen]
pub struct Client {
    config: Rc<Config>,
}

/// The error for a call name the facade doesn't know (only the facade calls these exports).
fn unknown_call(name: &str) -> JsValue {
    let mut m = String::from("unknown call ");
    m.push_str(name);
    error(errors::VALIDATION, "UNKNOWN_CALL", &m).into()
}

#[wasm_bindgen]
impl Client {
    /// `new Client("mava", options)`; throws a `ValidationError` for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(api: &str, js_options: JsValue) -> Result<Client, JsValue> {
        let api = Api::parse(api).ok_or_else(|| unknown_call(api))?;
        let fetch = get(&js_options, "fetch");
        let fetch_fn = fetch.dyn_ref::<Function>().cloned();
        let (parsed, mut issues) = match options::client(&to_value(&js_options), api.defaults()) {
            Ok(o) => (Some(o), Issues::default()),
            Err(issues) => (None, issues),
        };
        if fetch_fn.is_none() && !fetch.is_undefined() {
            issues.push("fetch", code::INVALID_TYPE, "must be a function");
        }
        match parsed {
            Some(options) if issues.is_empty() => {
                let store = get(&get(&js_options, "rateLimit"), "store");
                let gate = Gate::new(options.rate_limit, store, &options.base_url, &options.api_key);
                Ok(Client { config: Rc::new(Config { api, options, fetch: fetch_fn, gate }) })
            }
            _ => Err(errors::validation(&[api.label(), " client options"].concat(), &issues.list)),
        }
    }

    /// The request `name` would send for `input`, or a thrown `ValidationError`.
    pub fn build(&self, name: &str, input: JsValue) -> Result<JsValue, JsValue> {
        let call = self.config.api.find(name).ok_or_else(|| unknown_call(name))?;
        let request = self.prepare(call, call.path, &input, None)?;
        Ok(request_to_js(&request))
    }

    /// Validates, builds and sends `name`; resolves to the parsed response body.
    pub fn call(&self, name: &str, input: JsValue, options: JsValue) -> Promise {
        match self.config.api.find(name) {
            Some(call) => self.send(call, call.path, input, options),
            None => Promise::reject(&unknown_call(name)),
        }
    }

    /// `bot.call(action, params, { method })`: an action the SDK doesn't describe.
    #[wasm_bindgen(js_name = callAction)]
    pub fn call_action(&self, action: JsValue, params: JsValue, options: JsValue) -> Promise {
        let issues = mavibot::check_action(&to_value(&action));
        if !issues.is_empty() || self.config.api != Api::Mavibot {
            return Promise::reject(&errors::validation("call action", &issues.list));
        }
        let action = action.as_string().unwrap_or_default();
        self.send(&mavibot::ANY_ACTION, &action, params, options)
    }
}

impl Client {
    fn send(&self, call: &'static Call, action: &str, input: JsValue, options: JsValue) -> Promise {
        let call_options = match options::call(&to_value(&options), self.config.api == Api::Mavibot) {
            Ok(o) => o,
            Err(issues) => return Promise::reject(&errors::validation("call options", &issues.list)),
        };
        let request = match self.prepare(call, action, &input, call_options.method) {
            Ok(r) => r,
            Err(e) => return Promise::reject(&e),
        };
        let signal = get(&options, "signal").dyn_into::<AbortSignal>().ok();
        let config = self.config.clone();
        let action = String::from(action);
        future_to_promise(async move { send(&config, call, &action, &request, &call_options, signal.as_ref()).await })
    }

    fn prepare(&self, call: &Call, action: &str, input: &JsValue, method: Option<Method>) -> Result<Request, JsValue> {
        let c = &self.config;
        let value = to_value(input);
        let issues = validate(call, &value);
        if !issues.is_empty() {
            return Err(errors::validation(&[call.name, " input"].concat(), &issues.list));
        }
        Ok(c.api.build(call, action, method, &c.options, &value))
    }
}

/// `METHOD /path` with the key masked: what messages may show of a request.
fn label(config: &Config, request: &Request) -> String {
    let after_scheme = crate::core::format::find(&request.url, "://").map_or(0, |i| i + 3);
    let rest = request.url.get(after_scheme..).unwrap_or_default();
    let path = rest.find('/').and_then(|i| rest.get(i..)).unwrap_or("/");
    let path = path.split('?').next().unwrap_or(path);
    let mut l = String::from(request.method.as_str());
    l.push(' ');
    l.push_str(&redact(path, &config.options.api_key));
    l
}

/// The attempts of one call: wait for the rate limit, send, and retry as `core::retry`
/// decides, sleeping between attempts; every error reports how many attempts were made.
async fn send(config: &Config, call: &Call, action: &str, request: &Request, o: &CallOptions, signal: Option<&AbortSignal>) -> Result<JsValue, JsValue> {
    let timeout = o.timeout_ms.unwrap_or(config.options.timeout_ms);
    let what = label(config, request);
    let c = &config.options;
    let policy = Policy {
        max_retries: o.max_retries.unwrap_or(c.max_retries),
        base_ms: c.retry_base_ms,
        cap_ms: c.retry_max_ms,
        max_retry_after_ms: c.max_retry_after_ms,
        retry_creates: o.retry_creates,
    };
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        if let Err(cause) = config.gate.acquire(signal).await {
            let failure = if signal.is_some_and(AbortSignal::aborted) { Failure::Aborted } else { Failure::Network(cause) };
            return Err(failure_error(config, &what, failure, timeout, attempt));
        }
        let (ended, retry_after, error) = match transport::attempt(request, config.fetch.as_ref(), timeout, signal).await {
            Ok(reply) => {
                let retry_after = reply.retry_after.as_deref().and_then(|v| parse_retry_after(v, js_sys::Date::now()));
                let status = reply.status;
                match outcome(config, action, &what, reply, attempt, retry_after) {
                    Ok(body) => return Ok(body),
                    Err(e) => (Ended::Status(status), retry_after, e),
                }
            }
            Err(Failure::Aborted) => return Err(failure_error(config, &what, Failure::Aborted, timeout, attempt)),
            Err(failure) => {
                let ended = if matches!(failure, Failure::Timeout) { Ended::Timeout } else { Ended::Network };
                (ended, None, failure_error(config, &what, failure, timeout, attempt))
            }
        };
        if ended == Ended::Status(429) {
            config.gate.pause_for(retry_after.unwrap_or(0.0));
        }
        match decide(&policy, call.repeat, attempt, ended, retry_after, js_sys::Math::random()) {
            Decision::Stop => return Err(error),
            Decision::Retry(ms) => {
                if !super::timer::sleep_unless_aborted(ms, signal).await {
                    return Err(failure_error(config, &what, Failure::Aborted, timeout, attempt));
                }
            }
        }
    }
}

fn outcome(config: &Config, action: &str, what: &str, reply: Reply, attempts: u32, retry_after: Option<f64>) -> Result<JsValue, JsValue> {
    let ok = (200..300).contains(&reply.status);
    let (class, code) = match config.api.failure(action, &reply) {
        // An empty body is only an answer for 204 No Content.
        None if reply.json && (reply.status == 204 || !reply.text.trim().is_empty()) => return Ok(reply.body),
        None => (errors::API, String::from("INVALID_RESPONSE")),
        Some((ErrorKind::Api, code)) => (errors::API, code),
        Some((ErrorKind::Authentication, code)) => (errors::AUTHENTICATION, code),
        Some((ErrorKind::RateLimit, code)) => (errors::RATE_LIMIT, code),
    };
    let detail = if ok && reply.text.trim().is_empty() {
        Some(String::from("the response body is empty"))
    } else if ok && !reply.json {
        Some(String::from("the response body is not valid JSON"))
    } else if reply.json {
        ["message", "error", "status"].iter().find_map(|k| get(&reply.body, k).as_string())
    } else {
        Some(reply.text.clone())
    };
    let (method, path) = what.split_once(' ').unwrap_or((what, ""));
    let message = redact(&error_message(method, path, reply.status, &code, detail.as_deref()), &config.options.api_key);
    let e = error(class, &code, &message);
    set(&e, "status", &reply.status.into());
    set(&e, "body", &reply.body);
    set(&e, "headers", &reply.headers.into());
    set(&e, "attempts", &attempts.into());
    if let Some(ms) = retry_after {
        set(&e, "retryAfterMs", &ms.into());
    }
    Err(e.into())
}

fn failure_error(config: &Config, what: &str, failure: Failure, timeout_ms: f64, attempts: u32) -> JsValue {
    let e = match failure {
        Failure::Timeout => {
            let mut m = String::from(what);
            m.push_str(" timed out after ");
            crate::core::issue::push_uint(&mut m, timeout_ms as u64);
            m.push_str(" ms");
            error(errors::TIMEOUT, "TIMEOUT", &m)
        }
        Failure::Aborted => {
            let mut m = String::from(what);
            m.push_str(" was aborted");
            error(errors::ABORT, "ABORTED", &m)
        }
        Failure::Network(cause) => {
            let (cause, text) = transport::safe_cause(&cause, &config.options.api_key);
            let mut m = String::from(what);
            m.push_str(" failed: ");
            m.push_str(&text);
            let e = error(errors::NETWORK, "NETWORK_ERROR", &m);
            set(&e, "cause", &cause);
            e
        }
    };
    set(&e, "attempts", &attempts.into());
    e.into()
}
