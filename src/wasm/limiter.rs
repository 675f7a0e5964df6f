//! The client-side rate limit in the running isolate: calls queue in the order made and
//! each waits for a slot of its key's sliding window (`core::ratelimit::Window` decides
//! when one frees). Clients that share a base URL, key and limit share one window. A user
//! who runs many isolates against one key can pass `rateLimit.store` instead: an object whose
//! `acquire({ key, requests, windowMs, signal })` resolves when a request may go (a Durable
//! Object, say); `key` is a fingerprint, never the API key.

use super::convert::{get, object};
use super::timer::{sleep_unless_aborted, unless_aborted};
use crate::core::options::RateLimit;
use crate::core::ratelimit::{fingerprint, Window};
use js_sys::{Date, Function, Promise};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{AbortController, AbortSignal};

struct Waiter {
    id: u64,
    resolve: Function,
}

pub struct Limiter {
    window: RefCell<Window>,
    queue: RefCell<VecDeque<Waiter>>,
    next_id: Cell<u64>,
    /// The pending wake-up: when it fires, and how to cancel it once nobody waits (a timer
    /// left behind would keep Node or Deno from exiting for up to a window).
    wake: RefCell<Option<(f64, AbortController)>>,
}

thread_local! {
    /// The windows of this isolate, by base URL, key fingerprint and limit (a handful at most).
    static SHARED: RefCell<Vec<(String, Rc<Limiter>)>> = const { RefCell::new(Vec::new()) };
}

/// How a client limits itself.
pub enum Gate {
    Off,
    Local(Rc<Limiter>),
    Store { store: JsValue, key: String, limit: RateLimit },
}

impl Gate {
    pub fn new(limit: Option<RateLimit>, store: JsValue, base_url: &str, api_key: &str) -> Gate {
        let Some(limit) = limit else { return Gate::Off };
        let mut key = String::from(base_url);
        key.push('#');
        key.push_str(&fingerprint(api_key));
        if !store.is_undefined() && !store.is_null() {
            return Gate::Store { store, key, limit };
        }
        key.push('#');
        crate::core::issue::push_uint(&mut key, u64::from(limit.requests));
        key.push('/');
        crate::core::issue::push_uint(&mut key, u64::from(limit.window_ms));
        let limiter = SHARED.with(|shared| {
            let mut shared = shared.borrow_mut();
            if let Some((_, l)) = shared.iter().find(|(k, _)| *k == key) {
                return l.clone();
            }
            let l = Rc::new(Limiter {
                // 2% longer than configured: requests reach the server a little later, and
                // more or less late, than they leave; a server counting arrivals must never
                // see one too many.
                window: RefCell::new(Window::new(limit.requests, f64::from(limit.window_ms) * 1.02)),
                queue: RefCell::new(VecDeque::new()),
                next_id: Cell::new(0),
                wake: RefCell::new(None),
            });
            shared.push((key, l.clone()));
            l
        });
        Gate::Local(limiter)
    }

    /// Waits for a slot; `Err` carries what went wrong (the caller's abort, or the store's
    /// failure).
    pub async fn acquire(&self, signal: Option<&AbortSignal>) -> Result<(), JsValue> {
        match self {
            Gate::Off => Ok(()),
            Gate::Local(l) => l.clone().acquire(signal).await,
            Gate::Store { store, key, limit } => {
                let acquire = get(store, "acquire").dyn_into::<Function>().map_err(|_| JsValue::from_str("rateLimit.store.acquire is not a function"))?;
                let request = object(&[
                    ("key", key.as_str().into()),
                    ("requests", limit.requests.into()),
                    ("windowMs", limit.window_ms.into()),
                    ("signal", signal.map_or(JsValue::UNDEFINED, JsValue::from)),
                ]);
                let returned = acquire.call1(store, &request)?;
                // A store that doesn't watch the signal still can't hold an aborted call.
                unless_aborted(&Promise::resolve(&returned), signal).await.map(|_| ())
            }
        }
    }

    /// A 429 with `Retry-After` holds every caller of this window until then.
    pub fn pause_for(&self, ms: f64) {
        if let Gate::Local(l) = self {
            l.window.borrow_mut().pause_until(Date::now() + ms);
        }
    }
}

impl Limiter {
    async fn acquire(self: Rc<Self>, signal: Option<&AbortSignal>) -> Result<(), JsValue> {
        if signal.is_some_and(AbortSignal::aborted) {
            return Err(JsValue::NULL);
        }
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        let mut resolve_fn = None;
        let promise = Promise::new(&mut |resolve, _| resolve_fn = Some(resolve));
        let Some(resolve) = resolve_fn else { return Err(JsValue::NULL) };
        self.queue.borrow_mut().push_back(Waiter { id, resolve: resolve.clone() });
        // On abort: leave the queue and wake this waiter (it sees the signal and fails).
        let on_abort = signal.map(|s| {
            let me = self.clone();
            let listener = Closure::<dyn FnMut()>::new(move || {
                me.queue.borrow_mut().retain(|w| w.id != id);
                let _ = resolve.call0(&JsValue::UNDEFINED);
                me.pump();
            });
            let _ = s.add_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
            (s.clone(), listener)
        });
        self.pump();
        let _ = JsFuture::from(promise).await;
        if let Some((s, listener)) = on_abort {
            let _ = s.remove_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
        }
        if signal.is_some_and(AbortSignal::aborted) {
            return Err(JsValue::NULL);
        }
        Ok(())
    }

    /// Lets the queue's head through while slots are free, then sleeps until the next frees.
    fn pump(self: &Rc<Self>) {
        loop {
            let now = Date::now();
            let wait = {
                let mut queue = self.queue.borrow_mut();
                let Some(head) = queue.front() else {
                    if let Some((_, pending)) = self.wake.borrow_mut().take() {
                        pending.abort();
                    }
                    return;
                };
                match self.window.borrow_mut().try_take(now) {
                    Ok(()) => {
                        let _ = head.resolve.call0(&JsValue::UNDEFINED);
                        queue.pop_front();
                        continue;
                    }
                    Err(wait) => wait,
                }
            };
            let at = now + wait;
            let mut wake = self.wake.borrow_mut();
            if wake.as_ref().is_some_and(|(pending, _)| *pending <= at) {
                return;
            }
            if let Some((_, earlier)) = wake.take() {
                earlier.abort();
            }
            let Ok(cancel) = AbortController::new() else { return };
            let signal = cancel.signal();
            *wake = Some((at, cancel));
            let me = self.clone();
            spawn_local(async move {
                sleep_unless_aborted(wait, Some(&signal)).await;
                let mut wake = me.wake.borrow_mut();
                if wake.as_ref().is_some_and(|(pending, _)| *pending == at) {
                    wake.take();
                }
                drop(wake);
                me.pump();
            });
            return;
        }
    }
}
