//! The client-side rate limit's window for the JavaScript transport, which keeps the queue of
//! waiting calls and the timer: it asks [`Window::take`] whether a request may go now, and how
//! long to wait if not (`core::ratelimit::Window` decides).

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub struct Window(crate::core::ratelimit::Window);

#[wasm_bindgen]
impl Window {
    /// `requests` per sliding `window_ms`, kept 2% wider than asked: requests reach the server
    /// a little later, and more or less late, than they leave, and a server counting arrivals
    /// must never see one too many.
    #[wasm_bindgen(constructor)]
    pub fn new(requests: u32, window_ms: u32) -> Window {
        Window(crate::core::ratelimit::Window::new(requests, f64::from(window_ms) * 1.02))
    }

    /// Takes a slot at `now` (ms since the epoch) and returns 0, or returns how many
    /// milliseconds to wait before asking again.
    pub fn take(&mut self, now: f64) -> f64 {
        self.0.try_take(now).err().unwrap_or(0.0)
    }

    /// Holds every request until `until` (a 429's `Retry-After` applies to the whole key).
    pub fn pause(&mut self, until: f64) {
        self.0.pause_until(until);
    }
}
