//! Fuzzing: every validator, every piece of response handling, and the Mava webhook decoders fed generated input.
//!
//! Each property below is a proptest run driven by hand (a `TestRunner` per target), so the
//! number of cases each target really executed can be counted and printed: every property
//! prints one `FUZZ-COUNT <target> cases=<n> reached=<m>` line, where `cases` counts bodies
//! executed (an `AtomicU64` bumped in each body, shrinking included) and `reached` counts the
//! inputs that got past validation into request building (for the call targets).
//!
//! Inputs are biased towards what the validators look at: each call's input is generated from
//! its own descriptor (field names, formats, enum values, integer bounds and array limits
//! taken from the `Ty` tree), with a share of arbitrary JSON-shaped values, unicode, control
//! characters, very long strings and numbers at and beyond every boundary mixed in.
//!
//! - `cargo test --test fuzz`: `FUZZ_CASES` cases per target (default 256), fixed seed.
//! - `scripts/fuzz.sh`: the same targets with enough cases for ≥ 1,000,000 in total.
//! - `FUZZ_SEED=<u64>` changes the seed (each target mixes its own name into it).

mod common;

use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::OnceLock;


use mava_sdk::core::codec::{base64_decode, base64_encode, hex_decode, hex_encode};
use mava_sdk::core::format;
use mava_sdk::core::issue::Issue;
use mava_sdk::core::options::{self, ClientOptions};
use mava_sdk::core::request::{percent_encode, Request};
use mava_sdk::core::response::{error_code, error_message, kind_of, ErrorKind, KNOWN_TEXTS};
use mava_sdk::core::retry::parse_retry_after;
use mava_sdk::core::schema::{validate, Call, Field, Fmt, Method, Object, Ty, LOCAL, NONNEG, QUERY, REQ, REQ_BY_CHECK};
use mava_sdk::core::secret::redact;
use mava_sdk::core::value::{Odd, Value};
use mava_sdk::{mava, mavibot};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::string::string_regex;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

// ---------------------------------------------------------------------------------------------
// Runner: fixed seed, counted cases, no regression files.

const DEFAULT_CASES: u32 = 256;
const DEFAULT_SEED: u64 = 0x6d61_7661_5f73_646b;

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|s| s.trim().parse().ok())
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[derive(Default)]
struct Stats {
    /// Bodies executed.
    runs: AtomicU64,
    /// The run that failed first (0: none); later runs are proptest shrinking the input.
    failed_at: AtomicU64,
    reached: AtomicU64,
}

type Outcome = Result<(), TestCaseError>;

/// Runs `test` on `FUZZ_CASES` inputs of `strategy`; `Err` carries proptest's report with the
/// shrunk input.
fn fuzz<S>(name: &str, strategy: S, test: impl Fn(S::Value, &Stats) -> Outcome) -> Result<(), String>
where
    S: Strategy,
    S::Value: Debug,
{
    let cases = env_u64("FUZZ_CASES").map_or(DEFAULT_CASES, |n| n.clamp(1, u64::from(u32::MAX)) as u32);
    let seed = env_u64("FUZZ_SEED").unwrap_or(DEFAULT_SEED) ^ fnv(name);
    let config = Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        max_shrink_time: 120_000,
        ..Config::default()
    };
    let stats = Stats::default();
    let start = std::time::Instant::now();
    let result = TestRunner::new(config).run(&strategy, |v| {
        let run = stats.runs.fetch_add(1, Relaxed) + 1;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| test(v, &stats)));
        if !matches!(outcome, Ok(Ok(()))) {
            let _ = stats.failed_at.compare_exchange(0, run, Relaxed, Relaxed);
        }
        outcome.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    // Cases: generated inputs up to the first failure; shrinking runs are reported apart.
    let runs = stats.runs.load(Relaxed);
    let cases = match stats.failed_at.load(Relaxed) {
        0 => runs,
        n => n,
    };
    println!(
        "FUZZ-COUNT {name} cases={cases} shrink_runs={} reached={} ms={}",
        runs - cases,
        stats.reached.load(Relaxed),
        start.elapsed().as_millis()
    );
    result.map_err(|e| format!("fuzz target `{name}` (FUZZ_SEED={}): {e}", env_u64("FUZZ_SEED").unwrap_or(DEFAULT_SEED)))
}

fn all_ok(results: Vec<Result<(), String>>) {
    let failures: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    assert!(failures.is_empty(), "{} target(s) failed:\n\n{}", failures.len(), failures.join("\n\n"));
}

// ---------------------------------------------------------------------------------------------
// Vocabulary taken from the call descriptors.

fn walk(ty: &'static Ty, names: &mut Vec<&'static str>, words: &mut Vec<&'static str>) {
    match ty {
        Ty::Obj(o) => {
            for f in o.fields.iter().chain(o.more.iter()) {
                names.push(f.name);
                walk(f.ty, names, words);
            }
        }
        Ty::Enum(options) => words.extend_from_slice(options),
        Ty::Map(t) | Ty::Nullable(t) | Ty::OneOrMany(t) | Ty::Arr { item: t, .. } => walk(t, names, words),
        Ty::Either(a, b) => {
            walk(a, names, words);
            walk(b, names, words);
        }
        _ => {}
    }
}

/// Keys the input of an open object may name through `value_*` mappings, and near-misses.
const EXTRA_KEYS: &[&str] = &[
    "my_client", "my_phone", "my_email", "uid", "gid", "text", "platformUserId", "timeout", "apikey", "__proto__",
    "constructor", "", " ", "a.b", "[0]", "é", "client.phone", "status ", "Status",
];

const OPTION_NAMES: &[&str] = &[
    "apiKey", "baseUrl", "fetch", "timeoutMs", "maxRetries", "retryBaseMs", "retryMaxMs", "maxRetryAfterMs", "rateLimit",
    "requests", "windowMs", "store", "messageMethod", "signal", "retryCreates", "method", "onProgress",
];

struct Vocab {
    keys: Vec<&'static str>,
    words: Vec<&'static str>,
}

fn vocab() -> &'static Vocab {
    static V: OnceLock<Vocab> = OnceLock::new();
    V.get_or_init(|| {
        let (mut keys, mut words) = (Vec::new(), Vec::new());
        for call in mava::CALLS.iter().chain(mavibot::CALLS) {
            words.push(call.name);
            words.push(call.path);
            if let Some(shape) = call.input {
                walk(shape, &mut keys, &mut words);
            }
        }
        walk(&mavibot::webhook::WEBHOOK, &mut keys, &mut words);
        keys.extend_from_slice(EXTRA_KEYS);
        keys.extend_from_slice(OPTION_NAMES);
        keys.sort_unstable();
        keys.dedup();
        words.extend_from_slice(&["success", "fail", "client_not_found", "order 1 not found", "Unassigned", "GET", "POST", "PUT", "null", "true", "0", "-1"]);
        words.extend(keys.iter().copied());
        words.sort_unstable();
        words.dedup();
        Vocab { keys, words }
    })
}

// ---------------------------------------------------------------------------------------------
// Strings.

const TRICKY: &[char] = &[
    '\0', '\u{1}', '\t', '\n', '\r', '\u{b}', '\u{c}', '\u{1b}', '\u{7f}', '\u{85}', '\u{a0}', '\u{200b}', '\u{2028}',
    '\u{2029}', '\u{feff}', '\u{fffd}', ' ', '"', '\'', '\\', '/', '%', '.', '@', ':', '?', '#', '&', '=', '+', '-', '_',
    '*', '~', '<', '>', ',', ';', '[', ']', 'é', 'ß', 'Ж', '中', '😀', '\u{10ffff}', '0', '9', 'a', 'f', 'x', 'A', 'F', 'T',
    'Z', 'z',
];

const HEX: &[char] = &['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f', 'A', 'B', 'C', 'F', 'g'];

fn re(pattern: &str) -> BoxedStrategy<String> {
    string_regex(pattern).expect("valid pattern").boxed()
}

fn words(list: &'static [&'static str]) -> BoxedStrategy<String> {
    select(list).prop_map(String::from).boxed()
}

fn tricky_char() -> BoxedStrategy<char> {
    prop_oneof![3 => select(TRICKY), 1 => any::<char>()].boxed()
}

fn tricky_string(max: usize) -> BoxedStrategy<String> {
    vec(tricky_char(), 0..max).prop_map(|c| c.into_iter().collect()).boxed()
}

fn hex(len: impl Into<proptest::collection::SizeRange>) -> BoxedStrategy<String> {
    vec(prop_oneof![20 => select(&HEX[..20]), 1 => Just('g')], len).prop_map(|c| c.into_iter().collect()).boxed()
}

/// Strings of 0–12,000 characters, and exactly at and around the limits the descriptors use.
fn long_string() -> BoxedStrategy<String> {
    let len = prop_oneof![
        3 => select(&[63usize, 64, 65, 254, 255, 998, 999, 1000, 4999, 5000, 5001, 9999, 10_000, 10_001][..]),
        1 => 0usize..12_000,
    ];
    (select(&['a', 'é', '😀', ' ', '\n', '0', '.', '%'][..]), len, tricky_string(3))
        .prop_map(|(c, n, tail)| {
            let mut s: String = std::iter::repeat_n(c, n).collect();
            s.push_str(&tail);
            s
        })
        .boxed()
}

/// Small random edits: insert, delete, replace, truncate, double.
fn mutate(base: BoxedStrategy<String>) -> BoxedStrategy<String> {
    (base, vec((0u8..5, any::<Index>(), tricky_char()), 1..4))
        .prop_map(|(s, edits)| {
            let mut c: Vec<char> = s.chars().collect();
            for (op, at, ch) in edits {
                match op {
                    0 => c.insert(at.index(c.len() + 1), ch),
                    1 if !c.is_empty() => {
                        c.remove(at.index(c.len()));
                    }
                    2 if !c.is_empty() => {
                        let i = at.index(c.len());
                        c[i] = ch;
                    }
                    3 => c.truncate(at.index(c.len() + 1)),
                    4 if c.len() < 4096 => c.extend_from_within(..),
                    _ => {}
                }
            }
            c.into_iter().collect()
        })
        .boxed()
}

fn object_id() -> BoxedStrategy<String> {
    prop_oneof![8 => hex(24), 1 => hex(22..=26), 1 => Just("6650a1b2c3d4e5f678901234".to_string())].boxed()
}

