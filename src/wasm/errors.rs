//! Errors leave Rust as plain objects `{ $sdk: <class name>, code, message, …fields }`; the
//! package's JavaScript facade turns them into instances of its `Error` subclasses, so
//! `instanceof`, `name` and `stack` behave as in any JavaScript library.

use crate::prelude::*;

use super::convert::{object, set};
use crate::core::issue::Issue;
use js_sys::Object;
use wasm_bindgen::JsValue;

pub const VALIDATION: &str = "ValidationError";
pub const API: &str = "ApiError";
pub const AUTHENTICATION: &str = "AuthenticationError";
pub const RATE_LIMIT: &str = "RateLimitError";
pub const TIMEOUT: &str = "TimeoutError";
pub const NETWORK: &str = "NetworkError";
pub const ABORT: &str = "AbortError";

pub fn error(class: &str, code: &str, message: &str) -> Object {
    object(&[("$sdk", class.into()), ("code", code.into()), ("message", message.into())])
}

/// A `ValidationError` listing every issue; the message names what was invalid (`what` and
/// `part`: "createTicket", " input") and the first issues.
pub fn validation(what: &str, part: &str, issues: &[Issue]) -> JsValue {
    let mut message = String::from("Invalid ");
    message.push_str(what);
    message.push_str(part);
    message.push_str(": ");
    for (i, issue) in issues.iter().take(3).enumerate() {
        if i > 0 {
            message.push_str("; ");
        }
        message.push_str(&issue.message);
    }
    if issues.len() > 3 {
        message.push_str("; and ");
        crate::core::issue::push_uint(&mut message, (issues.len() - 3) as u64);
        message.push_str(" more (see .issues)");
    }
    let e = error(VALIDATION, "VALIDATION_ERROR", &message);
    set(&e, "issues", &super::convert::issues_to_js(issues).into());
    e.into()
}
