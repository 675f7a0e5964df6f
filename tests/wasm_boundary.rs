//! The wasm layer in a real JavaScript engine (Node by default; headless Chromium with
//! WASM_BINDGEN_USE_BROWSER=1): reading JS values (hostile ones too) through serde-wasm-bindgen,
//! error objects, options, the decisions an `Exchange` makes for the responses and failures the
//! driver reports, the async driver itself with a `fetch` of the test's own, and the Mava webhook
//! functions through WebCrypto. The package as users load it is tested from the packed tarball
//! (tests/js), in Node, workerd and Chromium.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, JsString, Promise, Reflect, JSON};
use mava_sdk::core::value::{Odd, Value};
use mava_sdk::wasm::client::Client;
use mava_sdk::wasm::convert::read;
use mava_sdk::wasm::exchange::{Exchange, Failure, Outcome};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
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

fn no_key(e: &JsValue) {
    let text = JSON::stringify(e).unwrap().as_string().unwrap();
    assert!(!text.contains("secret-key-123"), "{text}");
}

#[wasm_bindgen_test]
fn reads_values_as_json_would() {
    let v = read(&js("{ a: 1.5, b: 'x', c: [true, null, undefined], d: undefined, e: { f: 1e21, g: -7 } }"));
    assert_eq!(
        v,
        Value::Obj(vec![
            ("a".into(), Value::Num(1.5, "1.5".into())),
            ("b".into(), Value::Str("x".into())),
            ("c".into(), Value::Arr(vec![Value::Bool(true), Value::Null, Value::Null])),
            ("e".into(), Value::Obj(vec![("f".into(), Value::num(1e21)), ("g".into(), Value::Num(-7.0, "-7".into()))])),
        ])
    );
    // `__proto__` is a key like any other, not the object's prototype.
    assert_eq!(read(&js("JSON.parse('{\"__proto__\": {\"x\": 1}}')")), Value::Obj(vec![("__proto__".into(), Value::Obj(vec![("x".into(), Value::num(1.0))]))]));
}

#[wasm_bindgen_test]
fn dates_of_any_kind_become_iso_strings_and_odd_values_are_flagged() {
    assert_eq!(read(&js("new Date(0)")), Value::Date("1970-01-01T00:00:00.000Z".into()));
    assert_eq!(read(&js("new Date(NaN)")), Value::Other(Odd::InvalidDate));
    assert_eq!(read(&js("({ [Symbol.toStringTag]: 'Date' })")), Value::Obj(vec![]), "a look-alike is an object");
    assert_eq!(read(&js("NaN")), Value::Other(Odd::NonFinite));
    assert_eq!(read(&js("() => 1")), Value::Other(Odd::Function));
    assert_eq!(read(&js("10n")), Value::Other(Odd::BigInt));
    assert_eq!(read(&js("Symbol('s')")), Value::Other(Odd::Symbol));
    assert_eq!(read(&js("'a\\ud800b'")), Value::Other(Odd::LoneSurrogate));
    assert_eq!(read(&js("'pair \\ud83d\\ude00'")), Value::Str("pair 😀".into()));
    let cyclic = read(&js("(() => { const o = {}; o.self = o; return o; })()"));
    let (mut v, mut depth) = (&cyclic, 0);
    while let Some(inner) = v.get("self") {
        v = inner;
        depth += 1;
    }
    assert_eq!((v, depth), (&Value::Other(Odd::TooDeep), 64));
}