fn email() -> BoxedStrategy<String> {
    let local = prop_oneof![
        6 => re("[a-z0-9][a-z0-9._+-]{0,10}"),
        1 => tricky_string(6),
        1 => Just("a".repeat(64)),
        1 => Just("a".repeat(65)),
        1 => Just(".a".to_string()),
        1 => Just("a..b".to_string()),
    ];
    let label = prop_oneof![
        6 => re("[a-z0-9][a-z0-9-]{0,8}"),
        1 => Just("-a".to_string()),
        1 => Just("xn--p1ai".to_string()),
        1 => Just("пример".to_string()),
        1 => Just("b".repeat(63)),
        1 => Just("b".repeat(64)),
        1 => Just(String::new()),
    ];
    let domain = vec(label, 1..4).prop_map(|l| l.join("."));
    let at = prop_oneof![10 => Just("@"), 1 => Just("@@"), 1 => Just(""), 1 => Just(" @")];
    (local, at, domain).prop_map(|(l, a, d)| [l.as_str(), a, d.as_str()].concat()).boxed()
}

fn wallet() -> BoxedStrategy<String> {
    let prefix = prop_oneof![10 => Just("0x"), 1 => Just("0X"), 1 => Just("")];
    (prefix, prop_oneof![8 => hex(40), 1 => hex(38..=42)]).prop_map(|(p, h)| [p, h.as_str()].concat()).boxed()
}

const SCHEMES: &[&str] = &["https://", "http://", "HTTPS://", "hTtP://", "ftp://", "javascript:", "", "//", "https:/", "https:", "https://https://"];
const HOSTS: &[&str] = &[
    "example.com", "cdn.mava.app", "127.0.0.1:9", "[::1]:443", "user:pw@host", "@host", "host@", ":80", "", "é.example",
    "a b", "host\t", "xn--e1a.xn--p1ai",
];
const SEGMENTS: &[&str] = &[
    "/", "/a", "/file.png", "/.", "/..", "/./", "/../", "/%2e", "/%2E%2e", "/%252e%252e", "/%25252e%25252e", "/.%2e", "\\",
    "/%5c", "/%5C..", "/a b", "/%", "/%zz", "/%c3%a9", "/é", "/...", "/..a", "//", "/%00", "/%ff",
];
const TAILS: &[&str] = &["", "?x=1", "?a=/../b", "#frag", "#/../", "?", "#", "?q=%2e%2e", " ", "\n"];

fn url() -> BoxedStrategy<String> {
    (select(SCHEMES), select(HOSTS), vec(select(SEGMENTS), 0..4), select(TAILS))
        .prop_map(|(s, h, p, t)| [s, h, p.concat().as_str(), t].concat())
        .boxed()
}

fn two(range: std::ops::RangeInclusive<u32>) -> BoxedStrategy<String> {
    prop_oneof![10 => range.prop_map(|n| format!("{n:02}")), 1 => (0u32..10).prop_map(|n| n.to_string()), 1 => Just("1a".into())].boxed()
}

fn year() -> BoxedStrategy<String> {
    prop_oneof![
        10 => (0u32..10_000).prop_map(|y| format!("{y:04}")),
        1 => words(&["197", "10000", "-001", "+2026", "abcd", "0000", "9999", "2024", "2100", "1900", "2000"]),
    ]
    .boxed()
}

fn iso_like() -> BoxedStrategy<String> {
    let date = (year(), select(&["-", "/", ""][..]), two(0..=13), two(0..=32));
    let frac = prop_oneof![Just(String::new()), (select(&[".", ","][..]), re("[0-9]{0,11}")).prop_map(|(s, d)| [s, d.as_str()].concat())];
    let time = (select(&["T", "t", " ", "_"][..]), two(0..=25), two(0..=61), prop::option::of(two(0..=61)), frac);
    let zone = words(&["Z", "z", "", "+00:00", "-00:00", "+05:30", "-0800", "+2359", "+24:00", "+23:60", "+5", "+05:", "UTC", "Z ", "Zz", "+05:30:00"]);
    (date, prop::option::weighted(0.7, time), zone)
        .prop_map(|((y, sep, m, d), time, zone)| {
            let mut s = [y.as_str(), sep, m.as_str(), sep, d.as_str()].concat();
            if let Some((t, h, mi, sec, frac)) = time {
                s.push_str(t);
                s.push_str(&h);
                s.push(':');
                s.push_str(&mi);
                if let Some(sec) = sec {
                    s.push(':');
                    s.push_str(&sec);
                    s.push_str(&frac);
                }
                s.push_str(&zone);
            }
            s
        })
        .boxed()
}

fn dmy_like() -> BoxedStrategy<String> {
    (two(0..=32), select(&[".", "/", "-"][..]), two(0..=13), year())
        .prop_map(|(d, sep, m, y)| [d.as_str(), sep, m.as_str(), sep, y.as_str()].concat())
        .boxed()
}

fn local_dt_like() -> BoxedStrategy<String> {
    (year(), two(0..=13), two(0..=32), select(&[" ", "T", ""][..]), two(0..=25), two(0..=61), two(0..=61))
        .prop_map(|(y, m, d, sep, h, mi, s)| format!("{y}-{m}-{d}{sep}{h}:{mi}:{s}"))
        .boxed()
}

/// Strings shaped like the formats the validators know, valid and nearly valid.
fn formatted() -> BoxedStrategy<String> {
    prop_oneof![
        object_id(),
        email(),
        wallet(),
        url(),
        iso_like(),
        dmy_like(),
        local_dt_like(),
        re("\\+?[0-9 ()-]{0,16}"),
        re("[a-z_]{0,8}(bot|Bot|BOT)?"),
    ]
    .boxed()
}

fn vocab_word() -> BoxedStrategy<String> {
    select(vocab().words.as_slice()).prop_map(String::from).boxed()
}

fn build_string() -> BoxedStrategy<String> {
    prop_oneof![
        4 => vocab_word(),
        3 => re("[ -~]{0,16}"),
        2 => any::<String>(),
        2 => tricky_string(24),
        3 => formatted(),
        1 => long_string(),
        2 => mutate(prop_oneof![formatted(), vocab_word()].boxed()),
    ]
    .boxed()
}

thread_local! {
    static STRING: BoxedStrategy<String> = build_string();
    static VALUE: BoxedStrategy<Value> = build_any_value();
}

/// Any string: vocabulary, formats, unicode, control characters, very long.
fn string() -> BoxedStrategy<String> {
    STRING.with(Clone::clone)
}

// ---------------------------------------------------------------------------------------------
// Numbers and values.

/// `Number.prototype.toString` of a finite number: what the wasm boundary stores as its text.
fn js_text(n: f64) -> String {
    if n == 0.0 {
        return "0".into();
    }
    let a = n.abs();
    if (1e-7..1e21).contains(&a) {
        return format!("{n}");
    }
    let s = format!("{n:e}");
    match s.split_once('e') {
        Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
        _ => s,
    }
}

fn num(n: f64) -> Value {
    Value::Num(n, js_text(n))
}

const BOUNDARY: &[f64] = &[
    0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.0, 3.0, 5.0, 12.0, 13.0, 14.0, 22.0, 23.0, 99.0, 100.0, 101.0, 300.0, 301.0,
    500.0, 501.0, 2000.0, 2001.0, 1e6, 1_000_001.0, 86_400_000.0, 86_400_001.0, 2_147_483_647.0, 2_147_483_648.0,
    4_294_967_295.0, 4_294_967_296.0, 9_007_199_254_740_991.0, 9_007_199_254_740_993.0, 9.223_372_036_854_776e18,
    -9.223_372_036_854_776e18, 1e21, 1e300, -1e300, f64::MAX, f64::MIN, f64::MIN_POSITIVE, 5e-324, -5e-324, 1e-7, 0.1,
    0.300_000_000_000_000_04, 1e-300,
];

fn finite_f64() -> BoxedStrategy<f64> {
    prop_oneof![
        3 => (-3i64..=3).prop_map(|n| n as f64),
        3 => select(BOUNDARY),
        2 => any::<i64>().prop_map(|n| n as f64),
        2 => prop::num::f64::POSITIVE | prop::num::f64::NEGATIVE | prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO,
        1 => (-1000i32..1000, 1i32..1000).prop_map(|(a, b)| f64::from(a) / f64::from(b)),
    ]
    .prop_filter("finite", |n| n.is_finite())
    .boxed()
}

/// A number with the text JavaScript gives it. (Rust's own `{}` text of `f64::MAX`, 309
/// digits, is valid JSON that serde_json's default float parser refuses as out of range, and
/// the wasm boundary never produces it, so it is not generated.)
fn number() -> BoxedStrategy<Value> {
    finite_f64().prop_map(num).boxed()
}


fn key() -> BoxedStrategy<String> {
    prop_oneof![3 => select(vocab().keys.as_slice()).prop_map(String::from), 1 => string()].boxed()
}

/// Objects as JavaScript has them: one value per key, first one wins.
fn obj(entries: Vec<(String, Value)>) -> Value {
    let mut out: Vec<(String, Value)> = Vec::with_capacity(entries.len());
    for (k, v) in entries {
        if !out.iter().any(|(o, _)| *o == k) {
            out.push((k, v));
        }
    }
    Value::Obj(out)
}

fn build_any_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        3 => number(),
        4 => string().prop_map(Value::Str),
        1 => select(&Odd::ALL[..]).prop_map(Value::Other),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Arr),
            vec((key(), inner), 0..6).prop_map(obj),
        ]
    })
    .boxed()
}

/// Any JSON-shaped value, plus the `Other` values the wasm boundary produces.
fn any_value() -> BoxedStrategy<Value> {
    VALUE.with(Clone::clone)
}

// ---------------------------------------------------------------------------------------------
// Inputs shaped by a descriptor.

fn int_for(min: i32, max: i32) -> BoxedStrategy<Value> {
    let (min, max) = (i64::from(min), i64::from(max));
    let edges = vec![min, max, 0, 1, -1, min - 1, max + 1, i64::from(i32::MAX), i64::from(i32::MAX) + 1, i64::from(u32::MAX) + 1];
    prop_oneof![
        4 => select(edges).prop_map(|n| num(n as f64)),
        4 => (min..=max).prop_map(|n| num(n as f64)),
        1 => (min..=max).prop_map(|n| num(n as f64 + 0.5)),
        1 => number(),
    ]
    .boxed()
}

