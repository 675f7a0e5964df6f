//! The transport's decisions, with time passed in: retries, backoff, Retry-After, the
//! sliding window, and where pagination stops.

use mava_sdk::core::paging::{mava_next, mavibot_next};
use mava_sdk::core::ratelimit::{fingerprint, Window};
use mava_sdk::core::retry::{backoff, decide, parse_retry_after, retryable, Decision, Ended, Policy, Repeat};

const P: Policy = Policy { max_retries: 2, base_ms: 500.0, cap_ms: 8000.0, max_retry_after_ms: 60_000.0, retry_creates: false };

#[test]
fn retried_statuses_and_failures_for_safe_calls() {
    for s in [429, 500, 502, 503, 504] {
        assert!(retryable(Ended::Status(s), Repeat::Safe, false), "{s}");
    }
    for s in [400, 401, 403, 404, 409, 422, 501, 505] {
        assert!(!retryable(Ended::Status(s), Repeat::Safe, false), "{s}");
    }
    assert!(retryable(Ended::Timeout, Repeat::Safe, false));
    assert!(retryable(Ended::Network, Repeat::Safe, false));
}

#[test]
fn creates_are_not_repeated_after_a_failure_that_may_have_reached_the_server() {
    for e in [Ended::Timeout, Ended::Network, Ended::Status(502), Ended::Status(503), Ended::Status(504)] {
        assert!(!retryable(e, Repeat::Creates, false), "{e:?}");
        assert!(!retryable(e, Repeat::CreatesAtomically, false), "{e:?}");
        assert!(retryable(e, Repeat::Creates, true), "{e:?} with opt-in");
    }
    // A 429 was not processed; a documented rolled-back 500 left nothing behind.
    assert!(retryable(Ended::Status(429), Repeat::Creates, false));
    assert!(retryable(Ended::Status(500), Repeat::CreatesAtomically, false));
    assert!(!retryable(Ended::Status(500), Repeat::Creates, false));
}

#[test]
fn attempts_are_bounded_by_max_retries() {
    assert!(matches!(decide(&P, Repeat::Safe, 1, Ended::Status(503), None, 0.5), Decision::Retry(_)));
    assert!(matches!(decide(&P, Repeat::Safe, 2, Ended::Status(503), None, 0.5), Decision::Retry(_)));
    assert_eq!(decide(&P, Repeat::Safe, 3, Ended::Status(503), None, 0.5), Decision::Stop);
    let none = Policy { max_retries: 0, ..P };
    assert_eq!(decide(&none, Repeat::Safe, 1, Ended::Status(503), None, 0.5), Decision::Stop);
}

#[test]
fn exponential_backoff_with_full_jitter() {
    assert_eq!(backoff(&P, 1, 0.0), 0.0);
    assert_eq!(backoff(&P, 1, 0.5), 250.0);
    assert_eq!(backoff(&P, 2, 0.5), 500.0);
    assert_eq!(backoff(&P, 3, 0.5), 1000.0);
    assert_eq!(backoff(&P, 10, 0.5), 4000.0, "capped at 8000");
    assert_eq!(backoff(&P, 200, 0.999_999), 8000.0 * 0.999_999);
    assert_eq!(decide(&P, Repeat::Safe, 2, Ended::Network, None, 0.25), Decision::Retry(250.0));
}

#[test]
fn retry_after_is_honoured_up_to_the_ceiling() {
    assert_eq!(decide(&P, Repeat::Safe, 1, Ended::Status(429), Some(3000.0), 0.9), Decision::Retry(3000.0));
    assert_eq!(decide(&P, Repeat::Safe, 1, Ended::Status(429), Some(60_000.0), 0.9), Decision::Retry(60_000.0));
    assert_eq!(decide(&P, Repeat::Safe, 1, Ended::Status(429), Some(60_001.0), 0.9), Decision::Stop);
}

