//! `verifyMavaWebhook` and `openMavaWebhook`: a Mava webhook delivery checked and opened with
//! WebCrypto (`crypto.subtle`, web-sys `SubtleCrypto`), which every runtime the package supports
//! has — a Worker has no Node `crypto`. The decisions (delivery shape, signing key, encodings)
//! are `mava::webhook`'s; this module makes the calls:
//!
//! 1. import the signing key: `importKey("pkcs8", der, { RSA-OAEP, SHA-1 })`;
//! 2. unwrap the AES key: `decrypt({ RSA-OAEP }, …)` of the base64 after `key`'s colon;
//! 3. check the signature: `importKey("raw", base64 text of the AES key, { HMAC, SHA-256 })`, then
//!    `verify("HMAC", …)` over the `payload` text — WebCrypto's compare is constant-time;
//! 4. only for an authentic delivery, `openMavaWebhook` decrypts (AES-CBC), parses the event and
//!    asks the caller's `seen` whether it was delivered before.
//!
//! Everything a caller hands over is read before the first await, through reads that catch.
//! Every promise (WebCrypto's, and the `seen` store's, which may be a thenable or throw) is
//! awaited through `timer::settle`'s catching `Promise.race`, so nothing can throw through the
//! module. No error carries the signing key, the AES key or WebCrypto's own error objects: a
//! `DOMException`'s name at most, and the `seen` store's error with the key masked.

use super::convert::{get, parse_json, read, to_js};
use super::errors::{self, SdkError};
use super::exchange::safe_cause;
use super::timer::{settle, Stop};
use crate::core::codec::{base64_decode, hex_encode};
use crate::core::issue::{code, Issues};
use crate::core::secret::Redactor;
use crate::mava::webhook::{self as hook, Delivery, KeyProblem, Unreadable};
use js_sys::{Array, ArrayBuffer, Function, JsString, Promise, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::future_to_promise;
use web_sys::{AesCbcParams, Algorithm, CryptoKey, HmacImportParams, RsaHashedImportParams, RsaOaepParams, SubtleCrypto};

/// `verifyMavaWebhook(body, signingKey)`: a promise of `true` when the delivery is authentic for
/// this key, `false` when not; rejected with `ValidationError` (malformed delivery) or
/// `WebhookError` (`INVALID_SIGNING_KEY`, `CRYPTO_UNAVAILABLE`). The promise is handed to
/// `resolve` (see [`start`]).
#[wasm_bindgen(js_name = verifyMavaWebhook)]
pub fn verify_mava_webhook(body: JsValue, signing_key: JsValue, resolve: &Function) {
    start(Call::read(&body, &signing_key, None), false, resolve);
}

/// `openMavaWebhook(body, signingKey, { seen })`: verifies, decrypts and parses the event, and
/// resolves `{ webhookId, type, document, duplicate }`; rejects like `verifyMavaWebhook`, and
/// with `WebhookError` `INVALID_SIGNATURE`, `DECRYPT_FAILED` or `SEEN_FAILED`.
#[wasm_bindgen(js_name = openMavaWebhook)]
pub fn open_mava_webhook(body: JsValue, signing_key: JsValue, options: JsValue, resolve: &Function) {
    start(Call::read(&body, &signing_key, Some(&options)), true, resolve);
}

/// One async path for both: verify, and for `open` the rest. The promise goes to the facade's
/// `resolve` instead of being returned: Node 20's V8 (11.3) inlines calls of wasm exports into
/// hot JavaScript callers, and aborts the whole process ("unreachable code" in the deoptimizer)
/// when such a caller is deoptimized while the call runs and the export returns a reference. A
/// webhook route is such a caller, and reading a delivery runs enough JavaScript to deoptimize
/// it; an export that returns nothing is deoptimized safely (found by webhook-fuzz.test.mjs).
fn start(call: Result<Call, JsValue>, open: bool, resolve: &Function) {
    let promise = match call {
        Ok(call) => future_to_promise(call.run(open)),
        Err(e) => Promise::reject(&e),
    };
    let _ = resolve.call1(&JsValue::UNDEFINED, &promise);
}

/// What a call needs, read from the caller's values before anything is awaited.
struct Call {
    /// The signing key's PKCS#8 DER bytes.
    der: Vec<u8>,
    /// The delivery, or the `ValidationError` for it: reported once the signing key imported,
    /// so that a key WebCrypto refuses is reported whatever the delivery.
    delivery: Result<Delivery, JsValue>,
    /// Masks the signing key in what the `seen` store throws.
    mask: Redactor,
    /// The caller's `seen` store (`openMavaWebhook`), checked to have `has` and `add`.
    seen: Option<JsValue>,
}

/// An authentic delivery's unwrapped AES key, and its signature's bytes.
struct Authentic {
    symmetric_key: Vec<u8>,
    signature: Vec<u8>,
}

/// The event `openMavaWebhook` resolves.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Opened<'a> {
    webhook_id: &'a str,
    #[serde(rename = "type", with = "serde_wasm_bindgen::preserve")]
    kind: JsValue,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    document: JsValue,
    duplicate: bool,
}