fn str_for(fmt: Fmt, max: u32) -> BoxedStrategy<String> {
    let base = match fmt {
        Fmt::Any => string(),
        Fmt::ObjectId => object_id(),
        Fmt::Email => email(),
        Fmt::Wallet => wallet(),
        Fmt::HttpsUrl | Fmt::Url => url(),
        Fmt::Iso8601 => iso_like(),
        Fmt::DateDmy => dmy_like(),
        Fmt::LocalDateTime => local_dt_like(),
        Fmt::NoQuotes => prop_oneof![3 => re("[a-zA-Z0-9 ]{1,12}"), 1 => string()].boxed(),
        Fmt::Name => prop_oneof![3 => re("[A-Za-z0-9_]{1,70}"), 1 => string()].boxed(),
    };
    let base = prop_oneof![12 => base.clone(), 2 => mutate(base), 1 => words(&["", " ", "\t\n", "\u{a0}"])].boxed();
    if max == 0 {
        return base;
    }
    let m = max as usize;
    let near = (select(&['a', 'é', '😀'][..]), select(vec![m / 2, m / 2 + 1, m - 1, m, m + 1])).prop_map(|(c, n)| std::iter::repeat_n(c, n).collect());
    prop_oneof![8 => base, 1 => near].boxed()
}

fn id_value() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => re("[0-9]{1,12}").prop_map(Value::Str),
        3 => (0u64..1_000_000_000_000).prop_map(|n| num(n as f64)),
        1 => words(&["", " ", "abc", "-1", "1.5"]).prop_map(Value::Str),
        1 => select(&[-1.0, 1.5, -0.0, 1e21, 9_007_199_254_740_993.0][..]).prop_map(num),
        1 => string().prop_map(Value::Str),
    ]
    .boxed()
}

fn field_for(f: &'static Field) -> BoxedStrategy<Option<(String, Value)>> {
    let present = if f.flags & (REQ | REQ_BY_CHECK) != 0 { 0.9 } else { 0.35 };
    let v = prop_oneof![12 => for_ty(f.ty), 1 => Just(Value::Null)];
    prop::option::weighted(present, v.prop_map(move |v| (f.name.to_string(), v))).boxed()
}

fn obj_for(fields: &'static [Field], more: &'static [Field], open: bool) -> BoxedStrategy<Value> {
    let parts: Vec<_> = fields.iter().chain(more.iter()).map(field_for).collect();
    let extras = prop_oneof![
        if open { 2 } else { 8 } => Just(Vec::new()),
        1 => vec((key(), prop_oneof![3 => string().prop_map(Value::Str), 1 => number(), 1 => any_value()]), 1..4),
    ];
    (parts.prop_shuffle(), extras)
        .prop_map(|(parts, extras)| obj(parts.into_iter().flatten().chain(extras).collect()))
        .boxed()
}

/// Values of the shape `ty` describes, valid most of the time, with near misses and strays.
fn for_ty(ty: &'static Ty) -> BoxedStrategy<Value> {
    let shaped = match ty {
        Ty::Str { fmt, max, .. } => str_for(*fmt, *max).prop_map(Value::Str).boxed(),
        Ty::Enum(options) => {
            let pick = select(*options).prop_map(String::from).boxed();
            prop_oneof![10 => pick.clone(), 1 => mutate(pick), 1 => string()].prop_map(Value::Str).boxed()
        }
        Ty::Int { min, max } => int_for(*min, *max),
        Ty::IntEnum(options) => {
            let options: Vec<i32> = options.to_vec();
            prop_oneof![
                8 => select(options.clone()).prop_map(|n| num(f64::from(n))),
                1 => (select(options), select(&[-1.0, 1.0, 0.5][..])).prop_map(|(n, d)| num(f64::from(n) + d)),
                1 => number(),
            ]
            .boxed()
        }
        Ty::Num { .. } => number(),
        Ty::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Ty::Id => id_value(),
        Ty::Obj(o) => obj_for(o.fields, o.more, o.open),
        Ty::Map(inner) => vec((key(), for_ty(inner)), 0..5).prop_map(obj).boxed(),
        Ty::Arr { item, max, .. } => {
            let item = for_ty(item);
            if *max > 0 {
                let m = *max as usize;
                prop_oneof![12 => vec(item.clone(), 0..4), 1 => vec(item, m..=m + 1)].prop_map(Value::Arr).boxed()
            } else {
                vec(item, 0..5).prop_map(Value::Arr).boxed()
            }
        }
        Ty::OneOrMany(inner) => prop_oneof![for_ty(inner), vec(for_ty(inner), 0..4).prop_map(Value::Arr)].boxed(),
        Ty::Nullable(inner) => prop_oneof![1 => Just(Value::Null), 4 => for_ty(inner)].boxed(),
        Ty::Either(a, b) => prop_oneof![for_ty(a), for_ty(b)].boxed(),
        Ty::Any | Ty::Opaque => any_value(),
    };
    prop_oneof![20 => shaped, 1 => any_value()].boxed()
}

// Clean mode: only values each rule accepts, so cross-field rules and request building are
// reached often; strings still carry quotes, backslashes, control characters and unicode.

/// Non-blank text with the characters that JSON escaping and percent-encoding must handle.
fn clean_text() -> BoxedStrategy<String> {
    prop_oneof![
        4 => re("[A-Za-z0-9][ -~]{0,15}"),
        2 => (re("[A-Za-z0-9]"), tricky_string(16)).prop_map(|(a, b)| a + &b),
        1 => re("[a-z]{1,8}_?bot"),
        1 => vocab_word().prop_filter("non-blank", |s| !s.trim().is_empty()),
        1 => (re("[a-z]"), any::<String>()).prop_map(|(a, b)| a + &b),
    ]
    .boxed()
}

fn clean_hex(n: usize) -> BoxedStrategy<String> {
    vec(select(&HEX[..20]), n).prop_map(|c| c.into_iter().collect()).boxed()
}

fn clean_iso() -> BoxedStrategy<String> {
    // A narrow span of years so that date ranges (at most a year apart) are often valid.
    let zone = words(&["Z", "+02:00", "-0530", "z"]);
    (2025i64..=2026, 1i64..=12, 1i64..=28, prop::option::of((0i64..24, 0i64..60, 0i64..60, zone)))
        .prop_map(|(y, m, d, t)| match t {
            None => format!("{y:04}-{m:02}-{d:02}"),
            Some((h, mi, s, z)) => format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}{z}"),
        })
        .boxed()
}

fn clean_str(fmt: Fmt, max: u32) -> BoxedStrategy<String> {
    let s = match fmt {
        Fmt::Any => clean_text(),
        Fmt::ObjectId => clean_hex(24),
        Fmt::Email => re("[a-z0-9][a-z0-9._+-]{0,8}@[a-z0-9]{1,8}(\\.[a-z0-9-]{1,6}[a-z0-9])?\\.[a-z]{2,4}"),
        Fmt::Wallet => clean_hex(40).prop_map(|h| format!("0x{h}")).boxed(),
        Fmt::HttpsUrl | Fmt::Url => (select(&["https://", "HTTPS://"][..]), select(&["cdn.mava.app", "example.com:8443", "u@h.example"][..]), re("(/[A-Za-z0-9_~%-][A-Za-z0-9._~%-]{0,8}){0,3}(\\?[a-z=&.]{0,8})?"))
            .prop_map(|(a, b, c)| [a, b, c.as_str()].concat())
            .boxed(),
        Fmt::Iso8601 => clean_iso(),
        Fmt::DateDmy => (1i64..=28, 1i64..=12, 2024i64..=2026).prop_map(|(d, m, y)| format!("{d:02}.{m:02}.{y}")).boxed(),
        Fmt::LocalDateTime => (2024i64..=2030, 1i64..=12, 1i64..=28, 0i64..24, 0i64..60, 0i64..60)
            .prop_map(|(y, m, d, h, mi, s)| format!("{y}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}"))
            .boxed(),
        Fmt::NoQuotes => re("[A-Za-z0-9][A-Za-z0-9 !?.,'é]{0,12}"),
        Fmt::Name => re("[A-Za-z0-9_]{1,64}"),
    };
    if max == 0 {
        return s;
    }
    // Within the limit, counted in UTF-16 units as the rule counts it.
    s.prop_map(move |s| {
        let mut units = 0;
        s.chars().take_while(|c| {
            units += c.len_utf16();
            units <= max as usize
        })
        .collect()
    })
    .boxed()
}

/// Any JSON value (no `Other`), for `Any` fields and open objects.
fn clean_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        finite_f64().prop_map(num),
        clean_text().prop_map(Value::Str),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![vec(inner.clone(), 0..4).prop_map(Value::Arr), vec((clean_text(), inner), 0..4).prop_map(obj)]
    })
    .boxed()
}

fn clean_int(min: i32, max: i32) -> BoxedStrategy<Value> {
    let (min, max) = (i64::from(min), i64::from(max));
    let top = if max == i64::from(i32::MAX) { 1 << 53 } else { max };
    prop_oneof![2 => min..=max.min(min + 20), 1 => min..=top, 1 => select(vec![min, max, top])].prop_map(|n| num(n as f64)).boxed()
}

fn clean_obj(fields: &'static [Field], more: &'static [Field], open: bool) -> BoxedStrategy<Value> {
    let parts: Vec<_> = fields
        .iter()
        .chain(more.iter())
        .map(|f| {
            let field = clean_for(f.ty).prop_map(move |v| Some((f.name.to_string(), v)));
            if f.flags & (REQ | REQ_BY_CHECK) != 0 {
                field.boxed()
            } else {
                prop_oneof![3 => Just(None), 2 => field].boxed()
            }
        })
        .collect();
    let extra_keys = select(&EXTRA_KEYS[..6]).prop_map(String::from);
    let extras = if open { vec((extra_keys, clean_json()), 0..3).boxed() } else { Just(Vec::new()).boxed() };
    (parts.prop_shuffle(), extras).prop_map(|(parts, extras)| obj(parts.into_iter().flatten().chain(extras).collect())).boxed()
}

/// Values every rule of `ty` accepts on its own (cross-field rules may still object).
fn clean_for(ty: &'static Ty) -> BoxedStrategy<Value> {
    match ty {
        Ty::Str { fmt, max, .. } => clean_str(*fmt, *max).prop_map(Value::Str).boxed(),
        Ty::Enum(options) => select(*options).prop_map(|s| Value::Str(s.into())).boxed(),
        Ty::Int { min, max } => clean_int(*min, *max),
        Ty::IntEnum(options) => select(*options).prop_map(|n| num(f64::from(n))).boxed(),
        Ty::Num { nonneg: true } => prop_oneof![(0u32..100_000).prop_map(|n| num(f64::from(n))), (0.0..1e9f64).prop_map(num)].boxed(),
        Ty::Num { nonneg: false } => finite_f64().prop_map(num).boxed(),
        Ty::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Ty::Id => prop_oneof![re("[0-9]{1,12}").prop_map(Value::Str), (0u64..1 << 53).prop_map(|n| num(n as f64)), clean_text().prop_map(Value::Str)].boxed(),
        Ty::Obj(o) => clean_obj(o.fields, o.more, o.open),
        Ty::Map(inner) => vec((clean_text(), clean_for(inner)), 1..4).prop_map(obj).boxed(),
        Ty::Arr { item, max, nonempty } => {
            let hi = if *max == 0 { 4 } else { (*max as usize).min(4) };
            vec(clean_for(item), usize::from(*nonempty)..=hi).prop_map(Value::Arr).boxed()
        }
        Ty::OneOrMany(inner) => prop_oneof![clean_for(inner), vec(clean_for(inner), 1..4).prop_map(Value::Arr)].boxed(),
        Ty::Nullable(inner) => prop_oneof![1 => Just(Value::Null), 4 => clean_for(inner)].boxed(),
        Ty::Either(a, b) => prop_oneof![clean_for(a), clean_for(b)].boxed(),
        Ty::Any => clean_json(),
        Ty::Opaque => any_value(),
    }
}