#[test]
fn retry_after_in_seconds_or_as_an_http_date() {
    assert_eq!(parse_retry_after("120", 0.0), Some(120_000.0));
    assert_eq!(parse_retry_after(" 0 ", 0.0), Some(0.0));
    // 1994-11-06T08:49:37Z = 784111777 s.
    let at = 784_111_777_000.0;
    assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at - 5000.0), Some(5000.0));
    assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at + 5000.0), Some(0.0));
    for junk in ["", "soon", "-1", "1.5", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT"] {
        assert_eq!(parse_retry_after(junk, 0.0), None, "{junk:?}");
    }
}

#[test]
fn window_allows_n_per_sliding_window() {
    let mut w = Window::new(3, 1000.0);
    assert!(w.try_take(0.0).is_ok());
    assert!(w.try_take(100.0).is_ok());
    assert!(w.try_take(200.0).is_ok());
    assert_eq!(w.try_take(300.0), Err(700.0));
    assert_eq!(w.try_take(999.0), Err(1.0));
    assert!(w.try_take(1000.0).is_ok(), "the first send left the window");
    assert_eq!(w.try_take(1000.0), Err(100.0));
    assert!(w.try_take(1100.0).is_ok());
}

#[test]
fn window_never_exceeds_the_limit_over_any_span() {
    // Greedy sender: always sends as soon as allowed; check every window of 30 s.
    let (limit, span) = (90u32, 30_000.0);
    let mut w = Window::new(limit, span);
    let mut now = 0.0;
    let mut sent = Vec::new();
    while sent.len() < 1000 {
        match w.try_take(now) {
            Ok(()) => sent.push(now),
            Err(wait) => now += wait,
        }
    }
    for (i, &t) in sent.iter().enumerate() {
        let inside = sent[i..].iter().take_while(|&&u| u < t + span).count();
        assert!(inside <= limit as usize, "{inside} sends in the window starting at {t}");
    }
    // And it uses the whole budget: 1000 sends need just over 11 windows.
    assert!(now < 12.0 * span, "{now}");
}

#[test]
fn a_pause_holds_every_request() {
    let mut w = Window::new(10, 1000.0);
    w.pause_until(5000.0);
    assert_eq!(w.try_take(1000.0), Err(4000.0));
    assert!(w.try_take(5000.0).is_ok());
    w.pause_until(100.0); // an earlier pause does not shorten a later one
    assert!(w.try_take(5001.0).is_ok());
}

#[test]
fn fingerprints_hide_the_key() {
    let f = fingerprint("secret-key");
    assert_eq!(f.len(), 16);
    assert!(!f.contains("secret"));
    assert_eq!(f, fingerprint("secret-key"));
    assert_ne!(f, fingerprint("secret-kez"));
}

#[test]
fn mava_pagination_stops_without_an_extra_request() {
    assert_eq!(mava_next(0.0, 100.0, Some(250.0), Some(true)), Some(100.0));
    assert_eq!(mava_next(200.0, 50.0, Some(250.0), Some(false)), None);
    // count reached even if hasMore were wrong
    assert_eq!(mava_next(200.0, 50.0, Some(250.0), Some(true)), None);
    // hasMore false stops even if count says more
    assert_eq!(mava_next(0.0, 100.0, Some(250.0), Some(false)), None);
    assert_eq!(mava_next(0.0, 0.0, Some(0.0), Some(false)), None);
    assert_eq!(mava_next(0.0, 0.0, None, None), None, "an empty page ends it");
    assert_eq!(mava_next(0.0, 100.0, None, None), Some(100.0));
}

#[test]
fn mavibot_pagination_stops_on_a_short_page() {
    assert_eq!(mavibot_next(0.0, 500.0, 500.0), Some(500.0));
    assert_eq!(mavibot_next(500.0, 500.0, 499.0), None);
    assert_eq!(mavibot_next(0.0, 10.0, 0.0), None);
}
