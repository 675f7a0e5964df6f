//! String formats the APIs document: ObjectIds, e-mail and wallet addresses, attachment URLs,
//! ISO 8601 instants and the Mavibot date forms. Dates become milliseconds since the Unix
//! epoch (UTC) so ranges can be compared without a clock.


/// A MongoDB ObjectId: exactly 24 hexadecimal digits.
pub fn is_object_id(s: &str) -> bool {
    s.len() == 24 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// An EVM address: `0x` followed by 40 hexadecimal digits.
pub fn is_wallet_address(s: &str) -> bool {
    s.len() == 42 && s.starts_with("0x") && s.bytes().skip(2).all(|b| b.is_ascii_hexdigit())
}

/// A pragmatic e-mail check: one `@`, a local part of 1–64 characters without spaces or
/// control characters, and a domain of dot-separated labels (letters, digits, hyphens, or
/// non-ASCII for internationalised names) with at least one dot; at most 254 characters.
pub fn is_email(s: &str) -> bool {
    if s.len() > 254 {
        return false;
    }
    let Some((local, domain)) = s.split_once('@') else { return false };
    if local.is_empty() || local.len() > 64 || domain.contains('@') {
        return false;
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return false;
    }
    if !local.chars().all(|c| !c.is_whitespace() && !c.is_control() && !matches!(c, '(' | ')' | '<' | '>' | ',' | ';' | ':' | '\\' | '"' | '[' | ']')) {
        return false;
    }
    let mut labels = 0;
    for label in domain.split('.') {
        labels += 1;
        if label.is_empty() || label.len() > 63 || label.starts_with('-') || label.ends_with('-') {
            return false;
        }
        if !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || (!c.is_ascii() && visible(c))) {
            return false;
        }
    }
    labels >= 2
}

/// Whether a non-ASCII character may stand in a domain name: not whitespace, not a control,
/// and not an invisible formatting character (zero-width, bidirectional overrides).
fn visible(c: char) -> bool {
    !c.is_whitespace() && !c.is_control() && !matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// Why a URL was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum UrlProblem {
    NotUrl,
    NotHttps,
    PathTraversal,
}

/// Checks an absolute `http(s)` URL: a scheme, a host, no whitespace or control characters,
/// and no path traversal (a `.` or `..` segment, also percent-encoded, or a backslash anywhere:
/// URL parsers read it as `/`).
pub fn check_url(s: &str, https_only: bool) -> Result<(), UrlProblem> {
    let after = |scheme: &str| s.get(..scheme.len()).filter(|p| p.eq_ignore_ascii_case(scheme)).and_then(|_| s.get(scheme.len()..));
    let rest = match (after("https://"), after("http://")) {
        (Some(rest), _) => rest,
        (None, Some(rest)) if !https_only => rest,
        _ if s.contains("://") => return Err(UrlProblem::NotHttps),
        _ => return Err(UrlProblem::NotUrl),
    };
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(UrlProblem::NotUrl);
    }
    if s.contains('\\') {
        return Err(UrlProblem::PathTraversal);
    }
    let end_of_host = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest.get(..end_of_host).unwrap_or_default();
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    if host.is_empty() || host.starts_with(':') {
        return Err(UrlProblem::NotUrl);
    }
    let path_end = rest.find(['?', '#']).unwrap_or(rest.len());
    let path = rest.get(end_of_host.min(path_end)..path_end).unwrap_or_default();
    let decoded = percent_decode(path.as_bytes());
    if decoded.contains(&b'\\') || decoded.split(|&b| b == b'/').any(|seg| seg == b".." || seg == b".") {
        return Err(UrlProblem::PathTraversal);
    }
    Ok(())
}

/// Decodes `%XX` escapes, repeatedly (to see through double encoding); invalid escapes stay.
fn percent_decode(s: &[u8]) -> Vec<u8> {
    let mut current = s.to_vec();
    for _ in 0..3 {
        let mut out = Vec::with_capacity(current.len());
        let mut i = 0;
        while let Some(&b) = current.get(i) {
            if b == b'%' {
                if let (Some(h), Some(l)) = (current.get(i + 1).and_then(hex), current.get(i + 2).and_then(hex)) {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
            }
            out.push(b);
            i += 1;
        }
        if out == current {
            break;
        }
        current = out;
    }
    current
}

// Byte searches for ASCII separators: `str`'s char and `&str` patterns bring a searcher,
// `memchr` and their panic paths, a few KB of the wasm module. A cut at an ASCII byte is
// always a char boundary, so these never split a character.

fn hex(b: &u8) -> Option<u8> {
    (*b as char).to_digit(16).map(|d| d as u8)
}

const MS_PER_DAY: i64 = 86_400_000;

/// Days since 1970-01-01 of a proleptic Gregorian date; `month` and `day` may overflow
/// (day 31 of February rolls into March), as JavaScript's `Date.UTC` does.
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = year + (month - 1).div_euclid(12);
    let m = (month - 1).rem_euclid(12) + 1;
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468 + (day - 1)
}

/// The calendar date (year, month, day) of a day number from [`days_from_civil`].
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    days_from_civil(year, month + 1, 1) - days_from_civil(year, month, 1)
}