/// An input for `call`: valid field by field, shaped with near misses, or anything at all.
fn input_for(call: &'static Call) -> BoxedStrategy<Value> {
    match call.input {
        Some(ty) => prop_oneof![6 => clean_for(ty), 6 => for_ty(ty), 1 => any_value()].boxed(),
        None => prop_oneof![3 => Just(Value::Null), 1 => any_value()].boxed(),
    }
}

// ---------------------------------------------------------------------------------------------
// Shared checks.

fn upper_snake(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_uppercase) && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// Every issue has an UPPER_SNAKE code and a message that starts with its path.
fn check_issues(issues: &[Issue]) -> Outcome {
    for i in issues {
        prop_assert!(upper_snake(i.code), "code {:?} of {:?}", i.code, i);
        prop_assert!(!i.message.trim().is_empty(), "empty message: {:?}", i);
        if !i.path.is_empty() {
            prop_assert!(i.message.starts_with(&[i.path.as_str(), " "].concat()), "message does not start with the path: {:?}", i);
        }
    }
    Ok(())
}

fn no_space(s: &str) -> bool {
    !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
}

/// `v` as JSON would carry it equals `j` (numbers compared as numbers, keys in order).
fn same(j: &serde_json::Value, v: &Value) -> bool {
    use serde_json::Value as J;
    match (j, v) {
        (J::Null, Value::Null | Value::Other(_)) => true,
        (J::Bool(a), Value::Bool(b)) => a == b,
        (J::Number(n), Value::Num(x, _)) => n.as_f64().is_some_and(|n| close(n, *x)),
        (J::String(a), Value::Str(b) | Value::Date(b)) => a == b,
        (J::Array(a), Value::Arr(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b)),
        (J::Object(a), Value::Obj(b)) => a.len() == b.len() && a.iter().zip(b).all(|((ka, va), (kb, vb))| ka == kb && same(va, vb)),
        _ => false,
    }
}

/// A query value: text, or JSON text of an object (compared by parsing).
#[derive(Debug)]
enum Q {
    Text(String),
    Json(Value),
}

fn flatten(key: &str, v: &Value, out: &mut Vec<(String, Q)>) {
    let q = match v {
        Value::Arr(items) => return items.iter().for_each(|i| flatten(key, i, out)),
        Value::Str(s) | Value::Date(s) => Q::Text(s.clone()),
        Value::Num(_, text) => Q::Text(text.clone()),
        Value::Bool(b) => Q::Text(b.to_string()),
        Value::Null => Q::Text(String::new()),
        Value::Obj(_) | Value::Other(_) => Q::Json(v.clone()),
    };
    out.push((key.to_string(), q));
}

/// What the request for `input` must carry: query pairs and JSON body.
fn expected(call: &Call, method: Method, input: &Value) -> (Vec<(String, Q)>, Option<Value>) {
    let (fields, more): (&[Field], &[Field]) = match call.input {
        Some(Ty::Obj(o)) => (o.fields, o.more),
        _ => (&[], &[]),
    };
    let flags = |k: &str| fields.iter().chain(more).find(|f| f.name == k).map_or(0, |f| f.flags);
    let mut query = Vec::new();
    let body = match input {
        Value::Obj(entries) => {
            let mut body = Vec::new();
            for (k, v) in entries {
                let f = flags(k);
                if f & LOCAL != 0 {
                    continue;
                }
                if method == Method::Get || f & QUERY != 0 {
                    flatten(k, v, &mut query);
                } else {
                    body.push((k.clone(), v.clone()));
                }
            }
            (method != Method::Get).then_some(Value::Obj(body))
        }
        Value::Arr(_) if method != Method::Get => Some(input.clone()),
        _ => (method != Method::Get && call.input.is_some()).then(|| Value::Obj(Vec::new())),
    };
    (query, body)
}

/// Decodes one query component encoded as `URLSearchParams` does: letters, digits, `*-._`,
/// `+` for a space and `%XX` for everything else (nothing else may appear).
fn decode(s: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let h = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok()).ok_or_else(|| format!("bad escape in {s:?}"))?;
                out.push(h);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c if c.is_ascii_alphanumeric() || b"*-_.".contains(&c) => {
                out.push(c);
                i += 1;
            }
            c => return Err(format!("unencoded byte {c:#x} in {s:?}")),
        }
    }
    String::from_utf8(out).map_err(|e| format!("not UTF-8 after decoding {s:?}: {e}"))
}

fn encoded(s: &str) -> String {
    let mut e = String::new();
    percent_encode(&mut e, s);
    e
}

/// The request built for a valid input: URL, query, body and headers all as the input says.
fn check_request(call: &Call, method: Method, o: &ClientOptions, input: &Value, prefix: &str, r: &Request) -> Outcome {
    prop_assert_eq!(r.method, method);
    prop_assert!(no_space(&r.url), "URL with whitespace or control characters: {:?}", r.url);
    prop_assert!(r.url.starts_with(prefix), "URL {:?} does not start with {:?}", r.url, prefix);
    let rest = &r.url[prefix.len()..];
    prop_assert!(rest.is_empty() || rest.starts_with('?'), "URL {:?} continues after the path without a query", r.url);
    let redacted = redact(&r.url, &o.api_key);
    prop_assert!(!redacted.contains(&o.api_key) && !redacted.contains(&encoded(&o.api_key)), "key survives redaction of {:?}", r.url);

    let (want_query, want_body) = expected(call, method, input);
    let got_query: Vec<&str> = rest.strip_prefix('?').map_or(Vec::new(), |q| q.split('&').collect());
    prop_assert_eq!(got_query.len(), want_query.len(), "query {:?} for {:?}", rest, want_query);
    for (pair, (k, want)) in got_query.iter().zip(&want_query) {
        let (gk, gv) = pair.split_once('=').ok_or_else(|| TestCaseError::fail(format!("query pair without '=': {pair:?}")))?;
        let (gk, gv) = (decode(gk).map_err(TestCaseError::fail)?, decode(gv).map_err(TestCaseError::fail)?);
        prop_assert_eq!(&gk, k);
        match want {
            Q::Text(t) => prop_assert_eq!(&gv, t),
            Q::Json(v) => {
                let j: serde_json::Value = serde_json::from_str(&gv).map_err(|e| TestCaseError::fail(format!("query value {gv:?} is not JSON: {e}")))?;
                prop_assert!(same(&j, v), "query value {:?} is not {:?}", gv, v);
            }
        }
    }

    match (&r.body, &want_body) {
        (None, None) => {}
        (Some(body), Some(want)) => {
            let j: serde_json::Value = serde_json::from_str(body).map_err(|e| TestCaseError::fail(format!("body is not JSON ({e}): {body:?}")))?;
            prop_assert!(same(&j, want), "body {:?} does not carry {:?} (read back: {:?})", body, want, j);
        }
        (got, want) => prop_assert!(false, "body {:?}, expected {:?}", got, want),
    }
    let content_type = r.headers.iter().any(|(k, v)| *k == "content-type" && v == "application/json");
    prop_assert_eq!(content_type, r.body.is_some());
    Ok(())
}

fn opts(json: &str, defaults: &options::Defaults) -> ClientOptions {
    options::client(&common::value(json), defaults).expect("fixture options")
}

