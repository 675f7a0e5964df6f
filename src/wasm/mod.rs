//! The only module that touches JavaScript: value conversion, error objects, and the exported
//! `Client`, `Exchange` and `Window` classes and functions. Synchronous throughout: the package's
//! JavaScript transport does the I/O (fetch, timers, abort) and asks these for every decision.

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

/// The calls of an API (`"mava"`) in contract order, as `[name, takesInput]` pairs; the
/// facade defines one method, builder and validator per entry and names the call by its
/// position to `Client.build`, `Client.start` and `validate`.
#[wasm_bindgen]
pub fn calls(api: &str) -> Array {
    Api::parse(api)
        .map_or(&[][..], Api::calls)
        .iter()
        .map(|c| JsValue::from(Array::of2(&c.name.into(), &c.input.is_some().into())))
        .collect()
}

/// Every issue `input` has for call number `call` of `api`, as `[{ path, code, message }]`;
/// never throws.
#[wasm_bindgen]
pub fn validate(api: &str, call: usize, input: JsValue) -> Array {
    match Api::parse(api).and_then(|a| a.get(call)) {
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

/// Where the next page starts (`undefined`: no next page), for the facade's iterators:
/// Mava pages (`mava`) are read by `count`/`hasMore`; Mavibot's stop on a short page.
#[wasm_bindgen(js_name = nextPage)]
pub fn next_page(mava: bool, position: f64, page_len: f64, limit: f64, count: Option<f64>, has_more: Option<bool>) -> Option<f64> {
    if mava {
        crate::core::paging::mava_next(position, page_len, count, has_more)
    } else {
        crate::core::paging::mavibot_next(position, limit, page_len)
    }
}

/// A small free-list allocator: dlmalloc, the default, is several KB of the module; this
/// SDK allocates little and briefly, on one thread.
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
