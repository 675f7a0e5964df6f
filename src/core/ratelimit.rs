//! The client-side rate limit: a sliding window of send times. The wasm layer keeps the queue
//! of waiting calls and sleeps; this decides when the next slot frees.

use crate::prelude::*;


#[derive(Debug)]
pub struct Window {
    requests: usize,
    window_ms: f64,
    /// Send times inside the window, oldest first (at most `requests` of them).
    sent: Vec<f64>,
    /// No request before this (a server's `Retry-After` applies to every caller of the key).
    paused_until: f64,
}

impl Window {
    pub fn new(requests: u32, window_ms: f64) -> Window {
        Window { requests: requests.max(1) as usize, window_ms, sent: Vec::new(), paused_until: 0.0 }
    }

    /// Milliseconds until a request may be sent (0: now).
    pub fn wait_ms(&mut self, now: f64) -> f64 {
        let window = self.window_ms;
        self.sent.retain(|&t| t + window > now);
        let pause = (self.paused_until - now).max(0.0);
        let slot = if self.sent.len() < self.requests {
            0.0
        } else {
            // The oldest send that must leave the window before one more fits.
            let leaving = self.sent.get(self.sent.len() - self.requests).copied().unwrap_or(now);
            (leaving + self.window_ms - now).max(0.0)
        };
        pause.max(slot)
    }

    /// Takes a slot if one is free now; otherwise returns how long to wait.
    pub fn try_take(&mut self, now: f64) -> Result<(), f64> {
        match self.wait_ms(now) {
            w if w > 0.0 => Err(w),
            _ => {
                self.sent.push(now);
                Ok(())
            }
        }
    }

    /// Holds every request until `until` (from a 429's `Retry-After`).
    pub fn pause_until(&mut self, until: f64) {
        self.paused_until = self.paused_until.max(until);
    }
}

/// A stable, non-secret name for a key: what a shared store sees instead of the key itself.
pub fn fingerprint(secret: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in secret.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut out = String::with_capacity(16);
    for i in (0..16).rev() {
        out.push(char::from(b"0123456789abcdef"[((h >> (i * 4)) & 15) as usize]));
    }
    out
}
