//! The wasm layer in a real JavaScript engine (Node by default; headless Chromium with
//! WASM_BINDGEN_USE_BROWSER=1): reading JS values, error objects, options, and the transport
//! driven through the `fetch` option with real `Response` objects.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Date, Function, Object, Promise, Reflect, JSON};
use mava_sdk::core::value::Value;
use mava_sdk::wasm::client::Client;
use mava_sdk::wasm::convert::to_value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

fn js(src: &str) -> JsValue {
    Function::new_no_args(&["return (", src, ");"].concat()).call0(&JsValue::UNDEFINED).unwrap()
}

fn field(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap()
}

fn client(extra: &str) -> Client {
    Client::new("mava", js(&["{ apiKey: 'secret-key-123', baseUrl: 'http://sandbox.test', ", extra, " }"].concat())).map_err(|e| JSON::stringify(&e).unwrap()).unwrap()
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
    let err = c.build("createTicket", js("{ customer: { email: 'x' }, priority: 9 }")).unwrap_err();
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
        let err = Client::new("mava", js(opts)).err().expect(opts);
        let issues: Array = field(&err, "issues").dyn_into().unwrap();
        assert_eq!(field(&issues.get(0), "path"), path, "{opts}");
    }
}

#[wasm_bindgen_test]
fn build_returns_the_request() {
    let r = client("").build("getAgents", JsValue::UNDEFINED).unwrap();
    assert_eq!(field(&r, "method"), "GET");
    assert_eq!(field(&r, "url"), "http://sandbox.test/api/agents");
    assert_eq!(field(&field(&r, "headers"), "x-auth-token"), "secret-key-123");
    assert!(field(&r, "body").is_undefined());
}

