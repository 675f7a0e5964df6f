//! One HTTP attempt: build the `Request` with gloo-net, send it with the global `fetch` (or
//! the caller's), enforce the per-attempt timeout with an `AbortController`, follow the
//! caller's `AbortSignal`, and read the body. Retries and rate limiting sit above this.

use super::timer::{unless_aborted, Timeout};
use crate::core::request::Request;
use gloo_net::http::{Method as GlooMethod, RequestBuilder};
use js_sys::{Function, Object, Promise, JSON};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortController, AbortSignal};

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The global `fetch` (not `window.fetch`: workers, Node and workerd have no window).
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &web_sys::Request) -> Promise;
}

/// A response that arrived, whatever its status.
pub struct Reply {
    pub status: u16,
    pub headers: Object,
    pub retry_after: Option<String>,
    /// The parsed JSON body; the raw text when it isn't JSON; `null` when empty.
    pub body: JsValue,
    /// False when a non-empty body was not valid JSON.
    pub json: bool,
    /// The body's text, for messages.
    pub text: String,
}

/// Why no response arrived.
pub enum Failure {
    Timeout,
    Aborted,
    /// `fetch` rejected (DNS, refused, reset, CORS …) or returned something that isn't a
    /// `Response`; carries the original error.
    Network(JsValue),
}

/// Sends `req` once.
pub async fn attempt(req: &Request, fetch: Option<&Function>, timeout_ms: f64, signal: Option<&AbortSignal>) -> Result<Reply, Failure> {
    if signal.is_some_and(AbortSignal::aborted) {
        return Err(Failure::Aborted);
    }
    let controller = AbortController::new().map_err(Failure::Network)?;
    let timed_out = Rc::new(Cell::new(false));
    let _timer = {
        let (flag, ctl) = (timed_out.clone(), controller.clone());
        Timeout::new(timeout_ms, move || {
            flag.set(true);
            ctl.abort();
        })
    };
    // Forward the caller's abort to this attempt's controller for as long as it runs.
    let _forward = signal.map(|s| Forward::new(s, &controller));

    let result = send_and_read(req, fetch, &controller.signal()).await;
    result.map_err(|e| {
        if timed_out.get() {
            Failure::Timeout
        } else if signal.is_some_and(AbortSignal::aborted) {
            Failure::Aborted
        } else {
            Failure::Network(e)
        }
    })
}

async fn send_and_read(req: &Request, fetch: Option<&Function>, signal: &AbortSignal) -> Result<Reply, JsValue> {
    // The query goes in as pairs: gloo-net appends them to the URL it is given (and would
    // leave a stray `&` after a query already in it); it encodes them as `req.url` has them.
    let path = req.url.split('?').next().unwrap_or_default();
    let mut builder = RequestBuilder::new(path).query(req.query.iter().map(|(k, v)| (k.as_str(), v.as_str()))).method(match req.method.as_str() {
        "GET" => GlooMethod::GET,
        "PUT" => GlooMethod::PUT,
        _ => GlooMethod::POST,
    });
    for (k, v) in &req.headers {
        builder = builder.header(k, v);
    }
    builder = builder.abort_signal(Some(signal));
    let request = match &req.body {
        Some(body) => builder.body(body.as_str()),
        None => builder.build(),
    }
    // gloo-net only fails here when the URL or a header is unusable; its error's text would
    // pull the formatting machinery into the module for nothing the caller can act on.
    .map_err(|_| JsValue::from(js_sys::TypeError::new("the request could not be built (URL or header rejected)")))?;

    // gloo-net's own `send()` always uses the global fetch and flattens its errors to text;
    // calling fetch here keeps the original error (and undici's `cause`) and lets a caller's
    // `fetch` receive the same `Request`.
    let raw: web_sys::Request = request.into();
    let returned = match fetch {
        Some(f) => f.call1(&JsValue::UNDEFINED, &raw)?,
        None => global_fetch(&raw).into(),
    };
    // A `fetch` that ignores the signal (a caller's own, a stub) must not outlive the timeout
    // or the caller's abort: both awaits race the signal.
    let resolved = unless_aborted(&Promise::resolve(&returned), Some(signal)).await?;
    let response: gloo_net::http::Response = resolved
        .dyn_into::<web_sys::Response>()
        .map_err(|_| JsValue::from(js_sys::TypeError::new("fetch returned something that is not a Response")))?
        .into();
    let status = response.status();
    let headers = Object::new();
    let mut retry_after = None;
    for (k, v) in response.headers().entries() {
        if k.eq_ignore_ascii_case("retry-after") {
            retry_after = Some(v.clone());
        }
        super::convert::set(&headers, &k, &v.into());
    }
    let raw: web_sys::Response = response.into();
    let text_promise = raw.text()?;
    let text = unless_aborted(&text_promise, Some(signal)).await?.as_string().unwrap_or_default();
    let (body, json) = if text.trim().is_empty() {
        (JsValue::NULL, true)
    } else {
        match JSON::parse(&text) {
            Ok(v) => (v, true),
            Err(_) => (JsValue::from_str(&text), false),
        }
    };
    Ok(Reply { status, headers, retry_after, body, json, text })
}

/// While alive, aborting `from` aborts `to`; dropping it removes the listener, so a
/// long-lived signal shared by many calls does not accumulate them.
struct Forward {
    signal: AbortSignal,
    listener: Closure<dyn FnMut()>,
}

impl Forward {
    fn new(from: &AbortSignal, to: &AbortController) -> Forward {
        let to = to.clone();
        let listener = Closure::<dyn FnMut()>::new(move || to.abort());
        let _ = from.add_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
        Forward { signal: from.clone(), listener }
    }
}

impl Drop for Forward {
    fn drop(&mut self) {
        let _ = self.signal.remove_event_listener_with_callback("abort", self.listener.as_ref().unchecked_ref());
    }
}

/// `{ name, message }` of a thrown value, with the secret masked: a `cause` safe to expose.
pub fn safe_cause(e: &JsValue, secret: &str) -> (JsValue, String) {
    let name = super::convert::get(e, "name").as_string().unwrap_or_else(|| "Error".into());
    let mut message = super::convert::get(e, "message").as_string().or_else(|| e.as_string()).unwrap_or_default();
    // undici hides the useful part ("connect ECONNREFUSED …") in `cause`.
    if let Some(inner) = super::convert::get(&super::convert::get(e, "cause"), "message").as_string() {
        message.push_str(" (");
        message.push_str(&inner);
        message.push(')');
    }
    let message = crate::core::secret::redact(&message, secret);
    let cause = js_sys::Error::new(&message);
    cause.set_name(&name);
    (cause.into(), message)
}
