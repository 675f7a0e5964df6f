//! Turning a validated input into the HTTP request a call sends: method, URL (path, query with
//! repeated keys), headers and JSON body. No I/O here; the package's JavaScript transport
//! sends the result.

use super::schema::{Call, Method, LOCAL, QUERY};
use super::value::Value;

/// The request a call would send, as `build.*` returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    /// The whole URL, query included (encoded as `URLSearchParams` does), exactly as sent.
    pub url: String,
    /// The query's pairs, unencoded (what `url` ends with, for a builder that encodes them).
    pub query: Vec<(String, String)>,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
}

/// Where the input goes: the URL and headers are set by the API module (Mava puts the key in a
/// header, Mavibot in the path); this splits the fields between query string and body.
pub struct Parts {
    pub query: Vec<(String, String)>,
    pub body: Option<String>,
}

/// Splits `input` into query string and JSON body following the call's description: GET calls
/// put everything in the query, other calls put fields flagged `QUERY` in the query and the
/// rest in the body. Fields flagged `LOCAL` are dropped. `method` may override the call's.
pub fn parts(call: &Call, method: Method, input: &Value) -> Parts {
    let flags = |k: &str| call.input.and_then(|t| t.field(k)).map_or(0, |f| f.flags);
    let mut query = Vec::new();
    match input {
        Value::Obj(entries) => {
            let mut body: Vec<&(String, Value)> = Vec::new();
            for entry in entries {
                let f = flags(&entry.0);
                if f & LOCAL != 0 {
                    continue;
                }
                if method == Method::Get || f & QUERY != 0 {
                    push_query(&mut query, &entry.0, &entry.1);
                } else {
                    body.push(entry);
                }
            }
            let body = (method != Method::Get).then(|| {
                let mut out = String::new();
                write_object(&mut out, body.into_iter());
                out
            });
            Parts { query, body }
        }
        // A call whose input is an array (Mavibot `load_clients`) sends the array itself.
        Value::Arr(_) if method != Method::Get => {
            let mut out = String::new();
            write_json(&mut out, input);
            Parts { query, body: Some(out) }
        }
        _ => Parts { query, body: (method != Method::Get && call.input.is_some()).then(|| "{}".into()) },
    }
}

/// Appends `key=value` pairs: arrays become repeated keys, scalars their text.
fn push_query(out: &mut Vec<(String, String)>, key: &str, v: &Value) {
    match v {
        Value::Arr(items) => {
            for item in items {
                push_query(out, key, item);
            }
        }
        Value::Str(s) | Value::Date(s) => push_pair(out, key, s),
        Value::Num(_, text) => push_pair(out, key, text),
        Value::Bool(b) => push_pair(out, key, if *b { "true" } else { "false" }),
        Value::Null => push_pair(out, key, ""),
        Value::Obj(_) | Value::Other(_) => {
            let mut json = String::new();
            write_json(&mut json, v);
            push_pair(out, key, &json)
        }
    }
}

fn push_pair(out: &mut Vec<(String, String)>, key: &str, value: &str) {
    out.push((key.into(), value.into()));
}

/// `url` followed by `?k=v&…` for the pairs (nothing when there are none).
pub fn with_query(mut url: String, pairs: &[(String, String)]) -> String {
    for (i, (k, v)) in pairs.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        form_encode(&mut url, k);
        url.push('=');
        form_encode(&mut url, v);
    }
    url
}

/// Encodes a query component as `URLSearchParams` does (application/x-www-form-urlencoded):
/// letters, digits and `*-._` stay, a space becomes `+`, every other byte `%XX`.
pub fn form_encode(out: &mut String, s: &str) {
    for b in s.bytes() {
        match b {
            b' ' => out.push('+'),
            b'*' => out.push('*'),
            b'~' => push_escape(out, b),
            _ => percent_encode_byte(out, b),
        }
    }
}

/// Percent-encodes everything but the unreserved characters of RFC 3986 (for path segments).
pub fn percent_encode(out: &mut String, s: &str) {
    for b in s.bytes() {
        percent_encode_byte(out, b);
    }
}

fn percent_encode_byte(out: &mut String, b: u8) {
    if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
        out.push(b as char);
    } else {
        push_escape(out, b);
    }
}

fn push_escape(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(HEX[usize::from(b >> 4)] as char);
    out.push(HEX[usize::from(b & 15)] as char);
}

/// Writes `v` as JSON text, as `JSON.stringify` would.
pub fn write_json(out: &mut String, v: &Value) {
    match v {
        Value::Null | Value::Other(_) => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Num(_, text) => out.push_str(text),
        Value::Str(s) | Value::Date(s) => write_str(out, s),
        Value::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(out, item);
            }
            out.push(']');
        }
        Value::Obj(entries) => write_object(out, entries.iter()),
    }
}

fn write_object<'a>(out: &mut String, entries: impl Iterator<Item = &'a (String, Value)>) {
    out.push('{');
    for (i, (k, v)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_str(out, k);
        out.push(':');
        write_json(out, v);
    }
    out.push('}');
}

fn write_str(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Joins a base URL (trailing slashes ignored) and a path.
pub fn join_url(base: &str, path: &str) -> String {
    let mut url = String::from(base.trim_end_matches('/'));
    url.push_str(path);
    url
}

/// Checks a base URL: `http(s)://host[:port][/prefix]`, no query, fragment or credentials.
pub fn check_base_url(s: &str) -> Result<(), &'static str> {
    let after = |scheme: &str| s.get(..scheme.len()).filter(|p| p.eq_ignore_ascii_case(scheme)).and_then(|_| s.get(scheme.len()..));
    let Some(rest) = after("https://").or_else(|| after("http://")) else {
        return Err("must start with https:// (or http:// for a local server)");
    };
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() || host.contains('@') || s.contains(['?', '#']) || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must be an origin such as https://gateway.mava.app, without credentials, query or fragment");
    }
    Ok(())
}

/// A hint for a 404 when the base URL has a path: the SDK appends each call's whole path
/// (`/api/…`), so a base URL ending in `/api` asks for `/api/api/…`. A path is not refused, as
/// a proxy or gateway mounted under a prefix is a real set-up; it is named where it shows, in
/// the 404's message. `None` for a bare origin.
pub fn base_path_hint(base: &str) -> Option<String> {
    let base = base.trim_end_matches('/');
    let start = base.find("://").map_or(0, |i| i + 3);
    let slash = base.get(start..)?.find('/')? + start;
    let (origin, path) = base.split_at(slash);
    let mut hint = String::from("(baseUrl has the path ");
    hint.push_str(path);
    if path.len() >= 4 && path[path.len() - 4..].eq_ignore_ascii_case("/api") {
        hint.push_str(", and every path the SDK sends already starts with /api: set baseUrl to ");
    } else {
        hint.push_str(", before the API's own /api/… paths; if that is not a proxy's prefix, set baseUrl to ");
    }
    hint.push_str(origin);
    hint.push(')');
    Some(hint)
}
