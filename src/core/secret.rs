//! Keeping the API key out of everything the SDK shows: messages, error fields, URLs.

use crate::prelude::*;

use super::format::find;
use super::request::percent_encode;

pub const MASK: &str = "***";

/// `text` with every occurrence of `secret`, raw or percent-encoded (either hex case),
/// replaced by `***`.
pub fn redact(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        return text.into();
    }
    let mut encoded = String::new();
    percent_encode(&mut encoded, secret);
    let lower = encoded.to_ascii_lowercase();
    let mut out = replace_all(text, secret);
    for form in [encoded, lower] {
        if form != secret {
            out = replace_all(&out, &form);
        }
    }
    out
}

fn replace_all(text: &str, needle: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = find(rest, needle) {
        out.push_str(rest.get(..i).unwrap_or_default());
        out.push_str(MASK);
        rest = rest.get(i + needle.len()..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_raw_and_encoded_forms() {
        assert_eq!(redact("GET https://h/api/k%2Fy/x", "k/y"), "GET https://h/api/***/x");
        assert_eq!(redact("key=ab c and ab%20c and ab%20c", "ab c"), "key=*** and *** and ***");
        assert_eq!(redact("k/y k%2fy", "k/y"), "*** ***");
        assert_eq!(redact("nothing", ""), "nothing");
    }
}
