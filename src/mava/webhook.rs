//! Mava's outgoing webhooks (api-reference A.10, /work/shared/mava-webhooks.md): what a delivery
//! must look like, how the signing key is read, and how the payload's bytes are found. The
//! WebCrypto calls that use these decisions are in `wasm::webhook`.
//!
//! A delivery is the JSON body `{ signature, payload, key, webhookId }`, where `key` is
//! `<iv>:<base64 of the AES key, RSA-OAEP encrypted>`. Verification follows the documents
//! (W3 §1): unwrap the AES key with the signing key (RSA-OAEP, SHA-1), then check `signature`,
//! a hex HMAC-SHA256 of the `payload` text keyed with the AES key's **base64 text**.
//! Decryption is inferred (§4; the documents don't show it): AES-CBC with PKCS#7 padding, the
//! AES size given by the unwrapped key, the IV as 32 hex digits or base64 of 16 bytes, the
//! payload as hex or base64 ([`aes_input`] is the one place that decides).

use crate::core::codec::{base64_decode, base64_encode, hex_decode, is_hex};
use crate::core::issue::{code, Issues};
use crate::core::schema::*;
use crate::core::value::Value;

/// The four documented fields, each a non-empty string; other fields are let through (Mava may
/// add some).
pub const DELIVERY: Ty = Ty::Obj(&Object {
    fields: &[
        Field::new("signature", &TEXT, REQ),
        Field::new("payload", &TEXT, REQ),
        Field::new("key", &TEXT, REQ),
        Field::new("webhookId", &TEXT, REQ),
    ],
    more: &[],
    open: true,
});

const DELIVERY_SHAPE: Shape = &DELIVERY;

/// The literal prefix of a signing key as the Mava dashboard shows it.
pub const SIGNING_KEY_PREFIX: &str = "mava_wh_";

/// A delivery whose fields have the documented shape.
#[derive(Debug, PartialEq, Eq)]
pub struct Delivery {
    pub signature: String,
    pub payload: String,
    pub key: String,
    pub webhook_id: String,
}

impl Delivery {
    /// The IV text: what `key` holds before its first `:`.
    pub fn iv(&self) -> &str {
        self.key.split_once(':').map_or("", |(iv, _)| iv)
    }

    /// The RSA-encrypted AES key's base64 text: what `key` holds after its first `:`.
    pub fn wrapped_key(&self) -> &str {
        self.key.split_once(':').map_or("", |(_, wrapped)| wrapped)
    }
}

/// The delivery in `body`, or every issue it has (paths name the fields).
pub fn check_delivery(body: &Value) -> Result<Delivery, Issues> {
    let mut issues = check(DELIVERY_SHAPE, body, "");
    let text = |name: &str| body.get(name).and_then(Value::as_str).unwrap_or_default();
    let key = text("key");
    // A `key` that is a non-empty string must also hold the colon between its two parts.
    if matches!(body.get("key"), Some(Value::Str(_))) && issues.list.iter().all(|i| i.path != "key") {
        let parts = key.split_once(':');
        if parts.is_none_or(|(iv, wrapped)| iv.trim().is_empty() || wrapped.trim().is_empty()) {
            issues.push("key", code::INVALID_FORMAT, "must be <iv>:<encrypted key> (the IV, a colon, then the RSA-encrypted AES key in base64)");
        }
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    Ok(Delivery { signature: text("signature").into(), payload: text("payload").into(), key: key.into(), webhook_id: text("webhookId").into() })
}

/// Why a signing key can't be used. No variant holds any of the key's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyProblem {
    /// Not a string (or absent).
    Missing,
    /// Does not start with `mava_wh_`.
    Prefix,
    /// What follows the prefix is not base64, or is empty.
    Encoding,
    /// WebCrypto refused it as a PKCS#8 RSA private key.
    Rejected,
}

