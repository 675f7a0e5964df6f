//! Keeping the API key out of everything the SDK shows: messages, error fields (at any depth),
//! URLs.

use super::request::percent_encode;

pub const MASK: &str = "***";

/// Masks one secret in every form it can take in a request or an echo of it: as given, and
/// percent-encoded (either hex case) as it appears in a Mavibot URL.
pub struct Redactor {
    forms: Vec<String>,
}

impl Redactor {
    pub fn new(secret: &str) -> Redactor {
        let mut forms = Vec::new();
        if !secret.is_empty() {
            let mut encoded = String::new();
            percent_encode(&mut encoded, secret);
            let lower = encoded.to_ascii_lowercase();
            forms.push(secret.to_owned());
            for form in [encoded, lower] {
                if !forms.contains(&form) {
                    forms.push(form);
                }
            }
        }
        Redactor { forms }
    }

    /// Whether `text` shows the secret in any form.
    pub fn finds(&self, text: &str) -> bool {
        self.forms.iter().any(|f| text.contains(f.as_str()))
    }

    /// `text` with every form of the secret replaced by `***`.
    pub fn apply(&self, text: String) -> String {
        if !self.finds(&text) {
            return text;
        }
        self.forms.iter().fold(text, |t, form| t.replace(form.as_str(), MASK))
    }
}

/// `text` with every occurrence of `secret`, raw or percent-encoded (either hex case),
/// replaced by `***`.
pub fn redact(text: &str, secret: &str) -> String {
    Redactor::new(secret).apply(text.into())
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
        assert!(Redactor::new("k/y").finds("x k%2fy"));
        assert!(!Redactor::new("k/y").finds("x k y"));
    }
}
