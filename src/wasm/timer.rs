//! Waiting, bounded: timers on the global `setTimeout` (every target runtime has it, unlike
//! `window`), abort signals, and promises raced against both, awaited through
//! wasm-bindgen-futures' `JsFuture`.
//!
//! Everything a caller hands over (a signal, a promise or thenable from their `fetch` or store)
//! is touched only through bindings that catch, so a hostile getter or proxy can't throw through
//! the module; every timer is cleared when its owner is dropped, so a Node or Deno process can
//! exit as soon as nothing waits.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);

    /// `Promise.race`, which follows thenables and turns a throwing `then` into a rejection.
    #[wasm_bindgen(catch, js_namespace = Promise, js_name = race)]
    fn race_all(promises: &Array) -> Result<Promise, JsValue>;

    /// `f` bound to `this`, called with `arg` (and nothing of its caller's):
    /// `Function.prototype.bind.call(f, this, arg)`.
    #[wasm_bindgen(js_namespace = ["Function", "prototype", "bind"], js_name = call)]
    pub fn bind(f: &Function, this: &JsValue, arg: &JsValue) -> Function;
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = getOwnPropertyDescriptor)]
    fn descriptor(o: &JsValue, key: &str) -> Result<JsValue, JsValue>;

    /// An `AbortSignal` (ours or the caller's), used only through calls that catch.
    #[derive(Clone)]
    pub type Signal;
    #[wasm_bindgen(catch, method, getter)]
    fn aborted(this: &Signal) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, method, getter)]
    fn reason(this: &Signal) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, method, js_name = addEventListener)]
    fn listen(this: &Signal, kind: &str, f: &Function) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, method, js_name = removeEventListener)]
    fn unlisten(this: &Signal, kind: &str, f: &Function) -> Result<(), JsValue>;
}

/// `setTimeout` runs a delay of 2³¹ ms or more at once (Node warns, then waits 1 ms): every
/// wait is clamped below it (24.8 days, longer than any wait the options allow).
const MAX_DELAY_MS: f64 = 2_147_483_647.0;

fn delay(ms: f64) -> f64 {
    if ms.is_nan() {
        0.0
    } else {
        ms.clamp(0.0, MAX_DELAY_MS)
    }
}

/// A pending `setTimeout`, cleared when dropped.
pub struct Timer(JsValue);

impl Timer {
    /// Calls `f` after `ms`.
    pub fn after(ms: f64, f: &Function) -> Timer {
        Timer(set_timeout(f, delay(ms)))
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.0);
    }
}

impl Signal {
    /// Whether it has aborted; a signal that can't be read counts as aborted.
    pub fn is_aborted(&self) -> bool {
        self.aborted().map_or(true, |v| v.as_bool().unwrap_or(true))
    }

    /// Why it aborted (`undefined` if it can't be read).
    pub fn why(&self) -> JsValue {
        self.reason().unwrap_or(JsValue::UNDEFINED)
    }

    /// Calls `f` on abort for as long as the returned guard lives.
    pub fn on_abort(&self, f: &Function) -> Listener {
        let added = self.listen("abort", f).is_ok();
        Listener { signal: self.clone(), f: f.clone(), added }
    }
}

/// An abort listener, removed when dropped, so a long-lived signal shared by many calls does
/// not accumulate them.
pub struct Listener {
    signal: Signal,
    f: Function,
    added: bool,
}

impl Drop for Listener {
    fn drop(&mut self) {
        if self.added {
            let _ = self.signal.unlisten("abort", &self.f);
        }
    }
}

/// Whether `v` is an `AbortSignal` of any realm: its native `aborted` getter accepts it (a
/// brand check, which a look-alike object or a proxy fails).
pub fn is_abort_signal(v: &JsValue) -> bool {
    native_getter("AbortSignal", "aborted").is_some_and(|g| Reflect::apply(&g, v, &Array::new()).is_ok_and(|b| b.as_bool().is_some()))
}

