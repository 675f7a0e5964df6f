//! Validation issues: `{ path, code, message }`, collected all at once.

/// One broken rule. `path` names the field (`customer.walletAddress`,
/// `message.attachments[2].url`, `""` for the whole input); `code` is stable UPPER_SNAKE.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Issue {
    pub path: String,
    pub code: &'static str,
    pub message: String,
}

/// The codes this SDK defines itself. Where the API documents its own code for a rule
/// (`INVALID_CUSTOMER_MODE`, `INVALID_LIMIT`, …) the call description uses that instead.
pub mod code {
    pub const REQUIRED: &str = "REQUIRED";
    pub const INVALID_TYPE: &str = "INVALID_TYPE";
    pub const INVALID_ENUM: &str = "INVALID_ENUM";
    pub const OUT_OF_RANGE: &str = "OUT_OF_RANGE";
    pub const NOT_INTEGER: &str = "NOT_INTEGER";
    pub const TOO_LONG: &str = "TOO_LONG";
    pub const TOO_MANY: &str = "TOO_MANY";
    pub const UNKNOWN_FIELD: &str = "UNKNOWN_FIELD";
    pub const INVALID_OBJECT_ID: &str = "INVALID_OBJECT_ID";
    pub const INVALID_EMAIL: &str = "INVALID_EMAIL";
    pub const INVALID_WALLET_ADDRESS: &str = "INVALID_WALLET_ADDRESS";
    pub const INVALID_URL: &str = "INVALID_URL";
    pub const INVALID_DATE: &str = "INVALID_DATE";
    pub const INVALID_NAME: &str = "INVALID_NAME";
    pub const INVALID_TEXT: &str = "INVALID_TEXT";
    pub const MISSING_CLIENT: &str = "MISSING_CLIENT";
    pub const RECIPIENT_REQUIRED: &str = "RECIPIENT_REQUIRED";
    pub const CONFLICTING_FIELDS: &str = "CONFLICTING_FIELDS";
    pub const CONTENT_REQUIRED: &str = "CONTENT_REQUIRED";
    /// Text that is not in the form its field takes (a Mava webhook delivery's `key` without
    /// its `<iv>:` part).
    pub const INVALID_FORMAT: &str = "INVALID_FORMAT";
    // Codes the Mava API documents itself.
    pub const INVALID_CUSTOMER_MODE: &str = "INVALID_CUSTOMER_MODE";
    pub const INVALID_ATTACHMENT_URL: &str = "INVALID_ATTACHMENT_URL";
    pub const MISSING_DATE_RANGE: &str = "MISSING_DATE_RANGE";
    pub const INVALID_DATE_RANGE: &str = "INVALID_DATE_RANGE";
    pub const INVALID_LIMIT: &str = "INVALID_LIMIT";
    pub const INVALID_SKIP: &str = "INVALID_SKIP";
    pub const UNSUPPORTED_SORT_FIELD: &str = "UNSUPPORTED_SORT_FIELD";
    pub const UNSUPPORTED_SORT_ORDER: &str = "UNSUPPORTED_SORT_ORDER";
    /// Text given where JSON was expected (a webhook body).
    pub const INVALID_JSON: &str = "INVALID_JSON";
    /// Reading the value threw (a getter, a proxy trap, a revoked proxy).
    pub const UNREADABLE_VALUE: &str = "UNREADABLE_VALUE";
    /// Nested deeper than `value::MAX_DEPTH` levels, or refers to itself.
    pub const TOO_DEEP: &str = "TOO_DEEP";
    /// The last issue of a capped list: how many more were found.
    pub const TOO_MANY_ISSUES: &str = "TOO_MANY_ISSUES";
}

/// The most issues reported for one value; past it they are only counted, and the list ends
/// with one `TOO_MANY_ISSUES` issue saying how many more there were.
pub const MAX_ISSUES: usize = 100;

/// Collects issues while a value is walked; `path` is the field being looked at.
#[derive(Default, Debug)]
pub struct Issues {
    /// The first [`MAX_ISSUES`] issues.
    pub list: Vec<Issue>,
    /// How many more there were.
    pub more: usize,
}

impl Issues {
    /// Records an issue; the message reads `<path> <text>`, or just `<text>` at the root.
    pub fn push(&mut self, path: &str, code: &'static str, text: &str) {
        // Past the cap, count without building a message.
        if self.list.len() >= MAX_ISSUES {
            self.more += 1;
            return;
        }
        let mut message = String::with_capacity(path.len() + text.len() + 1);
        if !path.is_empty() {
            message.push_str(path);
            message.push(' ');
        }
        message.push_str(text);
        self.keep(Issue { path: path.into(), code, message });
    }

    /// Lists `issue`, or only counts it past [`MAX_ISSUES`].
    fn keep(&mut self, issue: Issue) {
        if self.list.len() >= MAX_ISSUES {
            self.more += 1;
        } else {
            self.list.push(issue);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Adds another collection's issues (still capped).
    pub fn extend(&mut self, other: Issues) {
        for issue in other.list {
            self.keep(issue);
        }
        self.more += other.more;
    }

    /// The issues as reported: the list, and a last issue counting the ones left out.
    pub fn into_list(mut self) -> Vec<Issue> {
        if self.more > 0 {
            let mut message = String::from("and ");
            push_uint(&mut message, self.more as u64);
            message.push_str(" more issues (only the first 100 are listed)");
            self.list.push(Issue { path: String::new(), code: code::TOO_MANY_ISSUES, message });
        }
        self.list
    }
}

/// `parent.child`, or `child` at the root.
pub fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.into()
    } else {
        let mut p = String::with_capacity(parent.len() + child.len() + 1);
        p.push_str(parent);
        p.push('.');
        p.push_str(child);
        p
    }
}

/// `parent[i]`.
pub fn index(parent: &str, i: usize) -> String {
    let mut p = String::from(parent);
    p.push('[');
    push_uint(&mut p, i as u64);
    p.push(']');
    p
}

/// Appends a decimal integer without pulling in the formatting machinery.
pub fn push_uint(out: &mut String, n: u64) {
    if n >= 10 {
        push_uint(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

pub fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_uint(out, n.unsigned_abs());
}
