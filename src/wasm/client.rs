//! The `Client` class the JavaScript facade wraps: options, `call` (validate → build → send →
//! result or error) and `build`. One shared async path serves every call of both APIs.

use super::convert::{get, request_to_js, set, to_value};
use super::errors::{self, error};
use super::transport::{self, Failure, Reply};
use crate::core::options::{self, CallOptions, ClientOptions};
use crate::core::request::Request;
use crate::core::response::{error_code, error_message, kind_of, ErrorKind};
use crate::core::schema::{validate, Call};
use crate::core::secret::redact;
use crate::core::value::Value;
use crate::mava;
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
}

impl Api {
    pub fn parse(name: &str) -> Option<Api> {
        match name {
            "mava" => Some(Api::Mava),
            _ => None,
        }
    }
    pub fn calls(self) -> &'static [&'static Call] {
        match self {
            Api::Mava => mava::CALLS,
        }
    }
    pub fn find(self, name: &str) -> Option<&'static Call> {
        self.calls().iter().copied().find(|c| c.name == name)
    }
    fn defaults(self) -> &'static options::Defaults {
        match self {
            Api::Mava => &mava::DEFAULTS,
        }
    }
    fn build(self, call: &Call, o: &ClientOptions, input: &Value) -> Request {
        match self {
            Api::Mava => mava::build(call, o, input),
        }
    }
    fn label(self) -> &'static str {
        match self {
            Api::Mava => "Mava",
        }
    }
}

struct Config {
    api: Api,
    options: ClientOptions,
    fetch: Option<Function>,
}

#[wasm_bindgen]
pub struct Client {
    config: Rc<Config>,
}

/// Throws `TypeError`-like misuse of the wasm exports (only the facade calls them).
fn unknown_call(name: &str) -> JsValue {
    let mut m = String::from("unknown call ");
    m.push_str(name);
    error(errors::VALIDATION, "UNKNOWN_CALL", &m).into()
}

/// Reads the function-valued `fetch` option and the rest as data.
fn split_options(js: &JsValue) -> (Value, Result<Option<Function>, ()>) {
    let mut v = to_value(js);
    let fetch = get(js, "fetch");
    let fetch = if fetch.is_undefined() { Ok(None) } else { fetch.dyn_into::<Function>().map(Some).map_err(|_| ()) };
    if let Value::Obj(entries) = &mut v {
        entries.retain(|(k, _)| k != "fetch");
    }
    (v, fetch)
}

#[wasm_bindgen]
impl Client {
    /// `new Client("mava", options)`; throws a `ValidationError` for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(api: &str, options: JsValue) -> Result<Client, JsValue> {
        let api = Api::parse(api).ok_or_else(|| unknown_call(api))?;
        let (value, fetch) = split_options(&options);
        let parsed = options::client(&value, api.defaults());
        let fetch_issue = fetch.is_err();
        match (parsed, fetch) {
            (Ok(options), Ok(fetch)) => Ok(Client { config: Rc::new(Config { api, options, fetch }) }),
            (parsed, _) => {
                let mut issues = parsed.err().map(|i| i.list).unwrap_or_default();
                if fetch_issue {
                    issues.push(crate::core::issue::Issue {
                        path: "fetch".into(),
                        code: crate::core::issue::code::INVALID_TYPE,
                        message: "fetch must be a function".into(),
                    });
                }
                Err(errors::validation(&[api.label(), " client options"].concat(), &issues))
            }
        }
    }

    /// The request `name` would send for `input`, or a thrown `ValidationError`.
    pub fn build(&self, name: &str, input: JsValue) -> Result<JsValue, JsValue> {
        let (_, request) = self.prepare(name, &input, None)?;
        Ok(request_to_js(&request))
    }

    /// Validates, builds and sends `name`; resolves to the parsed response body.
    pub fn call(&self, name: &str, input: JsValue, options: JsValue) -> Promise {
        let call_options = match options::call(&to_value(&options)) {
            Ok(o) => o,
            Err(issues) => return Promise::reject(&errors::validation("call options", &issues.list)),
        };
        let (call, request) = match self.prepare(name, &input, call_options.method) {
            Ok(x) => x,
            Err(e) => return Promise::reject(&e),
        };
        let signal = get(&options, "signal").dyn_into::<AbortSignal>().ok();
        let config = self.config.clone();
        future_to_promise(async move { send(&config, call, &request, &call_options, signal.as_ref()).await })
    }
}

impl Client {
    fn prepare(&self, name: &str, input: &JsValue, method: Option<crate::core::schema::Method>) -> Result<(&'static Call, Request), JsValue> {
        let c = &self.config;
        let call = c.api.find(name).ok_or_else(|| unknown_call(name))?;
        let value = to_value(input);
        let issues = validate(call, &value);
        if !issues.is_empty() {
            return Err(errors::validation(&[name, " input"].concat(), &issues.list));
        }
        let mut request = c.api.build(call, &c.options, &value);
        if let Some(m) = method {
            request.method = m;
        }
        Ok((call, request))
    }
}

/// `METHOD /path` with the key masked: what messages may show of a request.
fn label(config: &Config, request: &Request) -> String {
    let path_start = request.url.find("://").map_or(0, |i| i + 3);
    let path = request.url[path_start..].find('/').map_or("/", |i| &request.url[path_start + i..]);
    let path = path.split('?').next().unwrap_or(path);
    let mut l = String::from(request.method.as_str());
    l.push(' ');
    l.push_str(&redact(path, &config.options.api_key));
    l
}

async fn send(config: &Config, call: &Call, request: &Request, o: &CallOptions, signal: Option<&AbortSignal>) -> Result<JsValue, JsValue> {
    let _ = call;
    let timeout = o.timeout_ms.unwrap_or(config.options.timeout_ms);
    let what = label(config, request);
    let attempts = 1u32;
    match transport::attempt(request, config.fetch.as_ref(), timeout, signal).await {
        Ok(reply) => outcome(config, &what, reply, attempts),
        Err(failure) => Err(failure_error(config, &what, failure, timeout, attempts)),
    }
}

fn outcome(config: &Config, what: &str, reply: Reply, attempts: u32) -> Result<JsValue, JsValue> {
    let ok = (200..300).contains(&reply.status);
    if ok && reply.json {
        return Ok(reply.body);
    }
    let (class, code) = if ok {
        (errors::API, String::from("INVALID_RESPONSE"))
    } else {
        let error_field = get(&reply.body, "error").as_string();
        let class = match kind_of(reply.status) {
            ErrorKind::Api => errors::API,
            ErrorKind::Authentication => errors::AUTHENTICATION,
            ErrorKind::RateLimit => errors::RATE_LIMIT,
        };
        (class, error_code(reply.status, error_field.as_deref()))
    };
    let detail = if ok {
        Some(String::from("the response body is not valid JSON"))
    } else if reply.json {
        get(&reply.body, "message").as_string().or_else(|| get(&reply.body, "error").as_string())
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
