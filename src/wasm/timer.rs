//! Timers on the global `setTimeout`, which every target runtime has (browsers, Node, Deno,
//! Bun, workerd), unlike `window`; and waiting on promises that may ignore an abort.

use js_sys::Promise;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &JsValue, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// Runs a callback after `ms` unless dropped first; dropping clears the timer and frees the
/// callback.
pub struct Timeout {
    id: JsValue,
    _callback: Closure<dyn FnMut()>,
}

impl Timeout {
    pub fn new(ms: f64, f: impl FnOnce() + 'static) -> Timeout {
        let mut f = Some(f);
        let callback = Closure::<dyn FnMut()>::new(move || {
            if let Some(f) = f.take() {
                f()
            }
        });
        let id = set_timeout(callback.as_ref(), ms);
        Timeout { id, _callback: callback }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}

/// Sleeps `ms`, or less if `signal` aborts first; false when it did.
pub async fn sleep_unless_aborted(ms: f64, signal: Option<&AbortSignal>) -> bool {
    if signal.is_some_and(AbortSignal::aborted) {
        return false;
    }
    let mut resolver = None;
    let promise = Promise::new(&mut |resolve, _| resolver = Some(resolve));
    let Some(resolve) = resolver else { return false };
    let id = set_timeout(&resolve, ms);
    if let Some(s) = signal {
        let _ = s.add_event_listener_with_callback("abort", &resolve);
    }
    let _ = JsFuture::from(promise).await;
    clear_timeout(&id);
    if let Some(s) = signal {
        let _ = s.remove_event_listener_with_callback("abort", &resolve);
    }
    !signal.is_some_and(AbortSignal::aborted)
}

/// Awaits `p`, or rejects as soon as `signal` (if any) aborts: for promises that might ignore
/// the signal (a caller's `fetch`, a rate-limit store).
pub async fn unless_aborted(p: &Promise, signal: Option<&AbortSignal>) -> Result<JsValue, JsValue> {
    let Some(signal) = signal else { return JsFuture::from(p.clone()).await };
    let mut rejecter = None;
    // The executor runs synchronously, inside `Promise::new`.
    let aborted = Promise::new(&mut |_, reject| rejecter = Some(reject));
    let Some(reject) = rejecter else { return JsFuture::from(p.clone()).await };
    if signal.aborted() {
        let _ = reject.call0(&JsValue::UNDEFINED);
    }
    let _ = signal.add_event_listener_with_callback("abort", &reject);
    let out = JsFuture::from(Promise::race(&js_sys::Array::of2(p, &aborted))).await;
    let _ = signal.remove_event_listener_with_callback("abort", &reject);
    out
}
