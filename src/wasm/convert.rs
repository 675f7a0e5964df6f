//! Crossing the boundary: JavaScript values into the core's [`Value`], and the core's results
//! (issues, requests) back into plain JavaScript objects.

use crate::prelude::*;

use crate::core::issue::Issue;
use crate::core::request::Request;
use crate::core::value::Value;
use js_sys::{Array, Date, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `JSON.parse` of a JavaScript string, without copying the text into the module.
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    pub fn parse_json(text: &js_sys::JsString) -> Result<JsValue, JsValue>;

    /// `String(n)`: a number's shortest round-trip text, as `JSON.stringify` writes it.
    #[wasm_bindgen(js_name = String)]
    fn text_of(n: &JsValue) -> js_sys::JsString;

    /// A `Date`, for `toISOString`, which throws for an invalid one.
    type Stamp;
    #[wasm_bindgen(catch, method, js_name = toISOString)]
    fn iso_string(this: &Stamp) -> Result<js_sys::JsString, JsValue>;
}

/// Deeper inputs are refused rather than walked (this also stops cycles).
const MAX_DEPTH: u32 = 32;

/// Reads a JavaScript value as JSON would see it. `undefined` properties are skipped, as
/// `JSON.stringify` skips them; a `Date` becomes its ISO 8601 text; anything JSON can't carry
/// becomes `Value::Other` so validation reports it instead of sending something else.
pub fn to_value(v: &JsValue) -> Value {
    read(v, 0)
}

fn read(v: &JsValue, depth: u32) -> Value {
    if v.is_null() || v.is_undefined() {
        return Value::Null;
    }
    if let Some(b) = v.as_bool() {
        return Value::Bool(b);
    }
    if let Some(n) = v.as_f64() {
        if !n.is_finite() {
            return Value::Other("a non-finite number");
        }
        let text = String::from(text_of(v));
        return Value::Num(n, text);
    }
    if let Some(s) = v.as_string() {
        return Value::Str(s);
    }
    if depth >= MAX_DEPTH {
        return Value::Other("nested too deeply (or circular)");
    }
    if Array::is_array(v) {
        let arr: &Array = v.unchecked_ref();
        return Value::Arr(arr.iter().map(|x| read(&x, depth + 1)).collect());
    }
    if v.is_instance_of::<Date>() {
        return match v.unchecked_ref::<Stamp>().iso_string() {
            Ok(text) => Value::Str(text.into()),
            Err(_) => Value::Other("an invalid Date"),
        };
    }
    if v.is_function() {
        return Value::Other("a function");
    }
    if v.is_bigint() {
        return Value::Other("a bigint");
    }
    if v.is_symbol() {
        return Value::Other("a symbol");
    }
    if v.is_object() {
        let obj: &Object = v.unchecked_ref();
        let mut entries = Vec::new();
        for key in Object::keys(obj).iter() {
            let Some(k) = key.as_string() else { continue };
            let item = match Reflect::get(obj, &key) {
                Ok(x) if x.is_undefined() => continue,
                Ok(x) => read(&x, depth + 1),
                Err(_) => Value::Other("an unreadable property"),
            };
            entries.push((k, item));
        }
        return Value::Obj(entries);
    }
    Value::Other("an unsupported value")
}

/// A plain object from key/value pairs.
pub fn object(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        set(&o, k, v);
    }
    o
}

pub fn set(o: &Object, key: &str, v: &JsValue) {
    // Defining a property on a fresh plain object cannot fail.
    let _ = Reflect::set(o, &JsValue::from_str(key), v);
}

pub fn get(o: &JsValue, key: &str) -> JsValue {
    if !o.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(o, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub fn issues_to_js(issues: &[Issue]) -> Array {
    issues
        .iter()
        .map(|i| {
            JsValue::from(object(&[
                ("path", i.path.as_str().into()),
                ("code", i.code.into()),
                ("message", i.message.as_str().into()),
            ]))
        })
        .collect()
}

/// `{ method, url, headers, body }` as `build.*` returns it.
pub fn request_to_js(r: &Request) -> JsValue {
    let headers = Object::new();
    for (k, v) in &r.headers {
        set(&headers, k, &v.as_str().into());
    }
    object(&[
        ("method", r.method.as_str().into()),
        ("url", r.url.as_str().into()),
        ("headers", headers.into()),
        ("body", r.body.as_deref().map_or(JsValue::UNDEFINED, JsValue::from)),
    ])
    .into()
}
