//! The async driver of a call — the one path every method of both APIs takes, exported as a
//! `Promise` through wasm-bindgen-futures: wait for the rate limit, send the attempt, read the
//! answer, and do what the [`Exchange`] decides (return, fail, pause the window, or wait and
//! try again).
//!
//! Each attempt is built with gloo-net's `RequestBuilder` (method, URL, headers, body, abort
//! signal) and read through gloo-net's `Response` (status, headers). It is sent with the global
//! `fetch` or the caller's own — both bound here rather than through gloo-net's `send()`,
//! which flattens a failure to text (a `NetworkError` keeps the original as its `cause`) and
//! panics on an answer that is not a `Response`. The body is read with the native `text()`:
//! gloo-net's panics when a body stream fails with something other than an `Error`.
//!
//! The per-attempt timeout and the caller's abort both abort the attempt's own
//! `AbortController`, and race the fetch and the body read too, so a `fetch` or a body that
//! ignores its signal still ends on time.

use super::convert::get;
use super::exchange::{Exchange, Failure, Outcome};
use super::limiter::Gate;
use super::timer::{bind, native_getter, sleep, Signal, Stop, Timer, Watch};
use crate::core::request::Request;
use crate::core::schema::Method;
use gloo_net::http::RequestBuilder;
use js_sys::{Array, Function, JsString, Object, Reflect};
use std::rc::Rc;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortController;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` (not `window.fetch`: workers, Node and workerd have no window).
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(request: &web_sys::Request) -> Result<JsValue, JsValue>;
}

/// Runs a call to its end: the parsed body, or the error object it rejects with.
pub async fn run(mut ex: Exchange, fetch: Option<Function>, gate: Rc<Gate>, signal: Option<Signal>) -> Result<JsValue, JsValue> {
    let signal = signal.as_ref();
    loop {
        let timeout_ms = ex.next();
        let outcome = match gate.acquire(signal, ex.queue_timeout_ms()).await {
            Err(why) => ex.failed(why),
            Ok(()) => match attempt(ex.request(), fetch.as_ref(), timeout_ms, signal).await {
                Ok(reply) => ex.reply(reply.status, &|| reply.headers.entries().collect(), &reply.text),
                Err(why) => ex.failed(why),
            },
        };
        let (error, retry_ms) = match outcome {
            Outcome::Done(result) => return Ok(result),
            Outcome::Failed { error, retry_ms, pause_ms } => {
                if let Some(ms) = pause_ms {
                    gate.pause_for(ms);
                }
                (error, retry_ms)
            }
        };
        let Some(ms) = retry_ms else { return Err(error.to_js()) };
        if !sleep(ms, signal).await {
            return Err(failure(&ex, Failure::Aborted));
        }
    }
}

fn failure(ex: &Exchange, why: Failure) -> JsValue {
    match ex.failed(why) {
        Outcome::Failed { error, .. } => error.to_js(),
        Outcome::Done(v) => v,
    }
}

/// A response that arrived, whatever its status.
pub struct Reply {
    pub status: u16,
    /// Read only when the answer is an error (lower-case names, as `Headers` iterates them).
    pub headers: gloo_net::http::Headers,
    pub text: JsString,
}

/// Sends `req` once, within `timeout_ms`, unless `caller` aborts.
async fn attempt(req: &Request, fetch: Option<&Function>, timeout_ms: f64, caller: Option<&Signal>) -> Result<Reply, Failure> {
    if caller.is_some_and(Signal::is_aborted) {
        return Err(Failure::Aborted);
    }
    let controller = AbortController::new().map_err(Failure::Network)?;
    let signal: Signal = controller.signal().unchecked_into();
    let abort: Function = get(&controller, "abort").unchecked_into();
    let timed_out = Object::new();
    let _timer = Timer::after(timeout_ms, &bind(&abort, &controller, &timed_out));
    let _forward = caller.map(|s| s.on_abort(&bind(&abort, &controller, &JsValue::UNDEFINED)));
    send(req, fetch, &controller).await.map_err(|e| {
        if signal.why() == JsValue::from(&timed_out) {
            Failure::Timeout
        } else if caller.is_some_and(Signal::is_aborted) {
            Failure::Aborted
        } else {
            Failure::Network(e)
        }
    })
}

async fn send(req: &Request, fetch: Option<&Function>, controller: &AbortController) -> Result<Reply, JsValue> {
    let signal: Signal = controller.signal().unchecked_into();
    let request: web_sys::Request = build(req, &controller.signal())?.into();
    let returned = match fetch {
        Some(f) => f.call1(&JsValue::UNDEFINED, &request)?,
        None => global_fetch(&request)?,
    };
    // One watch for both waits: the fetch and the body race the attempt's signal.
    let watch = Watch::new(Some(&signal), None);
    let answer = settled(watch.on(&returned).await)?;
    // The global fetch answers with the runtime's own Response; what a caller's fetch returns is
    // copied into a fresh one first.
    let answer = if fetch.is_some() { fresh_response(answer, &watch).await? } else { answer.unchecked_into() };
    let response = gloo_net::http::Response::from(answer);
    let status = response.status();
    let headers = response.headers();
    let raw = web_sys::Response::from(response);
    let text = settled(watch.on(&raw.text()?.into()).await)?;
    let text = text.dyn_into::<JsString>().map_err(|_| type_error("the response body was not read as text"))?;
    Ok(Reply { status, headers, text })
}

/// The request, built by gloo-net. The query goes in as pairs: gloo-net appends them to the URL
/// it is given (and would leave a stray `&` after a query already in it).
fn build(req: &Request, signal: &web_sys::AbortSignal) -> Result<gloo_net::http::Request, JsValue> {
    let path = req.url.split('?').next().unwrap_or_default();
    let method = match req.method {
        Method::Get => gloo_net::http::Method::GET,
        Method::Post => gloo_net::http::Method::POST,
        Method::Put => gloo_net::http::Method::PUT,
    };
    let mut builder = RequestBuilder::new(path).method(method).query(req.query.iter().map(|(k, v)| (k.as_str(), v.as_str()))).abort_signal(Some(signal));
    for (k, v) in &req.headers {
        builder = builder.header(k, v);
    }
    let built = match &req.body {
        Some(body) => builder.body(body.as_str()),
        None => builder.build(),
    };
    // The reason stays (the runtime's own words); the error's text is masked like any other.
    built.map_err(|e| type_error(&format!("the request could not be built: {e}")))
}

/// The answer of a settled race; an abort or timeout is classified by the caller.
fn settled(r: Result<JsValue, Stop>) -> Result<JsValue, JsValue> {
    match r {
        Ok(v) => Ok(v),
        Err(Stop::Rejected(e)) => Err(e),
        Err(Stop::Aborted | Stop::TimedOut) => Err(JsValue::UNDEFINED),
    }
}

/// A fresh `Response` with `v`'s status, headers and body, so that gloo-net reads an object no
/// caller code can intercept (a subclass, an own `text`, or a proxy's trap would otherwise run,
/// and could throw, inside its reads). A `Response` of this runtime is read through the native
/// getters (which a revoked proxy or a look-alike fails); anything else — a polyfill's, another
/// library's — through reads that catch: a number `status`, `headers`, and `text()`, awaited
/// under the attempt's watch.
async fn fresh_response(v: JsValue, watch: &Watch) -> Result<web_sys::Response, JsValue> {
    let not = || type_error("fetch returned something that is not a Response");
    let init = web_sys::ResponseInit::new();
    if let Some([status, status_text, headers, body]) = native_reads(&v, ["status", "statusText", "headers", "body"]) {
        init.set_status(status.as_f64().unwrap_or(0.0) as u16);
        init.set_status_text(&status_text.as_string().unwrap_or_default());
        init.set_headers(&headers);
        // The constructor checks the body and headers it is given (and throws, caught, if odd).
        return web_sys::Response::new_with_opt_readable_stream_and_init((!body.is_null()).then(|| body.unchecked_ref()), &init);
    }
    let status = get(&v, "status").as_f64().filter(|s| (200.0..=599.0).contains(s)).ok_or_else(not)?;
    let text = get(&v, "text").dyn_into::<Function>().map_err(|_| not())?;
    init.set_status(status as u16);
    init.set_status_text(&get(&v, "statusText").as_string().unwrap_or_default());
    let headers = get(&v, "headers");
    if !headers.is_undefined() {
        init.set_headers(&headers);
    }
    let body = settled(watch.on(&text.call0(&v)?).await)?;
    let body = body.dyn_into::<JsString>().map_err(|_| type_error("the response body was not read as text"))?;
    web_sys::Response::new_with_opt_str_and_init(Some(&String::from(body)), &init)
}

/// `keys` of `v` read through this runtime's `Response` getters; `None` when `v` is not one.
fn native_reads<const N: usize>(v: &JsValue, keys: [&str; N]) -> Option<[JsValue; N]> {
    let mut out = keys.map(|_| JsValue::UNDEFINED);
    for (slot, key) in out.iter_mut().zip(keys) {
        *slot = Reflect::apply(&native_getter("Response", key)?, v, &Array::new()).ok()?;
    }
    Some(out)
}

fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}
