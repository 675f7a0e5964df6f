//! The client-side rate limit: calls wait for a slot of their key's sliding window, in the
//! order made ([`Limiter`]; `core::ratelimit::Window` decides when a slot frees), or ask the
//! caller's shared store instead ([`Gate::Store`], e.g. a Durable Object).
//!
//! One window per isolate for clients with the same base URL, key fingerprint and limit. A
//! window lives while a client uses it or while it still remembers a send of its last period
//! (a client made per request must not start from an empty window); after that it is swept,
//! so a server that makes clients for many keys doesn't keep a window per key for ever.

use super::convert::{get, to_js};
use super::exchange::Failure;
use super::timer::{bind, pending_resolve, settle, sleep, Signal, Stop, Timer};
use crate::core::options::RateLimit;
use crate::core::ratelimit::{fingerprint, Window};
use js_sys::{Date, Function};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::spawn_local;
use web_sys::AbortController;

/// How a client limits itself.
pub enum Gate {
    Off,
    Local(Rc<Limiter>),
    /// `rateLimit.store`: `acquire({ key, requests, windowMs, signal })` resolves when a request
    /// may go; `key` names the base URL and a fingerprint of the API key, never the key.
    Store { store: JsValue, key: String, limit: RateLimit },
}

impl Gate {
    pub fn new(limit: Option<RateLimit>, store: JsValue, base_url: &str, api_key: &str) -> Gate {
        let Some(limit) = limit else { return Gate::Off };
        let key = format!("{base_url}#{}", fingerprint(api_key));
        if !store.is_undefined() && !store.is_null() {
            return Gate::Store { store, key, limit };
        }
        let id = format!("{key}#{}/{}", limit.requests, limit.window_ms);
        Gate::Local(WINDOWS.with(|w| w.borrow_mut().get(id, limit)))
    }

    /// Waits for a slot: no longer than `limit_ms`, and not after `signal` aborts.
    pub async fn acquire(&self, signal: Option<&Signal>, limit_ms: f64) -> Result<(), Failure> {
        match self {
            Gate::Off => Ok(()),
            Gate::Local(l) => l.acquire(signal, limit_ms).await,
            Gate::Store { store, key, limit } => ask_store(store, key, *limit, signal, limit_ms).await,
        }
    }

    /// A 429's `Retry-After` holds every caller of this window until then.
    pub fn pause_for(&self, ms: f64) {
        if let Gate::Local(l) = self {
            l.window.borrow_mut().pause_until(Date::now() + ms);
            l.pump();
        }
    }
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct StoreRequest<'a> {
    key: &'a str,
    requests: u32,
    window_ms: u32,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    signal: JsValue,
}

/// Asks the caller's store. Its `signal` aborts when the caller's does or `limit_ms` passes, and
/// a store that ignores it (or never settles) still can't hold the call past either.
async fn ask_store(store: &JsValue, key: &str, limit: RateLimit, caller: Option<&Signal>, limit_ms: f64) -> Result<(), Failure> {
    let acquire = get(store, "acquire");
    let Some(acquire) = acquire.dyn_ref::<Function>() else {
        return Err(Failure::Store(js_sys::TypeError::new("rateLimit.store.acquire is not a function").into()));
    };
    let controller = AbortController::new().map_err(Failure::Store)?;
    let signal: Signal = controller.signal().unchecked_into();
    let abort = bind(&get(&controller, "abort").unchecked_into(), &controller, &JsValue::UNDEFINED);
    let _forward = caller.map(|s| s.on_abort(&abort));
    let _deadline = Timer::after(limit_ms, &abort);
    let request = StoreRequest { key, requests: limit.requests, window_ms: limit.window_ms, signal: controller.signal().into() };
    let returned = acquire.call1(store, &to_js(&request)).map_err(Failure::Store)?;
    let outcome = settle(&returned, Some(&signal), None).await;
    match outcome {
        Ok(_) => Ok(()),
        _ if caller.is_some_and(Signal::is_aborted) => Err(Failure::Aborted),
        Err(Stop::Rejected(e)) if !signal.is_aborted() => Err(Failure::Store(e)),
        Err(_) => Err(Failure::QueueTimeout),
    }
}

struct Waiter {
    id: u64,
    resolve: Function,
}

/// The calls waiting for one window's slots.
pub struct Limiter {
    window: RefCell<Window>,
    window_ms: f64,
    queue: RefCell<VecDeque<Waiter>>,
    next_id: Cell<u64>,
    /// The pending wake-up: when it fires, and how to cancel it once nobody waits (a timer left
    /// behind would keep Node or Deno from exiting for up to a window).
    wake: RefCell<Option<(f64, AbortController)>>,
    /// The last time a slot was taken.
    last_send: Cell<f64>,
}