fn mava_options() -> Vec<ClientOptions> {
    vec![
        opts(r#"{"apiKey":"key-1"}"#, &mava::DEFAULTS),
        opts(r#"{"apiKey":"k/ey 1%é","baseUrl":"http://127.0.0.1:9/prefix/","messageMethod":"POST","rateLimit":false}"#, &mava::DEFAULTS),
    ]
}

fn mavibot_options() -> Vec<ClientOptions> {
    vec![
        opts(r#"{"apiKey":"key-1"}"#, &mavibot::DEFAULTS),
        opts(r#"{"apiKey":"k/ey 1%é*","baseUrl":"https://bot.example/"}"#, &mavibot::DEFAULTS),
    ]
}

fn validate_checked(call: &Call, input: &Value) -> Result<Vec<Issue>, TestCaseError> {
    let first = validate(call, input).list;
    let again = validate(call, input).list;
    prop_assert_eq!(&first, &again, "validate is not deterministic");
    check_issues(&first)?;
    Ok(first)
}

fn fuzz_mava_call(call: &'static Call) -> Result<(), String> {
    let options = mava_options();
    fuzz(&["mava.", call.name].concat(), (input_for(call), 0..options.len()), |(input, oi), stats| {
        if validate_checked(call, &input)?.is_empty() {
            stats.reached.fetch_add(1, Relaxed);
            let o = &options[oi];
            let method = if call.name == mava::messages::SEND_MESSAGE.name { o.message_method } else { call.method };
            let r = mava::build(call, o, &input);
            check_request(call, method, o, &input, &[o.base_url.as_str(), call.path].concat(), &r)?;
            prop_assert!(r.headers.contains(&("x-auth-token", o.api_key.clone())));
        }
        Ok(())
    })
}

fn mavibot_request(call: &Call, action: &str, method: Method, o: &ClientOptions, input: &Value) -> Outcome {
    let r = mavibot::build(call, action, method, o, input);
    let prefix = [o.base_url.as_str(), "/api/", &encoded(&o.api_key), "/", action].concat();
    check_request(call, method, o, input, &prefix, &r)?;
    prop_assert!(!r.headers.iter().any(|(_, v)| v.contains(&o.api_key)), "key in a header");
    Ok(())
}

/// The call's own method, or the per-call `method` option (`GET` / `POST`).
fn method_choice(call: &Call, choice: u8) -> Method {
    match choice {
        1 => Method::Get,
        2 => Method::Post,
        _ => call.method,
    }
}

fn fuzz_mavibot_call(call: &'static Call) -> Result<(), String> {
    let options = mavibot_options();
    fuzz(&["mavibot.", call.path].concat(), (input_for(call), 0..options.len(), prop_oneof![6 => Just(0u8), 1 => 1u8..=2]), |(input, oi, m), stats| {
        if validate_checked(call, &input)?.is_empty() {
            stats.reached.fetch_add(1, Relaxed);
            mavibot_request(call, call.path, method_choice(call, m), &options[oi], &input)?;
        }
        Ok(())
    })
}

/// Splits `calls` into `of` shards so the targets spread over the test threads.
fn shard(calls: &'static [&'static Call], n: usize, of: usize) -> impl Iterator<Item = &'static Call> {
    calls.iter().copied().enumerate().filter(move |(i, _)| i % of == n).map(|(_, c)| c)
}

// ---------------------------------------------------------------------------------------------
// Targets: every call's validator and request building.

#[test]
fn fuzz_mava_calls() {
    all_ok(mava::CALLS.iter().copied().map(fuzz_mava_call).collect());
}

const MAVIBOT_SHARDS: usize = 4;

#[test]
fn fuzz_mavibot_calls_0() {
    all_ok(shard(mavibot::CALLS, 0, MAVIBOT_SHARDS).map(fuzz_mavibot_call).collect());
}

#[test]
fn fuzz_mavibot_calls_1() {
    all_ok(shard(mavibot::CALLS, 1, MAVIBOT_SHARDS).map(fuzz_mavibot_call).collect());
}

#[test]
fn fuzz_mavibot_calls_2() {
    all_ok(shard(mavibot::CALLS, 2, MAVIBOT_SHARDS).map(fuzz_mavibot_call).collect());
}

#[test]
fn fuzz_mavibot_calls_3() {
    all_ok(shard(mavibot::CALLS, 3, MAVIBOT_SHARDS).map(fuzz_mavibot_call).collect());
}

fn action_name() -> BoxedStrategy<Value> {
    prop_oneof![
        6 => re("[A-Za-z0-9_]{0,70}").prop_map(Value::Str),
        2 => vocab_word().prop_map(Value::Str),
        2 => string().prop_map(Value::Str),
        1 => any_value(),
    ]
    .boxed()
}

/// `bot.call(action, params, { method })`: the action-name checker, then any params.
#[test]
fn fuzz_mavibot_any_action() {
    let options = mavibot_options();
    let call = &mavibot::ANY_ACTION;
    all_ok(vec![fuzz("mavibot.call", (action_name(), input_for(call), 0..options.len(), 0u8..3), |(action, input, oi, m), stats| {
        let issues = mavibot::check_action(&action).list;
        prop_assert_eq!(&issues, &mavibot::check_action(&action).list);
        check_issues(&issues)?;
        let name_ok = matches!(&action, Value::Str(s) if (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
        prop_assert_eq!(issues.is_empty(), name_ok, "action {:?}: {:?}", action, issues);
        if name_ok && validate_checked(call, &input)?.is_empty() {
            stats.reached.fetch_add(1, Relaxed);
            mavibot_request(call, action.as_str().unwrap_or_default(), method_choice(call, m), &options[oi], &input)?;
        }
        Ok(())
    })]);
}

/// The Mavibot message webhook.
#[test]
fn fuzz_webhook() {
    let payload = prop_oneof![6 => clean_for(&mavibot::webhook::WEBHOOK), 6 => for_ty(&mavibot::webhook::WEBHOOK), 1 => any_value()];
    all_ok(vec![fuzz("mavibot.webhook", payload, |payload, stats| {
        let issues = mavibot::check_webhook(&payload).list;
        prop_assert_eq!(&issues, &mavibot::check_webhook(&payload).list);
        check_issues(&issues)?;
        if issues.is_empty() {
            stats.reached.fetch_add(1, Relaxed);
            let client = payload.get("client");
            prop_assert!(matches!(client, Some(Value::Obj(_))), "accepted without a client object: {:?}", payload);
            prop_assert!(client.is_some_and(|c| matches!(c.get("id"), Some(Value::Str(_) | Value::Num(..)))), "accepted without client.id");
            prop_assert!(payload.get("message").is_some(), "accepted without message");
        }
        Ok(())
    })]);
}

// ---------------------------------------------------------------------------------------------
// Targets: Mava webhook deliveries, signing keys and the payload's encodings.

fn base64_text() -> BoxedStrategy<String> {
    let bytes = vec(any::<u8>(), 0..80);
    prop_oneof![
        3 => bytes.clone().prop_map(|b| base64_encode(&b)),
        1 => bytes.clone().prop_map(|b| base64_encode(&b).replace('+', "-").replace('/', "_")),
        1 => bytes.prop_map(|b| hex_encode(&b)),
        2 => mutate(vec(any::<u8>(), 0..80).prop_map(|b| base64_encode(&b)).boxed()),
        1 => string(),
    ]
    .boxed()
}

/// A `key` field: `<iv>:<base64>` in the inferred encodings, mutated, or anything.
fn delivery_key() -> BoxedStrategy<String> {
    let iv = prop_oneof![2 => vec(any::<u8>(), 16).prop_map(|b| hex_encode(&b)), 1 => vec(any::<u8>(), 16).prop_map(|b| base64_encode(&b)), 1 => base64_text()];
    let key = (iv, base64_text()).prop_map(|(iv, wrapped)| [iv, wrapped].join(":")).boxed();
    prop_oneof![4 => key.clone(), 2 => mutate(key), 1 => string()].boxed()
}

fn delivery() -> BoxedStrategy<Value> {
    let text = || prop_oneof![4 => base64_text(), 1 => Just(String::new()), 1 => Just(" ".to_string())].prop_map(Value::Str);
    let field = |name: &'static str, v: BoxedStrategy<Value>| prop_oneof![8 => v.prop_map(move |v| Some((name.to_string(), v))), 1 => Just(None), 1 => any_value().prop_map(move |v| Some((name.to_string(), v)))];
    let shaped = (
        field("signature", prop_oneof![2 => hex(64).prop_map(Value::Str), 1 => text()].boxed()),
        field("payload", text().boxed()),
        field("key", delivery_key().prop_map(Value::Str).boxed()),
        field("webhookId", text().boxed()),
    )
        .prop_map(|(a, b, c, d)| obj([a, b, c, d].into_iter().flatten().collect()))
        .boxed();
    prop_oneof![6 => shaped, 2 => for_ty(&mava::webhook::DELIVERY), 1 => any_value()].boxed()
}

#[test]
fn fuzz_mava_webhook_delivery() {
    all_ok(vec![fuzz("mava.webhook.delivery", delivery(), |body, stats| {
        match mava::webhook::check_delivery(&body) {
            Ok(d) => {
                stats.reached.fetch_add(1, Relaxed);
                for (name, text) in [("signature", &d.signature), ("payload", &d.payload), ("webhookId", &d.webhook_id)] {
                    prop_assert!(!text.trim().is_empty(), "accepted a blank {}: {:?}", name, body);
                    prop_assert_eq!(body.get(name).and_then(Value::as_str), Some(text.as_str()));
                }
                prop_assert!(!d.iv().trim().is_empty() && !d.wrapped_key().trim().is_empty(), "accepted key {:?}", d.key);
                prop_assert_eq!([d.iv(), d.wrapped_key()].join(":"), d.key.clone());
            }
            Err(issues) => {
                prop_assert!(!issues.is_empty());
                check_issues(&issues.list)?;
            }
        }
        Ok(())
    })]);
}

#[test]
fn fuzz_mava_webhook_texts() {
    let signing_key = prop_oneof![
        3 => base64_text().prop_map(|t| format!("mava_wh_{t}")),
        1 => mutate(base64_text().prop_map(|t| format!("mava_wh_{t}")).boxed()),
        1 => string(),
    ];
    let blocks = (vec(any::<[u8; 16]>(), 0..4), any::<bool>()).prop_map(|(b, hex)| if hex { hex_encode(&b.concat()) } else { base64_encode(&b.concat()) }).boxed();
    let payload = prop_oneof![2 => blocks.clone(), 1 => mutate(blocks), 1 => base64_text()];
    let aes = (select(&[0usize, 15, 16, 24, 32, 33, 256][..]), delivery_key(), payload);
    all_ok(vec![
        fuzz("mava.webhook.signing_key", signing_key, |key, stats| {
            let der = mava::webhook::signing_key_der(Some(&key));
            if let Ok(der) = &der {
                stats.reached.fetch_add(1, Relaxed);
                prop_assert!(!der.is_empty());
                prop_assert!(key.trim().starts_with("mava_wh_"));
            }
            let secret = mava::webhook::signing_key_secret(&key);
            prop_assert!(key.contains(secret), "the masked part {:?} is not in the key {:?}", secret, key);
            Ok(())
        }),
        fuzz("mava.webhook.aes_input", aes, |(key_len, key, payload), stats| {
            let iv = key.split(':').next().unwrap_or_default();
            if let Ok(input) = mava::webhook::aes_input(key_len, iv, &payload) {
                stats.reached.fetch_add(1, Relaxed);
                prop_assert!([16, 24, 32].contains(&key_len));
                prop_assert_eq!(input.iv.len(), 16);
                prop_assert!(!input.ciphertext.is_empty() && input.ciphertext.len() % 16 == 0);
            }
            Ok(())
        }),
        // Whole blocks in either encoding, and an IV in either, read back exactly.
        fuzz("mava.webhook.aes_encodings", (vec(any::<[u8; 16]>(), 1..6), any::<[u8; 16]>(), any::<(bool, bool)>()), |(blocks, iv, (hex_payload, hex_iv)), stats| {
            let ciphertext = blocks.concat();
            let payload = if hex_payload { hex_encode(&ciphertext) } else { base64_encode(&ciphertext) };
            let iv_text = if hex_iv { hex_encode(&iv) } else { base64_encode(&iv) };
            let input = mava::webhook::aes_input(32, &iv_text, &payload);
            prop_assert_eq!(input, Ok(mava::webhook::AesInput { iv: iv.to_vec(), ciphertext }));
            stats.reached.fetch_add(1, Relaxed);
            Ok(())
        }),
        fuzz("codec.base64", (vec(any::<u8>(), 0..300), string(), vec(select(&[' ', '\n', '\t', '\r'][..]), 0..4), any::<Index>()), |(bytes, text, spaces, at), stats| {
            let encoded = base64_encode(&bytes);
            prop_assert_eq!(base64_decode(&encoded), Some(bytes.clone()));
            // Either alphabet, whitespace anywhere, padding optional: the same bytes.
            let url = encoded.trim_end_matches('=').replace('+', "-").replace('/', "_");
            prop_assert_eq!(base64_decode(&url), Some(bytes.clone()));
            let mut spaced: Vec<char> = encoded.chars().collect();
            for c in spaces {
                spaced.insert(at.index(spaced.len() + 1), c);
            }
            prop_assert_eq!(base64_decode(&spaced.into_iter().collect::<String>()), Some(bytes.clone()));
            prop_assert_eq!(hex_decode(&hex_encode(&bytes)), Some(bytes));
            // Any text: no panic, and what decodes re-encodes to the same bytes.
            if let Some(b) = base64_decode(&text) {
                stats.reached.fetch_add(1, Relaxed);
                prop_assert_eq!(base64_decode(&base64_encode(&b)), Some(b));
            }
            if let Some(b) = hex_decode(&text) {
                prop_assert_eq!(hex_encode(&b), text.to_ascii_lowercase());
            }
            Ok(())
        }),
    ]);
}

// ---------------------------------------------------------------------------------------------
// Targets: client options and per-call options.

/// Generation hints mirroring the options the SDK reads (validation uses the SDK's own).
const MS_HINT: Ty = Ty::Int { min: 0, max: 86_400_000 };
static CLIENT_HINT: Ty = Ty::Obj(&Object {
    fields: &[
        Field::new("apiKey", &Ty::Str { fmt: Fmt::Name, max: 0, nonempty: true }, REQ),
        Field::new("baseUrl", &Ty::Str { fmt: Fmt::Url, max: 0, nonempty: true }, 0),
        Field::new("fetch", &Ty::Opaque, 0),
        Field::new("timeoutMs", &Ty::Int { min: 1, max: 86_400_000 }, 0),
        Field::new("maxRetries", &Ty::Int { min: 0, max: 10 }, 0),
        Field::new("retryBaseMs", &MS_HINT, 0),
        Field::new("retryMaxMs", &MS_HINT, 0),
        Field::new("maxRetryAfterMs", &MS_HINT, 0),
        Field::new("rateLimit", &options::RATE_LIMIT, 0),
        Field::new("messageMethod", &Ty::Enum(&["PUT", "POST"]), 0),
    ],
    more: &[],
    open: false,
});
static CALL_HINT: Ty = Ty::Obj(&Object {
    fields: &[
        Field::new("signal", &Ty::Opaque, 0),
        Field::new("timeoutMs", &Ty::Int { min: 1, max: 86_400_000 }, 0),
        Field::new("maxRetries", &Ty::Int { min: 0, max: 10 }, 0),
        Field::new("retryCreates", &Ty::Bool, 0),
        Field::new("method", &Ty::Enum(&["GET", "POST"]), 0),
        Field::new("onProgress", &Ty::Opaque, 0),
        Field::new("budget", &NONNEG, 0),
    ],
    more: &[],
    open: false,
});

fn int_in(n: f64, min: f64, max: f64) -> bool {
    n.fract() == 0.0 && (min..=max).contains(&n)
}

#[test]
fn fuzz_client_options() {
    let api_key = prop_oneof![3 => re("[A-Za-z0-9_-]{1,40}"), 1 => tricky_string(12), 1 => string()];
    let base_url = prop_oneof![
        4 => words(&[
            "https://gateway.mava.app", "http://127.0.0.1:9/", "https://bot.example/", "HTTPS://X.Y", "https://", "http://a@b",
            "https://h?x", "https://h#f", "https://h /", "ftp://h", "https://h//", "https://h:8080/prefix/", "https://[::1]:80",
            "https://é.example/p%20q/", "http://h/a b",
        ]),
        3 => url(),
        1 => string(),
    ];
    // Most cases: the hint-shaped options with a realistic key and base URL swapped in.
    let shaped = (prop_oneof![clean_for(&CLIENT_HINT), for_ty(&CLIENT_HINT)], prop::option::weighted(0.5, api_key), prop::option::weighted(0.5, base_url)).prop_map(|(v, key, base)| {
        let Value::Obj(mut e) = v else { return v };
        for (k, x) in [("apiKey", key), ("baseUrl", base)] {
            if let Some(x) = x {
                e.retain(|(ek, _)| ek != k);
                e.push((k.into(), Value::Str(x)));
            }
        }
        Value::Obj(e)
    });
    let strategy = (prop_oneof![10 => shaped, 1 => any_value()], any::<bool>());
    all_ok(vec![fuzz("options.client", strategy, |(v, is_mava), stats| {
        let defaults = if is_mava { &mava::DEFAULTS } else { &mavibot::DEFAULTS };
        let first = options::client(&v, defaults);
        let again = options::client(&v, defaults);
        match (&first, &again) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(a), Err(b)) => prop_assert_eq!(&a.list, &b.list),
            _ => prop_assert!(false, "options::client is not deterministic"),
        }
        let o = match first {
            Err(issues) => {
                prop_assert!(!issues.list.is_empty());
                return check_issues(&issues.list);
            }
            Ok(o) => o,
        };
        stats.reached.fetch_add(1, Relaxed);
        prop_assert!(!o.api_key.trim().is_empty() && !o.api_key.chars().any(char::is_control), "key {:?}", o.api_key);
        prop_assert!(no_space(&o.base_url) && !o.base_url.ends_with('/') && !o.base_url.contains(['?', '#']), "base URL {:?}", o.base_url);
        prop_assert!(int_in(o.timeout_ms, 1.0, 2_147_483_647.0), "timeout {}", o.timeout_ms);
        prop_assert!(o.max_retries <= 10);
        for ms in [o.retry_base_ms, o.retry_max_ms, o.max_retry_after_ms] {
            prop_assert!(int_in(ms, 0.0, 2_147_483_647.0), "ms {}", ms);
        }
        if let Some(r) = o.rate_limit {
            prop_assert!((1..=1_000_000).contains(&r.requests) && (1..=86_400_000).contains(&r.window_ms), "{:?}", r);
        }
        if !is_mava {
            prop_assert!(v.get("messageMethod").is_none());
        }
        // Requests built with these options: clean URL, key only where it belongs.
        let r = if is_mava { mava::build(&mava::directory::GET_AGENTS, &o, &Value::Null) } else { mavibot::build(&mavibot::clients::GET_CLIENTS, "get_clients", Method::Get, &o, &Value::Obj(vec![])) };
        prop_assert!(no_space(&r.url), "URL {:?}", r.url);
        prop_assert!(r.url.starts_with(&o.base_url), "URL {:?}", r.url);
        let redacted = redact(&r.url, &o.api_key);
        prop_assert!(!redacted.contains(&o.api_key) && !redacted.contains(&encoded(&o.api_key)), "key in {:?} after redaction: {:?}", r.url, redacted);
        Ok(())
    })]);
}

#[test]
fn fuzz_call_options() {
    let strategy = prop_oneof![5 => clean_for(&CALL_HINT), 5 => for_ty(&CALL_HINT), 1 => any_value()];
    all_ok(vec![fuzz("options.call", strategy, |v, stats| {
        let first = options::call(&v, true);
        match (&first, &options::call(&v, true)) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(a), Err(b)) => prop_assert_eq!(&a.list, &b.list),
            _ => prop_assert!(false, "options::call is not deterministic"),
        }
        if v.get("method").is_some() {
            prop_assert!(options::call(&v, false).is_err(), "a Mava call accepted `method`: {:?}", v);
        }
        match first {
            Err(issues) => {
                prop_assert!(!issues.list.is_empty());
                check_issues(&issues.list)?;
            }
            Ok(o) => {
                stats.reached.fetch_add(1, Relaxed);
                prop_assert!(o.timeout_ms.is_none_or(|t| int_in(t, 1.0, 2_147_483_647.0)), "{:?}", o);
                prop_assert!(o.max_retries.is_none_or(|n| n <= 10), "{:?}", o);
                prop_assert!(matches!(o.method, None | Some(Method::Get | Method::Post)), "{:?}", o);
                prop_assert_eq!(o.retry_creates, matches!(v.get("retryCreates"), Some(Value::Bool(true))));
            }
        }
        Ok(())
    })]);
}

