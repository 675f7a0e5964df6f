//! Keeping the API key out of everything the SDK shows: messages, error fields, URLs.

use super::request::percent_encode;

pub const MASK: &str = "***";

/// `text` with every occurrence of `secret`, raw or percent-encoded, replaced by `***`.
pub fn redact(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        return text.into();
    }
    let mut encoded = String::new();
    percent_encode(&mut encoded, secret);
    let mut out = text.replace(secret, MASK);
    if encoded != secret {
        out = out.replace(&encoded, MASK);
        // Hex digits in escapes may have been written in lower case by another encoder.
        let lower = encoded.to_ascii_lowercase();
        if lower != encoded {
            out = out.replace(&lower, MASK);
        }
    }
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