/// The PKCS#8 DER bytes of a signing key: whitespace around it is ignored, the literal prefix
/// `mava_wh_` stripped (not `split('_')[2]` as the documents do, which would cut a base64url
/// key short), and the rest decoded leniently (`codec::base64_decode`).
pub fn signing_key_der(signing_key: Option<&str>) -> Result<Vec<u8>, KeyProblem> {
    let key = signing_key.ok_or(KeyProblem::Missing)?.trim();
    let encoded = after_prefix(key).ok_or(KeyProblem::Prefix)?;
    match base64_decode(encoded) {
        Some(der) if !der.is_empty() => Ok(der),
        _ => Err(KeyProblem::Encoding),
    }
}

/// The text of a signing key that must never be shown (for masking what a caller's code
/// throws): the part after the prefix, which every form of the key contains.
pub fn signing_key_secret(signing_key: &str) -> &str {
    let key = signing_key.trim();
    after_prefix(key).unwrap_or(key)
}

/// What follows `mava_wh_`, if `key` starts with it (a byte compare: str's pattern search
/// would add its searcher to the module).
fn after_prefix(key: &str) -> Option<&str> {
    let prefix = SIGNING_KEY_PREFIX.as_bytes();
    (key.as_bytes().get(..prefix.len()) == Some(prefix)).then(|| key.get(prefix.len()..)).flatten()
}

impl KeyProblem {
    pub fn message(self) -> &'static str {
        match self {
            KeyProblem::Missing => "The Mava webhook signing key is missing or not a string: pass the mava_wh_… key from the Mava dashboard",
            KeyProblem::Prefix => "The Mava webhook signing key must start with mava_wh_ (copy the whole key from the Mava dashboard)",
            KeyProblem::Encoding => "The Mava webhook signing key is not mava_wh_ followed by base64 text",
            KeyProblem::Rejected => "The Mava webhook signing key is not mava_wh_ followed by a base64 PKCS#8 RSA private key",
        }
    }
}

/// The 32 bytes of a hex HMAC-SHA256 signature (either case); `None` for anything else, which
/// can't match.
pub fn signature_bytes(signature: &str) -> Option<Vec<u8>> {
    hex_decode(signature).filter(|b| b.len() == 32)
}

/// The HMAC key: the base64 text of the AES key (W3 §1: `createHmac('sha256',
/// key.toString('base64'))`), not its bytes.
pub fn hmac_key(symmetric_key: &[u8]) -> Vec<u8> {
    base64_encode(symmetric_key).into_bytes()
}

/// What AES-CBC decryption needs: the IV and the ciphertext.
#[derive(Debug, PartialEq, Eq)]
pub struct AesInput {
    pub iv: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

/// Why an authentic delivery's payload could not be read as an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// The unwrapped key is not 16, 24 or 32 bytes (AES-128/192/256).
    KeySize,
    Iv,
    Payload,
    /// AES-CBC decryption failed: the padding does not check out (another mode, key or IV).
    Cipher,
    Utf8,
    Json,
    /// JSON, but not an object with a string `type` and an object `document`.
    Event,
}

impl Unreadable {
    pub fn reason(self) -> &'static str {
        match self {
            Unreadable::KeySize => "the unwrapped AES key is not 16, 24 or 32 bytes long",
            Unreadable::Iv => "the IV (before the colon in key) is neither 32 hex digits nor base64 of 16 bytes",
            Unreadable::Payload => "the payload is neither hex nor base64 of whole 16-byte AES blocks",
            Unreadable::Cipher => "AES-CBC decryption failed (its PKCS#7 padding does not check out)",
            Unreadable::Utf8 => "the decrypted payload is not UTF-8 text",
            Unreadable::Json => "the decrypted payload is not JSON",
            Unreadable::Event => "the decrypted payload is not a JSON object with a string type and an object document",
        }
    }

    /// The `DECRYPT_FAILED` message: the payload format could not be read, and why.
    pub fn message(self) -> String {
        let mut m = String::from("The Mava webhook payload format could not be read: ");
        m.push_str(self.reason());
        m.push_str(". The delivery is authentic (its signature matches); the decryption follows an inference (AES-CBC, see the README), which this payload does not fit");
        m
    }
}