impl Call {
    /// Reads and checks the signing key's text and the options (`Some` for `openMavaWebhook`),
    /// and reads the delivery.
    fn read(body: &JsValue, signing_key: &JsValue, options: Option<&JsValue>) -> Result<Call, JsValue> {
        let key_text = signing_key.as_string();
        let der = hook::signing_key_der(key_text.as_deref()).map_err(|p| key_error(p, None).to_js())?;
        let mask = Redactor::new(hook::signing_key_secret(key_text.as_deref().unwrap_or_default()));
        let seen = match options {
            Some(options) => read_seen(options)?,
            None => None,
        };
        Ok(Call { der, delivery: read_delivery(body), mask, seen })
    }

    /// The AES key and signature when the delivery is authentic for the signing key; `None`
    /// when it is not (a signature that doesn't match, or a key not wrapped for this one).
    async fn authenticate(&self, subtle: &SubtleCrypto, delivery: &Delivery) -> Result<Option<Authentic>, SdkError> {
        let rsa = import_signing_key(subtle, &self.der).await?;
        let Some(signature) = hook::signature_bytes(&delivery.signature) else { return Ok(None) };
        let Some(wrapped) = base64_decode(delivery.wrapped_key()).filter(|w| !w.is_empty()) else { return Ok(None) };
        let Some(symmetric_key) = unwrap_key(subtle, &rsa, &wrapped).await else { return Ok(None) };
        let authentic = hmac_verifies(subtle, &hook::hmac_key(&symmetric_key), &signature, delivery.payload.as_bytes()).await;
        Ok(authentic.then_some(Authentic { symmetric_key, signature }))
    }

    /// `verifyMavaWebhook`'s answer, or (`open`) `openMavaWebhook`'s.
    async fn run(self, open: bool) -> Result<JsValue, JsValue> {
        let subtle = subtle().map_err(|e| e.to_js())?;
        let delivery = match &self.delivery {
            Ok(delivery) => delivery,
            Err(invalid) => {
                // The key first: a Worker whose key is wrong fails every request the same way.
                import_signing_key(&subtle, &self.der).await.map_err(|e| e.to_js())?;
                return Err(invalid.clone());
            }
        };
        let authentic = self.authenticate(&subtle, delivery).await.map_err(|e| e.to_js())?;
        if !open {
            return Ok(authentic.is_some().into());
        }
        self.open(&subtle, delivery, authentic).await.map_err(|e| e.to_js())
    }

    async fn open(&self, subtle: &SubtleCrypto, delivery: &Delivery, authentic: Option<Authentic>) -> Result<JsValue, SdkError> {
        let id = delivery.webhook_id.as_str();
        let Some(authentic) = authentic else {
            let message = "The Mava webhook delivery is not authentic for this signing key: its signature does not match its payload, or its key was not made for this signing key";
            return Err(webhook_error("INVALID_SIGNATURE", message.into(), id));
        };
        let (kind, document) = decrypt(subtle, &authentic.symmetric_key, delivery).await.map_err(|why| match why {
            Some(why) => webhook_error("DECRYPT_FAILED", why.message(), id),
            // Chromium's WebCrypto has AES-128 and AES-256 only.
            None => crypto_unavailable("this runtime's crypto.subtle does not support AES-CBC with a key of this delivery's size (Chromium's has 128 and 256 bits, not 192)"),
        })?;
        // A replay may change the webhookId (it is not signed): the signature, in one canonical
        // form, names the payload.
        let signature_id = hex_encode(&authentic.signature);
        let mut duplicate = false;
        if let Some(seen) = &self.seen {
            duplicate = self.ask(seen, "has", id, id).await? || self.ask(seen, "has", &signature_id, id).await?;
            if !duplicate {
                self.ask(seen, "add", id, id).await?;
                self.ask(seen, "add", &signature_id, id).await?;
            }
        }
        Ok(to_js(&Opened { webhook_id: id, kind, document, duplicate }))
    }

