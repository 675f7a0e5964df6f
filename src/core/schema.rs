//! Declarative call descriptions and the one engine that checks an input against them.
//!
//! Every endpoint is a [`Call`]: its HTTP method and path, the shape of its input as a tree of
//! [`Ty`] and [`Field`], and an optional cross-field check for the rules a tree can't say
//! ("exactly one of …"). The engine walks the tree and the input once and reports every issue.

use super::format::{self, UrlProblem};
use super::issue::{code, index, join, push_int, push_uint, Issues};
use super::value::{Odd, Value};
pub use super::retry::Repeat;

/// String formats a `Ty::Str` may require.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fmt {
    Any,
    /// 24 hex digits.
    ObjectId,
    Email,
    /// `0x` + 40 hex digits.
    Wallet,
    /// HTTPS, no path traversal (Mava-hosted attachment).
    HttpsUrl,
    /// http or https, no path traversal (publicly reachable file).
    Url,
    /// ISO 8601 date or date-time with zone.
    Iso8601,
    /// `dd.mm.yyyy`.
    DateDmy,
    /// `YYYY-MM-DD HH:MM:SS`.
    LocalDateTime,
    /// Text without double quotes (Mavibot button labels).
    NoQuotes,
    /// Letters, digits and `_` (an API action name).
    Name,
}

/// The shape of a value.
#[derive(Debug)]
pub enum Ty {
    /// A string in a format, at most `max` characters (0: no limit), non-empty when `nonempty`.
    Str { fmt: Fmt, max: u32, nonempty: bool },
    /// One of the listed strings.
    Enum(&'static [&'static str]),
    /// An integer in `min..=max` (`max` = `i32::MAX`: no upper bound).
    Int { min: i32, max: i32 },
    /// One of the listed integers.
    IntEnum(&'static [i32]),
    /// Any finite number; at least zero when `nonneg`.
    Num { nonneg: bool },
    Bool,
    /// An identifier sent as a string or an integer (Mavibot ids).
    Id,
    /// An object with known fields (behind a reference, which keeps every `Ty` small).
    Obj(&'static Object),
    /// An object with any keys whose values have the given shape.
    Map(&'static Ty),
    /// An array of at most `max` items (0: no limit), at least one when `nonempty`.
    Arr { item: &'static Ty, max: u32, nonempty: bool },
    /// One value or an array of them (query filters sent as repeated keys).
    OneOrMany(&'static Ty),
    /// `null` or the inner shape.
    Nullable(&'static Ty),
    /// Either of two shapes; the first one that fits without issues wins.
    Either(&'static Ty, &'static Ty),
    /// Any JSON value.
    Any,
    /// Anything at all, checked elsewhere (functions and signals in options).
    Opaque,
}

/// The fields of an object: its own, plus a shared group `more` (e.g. the parameters every
/// Mavibot callback takes); `open` lets other keys through as any JSON value.
#[derive(Debug)]
pub struct Object {
    pub fields: &'static [Field],
    pub more: &'static [Field],
    pub open: bool,
}

/// Shorthands for the common shapes.
pub const STR: Ty = Ty::Str { fmt: Fmt::Any, max: 0, nonempty: false };
pub const TEXT: Ty = Ty::Str { fmt: Fmt::Any, max: 0, nonempty: true };
pub const OBJECT_ID: Ty = Ty::Str { fmt: Fmt::ObjectId, max: 0, nonempty: true };
pub const EMAIL: Ty = Ty::Str { fmt: Fmt::Email, max: 0, nonempty: true };
pub const NUM: Ty = Ty::Num { nonneg: false };
/// A count of seconds, milliseconds, items …: a number that is not negative.
pub const NONNEG: Ty = Ty::Num { nonneg: true };

/// Field flags.
pub const REQ: u8 = 1;
/// Checked but never sent (an SDK-side switch such as `allClients`).
pub const LOCAL: u8 = 2;
/// Sent in the query string even when the call has a body.
pub const QUERY: u8 = 4;
/// Required, but reported by the call's cross-field check with the API's own code (the
/// engine skips it; the TypeScript types mark it required).
pub const REQ_BY_CHECK: u8 = 8;

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    /// By reference: most fields share a handful of shapes, which the tables then hold once.
    pub ty: &'static Ty,
    pub flags: u8,
    /// The API's own code for any failure of this field (e.g. `INVALID_LIMIT`); `None` uses
    /// the engine's codes.
    pub code: Option<&'static str>,
}

impl Field {
    pub const fn new(name: &'static str, ty: &'static Ty, flags: u8) -> Field {
        Field { name, ty, flags, code: None }
    }
    pub const fn coded(name: &'static str, ty: &'static Ty, flags: u8, code: &'static str) -> Field {
        Field { name, ty, flags, code: Some(code) }
    }
    pub fn required(&self) -> bool {
        self.flags & REQ != 0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Post,
    Put,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
        }
    }
    pub fn parse(s: &str) -> Option<Method> {
        match s {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            "PUT" => Some(Method::Put),
            _ => None,
        }
    }
}

/// A cross-field rule over the whole input.
pub type Check = fn(&Value, &mut Issues);

/// One API call, described once.
#[derive(Debug)]
pub struct Call {
    /// The JavaScript method name (`createTicket`).
    pub name: &'static str,
    /// Path below the base URL (`/api/ticket`), or the Mavibot action (`get_clients`).
    pub path: &'static str,
    pub method: Method,
    /// Shape of the input (`Some(&Ty::…)`); `None` for calls that take none.
    pub input: Option<Shape>,
    pub check: Option<Check>,
    /// What repeating the call risks, for the retry decision.
    pub repeat: Repeat,
}

/// The shape of an input or option: a described tree.
pub type Shape = &'static Ty;

impl Object {
    /// Its fields: its own, then the shared group.
    pub fn all(&self) -> impl Iterator<Item = &'static Field> {
        self.fields.iter().chain(self.more.iter())
    }

    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.all().find(|f| f.name == name)
    }
}

impl Ty {
    /// The field `name` of an object shape.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        match self {
            Ty::Obj(o) => o.field(name),
            _ => None,
        }
    }
}

