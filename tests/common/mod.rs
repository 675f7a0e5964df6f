//! Helpers shared by the native tests: JSON text → `Value`, and issue summaries.
#![allow(dead_code)]

use mava_sdk::core::schema::{validate, Call};
use mava_sdk::core::value::Value;

/// JSON text as the engine's `Value`, through the same `Deserialize` impl the wasm boundary uses.
pub fn value(json: &str) -> Value {
    serde_json::from_str(json).expect("test JSON")
}

/// `(path, code)` of every issue `input` raises for `call`.
pub fn issues(call: &Call, input: &Value) -> Vec<(String, String)> {
    validate(call, input).list.into_iter().map(|i| (i.path, i.code.to_string())).collect()
}

pub fn codes(call: &Call, json: &str) -> Vec<(String, String)> {
    issues(call, &value(json))
}

pub fn ok(call: &Call, json: &str) {
    let found = validate(call, &value(json)).list;
    assert!(found.is_empty(), "expected {json} to be valid, got {found:#?}");
}

/// Asserts that `json` raises exactly one issue, with this path and code.
pub fn bad(call: &Call, json: &str, path: &str, code: &str) {
    let found = codes(call, json);
    assert_eq!(found, vec![(path.to_string(), code.to_string())], "input {json}");
}

/// A string of `n` copies of `c`.
pub fn rep(c: &str, n: usize) -> String {
    c.repeat(n)
}

/// `value(json)` with `key` set to `v` at the top level.
pub fn with(json: &str, key: &str, v: serde_json::Value) -> String {
    let mut o: serde_json::Value = serde_json::from_str(json).unwrap();
    o[key] = v;
    o.to_string()
}