async fn settle(p: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

#[wasm_bindgen_test]
async fn custom_fetch_receives_the_request_and_json_comes_back() {
    js("globalThis.__seen = []");
    let c = client("fetch: async (req) => { globalThis.__seen.push([req.method, req.url, req.headers.get('x-auth-token'), await req.text()]); return new Response('{\"message\":\"Ticket updated\"}', { status: 200 }); }");
    let out = settle(c.call("updateTicket", js("{ ticketId: '6650a1b2c3d4e5f678901234', status: 'Resolved' }"), JsValue::UNDEFINED)).await.unwrap();
    assert_eq!(field(&out, "message"), "Ticket updated");
    let seen: Array = js("globalThis.__seen[0]").dyn_into().unwrap();
    assert_eq!(seen.get(0), "PUT");
    assert_eq!(seen.get(1), "http://sandbox.test/api/ticket");
    assert_eq!(seen.get(2), "secret-key-123");
    assert_eq!(seen.get(3), "{\"ticketId\":\"6650a1b2c3d4e5f678901234\",\"status\":\"Resolved\"}");
}

#[wasm_bindgen_test]
async fn error_responses_carry_status_code_body_and_no_key() {
    let c = client("fetch: async () => new Response('{\"error\":\"Category not found\"}', { status: 400, headers: { 'x-request-id': 'r1' } })");
    let e = settle(c.call("updateTicket", js("{ ticketId: '6650a1b2c3d4e5f678901234', categoryId: '6650a1b2c3d4e5f678901235' }"), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(field(&e, "$sdk"), "ApiError");
    assert_eq!(field(&e, "status"), 400);
    assert_eq!(field(&e, "code"), "CATEGORY_NOT_FOUND");
    assert_eq!(field(&field(&e, "headers"), "x-request-id"), "r1");
    assert_eq!(field(&field(&e, "body"), "error"), "Category not found");
    assert!(!JSON::stringify(&e).unwrap().as_string().unwrap().contains("secret-key-123"));

    let c = client("fetch: async () => new Response('{}', { status: 401 })");
    let e = settle(c.call("getAgents", JsValue::UNDEFINED, JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(field(&e, "$sdk"), "AuthenticationError");
    assert_eq!(field(&e, "code"), "UNAUTHORIZED");
}

#[wasm_bindgen_test]
async fn html_and_malformed_bodies() {
    let c = client("fetch: async () => new Response('<html><body>Bad gateway</body></html>', { status: 502, headers: { 'content-type': 'text/html' } })");
    let e = settle(c.call("getAgents", JsValue::UNDEFINED, js("{ maxRetries: 0 }"))).await.unwrap_err();
    assert_eq!(field(&e, "code"), "HTTP_502");
    assert!(field(&e, "body").as_string().unwrap().contains("Bad gateway"));

    let c = client("fetch: async () => new Response('{\"categories\": [', { status: 200 })");
    let e = settle(c.call("getCategories", JsValue::UNDEFINED, JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(field(&e, "code"), "INVALID_RESPONSE");
}

#[wasm_bindgen_test]
async fn timeout_aborts_the_attempt() {
    let c = client("fetch: (req) => new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason)))");
    let e = settle(c.call("getAgents", JsValue::UNDEFINED, js("{ timeoutMs: 20, maxRetries: 0 }"))).await.unwrap_err();
    assert_eq!(field(&e, "$sdk"), "TimeoutError");
}

#[wasm_bindgen_test]
async fn a_fetch_deaf_to_the_signal_still_times_out_and_aborts() {
    // Never settles and never reads the signal: only the SDK's race ends these calls.
    let c = client("fetch: () => new Promise(() => {})");
    let e = settle(c.call("getAgents", JsValue::UNDEFINED, js("{ timeoutMs: 20, maxRetries: 0 }"))).await.unwrap_err();
    assert_eq!(field(&e, "$sdk"), "TimeoutError");
    let ctl = js("(() => { const c = new AbortController(); setTimeout(() => c.abort(), 10); return c; })()");
    let opts = Object::new();
    Reflect::set(&opts, &"signal".into(), &field(&ctl, "signal")).unwrap();
    let e = settle(c.call("getAgents", JsValue::UNDEFINED, opts.into())).await.unwrap_err();
    assert_eq!(field(&e, "$sdk"), "AbortError");
}

#[wasm_bindgen_test]
async fn caller_signal_aborts() {
    let c = client("fetch: (req) => new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason)))");
    let ctl = js("(() => { const c = new AbortController(); setTimeout(() => c.abort(), 10); return c; })()");
    let opts = Object::new();
    Reflect::set(&opts, &"signal".into(), &field(&ctl, "signal")).unwrap();
    let e = settle(c.call("getAgents", JsValue::UNDEFINED, opts.into())).await.unwrap_err();
    assert_eq!(field(&e, "$sdk"), "AbortError");
    // An already-aborted signal never reaches fetch.
    js("globalThis.__calls = 0");
    let c = client("fetch: async () => { globalThis.__calls++; return new Response('{}'); }");
    let e = settle(c.call("getAgents", JsValue::UNDEFINED, js("{ signal: AbortSignal.abort() }"))).await.unwrap_err();
    assert_eq!(field(&e, "$sdk"), "AbortError");
    assert_eq!(js("globalThis.__calls"), 0);
}

#[wasm_bindgen_test]
async fn fetch_failures_become_network_errors_without_the_key() {
    let c = client("fetch: async (req) => { throw new TypeError('failed to reach ' + req.url + ' with secret-key-123'); }");
    let e = settle(c.call("getAgents", JsValue::UNDEFINED, js("{ maxRetries: 0 }"))).await.unwrap_err();
    assert_eq!(field(&e, "$sdk"), "NetworkError");
    let text = [field(&e, "message").as_string().unwrap(), field(&field(&e, "cause"), "message").as_string().unwrap()].concat();
    assert!(text.contains("failed to reach"), "{text}");
    assert!(!text.contains("secret-key-123"), "{text}");
    let c = client("fetch: async () => 'not a response'");
    let e = settle(c.call("getAgents", JsValue::UNDEFINED, js("{ maxRetries: 0 }"))).await.unwrap_err();
    assert_eq!(field(&e, "$sdk"), "NetworkError");
}
