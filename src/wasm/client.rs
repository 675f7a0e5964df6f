//! The `Client` class the JavaScript facade wraps: options, `build`, and `start`, which
//! validates a call and hands its attempts to an [`Exchange`] for the JavaScript transport.
//! One shared path serves every call of both APIs.

use super::convert::{get, object, request_to_js, to_value};
use super::errors::{self, error};
use super::exchange::Exchange;
use crate::core::issue::{code, Issues};
use crate::core::options::{self, CallOptions, ClientOptions};
use crate::core::ratelimit::fingerprint;
use crate::core::request::Request;
use crate::core::schema::{validate, CallTable, Method, Spec};
use crate::core::value::Value;
use crate::{mava, mavibot};
use alloc::rc::Rc;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen]
extern "C" {
    /// Only for the `instanceof` check of the `signal` call option.
    type AbortSignal;
}

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
    pub fn calls(self) -> &'static CallTable {
        match self {
            Api::Mava => &mava::TABLE,
            Api::Mavibot => &mavibot::TABLE,
        }
    }
    /// The call at `index` of [`Api::calls`] (the facade names calls by their position).
    pub fn get(self, index: usize) -> Option<Spec> {
        self.calls().get(index)
    }
    fn defaults(self) -> &'static options::Defaults {
        match self {
            Api::Mava => &mava::DEFAULTS,
            Api::Mavibot => &mavibot::DEFAULTS,
        }
    }
    fn build(self, call: Spec, action: &str, method: Option<Method>, o: &ClientOptions, input: &Value) -> Request {
        match self {
            Api::Mava => mava::build(call, o, input),
            Api::Mavibot => mavibot::build(call, action, method.unwrap_or(call.method), o, input),
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
}

/// The error for a call the module doesn't describe (only the facade calls these
/// exports, with what `calls` listed).
fn unknown_call() -> JsValue {
    error(errors::VALIDATION, "UNKNOWN_CALL", "unknown call").into()
}

#[wasm_bindgen]
impl Client {
    /// `new Client(true, options)` for Mava (`false`: Mavibot); throws a `ValidationError`
    /// for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(mava: bool, js_options: JsValue) -> Result<Client, JsValue> {
        let api = Api::of(mava);
        let fetch = get(&js_options, "fetch");
        let (parsed, mut issues) = match options::client(&to_value(&js_options), api.defaults()) {
            Ok(o) => (Some(o), Issues::default()),
            Err(issues) => (None, issues),
        };
        if !fetch.is_undefined() && !fetch.is_function() {
            issues.push("fetch", code::INVALID_TYPE, "must be a function");
        }
        match parsed {
            Some(options) if issues.is_empty() => Ok(Client { config: Rc::new(Config { api, options }) }),
            _ => Err(errors::validation(api.label(), " client options", &issues.list)),
        }
    }

    /// The request call number `call` (of `calls`) would send for `input`, or a thrown
    /// `ValidationError`.
    pub fn build(&self, call: usize, input: JsValue) -> Result<JsValue, JsValue> {
        let call = self.config.api.get(call).ok_or_else(unknown_call)?;
        let request = self.prepare(call, call.path, &input, None)?;
        Ok(request_to_js(&request))
    }

    /// Validates call number `call`'s input and call options; the transport then runs the
    /// attempts.
    pub fn start(&self, call: usize, input: JsValue, options: JsValue) -> Result<Exchange, JsValue> {
        let call = self.config.api.get(call).ok_or_else(unknown_call)?;
        self.exchange(call, call.path, &input, &options)
    }

    /// `bot.call(action, params, { method })`: an action the SDK doesn't describe.
    #[wasm_bindgen(js_name = startAction)]
    pub fn start_action(&self, action: JsValue, params: JsValue, options: JsValue) -> Result<Exchange, JsValue> {
        let issues = mavibot::check_action(&to_value(&action));
        if !issues.is_empty() || self.config.api != Api::Mavibot {
            return Err(errors::validation("call action", "", &issues.list));
        }
        let action = action.as_string().unwrap_or_default();
        self.exchange(Spec::from(&mavibot::ANY_ACTION), &action, &params, &options)
    }

    /// The client-side rate limit, `{ key, requests, windowMs }`, or `undefined` when off.
    /// `key` names the base URL and a fingerprint of the key (never the key itself): clients
    /// with the same `key` and limit share one window, and a shared store sees only `key`.
    #[wasm_bindgen(getter, js_name = rateLimit)]
    pub fn rate_limit(&self) -> JsValue {
        let o = &self.config.options;
        let Some(limit) = o.rate_limit else { return JsValue::UNDEFINED };
        let mut key = o.base_url.clone();
        key.push('#');
        key.push_str(&fingerprint(&o.api_key));
        object(&[("key", key.into()), ("requests", limit.requests.into()), ("windowMs", limit.window_ms.into())]).into()
    }
}

impl Client {
    fn exchange(&self, call: Spec, action: &str, input: &JsValue, options: &JsValue) -> Result<Exchange, JsValue> {
        let (call_options, mut issues) = match options::call(&to_value(options), self.config.api == Api::Mavibot) {
            Ok(o) => (o, Issues::default()),
            Err(issues) => (CallOptions::default(), issues),
        };
        let signal = get(options, "signal");
        if !signal.is_undefined() && !signal.is_instance_of::<AbortSignal>() {
            issues.push("signal", code::INVALID_TYPE, "must be an AbortSignal");
        }
        if !issues.is_empty() {
            return Err(errors::validation("call options", "", &issues.list));
        }
        let request = self.prepare(call, action, input, call_options.method)?;
        Ok(Exchange::new(self.config.clone(), call.repeat, action, request, &call_options))
    }

    fn prepare(&self, call: Spec, action: &str, input: &JsValue, method: Option<Method>) -> Result<Request, JsValue> {
        let c = &self.config;
        let value = to_value(input);
        let issues = validate(call, &value);
        if !issues.is_empty() {
            return Err(errors::validation(call.name, " input", &issues.list));
        }
        Ok(c.api.build(call, action, method, &c.options, &value))
    }
}