// ---------------------------------------------------------------------------------------------
// Targets: the format parsers.

fn leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn month_len(y: i64, m: i64) -> i64 {
    [31, if leap(y) { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][(m - 1) as usize]
}

/// Days from 1970-01-01 for years 0–9999, counted independently of the SDK's formula.
fn epoch_days(y: i64, m: i64, d: i64) -> i64 {
    let before = |y: i64| 365 * y + (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
    before(y) + (1..m).map(|k| month_len(y, k)).sum::<i64>() + d - 1 - before(1970)
}

fn digits_at(s: &str, range: std::ops::Range<usize>) -> Option<i64> {
    let part = s.get(range)?;
    part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok())?
}

fn dmy_reference(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[2] != b'.' || b[5] != b'.' {
        return false;
    }
    match (digits_at(s, 0..2), digits_at(s, 3..5), digits_at(s, 6..10)) {
        (Some(d), Some(m), Some(y)) => (1..=12).contains(&m) && d >= 1 && d <= month_len(y, m),
        _ => false,
    }
}

fn local_dt_reference(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
        return false;
    }
    let n = |r| digits_at(s, r);
    match (n(0..4), n(5..7), n(8..10), n(11..13), n(14..16), n(17..19)) {
        (Some(y), Some(m), Some(d), Some(h), Some(mi), Some(sec)) => {
            (1..=12).contains(&m) && d >= 1 && d <= month_len(y, m) && h < 24 && mi < 60 && sec < 60
        }
        _ => false,
    }
}

fn format_string() -> BoxedStrategy<String> {
    prop_oneof![4 => formatted(), 2 => mutate(formatted()), 2 => string()].boxed()
}

#[test]
fn fuzz_format_ids() {
    all_ok(vec![
        fuzz("format.object_id", prop_oneof![object_id(), format_string()], |s, _| {
            let want = s.len() == 24 && s.bytes().all(|b| b.is_ascii_hexdigit());
            prop_assert_eq!(format::is_object_id(&s), want);
            Ok(())
        }),
        fuzz("format.wallet", prop_oneof![wallet(), format_string()], |s, _| {
            let want = s.len() == 42 && s.starts_with("0x") && s[2..].bytes().all(|b| b.is_ascii_hexdigit());
            prop_assert_eq!(format::is_wallet_address(&s), want);
            Ok(())
        }),
    ]);
}

