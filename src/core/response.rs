//! Reading a response: which error class a status means and which stable code it carries.


/// What a successful call's body must be (what its TypeScript result type promises); a body
/// that isn't is `INVALID_RESPONSE`, never handed over as the typed result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A JSON object, whose listed keys hold arrays.
    Object(&'static [&'static str]),
    /// A JSON array.
    Array,
    /// Any JSON value.
    Any,
}

impl Answer {
    /// What the body should have been, for the error message.
    pub fn describe(self) -> String {
        match self {
            Answer::Object([]) => "the body is not a JSON object".into(),
            Answer::Object(keys) => format!("the body is not a JSON object with an array in `{}`", keys.join("`, `")),
            Answer::Array => "the body is not a JSON array".into(),
            Answer::Any => "the body is not JSON".into(),
        }
    }
}

/// The error class a non-2xx response becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Api,
    Authentication,
    RateLimit,
}

pub fn kind_of(status: u16) -> ErrorKind {
    match status {
        401 => ErrorKind::Authentication,
        429 => ErrorKind::RateLimit,
        _ => ErrorKind::Api,
    }
}

/// Error texts the Mava docs show in place of a code, and the stable code the SDK gives them.
pub const KNOWN_TEXTS: &[(&str, &str)] = &[
    ("Unauthorized", "UNAUTHORIZED"),
    ("Internal server error", "INTERNAL_ERROR"),
    ("Ticket not found", "TICKET_NOT_FOUND"),
    ("Category not found", "CATEGORY_NOT_FOUND"),
    ("Assignee not found", "ASSIGNEE_NOT_FOUND"),
    ("Invalid status or priority", "INVALID_STATUS_OR_PRIORITY"),
    ("Content or attachments are required", "CONTENT_REQUIRED"),
    ("Too many requests", "RATE_LIMITED"),
];

/// The code of an error response: the body's `error` when it is already a code
/// (`INVALID_LIMIT`), the documented text's code (`Ticket not found` → `TICKET_NOT_FOUND`),
/// else `UNAUTHORIZED` for 401, `RATE_LIMITED` for 429 and `HTTP_<status>` for the rest.
pub fn error_code(status: u16, error_field: Option<&str>) -> String {
    if let Some(e) = error_field {
        if is_code(e) {
            return e.into();
        }
        if let Some((_, c)) = KNOWN_TEXTS.iter().find(|(t, _)| t.eq_ignore_ascii_case(e.trim())) {
            return (*c).into();
        }
    }
    // The same code for the same class whatever the API's body says (Mavibot sends none).
    match kind_of(status) {
        ErrorKind::Authentication => "UNAUTHORIZED".into(),
        ErrorKind::RateLimit => "RATE_LIMITED".into(),
        ErrorKind::Api => {
            let mut c = String::from("HTTP_");
            super::issue::push_uint(&mut c, u64::from(status));
            c
        }
    }
}

/// `UPPER_SNAKE` of 2–64 characters.
pub fn is_code(s: &str) -> bool {
    (2..=64).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && s.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
}

/// The message of an `ApiError`: `<METHOD> <path> failed with <status> <code>: <detail>`.
/// `path` must already be free of secrets.
pub fn error_message(method: &str, path: &str, status: u16, code: &str, detail: Option<&str>) -> String {
    let mut m = String::from(method);
    m.push(' ');
    m.push_str(path);
    m.push_str(" failed with ");
    super::issue::push_uint(&mut m, u64::from(status));
    m.push(' ');
    m.push_str(code);
    if let Some(d) = detail.map(str::trim).filter(|d| !d.is_empty() && *d != code) {
        m.push_str(": ");
        // Bodies can be whole HTML pages: keep the message short, and on one line — a server's
        // line breaks or terminal escapes must not forge log lines or recolour a terminal.
        let mut chars = d.chars();
        let mut blank = false;
        for c in chars.by_ref().take(200) {
            let c = if c.is_control() { ' ' } else { c };
            if !(c == ' ' && blank) {
                m.push(c);
            }
            blank = c == ' ';
        }
        if chars.next().is_some() {
            m.push('…');
        }
    }
    m
}
