//! The only module that touches JavaScript: value conversion, error objects, and the exported
//! `Client`, `Exchange` and `Window` classes and functions. Synchronous throughout: the
//! package's JavaScript transport does the I/O (fetch, timers, abort) and asks these for every
//! decision.

use crate::prelude::*;

pub mod client;
pub mod convert;
mod errors;
pub mod exchange;
pub mod ratelimit;

use client::Api;
use js_sys::Array;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

/// The calls of an API (`mava`: Mava, else Mavibot) in contract order, flat:
/// `[name, takesInput, …]`; the facade defines one method, builder and validator per call and
/// names the call by its position to `Client.build`, `Client.start` and `validate`.
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
pub fn validate(mava: bool, call: usize, input: JsValue) -> Array {
    match Api::of(mava).get(call) {
        Some(call) => convert::issues_to_js(&crate::core::schema::validate(call, &convert::to_value(&input)).list),
        None => Array::new(),
    }
}

/// `parseMavibotWebhook(body)`: the webhook payload (JSON text or object), checked, with
/// `client.recipient` added beside the service's `client.recepient`.
#[wasm_bindgen(js_name = parseMavibotWebhook)]
pub fn parse_mavibot_webhook(body: JsValue) -> Result<JsValue, JsValue> {
    let invalid = |issues: &[crate::core::issue::Issue]| errors::validation("Mavibot webhook payload", "", issues);
    let parsed = match body.dyn_ref::<js_sys::JsString>() {
        Some(text) => convert::parse_json(text).map_err(|_| {
            invalid(&[crate::core::issue::Issue {
                path: String::new(),
                code: crate::core::issue::code::INVALID_JSON,
                message: "is not valid JSON".into(),
            }])
        })?,
        None => body,
    };
    let issues = crate::mavibot::check_webhook(&convert::to_value(&parsed)).list;
    if !issues.is_empty() {
        return Err(invalid(&issues));
    }
    // A copy, so the caller's object is left as it was; it is plain JSON (just checked).
    let copy = js_sys::JSON::stringify(&parsed).ok().and_then(|t| convert::parse_json(&t).ok()).unwrap_or(parsed);
    let client = convert::get(&copy, "client");
    let recepient = convert::get(&client, "recepient");
    if !recepient.is_undefined() && convert::get(&client, "recipient").is_undefined() {
        convert::set(client.unchecked_ref(), "recipient", &recepient);
    }
    Ok(copy)
}

/// One page of a listing, for the facade's iterators: `[items, total, next]` — the page's
/// items (Mava `tickets`, Mavibot `clients`; none if absent), the total when the API reports
/// one (Mava `count`), and where the next page starts (`undefined`: no next page; Mava pages
/// end by `count` or `pagination.hasMore`, Mavibot's on a short page).
#[wasm_bindgen(js_name = readPage)]
pub fn read_page(mava: bool, position: f64, limit: f64, page: JsValue) -> Array {
    let items = convert::get(&page, if mava { "tickets" } else { "clients" });
    let items: Array = if Array::is_array(&items) { items.unchecked_into() } else { Array::new() };
    let len = f64::from(items.length());
    let (total, next) = if mava {
        let count = convert::get(&page, "count").as_f64();
        let more = convert::get(&convert::get(&page, "pagination"), "hasMore").as_bool();
        (count, crate::core::paging::mava_next(position, len, count, more))
    } else {
        (None, crate::core::paging::mavibot_next(position, limit, len))
    };
    let out = Array::new();
    out.push(&items);
    out.push(&total.map_or(JsValue::UNDEFINED, JsValue::from));
    out.push(&next.map_or(JsValue::UNDEFINED, JsValue::from));
    out
}

/// A small free-list allocator: dlmalloc, the default, is several KB of the module; this
/// SDK allocates little and briefly, on one thread.
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
