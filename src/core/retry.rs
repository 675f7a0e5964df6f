//! When to retry and how long to wait: pure decisions, time passed in as numbers.
//!
//! Retried: 429, 500, 502, 503, 504, timeouts and network failures, up to `max_retries`, with
//! exponential backoff and full jitter, or exactly the server's `Retry-After` when it sends
//! one (seconds or an HTTP date). A call that creates something is not repeated after a
//! failure that may have reached the server (timeout, dropped connection, 502–504) unless the
//! caller opts in; a 429, and a 500 of an endpoint documented to roll back, are safe.

use super::format::days_from_civil;

/// What repeating a call risks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repeat {
    /// Reads and idempotent writes (setting the same status twice changes nothing).
    Safe,
    /// Creates something: a second copy if the first attempt was processed.
    Creates,
    /// Creates, but documented to roll back entirely on a 500 (Mava `POST /api/ticket`).
    CreatesAtomically,
}

/// How an attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    Status(u16),
    Timeout,
    Network,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Policy {
    pub max_retries: u32,
    pub base_ms: f64,
    pub cap_ms: f64,
    /// A `Retry-After` longer than this is not waited for.
    pub max_retry_after_ms: f64,
    /// The caller accepts that a create may be repeated.
    pub retry_creates: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Decision {
    /// Wait this long, then try again.
    Retry(f64),
    /// Stop and report this attempt's error.
    Stop,
}

/// Whether this kind of failure may be retried for this call at all.
pub fn retryable(ended: Ended, repeat: Repeat, retry_creates: bool) -> bool {
    let may_have_reached_server = match ended {
        Ended::Status(429) => false,
        Ended::Status(500) => repeat != Repeat::CreatesAtomically,
        Ended::Status(502..=504) | Ended::Timeout | Ended::Network => true,
        Ended::Status(_) => return false,
    };
    !may_have_reached_server || repeat == Repeat::Safe || retry_creates
}

/// The decision after attempt number `attempt` (1 = the first) ended as `ended`.
/// `retry_after_ms` is the server's `Retry-After`, already converted; `random` is in `[0, 1)`.
pub fn decide(p: &Policy, repeat: Repeat, attempt: u32, ended: Ended, retry_after_ms: Option<f64>, random: f64) -> Decision {
    if attempt > p.max_retries || !retryable(ended, repeat, p.retry_creates) {
        return Decision::Stop;
    }
    match retry_after_ms {
        Some(ms) if ms > p.max_retry_after_ms => Decision::Stop,
        Some(ms) => Decision::Retry(ms.max(0.0)),
        None => Decision::Retry(backoff(p, attempt, random)),
    }
}

/// Full jitter: a uniform wait in `[0, min(cap, base · 2^(attempt-1)))`.
pub fn backoff(p: &Policy, attempt: u32, random: f64) -> f64 {
    let exp = p.base_ms * f64::from(1u32 << attempt.saturating_sub(1).min(20));
    random.clamp(0.0, 1.0) * exp.min(p.cap_ms)
}

/// `Retry-After` in milliseconds from `now_ms`: delta-seconds (`120`) or an HTTP date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`); a date in the past means 0; garbage means `None`.
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<f64> {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(v.bytes().fold(0.0, |n, b| n * 10.0 + f64::from(b - b'0')) * 1000.0);
    }
    http_date_ms(v).map(|t| (t - now_ms).max(0.0))
}

/// 1–4 ASCII digits.
fn number(s: &str) -> Option<i64> {
    ((1..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.bytes().fold(0, |n, b| n * 10 + i64::from(b - b'0')))
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form servers must send.
fn http_date_ms(v: &str) -> Option<f64> {
    let rest = v.split_once(',').map_or(v, |(_, r)| r.trim());
    let mut parts = rest.split(' ');
    let day = number(parts.next()?)?;
    let name = parts.next()?;
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].iter().position(|m| *m == name)? as i64 + 1;
    let year = number(parts.next()?)?;
    let mut hms = parts.next()?.split(':').map(number);
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if parts.next() != Some("GMT") || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(((days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s) * 1000) as f64)
}