    /// `seen[method](value)`, awaited; whether the answer is truthy. A method that throws or
    /// rejects fails the call with `SEEN_FAILED` (so a receiver answers 5xx and Mava retries).
    async fn ask(&self, seen: &JsValue, method: &str, value: &str, webhook_id: &str) -> Result<bool, SdkError> {
        let called = match get(seen, method).dyn_into::<Function>() {
            Ok(f) => f.call1(seen, &JsValue::from_str(value)),
            Err(_) => Err(js_sys::TypeError::new("it is no longer a function").into()),
        };
        let outcome = match called {
            Ok(returned) => settle(&returned, None, None).await,
            Err(e) => Err(Stop::Rejected(e)),
        };
        match outcome {
            Ok(answer) => Ok(answer.is_truthy()),
            Err(stop) => {
                let thrown = match stop {
                    Stop::Rejected(e) => e,
                    Stop::Aborted | Stop::TimedOut => JsValue::UNDEFINED,
                };
                let (cause, text) = safe_cause(&thrown, &self.mask);
                let mut m = String::from("The Mava webhook's seen.");
                m.push_str(method);
                m.push_str(" failed: ");
                m.push_str(&text);
                let mut e = webhook_error("SEEN_FAILED", m, webhook_id);
                e.cause = cause;
                Err(e)
            }
        }
    }
}

/// The delivery in `body` (JSON text or an object), or the `ValidationError` for it.
fn read_delivery(body: &JsValue) -> Result<Delivery, JsValue> {
    let value = match body.dyn_ref::<JsString>() {
        Some(text) => match parse_json(text) {
            Ok(parsed) => read(&parsed),
            Err(_) => {
                let mut issues = Issues::default();
                issues.push("", code::INVALID_JSON, "is not valid JSON");
                return Err(invalid("Mava webhook delivery", issues));
            }
        },
        None => read(body),
    };
    hook::check_delivery(&value).map_err(|issues| invalid("Mava webhook delivery", issues))
}

/// The `seen` option: `None` without one; a `ValidationError` for other options or a `seen`
/// without `has` and `add` functions. Only the options' own keys are read, never `seen`'s
/// contents (a store may hold much).
fn read_seen(options: &JsValue) -> Result<Option<JsValue>, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(None);
    }
    let mut issues = Issues::default();
    if !options.is_object() {
        issues.push("", code::INVALID_TYPE, "must be an object ({ seen })");
        return Err(invalid("openMavaWebhook options", issues));
    }
    match Reflect::own_keys(options) {
        Ok(keys) => {
            for key in keys.iter().filter_map(|k| k.as_string()) {
                if key != "seen" {
                    issues.push(&key, code::UNKNOWN_FIELD, "is not an option of openMavaWebhook (it takes seen)");
                }
            }
        }
        Err(_) => issues.push("", code::UNREADABLE_VALUE, "could not be read (a getter or proxy threw)"),
    }
    let seen = get(options, "seen");
    let usable = get(&seen, "has").is_function() && get(&seen, "add").is_function();
    if !seen.is_undefined() && !usable {
        issues.push("seen", code::INVALID_TYPE, "must be an object with has and add functions (a Set, or a store of your own)");
    }
    if !issues.is_empty() {
        return Err(invalid("openMavaWebhook options", issues));
    }
    Ok((!seen.is_undefined()).then_some(seen))
}

fn invalid(what: &str, issues: Issues) -> JsValue {
    errors::validation(what, "", &issues.into_list())
}

fn webhook_error(code: &str, message: String, webhook_id: &str) -> SdkError {
    let mut e = SdkError::new(errors::WEBHOOK, code, message);
    e.webhook_id = Some(webhook_id.into());
    e
}

/// `INVALID_SIGNING_KEY`, with the name of WebCrypto's refusal when there was one.
fn key_error(problem: KeyProblem, refusal: Option<String>) -> SdkError {
    let mut m = String::from(problem.message());
    if let Some(name) = refusal {
        m.push_str(" (crypto.subtle.importKey: ");
        m.push_str(&name);
        m.push(')');
    }
    SdkError::new(errors::WEBHOOK, "INVALID_SIGNING_KEY", m)
}

fn crypto_unavailable(what: &str) -> SdkError {
    let mut m = String::from("WebCrypto can't verify Mava webhooks here: ");
    m.push_str(what);
    SdkError::new(errors::WEBHOOK, "CRYPTO_UNAVAILABLE", m)
}

/// `globalThis.crypto.subtle`, read through reads that catch.
fn subtle() -> Result<SubtleCrypto, SdkError> {
    let subtle = get(&get(&js_sys::global(), "crypto"), "subtle");
    if subtle.is_object() {
        Ok(subtle.unchecked_into())
    } else {
        Err(crypto_unavailable("there is no crypto.subtle (a browser has it only on https:// pages and localhost)"))
    }
}

/// The answer of a WebCrypto call, or what it threw or rejected with.
async fn finish(call: Result<Promise, JsValue>) -> Result<JsValue, JsValue> {
    match settle(&call?.into(), None, None).await {
        Ok(v) => Ok(v),
        Err(Stop::Rejected(e)) => Err(e),
        Err(Stop::Aborted | Stop::TimedOut) => Err(JsValue::UNDEFINED),
    }
}