/// The AES key sizes a key may have (bytes).
const AES_KEY_SIZES: [usize; 3] = [16, 24, 32];
const BLOCK: usize = 16;

/// Where the payload's bytes come from, decided from the texts alone (inferred, §4):
/// - the AES size is the unwrapped key's length;
/// - the IV is 32 hex digits, or else base64 that decodes to 16 bytes;
/// - the payload is hex when it is only hex digits and a whole number of blocks long (32 digits
///   each), or else base64. Base64 of random ciphertext is practically never all hex digits, so
///   the two can't be confused;
/// - the ciphertext is a whole, non-zero number of blocks (CBC with PKCS#7 always is).
pub fn aes_input(key_len: usize, iv: &str, payload: &str) -> Result<AesInput, Unreadable> {
    if !AES_KEY_SIZES.contains(&key_len) {
        return Err(Unreadable::KeySize);
    }
    let iv = if iv.len() == 2 * BLOCK && is_hex(iv) { hex_decode(iv) } else { base64_decode(iv) };
    let iv = iv.filter(|iv| iv.len() == BLOCK).ok_or(Unreadable::Iv)?;
    let ciphertext = if is_hex(payload) && payload.len() % (2 * BLOCK) == 0 { hex_decode(payload) } else { base64_decode(payload) };
    let ciphertext = ciphertext.filter(|c| !c.is_empty() && c.len() % BLOCK == 0).ok_or(Unreadable::Payload)?;
    Ok(AesInput { iv, ciphertext })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::codec::{base64_encode, hex_encode};

    fn delivery(json: &str) -> Result<Delivery, Vec<(String, &'static str)>> {
        let v: Value = serde_json::from_str(json).expect("test JSON");
        check_delivery(&v).map_err(|i| i.list.into_iter().map(|i| (i.path, i.code)).collect())
    }

    #[test]
    fn a_delivery_has_four_non_empty_strings_and_a_key_with_a_colon() {
        let d = delivery(r#"{"signature":"ab","payload":"cd","key":"00:ef:gh","webhookId":"w1","extra":1}"#).unwrap();
        assert_eq!((d.iv(), d.wrapped_key(), d.webhook_id.as_str()), ("00", "ef:gh", "w1"));
        assert_eq!(delivery(r#"{"payload":"cd","key":"a:b","webhookId":" "}"#).unwrap_err(), [
            ("signature".into(), code::REQUIRED),
            ("webhookId".into(), code::REQUIRED),
        ]);
        assert_eq!(delivery(r#"{"signature":1,"payload":null,"key":"ab","webhookId":"w"}"#).unwrap_err(), [
            ("signature".into(), code::INVALID_TYPE),
            ("payload".into(), code::REQUIRED),
            ("key".into(), code::INVALID_FORMAT),
        ]);
        for key in [":b", "a:", " :b", "a: "] {
            let json = format!(r#"{{"signature":"s","payload":"p","key":"{key}","webhookId":"w"}}"#);
            assert_eq!(delivery(&json).unwrap_err(), [("key".into(), code::INVALID_FORMAT)], "{key}");
        }
        assert_eq!(delivery("[]").unwrap_err(), [("".into(), code::INVALID_TYPE)]);
    }

    #[test]
    fn signing_keys() {
        let der = [0x30u8, 0x82, 1, 2, 3];
        let text = format!("mava_wh_{}", base64_encode(&der));
        assert_eq!(signing_key_der(Some(&text)).unwrap(), der);
        assert_eq!(signing_key_der(Some(&format!("  {text}\n"))).unwrap(), der, "whitespace around it");
        // A base64url key keeps its `_` and `-` (split('_')[2] would cut it at the `_`).
        assert_eq!(signing_key_der(Some("mava_wh_-_8")).unwrap(), [0xfb, 0xff]);
        assert_eq!(signing_key_der(None), Err(KeyProblem::Missing));
        assert_eq!(signing_key_der(Some("MAVA_WH_MIIB")), Err(KeyProblem::Prefix));
        assert_eq!(signing_key_der(Some("mava_wh_")), Err(KeyProblem::Encoding));
        assert_eq!(signing_key_der(Some("mava_wh_MII!")), Err(KeyProblem::Encoding));
        assert_eq!(signing_key_secret(" mava_wh_abc "), "abc");
        assert_eq!(signing_key_secret("abc"), "abc");
    }

    #[test]
    fn signatures_are_32_bytes_of_hex() {
        let sig = "a".repeat(64);
        assert_eq!(signature_bytes(&sig).map(|b| b.len()), Some(32));
        assert_eq!(signature_bytes(&sig.to_uppercase()).map(|b| hex_encode(&b)), Some(sig.clone()));
        assert_eq!(signature_bytes(&sig[1..]), None);
        assert_eq!(signature_bytes(&"a".repeat(66)), None);
        assert_eq!(signature_bytes(&format!("{}z", &sig[1..])), None);
        assert_eq!(signature_bytes("mava_wh_3h32i2dkd2d90d2jdk2jd2k29hds"), None, "the documents' sample value");
    }

    #[test]
    fn the_hmac_key_is_base64_text() {
        assert_eq!(hmac_key(&[0xfb, 0xff, 0xbf, 0]), b"+/+/AA==");
    }

    #[test]
    fn aes_inputs_in_every_inferred_encoding() {
        let iv = [7u8; 16];
        let ct: Vec<u8> = (0..48).collect();
        let want = Ok(AesInput { iv: iv.to_vec(), ciphertext: ct.clone() });
        for key_len in AES_KEY_SIZES {
            for iv_text in [hex_encode(&iv), hex_encode(&iv).to_uppercase(), base64_encode(&iv)] {
                for payload in [base64_encode(&ct), hex_encode(&ct)] {
                    assert_eq!(aes_input(key_len, &iv_text, &payload), want, "{key_len} {iv_text} {payload}");
                }
            }
        }
        let (iv_hex, ct64) = (hex_encode(&iv), base64_encode(&ct));
        assert_eq!(aes_input(31, &iv_hex, &ct64), Err(Unreadable::KeySize));
        assert_eq!(aes_input(32, &iv_hex[2..], &ct64), Err(Unreadable::Iv));
        assert_eq!(aes_input(32, "not an iv", &ct64), Err(Unreadable::Iv));
        assert_eq!(aes_input(32, &iv_hex, &base64_encode(&ct[..47])), Err(Unreadable::Payload));
        assert_eq!(aes_input(32, &iv_hex, ""), Err(Unreadable::Payload));
        assert_eq!(aes_input(32, &iv_hex, "encrypted_payload"), Err(Unreadable::Payload), "the documents' sample");
        // 64 hex digits are two blocks as hex (as base64 they would be 48 bytes, three blocks).
        assert_eq!(aes_input(16, &iv_hex, &hex_encode(&ct[..32])).map(|a| a.ciphertext.len()), Ok(32));
    }

    #[test]
    fn no_message_shows_a_key() {
        for p in [KeyProblem::Missing, KeyProblem::Prefix, KeyProblem::Encoding, KeyProblem::Rejected] {
            assert!(p.message().starts_with("The Mava webhook signing key"));
        }
        let all = [Unreadable::KeySize, Unreadable::Iv, Unreadable::Payload, Unreadable::Cipher, Unreadable::Utf8, Unreadable::Json, Unreadable::Event];
        for u in all {
            assert!(u.message().starts_with("The Mava webhook payload format could not be read: "));
        }
    }
}