#[wasm_bindgen_test]
fn hostile_values_become_issues_at_their_path() {
    let throwing_item = js("(() => { const a = ['x']; Object.defineProperty(a, 0, { get() { throw new Error('no'); } }); return a; })()");
    assert_eq!(read(&throwing_item), Value::Arr(vec![Value::Other(Odd::Unreadable)]));
    let getter = read(&js("({ a: 1, get b() { throw new Error('no'); } })"));
    assert_eq!(getter.get("b"), Some(&Value::Other(Odd::Unreadable)));
    for src in [
        "new Proxy({}, { ownKeys() { throw new Error('no'); } })",
        "(() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; })()",
        "new Proxy([], { get(t, k) { if (k === 'length') throw new Error('no'); return t[k]; } })",
    ] {
        assert_eq!(read(&js(src)), Value::Other(Odd::Unreadable), "{src}");
    }
    assert_eq!(read(&js("new Proxy({ a: 1 }, {})")), Value::Obj(vec![("a".into(), Value::num(1.0))]), "a harmless proxy reads through");
    assert_eq!(read(&js("Object.assign([], { length: 2 ** 32 - 1 })")), Value::Other(Odd::TooLong));
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
    assert_eq!(field(&issues.get(1), "message"), "priority must be one of 1, 2, 3");
}

#[wasm_bindgen_test]
fn bad_options_are_rejected_at_construction() {
    for (opts, path) in [
        ("{}", "apiKey"),
        ("{ apiKey: '' }", "apiKey"),
        ("{ apiKey: ' k ' }", "apiKey"),
        ("{ apiKey: 'k', timeout: 5 }", "timeout"),
        ("{ apiKey: 'k', fetch: 'nope' }", "fetch"),
        ("{ apiKey: 'k', baseUrl: 'gateway.mava.app' }", "baseUrl"),
        ("{ apiKey: 'k', timeoutMs: 0 }", "timeoutMs"),
        ("{ apiKey: 'k\\n' }", "apiKey"),
        ("{ apiKey: 'k', rateLimit: { requests: 0, windowMs: 1000 } }", "rateLimit.requests"),
        ("{ apiKey: 'k', rateLimit: { requests: 1, windowMs: 1000, store: {} } }", "rateLimit.store"),
        ("{ apiKey: 'k', get timeoutMs() { throw new Error('no'); } }", "timeoutMs"),
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
    let mut ex = c.exchange_for(at(name), &js(input), &js(options)).map_err(|e| JSON::stringify(&e).unwrap()).unwrap();
    assert!(ex.next() > 0.0);
    ex
}

fn reply(ex: &Exchange, status: u16, headers: &[(&str, &str)], text: &str) -> Outcome {
    ex.reply(status, &|| headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), &JsString::from(text))
}

/// The result of a call that ends with this outcome.
fn done(o: Outcome) -> JsValue {
    match o {
        Outcome::Done(v) => v,
        Outcome::Failed { error, .. } => panic!("failed: {}", error.message),
    }
}

/// The error object, the retry wait and the pause of a failure.
fn failed(o: Outcome) -> (JsValue, Option<f64>, Option<f64>) {
    match o {
        Outcome::Failed { error, retry_ms, pause_ms } => (error.to_js(), retry_ms, pause_ms),
        Outcome::Done(v) => panic!("succeeded with {v:?}"),
    }
}