#[test]
fn fuzz_format_email() {
    all_ok(vec![fuzz("format.email", prop_oneof![3 => email(), 1 => mutate(email()), 1 => format_string()], |s, stats| {
        if format::is_email(&s) {
            stats.reached.fetch_add(1, Relaxed);
            let (local, domain) = s.split_once('@').expect("accepted without @");
            prop_assert!(s.len() <= 254 && (1..=64).contains(&local.len()), "{:?}", s);
            prop_assert!(!domain.contains('@') && domain.contains('.'), "{:?}", s);
            prop_assert!(no_space(&s), "accepted with whitespace or control characters: {:?}", s);
        }
        Ok(())
    })]);
}

#[test]
fn fuzz_format_url() {
    all_ok(vec![fuzz("format.url", prop_oneof![3 => url(), 1 => mutate(url()), 1 => format_string()], |s, stats| {
        let https = format::check_url(&s, true);
        let any = format::check_url(&s, false);
        if https.is_ok() {
            prop_assert!(any.is_ok(), "accepted as https but refused as http(s): {:?} {:?}", s, any);
            prop_assert!(s.get(..8).is_some_and(|p| p.eq_ignore_ascii_case("https://")), "{:?}", s);
        }
        if any.is_ok() {
            stats.reached.fetch_add(1, Relaxed);
            let lower = s.to_ascii_lowercase();
            prop_assert!(lower.starts_with("https://") || lower.starts_with("http://"), "{:?}", s);
            prop_assert!(no_space(&s), "accepted with whitespace: {:?}", s);
            prop_assert!(!s.contains('\\'), "accepted with a backslash: {:?}", s);
            let rest = &s[s.find("://").unwrap() + 3..];
            let path = rest.split(['?', '#']).next().unwrap_or("");
            let path = path.find('/').map_or("", |i| &path[i..]);
            let mut decoded = path.to_string();
            for _ in 0..3 {
                decoded = String::from_utf8_lossy(&percent_decode(decoded.as_bytes())).into_owned();
            }
            prop_assert!(!decoded.split('/').any(|seg| seg == ".." || seg == "."), "accepted a traversal: {:?}", s);
        }
        Ok(())
    })]);
}

fn percent_decode(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if let Some(v) = b.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// A valid ISO 8601 instant and its milliseconds, computed independently.
fn iso_valid() -> BoxedStrategy<(String, i64)> {
    let time = (0i64..24, 0i64..60, prop::option::of((0i64..60, prop::option::of((re("[0-9]{1,9}"), select(&[".", ","][..]))))));
    let zone = prop_oneof![Just(None), (any::<bool>(), 0i64..24, 0i64..60, any::<bool>(), any::<bool>()).prop_map(Some)];
    (0i64..10_000, 1i64..=12, 1i64..=31, prop::option::weighted(0.7, (time, select(&["T", "t"][..]), zone)))
        .prop_map(|(y, m, d, t)| {
            let d = d.min(month_len(y, m));
            let mut s = format!("{y:04}-{m:02}-{d:02}");
            let mut ms = epoch_days(y, m, d) * 86_400_000;
            if let Some(((h, mi, sec), sep, zone)) = t {
                s.push_str(&format!("{sep}{h:02}:{mi:02}"));
                ms += (h * 60 + mi) * 60_000;
                if let Some((sec, frac)) = sec {
                    s.push_str(&format!(":{sec:02}"));
                    ms += sec * 1000;
                    if let Some((digits, fsep)) = frac {
                        s.push_str(fsep);
                        s.push_str(&digits);
                        ms += format!("{digits:0<3}")[..3].parse::<i64>().unwrap();
                    }
                }
                match zone {
                    None => s.push(if y % 2 == 0 { 'Z' } else { 'z' }),
                    Some((plus, oh, om, colon, _)) => {
                        s.push_str(&format!("{}{oh:02}{}{om:02}", if plus { '+' } else { '-' }, if colon { ":" } else { "" }));
                        let off = (oh * 60 + om) * 60_000;
                        ms -= if plus { off } else { -off };
                    }
                }
            }
            (s, ms)
        })
        .boxed()
}

#[test]
fn fuzz_format_iso8601() {
    all_ok(vec![
        fuzz("format.iso8601", prop_oneof![3 => iso_like(), 1 => mutate(iso_like()), 1 => format_string()], |s, stats| {
            if let Ok(ms) = format::parse_iso8601(&s) {
                stats.reached.fetch_add(1, Relaxed);
                let next = format::add_one_year(ms);
                prop_assert!(next > ms, "add_one_year({}) = {}", ms, next);
                let b = s.as_bytes();
                prop_assert!(b.len() >= 10 && b[4] == b'-' && b[7] == b'-', "accepted {:?}", s);
                let (y, m, d) = (digits_at(&s, 0..4), digits_at(&s, 5..7), digits_at(&s, 8..10));
                prop_assert!(matches!((y, m, d), (Some(y), Some(m), Some(d)) if (1..=12).contains(&m) && d >= 1 && d <= month_len(y, m)), "accepted {:?}", s);
            }
            Ok(())
        }),
        fuzz("format.iso8601_exact", iso_valid(), |(s, want), _| {
            prop_assert_eq!(format::parse_iso8601(&s), Ok(want), "{}", s);
            Ok(())
        }),
    ]);
}

#[test]
fn fuzz_format_mavibot_dates() {
    all_ok(vec![
        fuzz("format.date_dmy", prop_oneof![3 => dmy_like(), 1 => mutate(dmy_like()), 1 => format_string()], |s, stats| {
            let got = format::is_date_dmy(&s);
            stats.reached.fetch_add(u64::from(got), Relaxed);
            prop_assert_eq!(got, dmy_reference(&s), "{:?}", s);
            Ok(())
        }),
        fuzz("format.local_datetime", prop_oneof![3 => local_dt_like(), 1 => mutate(local_dt_like()), 1 => format_string()], |s, stats| {
            let got = format::is_local_datetime(&s);
            stats.reached.fetch_add(u64::from(got), Relaxed);
            prop_assert_eq!(got, local_dt_reference(&s), "{:?}", s);
            Ok(())
        }),
    ]);
}

/// UTC calendar parts of a non-negative epoch millisecond count, by counting years and months.
fn utc_parts(ms: i64) -> (i64, i64, i64, i64) {
    let (mut days, within) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let mut y = 1970;
    while days >= 365 + i64::from(leap(y)) {
        days -= 365 + i64::from(leap(y));
        y += 1;
    }
    let mut m = 1;
    while days >= month_len(y, m) {
        days -= month_len(y, m);
        m += 1;
    }
    (y, m, days + 1, within)
}

fn iso_z(ms: i64) -> String {
    let (y, m, d, within) = utc_parts(ms);
    let s = within / 1000;
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z", s / 3600, s / 60 % 60, s % 60, within % 1000)
}

/// `setUTCFullYear(getUTCFullYear() + 1)`: 29 February rolls over to 1 March.
fn plus_one_year(ms: i64) -> i64 {
    let (y, m, d, within) = utc_parts(ms);
    let (m, d) = if d > month_len(y + 1, m) { (m + 1, 1) } else { (m, d) };
    epoch_days(y + 1, m, d) * 86_400_000 + within
}

/// A date-time with an offset, and its instant.
fn zoned_instant() -> BoxedStrategy<(String, i64)> {
    (2023i64..=2029, 1i64..=12, 1i64..=31, 0i64..24, 0i64..60, 0i64..60, -12i64..=14, select(&[0i64, 30, 45][..]))
        .prop_map(|(y, m, d, h, mi, s, oh, om)| {
            let d = d.min(month_len(y, m));
            let off = (oh * 60 + if oh < 0 { -om } else { om }) * 60_000;
            let text = format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}{}{:02}:{om:02}", if off < 0 { '-' } else { '+' }, oh.abs());
            (text, epoch_days(y, m, d) * 86_400_000 + ((h * 60 + mi) * 60 + s) * 1000 - off)
        })
        .boxed()
}

/// `fetchTickets`: endDate after startDate and at most one calendar year later, whatever the
/// zones; checked against an independent calendar.
#[test]
fn fuzz_fetch_tickets_range() {
    const DAY: i64 = 86_400_000;
    let delta = prop_oneof![
        select(vec![0, 1, -1, 1000, -1000, DAY, 364 * DAY, 365 * DAY, 366 * DAY, 365 * DAY + 1, 366 * DAY + 1, 365 * DAY - 1, 366 * DAY - 1, 365 * DAY + 1000, 366 * DAY - 1000]),
        -DAY..400 * DAY,
    ];
    let end = prop_oneof![zoned_instant().prop_map(|(t, ms)| (t, ms, None)), delta.prop_map(|d| (String::new(), 0, Some(d)))];
    let call = &mava::fetch_tickets::FETCH_TICKETS;
    all_ok(vec![fuzz("mava.fetchTickets.range", (zoned_instant(), end), |((start, s_ms), (end, e_ms, delta)), stats| {
        let (end, e_ms) = match delta {
            Some(d) => (iso_z(s_ms + d), s_ms + d),
            None => (end, e_ms),
        };
        prop_assert_eq!(format::parse_iso8601(&start), Ok(s_ms), "{}", start);
        prop_assert_eq!(format::parse_iso8601(&end), Ok(e_ms), "{}", end);
        let input = Value::Obj(vec![("startDate".into(), Value::Str(start.clone())), ("endDate".into(), Value::Str(end.clone()))]);
        let got: Vec<(String, &str)> = validate(call, &input).list.into_iter().map(|i| (i.path, i.code)).collect();
        let in_range = e_ms > s_ms && e_ms <= plus_one_year(s_ms);
        stats.reached.fetch_add(u64::from(in_range), Relaxed);
        let want = if in_range { vec![] } else { vec![("endDate".to_string(), "INVALID_DATE_RANGE")] };
        prop_assert_eq!(got, want, "{} → {} (one year later: {})", start, end, iso_z(plus_one_year(s_ms)));
        Ok(())
    })]);
}

/// `getHistory`: stop_date not before start_date.
#[test]
fn fuzz_get_history_period() {
    let date = (1i64..=31, 1i64..=12, 2023i64..=2026).prop_map(|(d, m, y)| (d.min(month_len(y, m)), m, y));
    let call = &mavibot::messages::GET_HISTORY;
    all_ok(vec![fuzz("mavibot.get_history.period", (date.clone(), prop_oneof![date.clone(), date.prop_map(|(_, m, y)| (1, m, y))]), |(a, b), stats| {
        let text = |(d, m, y): (i64, i64, i64)| Value::Str(format!("{d:02}.{m:02}.{y:04}"));
        let input = Value::Obj(vec![("client_id".into(), Value::Str("1".into())), ("start_date".into(), text(a)), ("stop_date".into(), text(b))]);
        let got: Vec<(String, &str)> = validate(call, &input).list.into_iter().map(|i| (i.path, i.code)).collect();
        let ordered = (a.2, a.1, a.0) <= (b.2, b.1, b.0);
        stats.reached.fetch_add(u64::from(ordered), Relaxed);
        let want = if ordered { vec![] } else { vec![("stop_date".to_string(), "INVALID_DATE")] };
        prop_assert_eq!(got, want, "{:?} → {:?}", a, b);
        Ok(())
    })]);
}

