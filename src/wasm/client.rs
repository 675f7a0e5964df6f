//! The `Client` class the JavaScript facade wraps: options, `build`, and `send`, which
//! validates a call and hands it to the async driver ([`super::transport::run`]), returning a
//! `Promise`. One shared path serves every call of both APIs.

use super::convert::{get, read, to_js};
use super::errors::{self, SdkError};
use super::exchange::Exchange;
use super::limiter::Gate;
use super::timer::{is_abort_signal, Signal};
use crate::core::issue::{code, Issues};
use crate::core::options::{self, ClientOptions};
use crate::core::request::Request;
use crate::core::response::Answer;
use crate::core::schema::{validate, Call, Method};
use crate::core::value::Value;
use crate::{mava, mavibot};
use js_sys::{Function, Promise};
use serde::Serialize;
use std::rc::Rc;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::future_to_promise;

/// Which API a client talks to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Api {
    Mava,
    Mavibot,
}

impl Api {
    /// The facade names an API by a flag: `true` for Mava, `false` for Mavibot.
    pub fn of(mava: bool) -> Api {
        if mava {
            Api::Mava
        } else {
            Api::Mavibot
        }
    }
    pub fn calls(self) -> &'static [&'static Call] {
        match self {
            Api::Mava => mava::CALLS,
            Api::Mavibot => mavibot::CALLS,
        }
    }
    /// The call at `index` of [`Api::calls`] (the facade names calls by their position).
    pub fn get(self, index: usize) -> Option<&'static Call> {
        self.calls().get(index).copied()
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
    fn answer(self, call: &Call) -> Answer {
        match self {
            Api::Mava => mava::answer(call),
            Api::Mavibot => mavibot::answer(call),
        }
    }
    fn label(self) -> &'static str {
        match self {
            Api::Mava => "Mava",
            Api::Mavibot => "Mavibot",
        }
    }
}

pub(super) struct Config {
    pub api: Api,
    pub options: ClientOptions,
}

#[wasm_bindgen]
pub struct Client {
    config: Rc<Config>,
    /// The caller's `fetch`, if given.
    fetch: Option<Function>,
    gate: Rc<Gate>,
}

/// The error for a call the module doesn't describe (only the facade calls these
/// exports, with what `calls` listed).
fn unknown_call() -> JsValue {
    SdkError::new(errors::VALIDATION, "UNKNOWN_CALL", "unknown call".into()).to_js()
}

/// `{ method, url, headers, body }`, as `build.*` returns it.
#[derive(Serialize)]
struct Built<'a> {
    method: &'static str,
    url: &'a str,
    headers: errors::Headers,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a str>,
}

pub fn request_to_js(r: &Request) -> JsValue {
    let headers = errors::Headers(r.headers.iter().map(|(k, v)| ((*k).into(), v.clone())).collect());
    to_js(&Built { method: r.method.as_str(), url: &r.url, headers, body: r.body.as_deref() })
}