impl Limiter {
    fn new(limit: RateLimit) -> Limiter {
        // 2% longer than configured: requests reach the server a little later, and more or less
        // late, than they leave; a server counting arrivals must never see one too many.
        let window_ms = f64::from(limit.window_ms) * 1.02;
        Limiter {
            window: RefCell::new(Window::new(limit.requests, window_ms)),
            window_ms,
            queue: RefCell::new(VecDeque::new()),
            next_id: Cell::new(0),
            wake: RefCell::new(None),
            last_send: Cell::new(f64::NEG_INFINITY),
        }
    }

    async fn acquire(self: &Rc<Self>, signal: Option<&Signal>, limit_ms: f64) -> Result<(), Failure> {
        if signal.is_some_and(Signal::is_aborted) {
            return Err(Failure::Aborted);
        }
        // Nobody waiting and a slot free: take it now, without a promise or a timer.
        if self.queue.borrow().is_empty() {
            let now = Date::now();
            if self.window.borrow_mut().try_take(now).is_ok() {
                self.last_send.set(now);
                return Ok(());
            }
        }
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        let (granted, resolve) = pending_resolve();
        self.queue.borrow_mut().push_back(Waiter { id, resolve });
        self.pump();
        match settle(&granted, signal, Some(limit_ms)).await {
            Ok(_) => Ok(()),
            Err(stop) => {
                // Leave the queue, so the calls behind move up and no timer waits for nobody.
                self.queue.borrow_mut().retain(|w| w.id != id);
                self.pump();
                Err(if matches!(stop, Stop::TimedOut) { Failure::QueueTimeout } else { Failure::Aborted })
            }
        }
    }

    /// Lets the queue's head through while slots are free, then sleeps until the next frees.
    fn pump(self: &Rc<Self>) {
        loop {
            let now = Date::now();
            let wait = {
                let mut queue = self.queue.borrow_mut();
                if queue.is_empty() {
                    if let Some((_, pending)) = self.wake.borrow_mut().take() {
                        pending.abort();
                    }
                    return;
                }
                match self.window.borrow_mut().try_take(now) {
                    Ok(()) => {
                        self.last_send.set(now);
                        // Resolving runs nothing of the caller's now (reactions are microtasks).
                        if let Some(head) = queue.pop_front() {
                            let _ = head.resolve.call0(&JsValue::UNDEFINED);
                        }
                        continue;
                    }
                    Err(wait) => wait,
                }
            };
            self.wake_at(now + wait, wait);
            return;
        }
    }

    fn wake_at(self: &Rc<Self>, at: f64, wait: f64) {
        let mut wake = self.wake.borrow_mut();
        if wake.as_ref().is_some_and(|(pending, _)| *pending <= at) {
            return;
        }
        if let Some((_, earlier)) = wake.take() {
            earlier.abort();
        }
        let Ok(cancel) = AbortController::new() else { return };
        let signal: Signal = cancel.signal().unchecked_into();
        *wake = Some((at, cancel));
        let me = Rc::downgrade(self);
        spawn_local(async move {
            let woke = sleep(wait, Some(&signal)).await;
            let Some(me) = me.upgrade() else { return };
            if woke {
                me.wake.borrow_mut().take_if(|(pending, _)| *pending == at);
                me.pump();
            }
        });
    }

    /// Whether the window no longer remembers a send and holds no pause or waiter: dropping it
    /// then loses nothing.
    fn idle(&self, now: f64) -> bool {
        self.queue.borrow().is_empty() && now - self.last_send.get() > self.window_ms && self.window.borrow().wait_ms(now) == 0.0
    }
}

thread_local! {
    static WINDOWS: RefCell<Windows> = RefCell::new(Windows { map: HashMap::new(), sweep_at: 64 });
}

/// The windows of this isolate, by base URL, key fingerprint and limit.
struct Windows {
    map: HashMap<String, Rc<Limiter>>,
    /// The size at which idle, unused windows are swept next: twice the size left after the
    /// last sweep, so sweeping costs a constant amount per window made.
    sweep_at: usize,
}

impl Windows {
    fn get(&mut self, id: String, limit: RateLimit) -> Rc<Limiter> {
        if let Some(l) = self.map.get(&id) {
            return l.clone();
        }
        if self.map.len() >= self.sweep_at {
            let now = Date::now();
            self.map.retain(|_, l| Rc::strong_count(l) > 1 || !l.idle(now));
            self.sweep_at = (self.map.len() * 2).max(64);
        }
        let l = Rc::new(Limiter::new(limit));
        self.map.insert(id, l.clone());
        l
    }
}

/// Windows this isolate keeps (for tests of the sweep).
pub fn window_count() -> usize {
    WINDOWS.with(|w| w.borrow().map.len())
}
