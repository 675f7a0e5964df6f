//! The only module that touches JavaScript: value conversion, the fetch transport, timers,
//! error objects and the exported `Client` class and functions.

pub mod client;
pub mod convert;
mod errors;
mod timer;
mod transport;

use client::Api;
use js_sys::Array;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

/// The calls of an API (`"mava"`) in contract order, as `[name, takesInput]` pairs; the
/// facade defines one method, builder and validator per entry.
#[wasm_bindgen]
pub fn calls(api: &str) -> Array {
    Api::parse(api)
        .map_or(&[][..], Api::calls)
        .iter()
        .map(|c| JsValue::from(Array::of2(&c.name.into(), &c.input.is_some().into())))
        .collect()
}

/// Every issue `input` has for the call, as `[{ path, code, message }]`; never throws.
#[wasm_bindgen]
pub fn validate(api: &str, name: &str, input: JsValue) -> Array {
    match Api::parse(api).and_then(|a| a.find(name)) {
        Some(call) => convert::issues_to_js(&crate::core::schema::validate(call, &convert::to_value(&input)).list),
        None => Array::new(),
    }
}
