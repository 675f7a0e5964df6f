//! Timers on the global `setTimeout`, which every target runtime has (browsers, Node, Deno,
//! Bun, workerd), unlike `window`; and waiting on promises that may ignore an abort.

use js_sys::{Function, Promise};
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

/// A promise that rejects when `signal` aborts, to race against promises that might ignore it
/// (a caller's `fetch`, a rate-limit store). Dropping it removes the listener.
struct Aborted {
    signal: AbortSignal,
    promise: Promise,
    reject: Function,
}

impl Aborted {
    fn new(signal: &AbortSignal) -> Option<Aborted> {
        let mut rejecter = None;
        // The executor runs synchronously, inside `Promise::new`.
        let promise = Promise::new(&mut |_, reject| rejecter = Some(reject));
        let reject = rejecter?;
        if signal.aborted() {
            let _ = reject.call0(&JsValue::UNDEFINED);
        }
        let _ = signal.add_event_listener_with_callback("abort", &reject);
        Some(Aborted { signal: signal.clone(), promise, reject })
    }

    /// `p`'s outcome, unless the signal aborts first (then a rejection).
    fn race(&self, p: &Promise) -> JsFuture {
        JsFuture::from(Promise::race(&js_sys::Array::of2(p, &self.promise)))
    }
}

impl Drop for Aborted {
    fn drop(&mut self) {
        let _ = self.signal.remove_event_listener_with_callback("abort", &self.reject);
    }
}

/// Awaits `p`, or rejects as soon as `signal` (if any) aborts.
pub async fn unless_aborted(p: &Promise, signal: Option<&AbortSignal>) -> Result<JsValue, JsValue> {
    match signal.and_then(Aborted::new) {
        Some(aborted) => aborted.race(p).await,
        None => JsFuture::from(p.clone()).await,
    }
}