/// The getter that the global class `class`'s prototype (or one it inherits from: workerd
/// defines `body` on a parent) defines for `key` — the native one, which checks what it is
/// called on.
pub fn native_getter(class: &str, key: &str) -> Option<Function> {
    let mut at = Reflect::get(&Reflect::get(&js_sys::global(), &class.into()).ok()?, &"prototype".into()).ok()?;
    for _ in 0..4 {
        let d = descriptor(&at, key).ok()?;
        if !d.is_undefined() {
            return Reflect::get(&d, &"get".into()).ok()?.dyn_into().ok();
        }
        at = Reflect::get_prototype_of(&at).ok()?.into();
        if at.is_null() {
            return None;
        }
    }
    None
}

/// Why a [`settle`] ended without the promise's own answer.
pub enum Stop {
    /// The promise rejected (or `then` threw) with this.
    Rejected(JsValue),
    /// The signal aborted first.
    Aborted,
    /// `limit_ms` passed first.
    TimedOut,
}

/// A watch over a wait: a promise that rejects once `signal` aborts or `limit_ms` passes, against
/// which any number of promises are raced ([`Watch::on`]); its listener and timer go when it is
/// dropped.
pub struct Watch {
    /// Rejects with `aborted` or `timed_out`; `None` when there is nothing to watch.
    stop: Option<Promise>,
    aborted: JsValue,
    timed_out: JsValue,
    _listener: Option<Listener>,
    _timer: Option<Timer>,
    /// The signal had aborted already.
    early: bool,
}

impl Watch {
    pub fn new(signal: Option<&Signal>, limit_ms: Option<f64>) -> Watch {
        let (aborted, timed_out) = (JsValue::from(Object::new()), JsValue::from(Object::new()));
        let early = signal.is_some_and(Signal::is_aborted);
        if early || (signal.is_none() && limit_ms.is_none()) {
            return Watch { stop: None, aborted, timed_out, _listener: None, _timer: None, early };
        }
        let (stop, reject) = pending();
        let _listener = signal.map(|s| s.on_abort(&bind(&reject, &JsValue::UNDEFINED, &aborted)));
        let _timer = limit_ms.map(|ms| Timer::after(ms, &bind(&reject, &JsValue::UNDEFINED, &timed_out)));
        Watch { stop: Some(stop), aborted, timed_out, _listener, _timer, early }
    }

    /// Awaits `value` (a promise, a thenable or a plain value) unless the watch ends first: for
    /// promises that may ignore a signal (a caller's `fetch`, a body, a rate-limit store) or
    /// never settle.
    pub async fn on(&self, value: &JsValue) -> Result<JsValue, Stop> {
        if self.early {
            return Err(Stop::Aborted);
        }
        let racers = Array::of1(value);
        if let Some(stop) = &self.stop {
            racers.push(stop);
        }
        let outcome = match race_all(&racers) {
            Ok(race) => JsFuture::from(race).await,
            Err(e) => Err(e),
        };
        outcome.map_err(|e| {
            if e == self.aborted {
                Stop::Aborted
            } else if e == self.timed_out {
                Stop::TimedOut
            } else {
                Stop::Rejected(e)
            }
        })
    }
}

/// Awaits `value` unless `signal` aborts first or `limit_ms` passes (one [`Watch`], once).
pub async fn settle(value: &JsValue, signal: Option<&Signal>, limit_ms: Option<f64>) -> Result<JsValue, Stop> {
    Watch::new(signal, limit_ms).on(value).await
}

/// Sleeps `ms`, or less if `signal` aborts first; false when it did.
pub async fn sleep(ms: f64, signal: Option<&Signal>) -> bool {
    let (promise, resolve) = pending_resolve();
    let _timer = Timer::after(ms, &resolve);
    settle(&promise, signal, None).await.is_ok()
}

/// A promise that never settles on its own, and the function that rejects it.
fn pending() -> (Promise, Function) {
    let (promise, [_, reject]) = with_resolvers();
    (promise, reject)
}

/// A promise and the function that resolves it.
pub fn pending_resolve() -> (Promise, Function) {
    let (promise, [resolve, _]) = with_resolvers();
    (promise, resolve)
}

/// A new promise and its resolve and reject functions. The executor runs synchronously inside
/// `Promise::new` (the language guarantees it), so both are always set.
fn with_resolvers() -> (Promise, [Function; 2]) {
    let mut resolvers = [JsValue::UNDEFINED.unchecked_into::<Function>(), JsValue::UNDEFINED.unchecked_into()];
    let promise = Promise::new(&mut |resolve, reject| resolvers = [resolve, reject]);
    (promise, resolvers)
}
