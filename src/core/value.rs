//! The input model: a JSON-shaped value, produced from a `JsValue` at the wasm boundary
//! (`wasm::convert`) or from JSON text in native tests. Validation and request building work
//! on this type only, so every rule runs natively under `cargo test`.

use crate::prelude::*;

/// A JSON-compatible value. Numbers keep the text JavaScript would print for them, so
/// request bodies carry exactly what `JSON.stringify` would send, without Rust's float
/// formatter in the wasm build.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Num(f64, String),
    Str(String),
    Arr(Vec<Value>),
    /// Keys in insertion order, as `Object.keys` gives them.
    Obj(Vec<(String, Value)>),
    /// Something JSON cannot carry (a function, symbol, bigint, `NaN`, a cycle …); the text
    /// names what it was, for the issue message.
    Other(&'static str),
}

impl Value {
    /// The value of `key` in an object; `None` for a missing key or a non-object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Obj(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// True when `key` is present and not `null`.
    pub fn has(&self, key: &str) -> bool {
        !matches!(self.get(key), None | Some(Value::Null))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Num(n, _) => Some(*n),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Arr(items) => Some(items),
            _ => None,
        }
    }

    /// The JSON type name used in issue messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Num(..) => "number",
            Value::Str(_) => "string",
            Value::Arr(_) => "array",
            Value::Obj(_) => "object",
            Value::Other(what) => what,
        }
    }

    /// A number built natively (tests and defaults); the wasm boundary supplies JS's own text.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn num(n: f64) -> Value {
        Value::Num(n, format!("{n}"))
    }

    pub fn str(s: &str) -> Value {
        Value::Str(s.into())
    }
}