// ---------------------------------------------------------------------------------------------
// Targets: response handling.

const MONTHS: &[&str] = &["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn wild_int() -> BoxedStrategy<i64> {
    prop_oneof![
        6 => 0i64..=61,
        1 => -100i64..0,
        1 => any::<i64>(),
        1 => select(&[i64::MAX, i64::MIN, 292_277_026_596, -292_277_026_596, 99_999_999_999, 1 << 53][..]),
    ]
    .boxed()
}

fn retry_after_value() -> BoxedStrategy<String> {
    let date = (
        words(&["Sun, ", "Wed, ", "", "Mon,", "Sunday, "]),
        wild_int(),
        prop_oneof![6 => select(MONTHS).prop_map(String::from), 1 => words(&["jan", "JAN", "Foo", ""])],
        prop_oneof![4 => 1900i64..2200, 1 => wild_int()],
        (wild_int(), wild_int(), wild_int()),
        words(&["GMT", "GMT", "UTC", "gmt", "", "GMT "]),
    )
        .prop_map(|(wd, d, mon, y, (h, m, s), tz)| format!("{wd}{d:02} {mon} {y} {h:02}:{m:02}:{s:02} {tz}"));
    prop_oneof![
        3 => date,
        2 => re("[0-9]{1,25}"),
        1 => (1usize..500).prop_map(|n| "9".repeat(n)),
        1 => words(&["", " ", " 120 ", "-5", "1.5", "+3", "0x10", "１２", "1e3", "inf", "NaN", "120\n"]),
        2 => format_string(),
    ]
    .boxed()
}

fn now_ms() -> BoxedStrategy<f64> {
    prop_oneof![
        4 => (0u64..4_102_444_800_000).prop_map(|n| n as f64),
        1 => finite_f64(),
        1 => select(&[0.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1.7e12 + 0.5][..]),
    ]
    .boxed()
}

#[test]
fn fuzz_retry_after() {
    let date = (
        1900i64..2200,
        1i64..=12,
        1i64..=31,
        (0i64..24, 0i64..60, 0i64..=60),
        (0u64..4_102_444_800_000).prop_map(|n| n as f64),
        select(&["Sun, ", "Thu, ", ""][..]),
    );
    all_ok(vec![
        fuzz("retry.parse_retry_after", (retry_after_value(), now_ms()), |(v, now), stats| {
            if let Some(ms) = parse_retry_after(&v, now) {
                stats.reached.fetch_add(1, Relaxed);
                prop_assert!(!ms.is_nan() && ms >= 0.0, "parse_retry_after({:?}, {}) = {}", v, now, ms);
                let t = v.trim();
                if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
                    prop_assert!(close(ms, t.parse::<f64>().unwrap() * 1000.0), "{:?} → {}", v, ms);
                }
            }
            Ok(())
        }),
        fuzz("retry.http_date_exact", date, |(y, m, d, (h, mi, s), now, wd), _| {
            let d = d.min(month_len(y, m));
            let v = format!("{wd}{d:02} {} {y} {h:02}:{mi:02}:{s:02} GMT", MONTHS[(m - 1) as usize]);
            let t = ((epoch_days(y, m, d) * 86_400 + h * 3600 + mi * 60 + s) * 1000) as f64;
            let got = parse_retry_after(&v, now);
            prop_assert!(got.is_some_and(|ms| (ms - (t - now).max(0.0)).abs() < 1.0), "{:?} at {} → {:?}, expected {}", v, now, got, (t - now).max(0.0));
            Ok(())
        }),
    ]);
}

fn status() -> BoxedStrategy<u16> {
    prop_oneof![
        3 => select(&[200u16, 201, 204, 299, 300, 301, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504, 0, 199, 999, u16::MAX][..]),
        1 => any::<u16>(),
    ]
    .boxed()
}

fn error_text() -> BoxedStrategy<String> {
    let known = select(KNOWN_TEXTS).prop_map(|(t, _)| t.to_string());
    let variant = (select(KNOWN_TEXTS), any::<bool>(), words(&["", " ", "\n", "\t", "."])).prop_map(|((t, _), upper, pad)| {
        let t = if upper { t.to_uppercase() } else { t.to_lowercase() };
        format!("{pad}{t}{pad}")
    });
    prop_oneof![
        2 => known,
        2 => variant,
        2 => re("[A-Z][A-Z0-9_]{0,70}"),
        1 => re("[A-Za-z_ ]{0,12}"),
        2 => string(),
    ]
    .boxed()
}

#[test]
fn fuzz_error_code() {
    let detail = prop::option::of(prop_oneof![error_text(), long_string()]);
    all_ok(vec![
        fuzz("response.error_code", (status(), prop::option::weighted(0.8, error_text())), |(status, field), _| {
            let code = error_code(status, field.as_deref());
            prop_assert!(upper_snake(&code), "error_code({}, {:?}) = {:?}", status, field, code);
            let is_code = |s: &str| (2..=64).contains(&s.len()) && upper_snake(s);
            let fallback = match status {
                401 => "UNAUTHORIZED".to_string(),
                429 => "RATE_LIMITED".to_string(),
                _ => format!("HTTP_{status}"),
            };
            let want = match field.as_deref() {
                Some(e) if is_code(e) => e.to_string(),
                Some(e) => KNOWN_TEXTS.iter().find(|(t, _)| t.eq_ignore_ascii_case(e.trim())).map_or(fallback, |(_, c)| c.to_string()),
                None => fallback,
            };
            prop_assert_eq!(code, want);
            Ok(())
        }),
        fuzz("response.error_message", (status(), error_text(), detail, words(&["GET", "POST", "PUT"]), string()), |(status, code, detail, method, path), _| {
            let m = error_message(&method, &path, status, &code, detail.as_deref());
            let head = format!("{method} {path} failed with {status} {code}");
            prop_assert!(m.starts_with(&head), "{:?}", m);
            prop_assert!(m.chars().count() <= head.chars().count() + 2 + 200 + 1, "message too long: {} chars", m.chars().count());
            Ok(())
        }),
    ]);
}

#[test]
fn fuzz_mavibot_failure() {
    let body_status = prop::option::weighted(
        0.8,
        prop_oneof![
            3 => words(&["success", "SUCCESS", " success ", "Success\n", "fail", "client_not_found", "CLIENT_NOT_FOUND ", "order 12345 not found", "Order not found", "order", "not found", "", "ordernot found"]),
            1 => mutate(words(&["success", "client_not_found", "order 1 not found"])),
            1 => string(),
        ],
    );
    let action = prop_oneof![3 => select(mavibot::CALLS).prop_map(|c| c.path.to_string()), 1 => re("[a-z_]{0,20}")];
    all_ok(vec![fuzz("mavibot.failure", (action, status(), body_status), |(action, status, body), _| {
        let got = mavibot::failure(&action, status, body.as_deref());
        let ok = (200..300).contains(&status);
        let success = body.as_deref().is_none_or(|b| b.trim().eq_ignore_ascii_case("success"));
        match &got {
            None => prop_assert!(ok && success, "no failure for {} {:?}", status, body),
            Some((kind, code)) => {
                prop_assert!(!(ok && success), "failure for {} {:?}", status, body);
                prop_assert!(upper_snake(code), "code {:?}", code);
                if ok {
                    prop_assert_eq!(*kind, ErrorKind::Api);
                } else {
                    prop_assert_eq!(*kind, kind_of(status));
                }
                if action == "whatsapp_client_id" && status == 404 {
                    prop_assert_eq!(code.as_str(), "CLIENT_NOT_FOUND");
                }
            }
        }
        Ok(())
    })]);
}

// ---------------------------------------------------------------------------------------------
// Target: redaction of the API key.

/// Keys without `*`: the mask is `***`, so a key made of asterisks (`redact("*", "*")` is
/// `"***"`) can't be kept out of any redacted text; that case is not a leak of the key.
fn redact_case() -> BoxedStrategy<(String, String)> {
    let key = prop_oneof![
        4 => re("[A-Za-z0-9_-]{1,16}"),
        2 => vec(tricky_char(), 1..6).prop_map(|c| c.into_iter().collect::<String>()),
        1 => string(),
    ]
    .prop_map(|k| k.replace('*', ""))
    .prop_filter("non-empty", |k| !k.is_empty());
    key.prop_flat_map(|k| {
        let enc = encoded(&k);
        let mut pieces = vec![k.clone(), enc.clone(), enc.to_ascii_lowercase(), "*".into(), "***".into(), "%".into()];
        let chars: Vec<char> = k.chars().collect();
        for cut in [1, chars.len() / 2, chars.len().saturating_sub(1)] {
            pieces.push(chars[..cut.min(chars.len())].iter().collect());
            pieces.push(chars[cut.min(chars.len())..].iter().collect());
        }
        let text = vec(prop_oneof![3 => select(pieces), 1 => string()], 0..8).prop_map(|p| p.concat());
        (Just(k), text)
    })
    .boxed()
}

#[test]
fn fuzz_redact() {
    all_ok(vec![fuzz("secret.redact", redact_case(), |(key, text), stats| {
        let out = redact(&text, &key);
        stats.reached.fetch_add(u64::from(text.contains(&key)), Relaxed);
        prop_assert!(!out.contains(&key), "redact({:?}, {:?}) = {:?} still contains the key", text, key, out);
        let enc = encoded(&key);
        prop_assert!(!out.contains(&enc) && !out.contains(&enc.to_ascii_lowercase()), "redact({:?}, {:?}) = {:?} still contains the encoded key", text, key, out);
        Ok(())
    })]);
}

// ---------------------------------------------------------------------------------------------
// The runner itself: every call has a target, and the counts are real.

#[test]
fn every_call_is_a_target() {
    let mut seen: Vec<&str> = (0..MAVIBOT_SHARDS).flat_map(|n| shard(mavibot::CALLS, n, MAVIBOT_SHARDS)).map(|c| c.name).collect();
    seen.sort_unstable();
    let mut all: Vec<&str> = mavibot::CALLS.iter().map(|c| c.name).collect();
    all.sort_unstable();
    assert_eq!(seen, all);
}