#[wasm_bindgen_test]
fn a_success_is_the_parsed_body() {
    let c = client("");
    let ex = exchange(&c, "updateTicket", "{ ticketId: '6650a1b2c3d4e5f678901234', status: 'Resolved' }", "undefined");
    let out = done(reply(&ex, 200, &[], r#"{"message":"Ticket updated"}"#));
    assert_eq!(field(&out, "message"), "Ticket updated");
}

#[wasm_bindgen_test]
fn error_responses_carry_status_code_body_headers_and_no_key() {
    let c = client("");
    let ex = exchange(&c, "updateTicket", "{ ticketId: '6650a1b2c3d4e5f678901234', categoryId: '6650a1b2c3d4e5f678901235' }", "undefined");
    let (e, retry, _) = failed(reply(&ex, 400, &[("x-request-id", "r1")], r#"{"error":"Category not found"}"#));
    assert_eq!(field(&e, "$sdk"), "ApiError");
    assert_eq!(field(&e, "status"), 400);
    assert_eq!(field(&e, "code"), "CATEGORY_NOT_FOUND");
    assert_eq!(field(&e, "attempts"), 1);
    assert_eq!(field(&field(&e, "headers"), "x-request-id"), "r1");
    assert_eq!(field(&field(&e, "body"), "error"), "Category not found");
    assert_eq!(retry, None, "a 400 is not retried");
    no_key(&e);

    // A server that echoes the key: masked in the message, the body (at any depth) and headers.
    let (e, ..) = failed(reply(&ex, 400, &[("x-echo", "key secret-key-123")], r#"{"error":"bad key secret-key-123","deep":[{"k":"secret-key-123"}]}"#));
    no_key(&e);
    assert_eq!(field(&field(&e, "headers"), "x-echo"), "key ***");

    let ex = exchange(&c, "getAgents", "undefined", "undefined");
    let (e, ..) = failed(reply(&ex, 401, &[], "{}"));
    assert_eq!(field(&e, "$sdk"), "AuthenticationError");
    assert_eq!(field(&e, "code"), "UNAUTHORIZED");
}

#[wasm_bindgen_test]
fn html_malformed_and_empty_bodies() {
    let c = client("");
    let ex = exchange(&c, "getAgents", "undefined", "{ maxRetries: 0 }");
    let (e, retry, _) = failed(reply(&ex, 502, &[("content-type", "text/html")], "<html><body>Bad gateway</body></html>"));
    assert_eq!(field(&e, "code"), "HTTP_502");
    assert!(field(&e, "body").as_string().unwrap().contains("Bad gateway"));
    assert_eq!(retry, None, "maxRetries: 0");

    let ex = exchange(&c, "getCategories", "undefined", "undefined");
    let (e, retry, _) = failed(reply(&ex, 200, &[], r#"{"categories": ["#));
    assert_eq!(field(&e, "code"), "INVALID_RESPONSE");
    assert_eq!(retry, None);
    let (e, ..) = failed(reply(&ex, 200, &[], "  "));
    assert_eq!(field(&e, "code"), "INVALID_RESPONSE");
}

#[wasm_bindgen_test]
fn retries_follow_the_policy_and_a_429_pauses_the_window() {
    let c = client("maxRetryAfterMs: 5000");
    let mut ex = exchange(&c, "getAgents", "undefined", "undefined");
    let (_, retry, pause) = failed(reply(&ex, 503, &[], "{}"));
    let wait = retry.expect("a 503 on a read is retried");
    assert!((0.0..500.0).contains(&wait), "{wait}");
    assert_eq!(pause, None);

    ex.next();
    let (e, retry, pause) = failed(reply(&ex, 429, &[("retry-after", "2")], r#"{"error":"Too many requests"}"#));
    assert_eq!(field(&e, "$sdk"), "RateLimitError");
    assert_eq!(field(&e, "retryAfterMs"), 2000);
    assert_eq!((retry, pause), (Some(2000.0), Some(2000.0)));
    assert_eq!(field(&e, "attempts"), 2);

    // A Retry-After past maxRetryAfterMs is not waited for, and pauses the window no longer
    // than that bound.
    let (_, retry, pause) = failed(reply(&ex, 429, &[("retry-after", "99999999999999999999")], "{}"));
    assert_eq!((retry, pause), (None, Some(5000.0)));

    // The default maxRetries is 2: the third attempt's error ends the call.
    ex.next();
    let (e, retry, _) = failed(reply(&ex, 503, &[], "{}"));
    assert_eq!(field(&e, "attempts"), 3);
    assert_eq!(retry, None);
}

#[wasm_bindgen_test]
fn failures_without_a_response() {
    let c = client("");
    let get = exchange(&c, "getAgents", "undefined", "{ timeoutMs: 20 }");
    let (e, retry, _) = failed(get.failed(Failure::Timeout));
    assert_eq!(field(&e, "$sdk"), "TimeoutError");
    assert_eq!(field(&e, "message"), "GET /api/agents timed out after 20 ms");
    assert!(retry.is_some(), "a read that timed out is retried");

    // A create that may have reached the server is not repeated after a timeout.
    let create = exchange(&c, "createTicket", "{ customerId: '6650a1b2c3d4e5f678901234' }", "undefined");
    assert_eq!(failed(create.failed(Failure::Timeout)).1, None);

    let (e, retry, _) = failed(get.failed(Failure::Aborted));
    assert_eq!(field(&e, "$sdk"), "AbortError");
    assert_eq!(retry, None);

    let cause = js("new TypeError('failed to reach http://sandbox.test with secret-key-123', { cause: new Error('connect ECONNREFUSED') })");
    let (e, retry, _) = failed(get.failed(Failure::Network(cause)));
    assert_eq!(field(&e, "$sdk"), "NetworkError");
    assert_eq!(field(&field(&e, "cause"), "name"), "TypeError");
    let text = field(&e, "message").as_string().unwrap();
    assert!(text.contains("failed to reach") && text.contains("ECONNREFUSED"), "{text}");
    no_key(&e);
    assert!(!field(&field(&e, "cause"), "message").as_string().unwrap().contains("secret-key-123"));
    assert!(retry.is_some(), "a dropped read is retried");

    // A cause without the key is the original error itself.
    let original = js("new TypeError('fetch failed')");
    let (e, ..) = failed(get.failed(Failure::Network(original.clone())));
    assert_eq!(field(&e, "cause"), original);

    let (e, retry, _) = failed(get.failed(Failure::Store(JsValue::NULL)));
    assert_eq!(field(&e, "$sdk"), "NetworkError");
    assert!(field(&e, "message").as_string().unwrap().contains("null was thrown"));
    assert_eq!(retry, None, "a failing store is not retried");
    let (e, ..) = failed(get.failed(Failure::QueueTimeout));
    assert_eq!(field(&e, "code"), "QUEUE_TIMEOUT");
}

#[wasm_bindgen_test]
fn call_options_are_checked_before_anything_is_sent() {
    let c = client("");
    for (opts, path) in [("{ signal: 'nope' }", "signal"), ("{ signal: { aborted: false } }", "signal"), ("{ timeout: 5 }", "timeout"), ("{ method: 'GET' }", "method")] {
        let err = c.exchange_for(at("getAgents"), &JsValue::UNDEFINED, &js(opts)).err().expect(opts);
        let issues: Array = field(&err, "issues").dyn_into().unwrap();
        assert_eq!(field(&issues.get(0), "path"), path, "{opts}");
    }
    assert!(c.exchange_for(at("getAgents"), &JsValue::UNDEFINED, &js("{ signal: AbortSignal.abort() }")).is_ok());
}

async fn settle(p: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

#[wasm_bindgen_test]
async fn send_goes_through_the_callers_fetch_and_resolves_the_body() {
    let seen = Array::new();
    let fetch = Function::new_with_args("seen", "return async (req) => { seen.push(req.method + ' ' + req.url + ' ' + req.headers.get('x-auth-token')); return new Response('{\"agents\":[]}'); }")
        .call1(&JsValue::UNDEFINED, &seen)
        .unwrap();
    let opts = js("{ apiKey: 'secret-key-123', baseUrl: 'http://sandbox.test', rateLimit: false }");
    Reflect::set(&opts, &"fetch".into(), &fetch).unwrap();
    let c = Client::new(true, opts).unwrap();
    let out = settle(c.send(at("getAgents"), JsValue::UNDEFINED, JsValue::UNDEFINED)).await.unwrap();
    assert!(Array::is_array(&field(&out, "agents")));
    assert_eq!(seen.get(0), "GET http://sandbox.test/api/agents secret-key-123");

    // Bad input rejects, and sends nothing.
    let e = settle(c.send(at("createTicket"), js("{ priority: 'high' }"), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(field(&e, "$sdk"), "ValidationError");
    assert_eq!(seen.length(), 1);
}

#[wasm_bindgen_test]
async fn a_fetch_that_ignores_its_signal_still_times_out_and_aborts() {
    let opts = js("{ apiKey: 'k', baseUrl: 'http://sandbox.test', rateLimit: false, maxRetries: 0, fetch: () => new Promise(() => {}) }");
    let c = Client::new(true, opts).unwrap();
    let e = settle(c.send(at("getAgents"), JsValue::UNDEFINED, js("{ timeoutMs: 20 }"))).await.unwrap_err();
    assert_eq!(field(&e, "$sdk"), "TimeoutError");
    let e = settle(c.send(at("getAgents"), JsValue::UNDEFINED, js("{ signal: AbortSignal.timeout(20) }"))).await.unwrap_err();
    assert_eq!(field(&e, "$sdk"), "AbortError");
}

// ------------------------------------------------------------------ Mava webhooks

/// A test signing key (RSA-1024, made for these tests only) and a delivery made for it by the
/// sandbox's sender (tests/sandbox/webhooks.mjs): AES-128-CBC of
/// `{"type":"ticket.created","document":{"_id":"t1","priority":"2"}}`.
const WEBHOOK_KEY: &str = concat!(
    "mava_wh_MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBANFsRxINqja+k6vADtgoecNrBYX9Zrm13d0Sk2yl5G51",
    "RNVSd5uaQVWXvF7rlLkR/BIhj2aYSPHridZ8fsNH2WOJ1gK6L32c1ammJNLGV/q4QCwsNsPbdPXR5Zqjy7EXokmIiQPxLh4c85NE",
    "Vyh1iN+xGFcT3U+sIj/q/UwrtzrrAgMBAAECgYEAzfjJubbY53ju8mg18WF1yL6UsyD0jMiTimA/wQc0MXODHLA8VT0U7yMKsOzQ",
    "3GkU25xIVuaGL/GyItNVNamP4u85rEs+/nD8EmuQrvrAcMxdUnlR7dQbqFYjQ8LZ2SU09CZqmVt0Ka4hSK4mhVNJE9qte2u4yxYg",
    "36xMFmTOipkCQQD09tgLr45+31Qn80z64AtBheZ/DH5wnJkvV3qQzHKTIPOrvQqrbkVnvnwuVWkCJFZinDn/YcEvOJNg3zSCfbMV",
    "AkEA2tuJ3skqFYU9ahGYr6hLvuA+4+unWI/Qab8Vh29nQSZX/WSc2SSRGBLU4YdcIPWw+Oocm0iBgkldDe3l1lS1/wJBAO2C1NDn",
    "w9rBwMAHh9ELH/7EzErNG18mhuQ/BkiU4lZDMd+HKGw1O7guGgt2ppz8DIIKBbXW209kpIjdgfUv2U0CQFZEnWbk8qLC/39U6lOr",
    "Shg2OnQLCs7c+XEFck4NeqzymVJ3m1/4ivzrR2CSw5z2W8jyN056WRprIrP/504B3C8CQFNtSJXAaxHdgjNOkSibGub8jcW3sg0d",
    "zKrcGOeBBZUsPzs2pXAMQcxXHnyDCj49PexASk73OQZttpqvJrqupno=",
);
const WEBHOOK_DELIVERY: &str = r#"{"signature": "992b77c9b280b86f82ae0ab7c54090e9cb59db2f995269bc9c86574287fc6bbc", "payload": "r/u3z0XipKfvpdwZ4vkOzUdHRMpAualvxCZf7Kq2Q60KRD3pIiof8Q0dQi2sINb9PHMStxHpqtXwHYX99xvslZt+dt4UbjPfNYQGf5gROck=", "key": "c67364483fe859976e3ed65c42ce4acb:xdwaftz7gFw5HIZ17P1NMB9SinBSN7zl1KEptcJKpcuHfqq6HqEEJRS7n6PrrJimmwcXtnbOsqESrft2/x6J2Q/8J9u8uggG/PVOp13TGHuN1jZnyKDqQr7UK4w4Ir7xstz1+Ut8+70+VozTN4+EmG39QrODkOKv2SRmNUEyNDw=", "webhookId": "wh-1"}"#;

/// The promise an exported webhook function hands to its callback.
async fn webhook_call(call: impl FnOnce(&Function)) -> Result<JsValue, JsValue> {
    let got = Array::new();
    let resolve = Function::new_with_args("got", "return (p) => got.push(p)").call1(&JsValue::UNDEFINED, &got).unwrap();
    call(resolve.unchecked_ref());
    assert_eq!(got.length(), 1, "the promise is handed over at once");
    settle(got.get(0).unchecked_into()).await
}

fn delivery() -> JsValue {
    JsValue::from_str(WEBHOOK_DELIVERY)
}

#[wasm_bindgen_test]
async fn a_webhook_delivery_verifies_and_opens_once() {
    use mava_sdk::wasm::webhook::{open_mava_webhook, verify_mava_webhook};
    let ok = webhook_call(|r| verify_mava_webhook(delivery(), WEBHOOK_KEY.into(), r)).await.unwrap();
    assert_eq!(ok, JsValue::TRUE);
    let seen = js("new Set()");
    let options = Function::new_with_args("seen", "return { seen }").call1(&JsValue::UNDEFINED, &seen).unwrap();
    let event = webhook_call(|r| open_mava_webhook(delivery(), WEBHOOK_KEY.into(), options.clone(), r)).await.unwrap();
    assert_eq!(field(&event, "type"), "ticket.created");
    assert_eq!(field(&event, "webhookId"), "wh-1");
    assert_eq!(field(&field(&event, "document"), "priority"), "2");
    assert_eq!(field(&event, "duplicate"), JsValue::FALSE);
    let again = webhook_call(|r| open_mava_webhook(delivery(), WEBHOOK_KEY.into(), options.clone(), r)).await.unwrap();
    assert_eq!(field(&again, "duplicate"), JsValue::TRUE);
    assert_eq!(Reflect::get(&seen, &"size".into()).unwrap(), 2);
}

#[wasm_bindgen_test]
async fn webhook_errors_are_plain_objects_without_the_key() {
    use mava_sdk::wasm::webhook::verify_mava_webhook;
    let text = |e: &JsValue| JSON::stringify(e).unwrap().as_string().unwrap();
    // A key WebCrypto refuses is reported before the malformed delivery.
    let e = webhook_call(|r| verify_mava_webhook(js("{}"), "mava_wh_c2VjcmV0LWtleS0xMjM=".into(), r)).await.unwrap_err();
    assert_eq!((field(&e, "$sdk"), field(&e, "code")), ("WebhookError".into(), "INVALID_SIGNING_KEY".into()), "{}", text(&e));
    assert!(!text(&e).contains("c2VjcmV0LWtleS0xMjM") && !text(&e).contains("secret-key-123"));
    let e = webhook_call(|r| verify_mava_webhook(js("{ signature: 'ab', payload: 1, key: 'no-colon' }"), WEBHOOK_KEY.into(), r)).await.unwrap_err();
    assert_eq!(field(&e, "$sdk"), "ValidationError");
    let paths: Vec<String> = Array::from(&field(&e, "issues")).iter().map(|i| field(&i, "path").as_string().unwrap()).collect();
    assert_eq!(paths, ["payload", "webhookId", "key"]);
    assert!(!text(&e).contains(&WEBHOOK_KEY[20..60]));
}

#[wasm_bindgen_test]
async fn without_crypto_subtle_a_webhook_is_crypto_unavailable() {
    use mava_sdk::wasm::webhook::verify_mava_webhook;
    // A global whose `crypto` throws when read (and, after, one without it), then the real one back.
    let saved = js("Object.getOwnPropertyDescriptor(globalThis, 'crypto')");
    for hide in ["{ get() { throw new Error('no crypto'); }, configurable: true }", "{ value: undefined, configurable: true }"] {
        js(&["Object.defineProperty(globalThis, 'crypto', ", hide, ")"].concat());
        let e = webhook_call(|r| verify_mava_webhook(delivery(), WEBHOOK_KEY.into(), r)).await;
        js("delete globalThis.crypto");
        if !saved.is_undefined() {
            Reflect::define_property(&js_sys::global(), &"crypto".into(), saved.unchecked_ref()).unwrap();
        }
        let e = e.unwrap_err();
        assert_eq!(field(&e, "code"), "CRYPTO_UNAVAILABLE");
    }
    let ok = webhook_call(|r| verify_mava_webhook(delivery(), WEBHOOK_KEY.into(), r)).await.unwrap();
    assert_eq!(ok, JsValue::TRUE);
}
