//! The wasm layer in a real JavaScript engine (Node by default; headless Chromium with
//! WASM_BINDGEN_USE_BROWSER=1): reading JS values, error objects, options, and the decisions
//! an `Exchange` hands the JavaScript transport (result or error, retry, pause) for the
//! responses and failures it reports. The transport itself is tested from the packed package
//! (tests/js), in Node and in Chromium.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Date, Function, JsString, Object, Reflect, JSON};
use mava_sdk::core::value::Value;
use mava_sdk::wasm::client::Client;
use mava_sdk::wasm::convert::to_value;
use mava_sdk::wasm::exchange::{failure, Exchange};
use mava_sdk::wasm::ratelimit::Window;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn js(src: &str) -> JsValue {
    Function::new_no_args(&["return (", src, ");"].concat()).call0(&JsValue::UNDEFINED).unwrap()
}

/// A Mava call's number, as the facade passes it.
fn at(name: &str) -> usize {
    mava_sdk::mava::CALLS.iter().position(|c| c.name == name).unwrap()
}

fn field(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap()
}

fn client(extra: &str) -> Client {
    Client::new(true, js(&["{ apiKey: 'secret-key-123', baseUrl: 'http://sandbox.test', ", extra, " }"].concat())).map_err(|e| JSON::stringify(&e).unwrap()).unwrap()
}

#[wasm_bindgen_test]
fn reads_values_as_json_would() {
    let v = to_value(&js("{ a: 1.5, b: 'x', c: [true, null], d: undefined, e: { f: 1e21 } }"));
    assert_eq!(
        v,
        Value::Obj(vec![
            ("a".into(), Value::Num(1.5, "1.5".into())),
            ("b".into(), Value::Str("x".into())),
            ("c".into(), Value::Arr(vec![Value::Bool(true), Value::Null])),
            ("e".into(), Value::Obj(vec![("f".into(), Value::Num(1e21, "1e+21".into()))])),
        ])
    );
}

#[wasm_bindgen_test]
fn dates_become_iso_strings_and_odd_values_are_flagged() {
    assert_eq!(to_value(&Date::new(&JsValue::from_f64(0.0)).into()), Value::Str("1970-01-01T00:00:00.000Z".into()));
    assert_eq!(to_value(&js("new Date(NaN)")), Value::Other("an invalid Date"));
    assert_eq!(to_value(&js("NaN")), Value::Other("a non-finite number"));
    assert_eq!(to_value(&js("() => 1")), Value::Other("a function"));
    assert_eq!(to_value(&js("10n")), Value::Other("a bigint"));
    let cyclic = js("(() => { const o = {}; o.self = o; return o; })()");
    let mut v = &to_value(&cyclic);
    let mut depth = 0;
    while let Some(inner) = v.get("self") {
        v = inner;
        depth += 1;
    }
    assert_eq!(*v, Value::Other("nested too deeply (or circular)"));
    assert!(depth < 40);
}

#[wasm_bindgen_test]
fn validation_errors_list_every_issue() {
    let c = client("");
    let err = c.build(at("createTicket"), js("{ customer: { email: 'x' }, priority: 9 }")).unwrap_err();
    assert_eq!(field(&err, "$sdk"), "ValidationError");
    assert_eq!(field(&err, "code"), "VALIDATION_ERROR");
    let issues: Array = field(&err, "issues").dyn_into().unwrap();
    assert_eq!(issues.length(), 2);
    assert_eq!(field(&issues.get(0), "path"), "customer.email");
}

#[wasm_bindgen_test]
fn bad_options_are_rejected_at_construction() {
    for (opts, path) in [
        ("{}", "apiKey"),
        ("{ apiKey: '' }", "apiKey"),
        ("{ apiKey: 'k', timeout: 5 }", "timeout"),
        ("{ apiKey: 'k', fetch: 'nope' }", "fetch"),
        ("{ apiKey: 'k', baseUrl: 'gateway.mava.app' }", "baseUrl"),
        ("{ apiKey: 'k', timeoutMs: 0 }", "timeoutMs"),
        ("{ apiKey: 'k\\n' }", "apiKey"),
    ] {
        let err = Client::new(true, js(opts)).err().expect(opts);
        let issues: Array = field(&err, "issues").dyn_into().unwrap();
        assert_eq!(field(&issues.get(0), "path"), path, "{opts}");
    }
}