/// Checks `input` against the call's description and returns every issue.
pub fn validate(call: &Call, input: &Value) -> Issues {
    let mut issues = Issues::default();
    let Some(ty) = call.input else {
        // A call without input accepts nothing (or `{}`), so that a stray filter is not sent.
        match input {
            Value::Null => {}
            Value::Obj(entries) => {
                for (k, _) in entries {
                    issues.push(k, code::UNKNOWN_FIELD, "is not an input of this call, which takes none");
                }
            }
            _ => issues.push("", code::INVALID_TYPE, "must be omitted: this call takes no input"),
        }
        return issues;
    };
    if matches!(input, Value::Null) && !matches!(ty, Ty::Nullable(_) | Ty::Any) {
        // `createTicket()`: the input itself is missing (undefined and null both arrive as null).
        let what = if matches!(ty, Ty::Arr { .. }) { " needs an input array (got none)" } else { " needs an input object (got none)" };
        let mut text = String::from(call.name);
        text.push_str(what);
        issues.push("", code::REQUIRED, &text);
        return issues;
    }
    check_value(ty, input, "", None, &mut issues);
    if let Some(check) = call.check {
        // Cross-field rules only make sense once the input has the right overall shape.
        let shaped = matches!((ty, input), (Ty::Obj(_) | Ty::Map(_), Value::Obj(_)) | (Ty::Arr { .. }, Value::Arr(_)));
        if shaped {
            check(input, &mut issues);
        }
    }
    issues
}

/// Issues of `v` against a shape, with paths below `path`.
pub fn check(shape: Shape, v: &Value, path: &str) -> Issues {
    let mut issues = Issues::default();
    check_value(shape, v, path, None, &mut issues);
    issues
}

