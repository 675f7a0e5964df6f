//! The only module that touches JavaScript. What each crate of the stack does here:
//!
//! - **wasm-bindgen**: the exported `Client` class and functions, and the JS glue;
//! - **wasm-bindgen-futures**: the one async send path returns a `Promise`
//!   (`future_to_promise`), and JS promises — a caller's `fetch`, a rate-limit store, timers —
//!   are awaited as `JsFuture`s ([`transport`], [`timer`], [`limiter`]);
//! - **web-sys**: `AbortController`/`AbortSignal` for timeouts and the caller's abort, the
//!   `Request`/`Response` gloo-net hands over, `SubtleCrypto` for Mava webhooks ([`webhook`]);
//! - **js-sys**: `Promise`, `JSON`, `Date`, `Reflect`, `Function` where nothing higher fits;
//! - **gloo-net**: builds every request and reads every response's status and headers;
//! - **serde-wasm-bindgen**: every structured value across the boundary — inputs and options in
//!   (into the engine's `Value`, then typed options), issues, requests, errors and pages out
//!   ([`convert`]).

pub mod client;
pub mod convert;
pub mod errors;
pub mod exchange;
pub mod limiter;
pub mod timer;
pub mod transport;
pub mod webhook;

use client::Api;
use convert::{get, parse_json, read, snapshot, to_js};
use crate::core::issue::{code, Issues};
use js_sys::{Array, JsString};
use serde::Serialize;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

/// The calls of an API (`mava`: Mava, else Mavibot) in contract order, flat:
/// `[name, takesInput, …]`; the facade defines one method, builder and validator per call and
/// names the call by its position to `Client.build`, `Client.send` and `validate`.
#[wasm_bindgen]
pub fn calls(mava: bool) -> Array {
    let out = Array::new();
    for c in Api::of(mava).calls().iter() {
        out.push(&c.name.into());
        out.push(&c.input.is_some().into());
    }
    out
}

/// Every issue `input` has for call number `call` of an API (`mava` as for `calls`), as
/// `[{ path, code, message }]`; never throws.
#[wasm_bindgen]
pub fn validate(mava: bool, call: usize, input: JsValue) -> JsValue {
    let issues = match Api::of(mava).get(call) {
        Some(call) => crate::core::schema::validate(call, &read(&input)).into_list(),
        None => Vec::new(),
    };
    to_js(&issues)
}

/// `parseMavibotWebhook(body)`: the webhook payload (JSON text or object), checked, as a copy
/// with `client.recipient` added beside the service's `client.recepient`.
#[wasm_bindgen(js_name = parseMavibotWebhook)]
pub fn parse_mavibot_webhook(body: JsValue) -> Result<JsValue, JsValue> {
    let invalid = |issues: Issues| errors::validation("Mavibot webhook payload", "", &issues.into_list());
    // Text is parsed as it is; an object is read like any input, then copied as JSON, so the
    // copy has ordinary objects and the caller's is left as it was.
    let text: JsString = match body.dyn_ref::<JsString>() {
        Some(text) => text.clone(),
        None => js_sys::JSON::stringify(&snapshot(&body)).unwrap_or_else(|_| "null".into()),
    };
    let Ok(copy) = parse_json(&text) else {
        let mut issues = Issues::default();
        issues.push("", code::INVALID_JSON, "the text is not valid JSON");
        return Err(invalid(issues));
    };
    let issues = crate::mavibot::check_webhook(&read(&copy));
    if !issues.is_empty() {
        return Err(invalid(issues));
    }
    let client = get(&copy, "client");
    let recepient = get(&client, "recepient");
    if !recepient.is_undefined() && get(&client, "recipient").is_undefined() {
        let _ = js_sys::Reflect::set(&client, &"recipient".into(), &recepient);
    }
    Ok(copy)
}

/// One page of a listing, for the facade's iterators.
#[derive(Serialize)]
struct Page {
    /// The page's items (Mava `tickets`, Mavibot `clients`; none if absent).
    #[serde(with = "serde_wasm_bindgen::preserve")]
    items: JsValue,
    /// The total when the API reports one (Mava `count`).
    total: Option<f64>,
    /// Where the next page starts; `null`: there is none (Mava pages end by `count` or
    /// `pagination.hasMore`, Mavibot's on a short page).
    next: Option<f64>,
}

/// `{ items, total, next }` of a page a list call returned at `position` with `limit`.
#[wasm_bindgen(js_name = readPage)]
pub fn read_page(mava: bool, position: f64, limit: f64, page: JsValue) -> JsValue {
    let items = get(&page, if mava { "tickets" } else { "clients" });
    let items = if convert::is_array(&items) { items } else { Array::new().into() };
    let len = f64::from(items.unchecked_ref::<Array>().length());
    let (total, next) = if mava {
        let count = get(&page, "count").as_f64();
        let more = get(&get(&page, "pagination"), "hasMore").as_bool();
        (count, crate::core::paging::mava_next(position, len, count, more))
    } else {
        (None, crate::core::paging::mavibot_next(position, limit, len))
    };
    to_js(&Page { items, total, next })
}
