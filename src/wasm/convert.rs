//! Crossing the boundary, both ways through serde-wasm-bindgen.
//!
//! In: a caller's value is first copied by [`snapshot`] into a plain tree — every read through
//! a binding that catches, so a throwing getter, proxy trap or revoked proxy becomes a marker
//! at its place instead of an exception unwinding through wasm frames (which would corrupt the
//! module for every later call); what JSON can't carry becomes a marker too. serde-wasm-bindgen
//! then deserializes that tree into the engine's [`Value`] (its reads, `Object.entries` among
//! them, don't catch, so it never sees the caller's own objects).
//!
//! Out: issues, built requests, error objects and pages serialize with
//! `Serializer::json_compatible()`: plain objects and arrays, `null` for what is absent.

use crate::core::value::{Odd, Value, MARK, MAX_DEPTH};
use js_sys::{Array, JsString, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn own_keys(o: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array_js(v: &JsValue) -> Result<bool, JsValue>;
    /// `Object.prototype.toString.call(v)`: `[object Date]` for a Date of any realm.
    #[wasm_bindgen(catch, js_namespace = ["Object", "prototype", "toString"], js_name = call)]
    pub fn tag_of(v: &JsValue) -> Result<JsString, JsValue>;
    /// Throws unless `v` is a Date (of any realm); `NaN` for an invalid one.
    #[wasm_bindgen(catch, js_namespace = ["Date", "prototype", "getTime"], js_name = call)]
    fn time_of(v: &JsValue) -> Result<f64, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["Date", "prototype", "toISOString"], js_name = call)]
    fn iso_of(v: &JsValue) -> Result<JsString, JsValue>;

    type Text;
    /// `String.prototype.isWellFormed` (ES2024): false when a lone surrogate is in it.
    #[wasm_bindgen(catch, method, js_name = isWellFormed)]
    fn is_well_formed(this: &Text) -> Result<bool, JsValue>;

    /// `JSON.parse`, without copying the text into the module.
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    pub fn parse_json(text: &JsString) -> Result<JsValue, JsValue>;
}

/// The most array items read from a caller's value; a longer array is refused whole (reading a
/// sparse array of 2³² − 1 slots would hang the caller instead).
pub const MAX_ITEMS: u32 = 1_000_000;

/// Reads a caller's value as JSON would see it: `undefined` properties are skipped, a `Date`
/// (of any realm) becomes its ISO 8601 text, and what can't be read or sent becomes
/// `Value::Other`, which validation reports at its path. Never throws.
pub fn read(v: &JsValue) -> Value {
    from_tree(&snapshot(v))
}

/// The [`Value`] of a tree made by [`snapshot`] (or of `JSON.parse`'s output, which is as plain).
pub fn from_tree(tree: &JsValue) -> Value {
    serde_wasm_bindgen::from_value(tree.clone()).unwrap_or(Value::Other(Odd::Unsupported))
}

/// A plain copy of `v`: null-prototype objects, arrays, strings without lone surrogates, finite
/// numbers, booleans and null, with markers (`{ [MARK]: n }`) for everything else.
pub fn snapshot(v: &JsValue) -> JsValue {
    copy(v, 0)
}

fn copy(v: &JsValue, depth: u32) -> JsValue {
    if v.is_null() || v.is_undefined() {
        return JsValue::NULL;
    }
    if v.as_bool().is_some() {
        return v.clone();
    }
    if let Some(n) = v.as_f64() {
        return if n.is_finite() { v.clone() } else { mark(Odd::NonFinite) };
    }
    if v.is_string() {
        return if well_formed(v) { v.clone() } else { mark(Odd::LoneSurrogate) };
    }
    if v.is_function() {
        return mark(Odd::Function);
    }
    if v.is_bigint() {
        return mark(Odd::BigInt);
    }
    if v.is_symbol() {
        return mark(Odd::Symbol);
    }
    if !v.is_object() {
        return mark(Odd::Unsupported);
    }
    if depth >= MAX_DEPTH {
        return mark(Odd::TooDeep);
    }
    match is_array_js(v) {
        Ok(true) => copy_array(v, depth),
        Ok(false) => copy_object(v, depth),
        Err(_) => mark(Odd::Unreadable),
    }
}

fn copy_array(v: &JsValue, depth: u32) -> JsValue {
    let Ok(length) = Reflect::get(v, &"length".into()) else { return mark(Odd::Unreadable) };
    let length = length.as_f64().unwrap_or(0.0);
    if length > f64::from(MAX_ITEMS) {
        return mark(Odd::TooLong);
    }
    let out = Array::new();
    for i in 0..length as u32 {
        let item = match Reflect::get_u32(v, i) {
            Ok(x) => copy(&x, depth + 1),
            Err(_) => mark(Odd::Unreadable),
        };
        out.push(&item);
    }
    out.into()
}

fn copy_object(v: &JsValue, depth: u32) -> JsValue {
    let Ok(keys) = own_keys(v) else { return mark(Odd::Unreadable) };
    if keys.length() == 0 {
        if let Some(date) = date_text(v) {
            return date;
        }
    }
    let out = plain_object();
    for key in keys.iter() {
        let value = match Reflect::get(v, &key) {
            Ok(x) if x.is_undefined() => continue,
            Ok(x) => copy(&x, depth + 1),
            Err(_) => mark(Odd::Unreadable),
        };
        let _ = Reflect::set(&out, &key, &value);
    }
    out.into()
}

/// A Date's ISO text (an invalid Date's marker), or `None` when `v` is not a Date.
fn date_text(v: &JsValue) -> Option<JsValue> {
    if tag_of(v).ok()?.as_string()? != "[object Date]" {
        return None;
    }
    match time_of(v) {
        Ok(t) if t.is_finite() => Some(iso_of(v).map_or_else(|_| mark(Odd::InvalidDate), |iso| marked(&iso))),
        Ok(_) => Some(mark(Odd::InvalidDate)),
        // A look-alike (`Symbol.toStringTag` set to "Date") is read as an object.
        Err(_) => None,
    }
}

fn well_formed(s: &JsValue) -> bool {
    match s.unchecked_ref::<Text>().is_well_formed() {
        Ok(ok) => ok,
        // A runtime without isWellFormed: check each UTF-16 unit.
        Err(_) => s.unchecked_ref::<JsString>().is_valid_utf16(),
    }
}

/// `{}` without a prototype, so a key such as `__proto__` is an own property like any other.
fn plain_object() -> Object {
    Object::create(JsValue::NULL.unchecked_ref())
}

fn mark(odd: Odd) -> JsValue {
    marked(&JsValue::from(odd.index()))
}

/// `{ [MARK]: what }`: an `Odd`'s index, or a Date's ISO text.
fn marked(what: &JsValue) -> JsValue {
    let o = plain_object();
    let _ = Reflect::set(&o, &MARK.into(), what);
    o.into()
}

/// A Rust value as a plain JavaScript value (JSON-compatible: objects, arrays, `null`).
pub fn to_js<T: Serialize + ?Sized>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::UNDEFINED)
}

/// Whether `v` is an array (a proxy that throws when asked is not).
pub fn is_array(v: &JsValue) -> bool {
    is_array_js(v).unwrap_or(false)
}

/// `o[key]`, or `undefined` when `o` is not an object or reading it throws.
pub fn get(o: &JsValue, key: &str) -> JsValue {
    if !o.is_object() && !o.is_function() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(o, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}