/// Checks one value; `code` overrides the engine's codes (the field's API code).
fn check_value(ty: &Ty, v: &Value, path: &str, code: Option<&'static str>, out: &mut Issues) {
    let c = |own: &'static str| code.unwrap_or(own);
    if let Value::Other(odd) = v {
        if let Some((own, text)) = refused(*odd) {
            out.push(path, own, text);
            return;
        }
    }
    match (ty, v) {
        (Ty::Opaque, _) => {}
        (Ty::Any, _) => check_any(v, path, code, out),
        (Ty::Nullable(_), Value::Null) => {}
        (Ty::Nullable(inner), _) => check_value(inner, v, path, code, out),
        (Ty::Either(a, b), _) => {
            let mut first = Issues::default();
            check_value(a, v, path, code, &mut first);
            if first.is_empty() {
                return;
            }
            let mut second = Issues::default();
            check_value(b, v, path, code, &mut second);
            if !second.is_empty() {
                // Report against the shape the value looks more like: not the one whose only
                // complaint is the value's type, else the one with fewer issues.
                let wrong_type = |i: &Issues| matches!(i.list.as_slice(), [only] if only.path == path && only.code == code.unwrap_or(code::INVALID_TYPE));
                let best = match (wrong_type(&first), wrong_type(&second)) {
                    (true, false) => second,
                    (false, true) => first,
                    _ if second.list.len() < first.list.len() => second,
                    _ => first,
                };
                out.extend(best);
            }
        }
        (Ty::Str { fmt, max, nonempty }, Value::Str(s) | Value::Date(s)) => check_str(*fmt, *max, *nonempty, s, path, code, out),
        (Ty::Str { .. }, _) => type_issue(out, path, c(code::INVALID_TYPE), "a string", v),
        (Ty::Enum(options), Value::Str(s) | Value::Date(s)) => {
            if !options.contains(&s.as_str()) {
                out.push(path, c(code::INVALID_ENUM), &["must be ", &one_of(options.iter().copied())].concat());
            }
        }
        (Ty::Enum(options), _) => type_issue(out, path, c(code::INVALID_TYPE), &one_of(options.iter().copied()), v),
        (Ty::Int { min, max }, Value::Num(n, _)) => check_int(*n, *min, *max, path, code, out),
        (Ty::Int { .. }, _) => type_issue(out, path, c(code::INVALID_TYPE), "an integer", v),
        (Ty::IntEnum(options), Value::Num(n, _)) => {
            if !options.iter().any(|o| f64::from(*o) == *n) {
                out.push(path, c(code::INVALID_ENUM), &["must be ", &one_of_ints(options.iter().copied())].concat());
            }
        }
        (Ty::IntEnum(options), _) => type_issue(out, path, c(code::INVALID_TYPE), &one_of_ints(options.iter().copied()), v),
        (Ty::Num { nonneg }, Value::Num(n, _)) => {
            if *nonneg && *n < 0.0 {
                out.push(path, c(code::OUT_OF_RANGE), "must be at least 0");
            }
        }
        (Ty::Num { .. }, _) => type_issue(out, path, c(code::INVALID_TYPE), "a number", v),
        (Ty::Bool, Value::Bool(_)) => {}
        (Ty::Bool, _) => type_issue(out, path, c(code::INVALID_TYPE), "true or false", v),
        (Ty::Id, Value::Str(s) | Value::Date(s)) => {
            if s.trim().is_empty() {
                out.push(path, c(code::REQUIRED), "must not be empty");
            }
        }
        (Ty::Id, Value::Num(n, _)) => {
            if !is_integer(*n) || *n < 0.0 {
                out.push(path, c(code::NOT_INTEGER), "must be a non-negative integer or a string id");
            }
        }
        (Ty::Id, _) => type_issue(out, path, c(code::INVALID_TYPE), "an id (string or integer)", v),
        (Ty::Obj(o), Value::Obj(entries)) => check_obj(o, entries, path, out),
        (Ty::Obj(_), _) => type_issue(out, path, c(code::INVALID_TYPE), "an object", v),
        (Ty::Map(inner), Value::Obj(entries)) => {
            for (k, item) in entries {
                check_value(inner, item, &join(path, k), code, out);
            }
        }
        (Ty::Map(_), _) => type_issue(out, path, c(code::INVALID_TYPE), "an object", v),
        (Ty::Arr { item, max, nonempty }, Value::Arr(items)) => {
            let (max, nonempty) = (*max, *nonempty);
            if nonempty && items.is_empty() {
                out.push(path, c(code::REQUIRED), "must not be empty");
            }
            if max > 0 && items.len() > max as usize {
                let mut t = String::from("must have at most ");
                push_uint(&mut t, u64::from(max));
                t.push_str(" items (got ");
                push_uint(&mut t, items.len() as u64);
                t.push(')');
                out.push(path, c(code::TOO_MANY), &t);
                // Too many to send whatever they hold: their own issues would only bury this one.
                return;
            }
            for (i, x) in items.iter().enumerate() {
                check_value(item, x, &index(path, i), code, out);
            }
        }
        (Ty::Arr { .. }, _) => type_issue(out, path, c(code::INVALID_TYPE), "an array", v),
        (Ty::OneOrMany(inner), Value::Arr(items)) => {
            if items.is_empty() {
                out.push(path, c(code::REQUIRED), "must not be an empty array");
            }
            for (i, x) in items.iter().enumerate() {
                check_value(inner, x, &index(path, i), code, out);
            }
        }
        (Ty::OneOrMany(inner), _) => check_value(inner, v, path, code, out),
    }
}

