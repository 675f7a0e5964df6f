//! The client-side rate limit: a sliding window of send times. The JavaScript transport keeps
//! the queue of waiting calls and sleeps; this decides when the next slot frees.


#[derive(Debug)]
pub struct Window {
    requests: usize,
    window_ms: f64,
    /// The last `requests` send times, a ring: once full, `oldest` indexes the earliest, the
    /// one that must leave the window before another request fits.
    sent: Vec<f64>,
    oldest: usize,
    /// No request before this (a server's `Retry-After` applies to every caller of the key).
    paused_until: f64,
}

impl Window {
    pub fn new(requests: u32, window_ms: f64) -> Window {
        Window { requests: requests.max(1) as usize, window_ms, sent: Vec::new(), oldest: 0, paused_until: 0.0 }
    }

    /// Milliseconds until a request may be sent (0: now).
    pub fn wait_ms(&self, now: f64) -> f64 {
        let pause = (self.paused_until - now).max(0.0);
        let slot = match self.sent.get(self.oldest) {
            Some(&t) if self.sent.len() >= self.requests => (t + self.window_ms - now).max(0.0),
            _ => 0.0,
        };
        pause.max(slot)
    }

    /// Takes a slot if one is free now; otherwise returns how long to wait.
    pub fn try_take(&mut self, now: f64) -> Result<(), f64> {
        match self.wait_ms(now) {
            w if w > 0.0 => Err(w),
            _ => {
                if self.sent.len() < self.requests {
                    self.sent.push(now);
                } else if let Some(t) = self.sent.get_mut(self.oldest) {
                    *t = now;
                    self.oldest = if self.oldest + 1 == self.requests { 0 } else { self.oldest + 1 };
                }
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