#[wasm_bindgen]
impl Client {
    /// `new Client(true, options)` for Mava (`false`: Mavibot); throws a `ValidationError`
    /// for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(mava: bool, js_options: JsValue) -> Result<Client, JsValue> {
        let api = Api::of(mava);
        let fetch = get(&js_options, "fetch");
        let store = get(&get(&js_options, "rateLimit"), "store");
        let (parsed, mut issues) = match options::client(&read(&js_options), api.defaults()) {
            Ok(o) => (Some(o), Issues::default()),
            Err(issues) => (None, issues),
        };
        if !fetch.is_undefined() && !fetch.is_function() {
            issues.push("fetch", code::INVALID_TYPE, "must be a function");
        }
        if !store.is_undefined() && !store.is_null() && !get(&store, "acquire").is_function() {
            issues.push("rateLimit.store", code::INVALID_TYPE, "must be an object with an acquire function");
        }
        match parsed {
            Some(options) if issues.is_empty() => {
                let gate = Gate::new(options.rate_limit, store, &options.base_url, &options.api_key);
                Ok(Client { config: Rc::new(Config { api, options }), fetch: fetch.dyn_into().ok(), gate: Rc::new(gate) })
            }
            _ => Err(errors::validation(api.label(), " client options", &issues.into_list())),
        }
    }

    /// The request call number `call` (of `calls`) would send for `input`, or a thrown
    /// `ValidationError`.
    pub fn build(&self, call: usize, input: JsValue) -> Result<JsValue, JsValue> {
        let call = self.config.api.get(call).ok_or_else(unknown_call)?;
        let request = self.prepare(call, call.path, &input, None)?;
        Ok(request_to_js(&request))
    }

    /// Sends call number `call`: a promise of the parsed body, rejected with an error object
    /// (a `ValidationError` for bad input or options, before anything is sent).
    pub fn send(&self, call: usize, input: JsValue, options: JsValue) -> Promise {
        match self.config.api.get(call).ok_or_else(unknown_call) {
            Ok(spec) => self.start(spec, spec.path, &input, &options),
            Err(e) => Promise::reject(&e),
        }
    }

    /// `bot.call(action, params, { method })`: an action the SDK doesn't describe.
    #[wasm_bindgen(js_name = sendAction)]
    pub fn send_action(&self, action: JsValue, params: JsValue, options: JsValue) -> Promise {
        let name = read(&action);
        let issues = mavibot::check_action(&name);
        if !issues.is_empty() || self.config.api != Api::Mavibot {
            return Promise::reject(&errors::validation("call action", "", &issues.into_list()));
        }
        let action = name.as_str().unwrap_or_default().to_owned();
        self.start(&mavibot::ANY_ACTION, &action, &params, &options)
    }
}

impl Client {
    /// The exchange `send` would run for call number `call` (for tests of its decisions).
    pub fn exchange_for(&self, call: usize, input: &JsValue, options: &JsValue) -> Result<Exchange, JsValue> {
        let spec = self.config.api.get(call).ok_or_else(unknown_call)?;
        self.exchange(spec, spec.path, input, options).map(|(exchange, _)| exchange)
    }

    fn start(&self, call: &Call, action: &str, input: &JsValue, options: &JsValue) -> Promise {
        match self.exchange(call, action, input, options) {
            Ok((exchange, signal)) => future_to_promise(super::transport::run(exchange, self.fetch.clone(), self.gate.clone(), signal)),
            Err(e) => Promise::reject(&e),
        }
    }

    fn exchange(&self, call: &Call, action: &str, input: &JsValue, options: &JsValue) -> Result<(Exchange, Option<Signal>), JsValue> {
        let (call_options, mut issues) = match options::call(&read(options), self.config.api == Api::Mavibot) {
            Ok(o) => (o, Issues::default()),
            Err(issues) => (Default::default(), issues),
        };
        let signal = get(options, "signal");
        if !signal.is_undefined() && !is_abort_signal(&signal) {
            issues.push("signal", code::INVALID_TYPE, "must be an AbortSignal");
        }
        if !issues.is_empty() {
            return Err(errors::validation("call options", "", &issues.into_list()));
        }
        let request = self.prepare(call, action, input, call_options.method)?;
        let exchange = Exchange::new(self.config.clone(), call.repeat, self.config.api.answer(call), action, request, &call_options);
        Ok((exchange, (!signal.is_undefined()).then(|| signal.unchecked_into())))
    }

    fn prepare(&self, call: &Call, action: &str, input: &JsValue, method: Option<Method>) -> Result<Request, JsValue> {
        let c = &self.config;
        let value = read(input);
        let issues = validate(call, &value);
        if !issues.is_empty() {
            return Err(errors::validation(call.name, " input", &issues.into_list()));
        }
        Ok(c.api.build(call, action, method, &c.options, &value))
    }
}