/// What no field accepts, whatever its shape (even an opaque one), with its own code.
fn refused(odd: Odd) -> Option<(&'static str, &'static str)> {
    match odd {
        Odd::Unreadable => Some((code::UNREADABLE_VALUE, "could not be read (a getter or proxy threw)")),
        Odd::LoneSurrogate => Some((code::INVALID_TEXT, "contains a lone surrogate (half of a UTF-16 pair), which has no UTF-8 form and can't be sent")),
        Odd::TooDeep => Some((code::TOO_DEEP, "is nested more than 64 levels deep (or refers to itself)")),
        Odd::TooLong => Some((code::TOO_MANY, "has more than 1000000 items, more than the SDK reads")),
        _ => None,
    }
}

/// Any JSON value: only what JSON can't carry (a function, `NaN` …) is an issue.
fn check_any(v: &Value, path: &str, code: Option<&'static str>, out: &mut Issues) {
    match v {
        Value::Other(odd) => match refused(*odd) {
            Some((own, text)) => out.push(path, own, text),
            None => type_issue(out, path, code.unwrap_or(code::INVALID_TYPE), "a JSON value", v),
        },
        Value::Arr(items) => {
            for (i, item) in items.iter().enumerate() {
                check_any(item, &index(path, i), code, out);
            }
        }
        Value::Obj(entries) => {
            for (k, item) in entries {
                check_any(item, &join(path, k), code, out);
            }
        }
        _ => {}
    }
}

fn check_obj(o: &Object, entries: &[(String, Value)], path: &str, out: &mut Issues) {
    for f in o.all() {
        let fpath = join(path, f.name);
        let nullable = matches!(f.ty, Ty::Nullable(_));
        match entries.iter().find(|(k, _)| k == f.name).map(|(_, v)| v) {
            None => {
                if f.flags & REQ != 0 {
                    out.push(&fpath, f.code.unwrap_or(code::REQUIRED), "is required");
                }
            }
            Some(Value::Null) if f.flags & REQ != 0 && !nullable => {
                out.push(&fpath, f.code.unwrap_or(code::REQUIRED), "is required (got null)");
            }
            Some(Value::Null) if !nullable && !matches!(f.ty, Ty::Any) => {
                type_issue(out, &fpath, f.code.unwrap_or(code::INVALID_TYPE), expected_of(f.ty), &Value::Null)
            }
            Some(v) => check_value(f.ty, v, &fpath, f.code, out),
        }
    }
    for (k, v) in entries {
        if o.field(k).is_some() {
            continue;
        }
        if o.open {
            check_any(v, &join(path, k), None, out);
        } else {
            out.push(&join(path, k), code::UNKNOWN_FIELD, "is not a known field");
        }
    }
}

/// Whether a finite `n` has no fractional part (`f64::fract` needs std).
fn is_integer(n: f64) -> bool {
    // Every double of magnitude 2^52 or more is an integer; below that the cast is exact.
    const BIG: f64 = 4_503_599_627_370_496.0;
    !(-BIG < n && n < BIG) || n == (n as i64) as f64
}

fn check_int(n: f64, min: i32, max: i32, path: &str, code: Option<&'static str>, out: &mut Issues) {
    if !is_integer(n) {
        out.push(path, code.unwrap_or(code::NOT_INTEGER), "must be an integer");
        return;
    }
    if n < f64::from(min) || (max != i32::MAX && n > f64::from(max)) {
        let mut t = String::new();
        if max == i32::MAX {
            t.push_str("must be at least ");
            push_int(&mut t, min.into());
        } else {
            t.push_str("must be between ");
            push_int(&mut t, min.into());
            t.push_str(" and ");
            push_int(&mut t, max.into());
        }
        out.push(path, code.unwrap_or(code::OUT_OF_RANGE), &t);
    }
}

