//! Byte encodings in text: base64 and hexadecimal, for the Mava webhook's keys, IV, signature
//! and payload. Decoding never panics and returns `None` for text it can't read.
//!
//! Base64 is decoded the way Node's `Buffer.from(text, "base64")` reads it, which is what the
//! documented receiver uses (mava-webhooks.md §2, §6): the standard and the URL-safe alphabets
//! (both in one text, too), ASCII whitespace skipped, everything from the first `=` ignored, and
//! a last lone character (6 bits, not a byte) dropped. Unlike Node, any other character makes
//! the text unreadable instead of being skipped silently.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The 6-bit value of a base64 character of either alphabet.
fn sextet(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// The bytes of base64 `text`, read leniently (module docs); `None` if a character is neither
/// base64, whitespace nor the padding that ends it.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let mut bits: u32 = 0;
    let mut count = 0u8;
    for b in text.bytes() {
        if b == b'=' {
            break;
        }
        if b.is_ascii_whitespace() {
            continue;
        }
        bits = (bits << 6) | u32::from(sextet(b)?);
        count += 1;
        if count == 4 {
            out.extend_from_slice(&[(bits >> 16) as u8, (bits >> 8) as u8, bits as u8]);
            bits = 0;
            count = 0;
        }
    }
    // Two characters carry one byte, three carry two; one alone carries none.
    match count {
        2 => out.push((bits >> 4) as u8),
        3 => out.extend_from_slice(&[(bits >> 10) as u8, (bits >> 2) as u8]),
        _ => {}
    }
    Some(out)
}

/// Standard base64 with `=` padding, as Node's `buffer.toString("base64")` writes it.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    let char_at = |n: u32| char::from(ALPHABET[(n & 63) as usize]);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| chunk.get(i).map_or(0, |&x| u32::from(x));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(char_at(n >> 18));
        out.push(char_at(n >> 12));
        out.push(if chunk.len() > 1 { char_at(n >> 6) } else { '=' });
        out.push(if chunk.len() > 2 { char_at(n) } else { '=' });
    }
    out
}

fn nibble(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Whether `text` is only hexadecimal digits (either case), and not empty.
pub fn is_hex(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The bytes of hexadecimal `text` (either case); `None` unless every character is a hex digit
/// and there is an even number of them.
pub fn hex_decode(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if digits.len() % 2 != 0 {
        return None;
    }
    digits.chunks(2).map(|pair| match pair {
        [hi, lo] => Some((nibble(*hi)? << 4) | nibble(*lo)?),
        _ => None,
    }).collect()
}

/// Lowercase hexadecimal.
pub fn hex_encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_and_matches_node() {
        // Values from Node: Buffer.from(x).toString("base64").
        for (bytes, text) in [(&b""[..], ""), (b"f", "Zg=="), (b"fo", "Zm8="), (b"foo", "Zm9v"), (b"\xfb\xff\xbf", "+/+/")] {
            assert_eq!(base64_encode(bytes), text);
            assert_eq!(base64_decode(text).as_deref(), Some(bytes));
        }
    }

    #[test]
    fn base64_is_read_as_node_reads_it() {
        // The URL-safe alphabet, whitespace, and text after `=` (Buffer.from(x, "base64")).
        assert_eq!(base64_decode("-_-_").as_deref(), Some(&b"\xfb\xff\xbf"[..]));
        assert_eq!(base64_decode("+_-/").as_deref(), Some(&b"\xfb\xff\xbf"[..]));
        assert_eq!(base64_decode(" Zm9v\nYmFy\t").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(base64_decode("Zg==Zm9v").as_deref(), Some(&b"f"[..]));
        assert_eq!(base64_decode("Zm9vY").as_deref(), Some(&b"foo"[..]), "a lone last character carries no byte");
        assert_eq!(base64_decode("Zm9").as_deref(), Some(&b"fo"[..]), "padding is optional");
        assert_eq!(base64_decode("Zm9v!"), None);
        assert_eq!(base64_decode("Zé"), None);
    }

    #[test]
    fn hex() {
        assert_eq!(hex_decode("00ffA0").as_deref(), Some(&[0, 255, 160][..]));
        assert_eq!(hex_decode(""), Some(vec![]));
        assert_eq!(hex_decode("abc"), None);
        assert_eq!(hex_decode("zz"), None);
        assert_eq!(hex_encode(&[0, 255, 160]), "00ffa0");
        assert!(is_hex("0aF") && !is_hex("") && !is_hex("0g"));
    }
}