/// A `DOMException`'s name (`DataError` …) when it is one plain word: never its message or
/// other fields, which are the runtime's to fill.
fn refusal_name(e: &JsValue) -> Option<String> {
    let name = get(e, "name").as_string()?;
    (!name.is_empty() && name.len() <= 40 && name.bytes().all(|b| b.is_ascii_alphabetic())).then_some(name)
}

fn usages(usage: &str) -> Array {
    Array::of1(&JsValue::from_str(usage))
}

/// A fresh JavaScript copy of `bytes` (WebCrypto reads its input after the call returns in some
/// runtimes; a view of the module's memory could move when it grows).
fn copy(bytes: &[u8]) -> Uint8Array {
    Uint8Array::from(bytes)
}

/// The bytes of the `ArrayBuffer` a WebCrypto call resolved with.
fn bytes_of(v: &JsValue) -> Option<Vec<u8>> {
    v.dyn_ref::<ArrayBuffer>().map(|b| Uint8Array::new(b).to_vec())
}

async fn import_signing_key(subtle: &SubtleCrypto, der: &[u8]) -> Result<CryptoKey, SdkError> {
    // RSA-OAEP with SHA-1 for OAEP and MGF1, no label: Node's defaults, on which the documented
    // privateDecrypt call relies (mava-webhooks.md §3).
    let params = RsaHashedImportParams::new_with_str("SHA-1");
    params.unchecked_ref::<Algorithm>().set_name("RSA-OAEP");
    match finish(subtle.import_key_with_object("pkcs8", &copy(der), &params, false, &usages("decrypt"))).await {
        Ok(key) => Ok(key.unchecked_into()),
        Err(e) => match refusal_name(&e) {
            Some(name) if name == "NotSupportedError" => Err(crypto_unavailable("this runtime's crypto.subtle does not support RSA-OAEP with SHA-1")),
            name => Err(key_error(KeyProblem::Rejected, name)),
        },
    }
}

/// The AES key `wrapped` holds, or `None` when it does not decrypt with this RSA key.
async fn unwrap_key(subtle: &SubtleCrypto, rsa: &CryptoKey, wrapped: &[u8]) -> Option<Vec<u8>> {
    let params = RsaOaepParams::new("RSA-OAEP");
    bytes_of(&finish(subtle.decrypt_with_object_and_buffer_source(&params, rsa, &copy(wrapped))).await.ok()?)
}

/// Whether `signature` is the HMAC-SHA256 of `data` under `key` (false if WebCrypto refuses the
/// key, as it does an empty one).
async fn hmac_verifies(subtle: &SubtleCrypto, key: &[u8], signature: &[u8], data: &[u8]) -> bool {
    let params = HmacImportParams::new_with_str("HMAC", "SHA-256");
    let Ok(hmac) = finish(subtle.import_key_with_object("raw", &copy(key), &params, false, &usages("verify"))).await else {
        return false;
    };
    let verified = finish(subtle.verify_with_str_and_buffer_source_and_buffer_source("HMAC", hmac.unchecked_ref(), &copy(signature), &copy(data))).await;
    verified.is_ok_and(|v| v.as_bool() == Some(true))
}

/// The event's `type` and `document`: the payload decrypted with AES-CBC as `hook::aes_input`
/// reads it, as UTF-8 JSON `{ type, document }` — or why it is not one (`None`: WebCrypto refused
/// a key of a valid AES size, which it does not support).
async fn decrypt(subtle: &SubtleCrypto, symmetric_key: &[u8], delivery: &Delivery) -> Result<(JsValue, JsValue), Option<Unreadable>> {
    let input = hook::aes_input(symmetric_key.len(), delivery.iv(), &delivery.payload)?;
    let aes = finish(subtle.import_key_with_str("raw", &copy(symmetric_key), "AES-CBC", false, &usages("decrypt")))
        .await
        .map_err(|_| None)?;
    let params = AesCbcParams::new("AES-CBC", &copy(&input.iv));
    let plain = finish(subtle.decrypt_with_object_and_buffer_source(&params, aes.unchecked_ref(), &copy(&input.ciphertext))).await;
    let plain = plain.ok().and_then(|v| bytes_of(&v)).ok_or(Unreadable::Cipher)?;
    let text = String::from_utf8(plain).map_err(|_| Unreadable::Utf8)?;
    let event = parse_json(&JsString::from(text)).map_err(|_| Unreadable::Json)?;
    // JSON.parse's output: plain data properties, no getters or proxies.
    let kind = get(&event, "type");
    let document = get(&event, "document");
    let named = kind.as_string().is_some_and(|t| !t.trim().is_empty());
    let object = document.is_object() && !Array::is_array(&document);
    if named && object {
        Ok((kind, document))
    } else {
        Err(Some(Unreadable::Event))
    }
}