fn check_str(fmt: Fmt, max: u32, nonempty: bool, s: &str, path: &str, code: Option<&'static str>, out: &mut Issues) {
    let c = |own: &'static str| code.unwrap_or(own);
    if nonempty && s.trim().is_empty() {
        out.push(path, c(code::REQUIRED), "must not be empty");
        return;
    }
    if max > 0 {
        // Length in UTF-16 code units, as JavaScript and the API count it.
        let len: usize = s.chars().map(char::len_utf16).sum();
        if len > max as usize {
            let mut t = String::from("must be at most ");
            push_uint(&mut t, u64::from(max));
            t.push_str(" characters (got ");
            push_uint(&mut t, len as u64);
            t.push(')');
            out.push(path, c(code::TOO_LONG), &t);
        }
    }
    if s.is_empty() && !nonempty {
        return;
    }
    let problem: Option<(&'static str, &str)> = match fmt {
        Fmt::Any => None,
        Fmt::ObjectId => (!format::is_object_id(s)).then_some((code::INVALID_OBJECT_ID, "must be an id of 24 hexadecimal characters")),
        Fmt::Email => (!format::is_email(s)).then_some((code::INVALID_EMAIL, "must be a valid e-mail address")),
        Fmt::Wallet => (!format::is_wallet_address(s)).then_some((code::INVALID_WALLET_ADDRESS, "must be 0x followed by 40 hexadecimal characters")),
        Fmt::HttpsUrl | Fmt::Url => match format::check_url(s, fmt == Fmt::HttpsUrl) {
            Ok(()) => None,
            Err(UrlProblem::NotHttps) => Some((code::INVALID_URL, if fmt == Fmt::HttpsUrl { "must use https://" } else { "must use http:// or https://" })),
            Err(UrlProblem::NotUrl) => Some((code::INVALID_URL, "must be an absolute URL")),
            Err(UrlProblem::PathTraversal) => Some((code::INVALID_URL, "must not contain path traversal (. or .. segments, backslashes)")),
        },
        Fmt::Iso8601 => format::parse_iso8601(s).err().map(|m| (code::INVALID_DATE, m)),
        Fmt::DateDmy => (!format::is_date_dmy(s)).then_some((code::INVALID_DATE, "must be a date written dd.mm.yyyy")),
        Fmt::LocalDateTime => (!format::is_local_datetime(s)).then_some((code::INVALID_DATE, "must be a date-time written YYYY-MM-DD HH:MM:SS")),
        Fmt::NoQuotes => s.contains('"').then_some((code::INVALID_TEXT, "must not contain double quotes")),
        Fmt::Name => (s.is_empty() || s.len() > 64 || !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
            .then_some((code::INVALID_NAME, "must be 1–64 letters, digits or underscores")),
    };
    if let Some((own, text)) = problem {
        out.push(path, c(own), text);
    }
}

fn expected_of(ty: &Ty) -> &'static str {
    match ty {
        Ty::Str { .. } | Ty::Enum(_) => "a string",
        Ty::Int { .. } | Ty::IntEnum(_) => "an integer",
        Ty::Num { .. } => "a number",
        Ty::Bool => "true or false",
        Ty::Id => "an id (string or integer)",
        Ty::Obj(_) | Ty::Map(_) => "an object",
        Ty::Arr { .. } => "an array",
        _ => "a value",
    }
}

fn type_issue(out: &mut Issues, path: &str, code: &'static str, expected: &str, got: &Value) {
    let mut t = String::from("must be ");
    t.push_str(expected);
    t.push_str(" (got ");
    t.push_str(got.type_name());
    t.push(')');
    out.push(path, code, &t);
}

/// `one of a, b, c`.
fn one_of(options: impl Iterator<Item = &'static str>) -> String {
    let mut t = String::from("one of ");
    for (i, o) in options.enumerate() {
        if i > 0 {
            t.push_str(", ");
        }
        t.push_str(o);
    }
    t
}

fn one_of_ints(options: impl Iterator<Item = i32>) -> String {
    let mut t = String::from("one of ");
    for (i, o) in options.enumerate() {
        if i > 0 {
            t.push_str(", ");
        }
        push_int(&mut t, o.into());
    }
    t
}

#[cfg(test)]
mod tests {
    use super::is_integer;

    #[test]
    fn integers_without_std_float_methods() {
        for n in [0.0, -0.0, 1.0, -7.0, 4_503_599_627_370_495.0, 1e300, -1e300, 9.007_199_254_740_993e15] {
            assert!(is_integer(n), "{n}");
        }
        for n in [0.5, -1.5, 4_503_599_627_370_495.5, 1e-300, 2.000_000_1] {
            assert!(!is_integer(n), "{n}");
        }
    }
}