#[wasm_bindgen_test]
fn build_returns_the_request() {
    let r = client("").build(at("getAgents"), JsValue::UNDEFINED).unwrap();
    assert_eq!(field(&r, "method"), "GET");
    assert_eq!(field(&r, "url"), "http://sandbox.test/api/agents");
    assert_eq!(field(&field(&r, "headers"), "x-auth-token"), "secret-key-123");
    assert!(field(&r, "body").is_undefined());
}

/// An exchange for `name`, its first attempt begun.
fn exchange(c: &Client, name: &str, input: &str, options: &str) -> Exchange {
    let mut ex = c.start(at(name), js(input), js(options)).map_err(|e| JSON::stringify(&e).unwrap()).unwrap();
    let attempt = ex.next();
    assert!(field(&attempt, "url").as_string().unwrap().starts_with("http://sandbox.test/api/"));
    assert!(field(&attempt, "timeoutMs").as_f64().is_some_and(|ms| ms > 0.0));
    ex
}

fn reply(ex: &Exchange, status: u16, headers: &str, text: &str) -> Result<JsValue, JsValue> {
    ex.reply(status, js(headers).unchecked_into::<Object>(), JsString::from(text))
}

fn no_key(e: &JsValue) {
    let text = JSON::stringify(e).unwrap().as_string().unwrap();
    assert!(!text.contains("secret-key-123"), "{text}");
}