/// Reads exactly `n` ASCII digits at `*i`.
fn digits(b: &[u8], i: &mut usize, n: usize) -> Option<i64> {
    let slice = b.get(*i..*i + n)?;
    let mut v = 0i64;
    for &c in slice {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    *i += n;
    Some(v)
}

fn expect(b: &[u8], i: &mut usize, c: u8) -> Option<()> {
    (b.get(*i) == Some(&c)).then(|| *i += 1)
}

/// Parses an ISO 8601 instant as the Mava API accepts it: `YYYY-MM-DD` (midnight UTC), or
/// `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z` or a `±HH:MM` / `±HHMM` offset.
/// A date-time without a zone is refused: its instant would depend on the machine's zone.
pub fn parse_iso8601(s: &str) -> Result<i64, &'static str> {
    const BAD: &str = "must be an ISO 8601 date (2026-01-31) or date-time with a time zone (2026-01-31T10:00:00Z)";
    let b = s.as_bytes();
    let mut i = 0;
    let date = (|| {
        let y = digits(b, &mut i, 4)?;
        expect(b, &mut i, b'-')?;
        let m = digits(b, &mut i, 2)?;
        expect(b, &mut i, b'-')?;
        let d = digits(b, &mut i, 2)?;
        ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then_some((y, m, d))
    })()
    .ok_or(BAD)?;
    let day_ms = days_from_civil(date.0, date.1, date.2) * MS_PER_DAY;
    if i == b.len() {
        return Ok(day_ms);
    }
    let time = (|| {
        if !matches!(b.get(i), Some(b'T' | b't')) {
            return None;
        }
        i += 1;
        let h = digits(b, &mut i, 2)?;
        expect(b, &mut i, b':')?;
        let min = digits(b, &mut i, 2)?;
        let mut sec = 0;
        let mut ms = 0;
        if b.get(i) == Some(&b':') {
            i += 1;
            sec = digits(b, &mut i, 2)?;
            if matches!(b.get(i), Some(b'.' | b',')) {
                i += 1;
                let start = i;
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                let frac = b.get(start..i).unwrap_or_default();
                if frac.is_empty() || frac.len() > 9 {
                    return None;
                }
                for k in 0..3 {
                    ms = ms * 10 + frac.get(k).map_or(0, |c| i64::from(c - b'0'));
                }
            }
        }
        if h > 23 || min > 59 || sec > 59 {
            return None;
        }
        Some(((h * 60 + min) * 60 + sec) * 1000 + ms)
    })()
    .ok_or(BAD)?;
    let offset_ms = match b.get(i) {
        Some(b'Z' | b'z') => {
            i += 1;
            0
        }
        Some(&sign @ (b'+' | b'-')) => {
            i += 1;
            let oh = digits(b, &mut i, 2).ok_or(BAD)?;
            if b.get(i) == Some(&b':') {
                i += 1;
            }
            let om = digits(b, &mut i, 2).ok_or(BAD)?;
            if oh > 23 || om > 59 {
                return Err(BAD);
            }
            let off = (oh * 60 + om) * 60_000;
            if sign == b'+' { off } else { -off }
        }
        None => return Err("must include a time zone (Z or ±hh:mm) when it has a time"),
        _ => return Err(BAD),
    };
    if i != b.len() {
        return Err(BAD);
    }
    Ok(day_ms + time - offset_ms)
}

/// The instant one calendar year after `ms`, as JavaScript's
/// `d.setUTCFullYear(d.getUTCFullYear() + 1)` computes it (29 February rolls to 1 March).
pub fn add_one_year(ms: i64) -> i64 {
    let days = ms.div_euclid(MS_PER_DAY);
    let within = ms.rem_euclid(MS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    days_from_civil(y + 1, m, d) * MS_PER_DAY + within
}

/// A Mavibot date `dd.mm.yyyy` that exists in the calendar.
pub fn is_date_dmy(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let parsed = (|| {
        let d = digits(b, &mut i, 2)?;
        expect(b, &mut i, b'.')?;
        let m = digits(b, &mut i, 2)?;
        expect(b, &mut i, b'.')?;
        let y = digits(b, &mut i, 4)?;
        Some((y, m, d))
    })();
    matches!(parsed, Some((y, m, d)) if i == b.len() && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m))
}

/// A Mavibot `send_time`: `YYYY-MM-DD HH:MM:SS` that exists in the calendar.
pub fn is_local_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let ok = (|| {
        let y = digits(b, &mut i, 4)?;
        expect(b, &mut i, b'-')?;
        let m = digits(b, &mut i, 2)?;
        expect(b, &mut i, b'-')?;
        let d = digits(b, &mut i, 2)?;
        expect(b, &mut i, b' ')?;
        let h = digits(b, &mut i, 2)?;
        expect(b, &mut i, b':')?;
        let min = digits(b, &mut i, 2)?;
        expect(b, &mut i, b':')?;
        let sec = digits(b, &mut i, 2)?;
        Some((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m) && h < 24 && min < 60 && sec < 60)
    })();
    ok == Some(true) && i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for z in [-800_000i64, -1, 0, 1, 19_000, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }
}