#[wasm_bindgen_test]
fn a_success_is_the_parsed_body() {
    let c = client("");
    let ex = exchange(&c, "updateTicket", "{ ticketId: '6650a1b2c3d4e5f678901234', status: 'Resolved' }", "undefined");
    let out = reply(&ex, 200, "{}", r#"{"message":"Ticket updated"}"#).unwrap();
    assert_eq!(field(&out, "message"), "Ticket updated");
}

#[wasm_bindgen_test]
fn error_responses_carry_status_code_body_headers_and_no_key() {
    let c = client("");
    let ex = exchange(&c, "updateTicket", "{ ticketId: '6650a1b2c3d4e5f678901234', categoryId: '6650a1b2c3d4e5f678901235' }", "undefined");
    let e = reply(&ex, 400, "{ 'x-request-id': 'r1' }", r#"{"error":"Category not found"}"#).unwrap_err();
    assert_eq!(field(&e, "$sdk"), "ApiError");
    assert_eq!(field(&e, "status"), 400);
    assert_eq!(field(&e, "code"), "CATEGORY_NOT_FOUND");
    assert_eq!(field(&e, "attempts"), 1);
    assert_eq!(field(&field(&e, "headers"), "x-request-id"), "r1");
    assert_eq!(field(&field(&e, "body"), "error"), "Category not found");
    assert!(field(&e, "$retryMs").is_undefined(), "a 400 is not retried");
    no_key(&e);

    let ex = exchange(&c, "getAgents", "undefined", "undefined");
    let e = reply(&ex, 401, "{}", "{}").unwrap_err();
    assert_eq!(field(&e, "$sdk"), "AuthenticationError");
    assert_eq!(field(&e, "code"), "UNAUTHORIZED");
}

#[wasm_bindgen_test]
fn html_malformed_and_empty_bodies() {
    let c = client("");
    let ex = exchange(&c, "getAgents", "undefined", "{ maxRetries: 0 }");
    let e = reply(&ex, 502, "{ 'content-type': 'text/html' }", "<html><body>Bad gateway</body></html>").unwrap_err();
    assert_eq!(field(&e, "code"), "HTTP_502");
    assert!(field(&e, "body").as_string().unwrap().contains("Bad gateway"));
    assert!(field(&e, "$retryMs").is_undefined(), "maxRetries: 0");

    let ex = exchange(&c, "getCategories", "undefined", "undefined");
    let e = reply(&ex, 200, "{}", r#"{"categories": ["#).unwrap_err();
    assert_eq!(field(&e, "code"), "INVALID_RESPONSE");
    assert!(field(&e, "$retryMs").is_undefined());
    let e = reply(&ex, 200, "{}", "  ").unwrap_err();
    assert_eq!(field(&e, "code"), "INVALID_RESPONSE");
    assert!(reply(&ex, 204, "{}", "").unwrap().is_null());
}

#[wasm_bindgen_test]
fn retries_follow_the_policy_and_a_429_pauses_the_window() {
    let c = client("");
    let mut ex = exchange(&c, "getAgents", "undefined", "undefined");
    let e = reply(&ex, 503, "{}", "{}").unwrap_err();
    let wait = field(&e, "$retryMs").as_f64().expect("a 503 on a read is retried");
    assert!((0.0..500.0).contains(&wait), "{wait}");
    assert!(field(&e, "$pauseMs").is_undefined());

    ex.next();
    let e = reply(&ex, 429, "{ 'retry-after': '2' }", r#"{"error":"Too many requests"}"#).unwrap_err();
    assert_eq!(field(&e, "$sdk"), "RateLimitError");
    assert_eq!(field(&e, "retryAfterMs"), 2000);
    assert_eq!(field(&e, "$retryMs"), 2000);
    assert_eq!(field(&e, "$pauseMs"), 2000);
    assert_eq!(field(&e, "attempts"), 2);

    // The default maxRetries is 2: the third attempt's error ends the call.
    ex.next();
    let e = reply(&ex, 503, "{}", "{}").unwrap_err();
    assert_eq!(field(&e, "attempts"), 3);
    assert!(field(&e, "$retryMs").is_undefined());
}

#[wasm_bindgen_test]
fn failures_without_a_response() {
    let c = client("");
    let get = exchange(&c, "getAgents", "undefined", "{ timeoutMs: 20 }");
    let e = get.failed(failure::TIMEOUT, JsValue::UNDEFINED);
    assert_eq!(field(&e, "$sdk"), "TimeoutError");
    assert_eq!(field(&e, "message"), "GET /api/agents timed out after 20 ms");
    assert!(field(&e, "$retryMs").as_f64().is_some(), "a read that timed out is retried");

    // A create that may have reached the server is not repeated after a timeout.
    let create = exchange(&c, "createTicket", "{ customerId: '6650a1b2c3d4e5f678901234' }", "undefined");
    assert!(field(&create.failed(failure::TIMEOUT, JsValue::UNDEFINED), "$retryMs").is_undefined());

    let e = get.failed(failure::ABORTED, JsValue::UNDEFINED);
    assert_eq!(field(&e, "$sdk"), "AbortError");
    assert!(field(&e, "$retryMs").is_undefined());

    let cause = js("new TypeError('failed to reach http://sandbox.test with secret-key-123', { cause: new Error('connect ECONNREFUSED') })");
    let e = get.failed(failure::NETWORK, cause);
    assert_eq!(field(&e, "$sdk"), "NetworkError");
    assert_eq!(field(&field(&e, "cause"), "name"), "TypeError");
    let text = field(&e, "message").as_string().unwrap();
    assert!(text.contains("failed to reach") && text.contains("ECONNREFUSED"), "{text}");
    no_key(&e);
    assert!(!field(&field(&e, "cause"), "message").as_string().unwrap().contains("secret-key-123"));
    assert!(!field(&e, "$retryMs").is_undefined(), "a dropped read is retried");

    let e = get.failed(failure::STORE, js("new Error('store down')"));
    assert_eq!(field(&e, "$sdk"), "NetworkError");
    assert!(field(&e, "$retryMs").is_undefined(), "a failing store is not retried");
}

#[wasm_bindgen_test]
fn call_options_are_checked_before_anything_is_sent() {
    let c = client("");
    for (opts, path) in [("{ signal: 'nope' }", "signal"), ("{ timeout: 5 }", "timeout"), ("{ method: 'GET' }", "method")] {
        let err = c.start(at("getAgents"), JsValue::UNDEFINED, js(opts)).err().expect(opts);
        let issues: Array = field(&err, "issues").dyn_into().unwrap();
        assert_eq!(field(&issues.get(0), "path"), path, "{opts}");
    }
    assert!(c.start(at("getAgents"), JsValue::UNDEFINED, js("{ signal: AbortSignal.abort() }")).is_ok());
}

#[wasm_bindgen_test]
fn the_rate_limit_names_a_fingerprint_never_the_key() {
    let limit = client("").rate_limit();
    assert_eq!(field(&limit, "requests"), 90);
    assert_eq!(field(&limit, "windowMs"), 30000);
    let key = field(&limit, "key").as_string().unwrap();
    assert!(key.starts_with("http://sandbox.test#") && !key.contains("secret-key-123"), "{key}");
    assert!(client("rateLimit: false").rate_limit().is_undefined());

    let mut w = Window::new(2, 1000);
    assert_eq!(w.take(0.0), 0.0);
    assert_eq!(w.take(1.0), 0.0);
    assert_eq!(w.take(2.0), 1018.0, "the window is kept 2% wider: the first send leaves it at 1020");
    w.pause(5000.0);
    assert_eq!(w.take(1100.0), 3900.0);
}
