//! Where the next page starts, or that there is none: no extra empty request at the end.

/// Mava `GET /api/tickets`: stop when `skip + page length` reaches `count`, when `hasMore` is
/// false, or on an empty page; otherwise continue at `skip + page length`.
pub fn mava_next(skip: f64, page_len: f64, count: Option<f64>, has_more: Option<bool>) -> Option<f64> {
    let next = skip + page_len;
    let more = page_len > 0.0 && has_more != Some(false) && count.is_none_or(|c| next < c);
    more.then_some(next)
}

/// Mavibot `get_clients`: offset/limit only and no total; a short page is the last one.
pub fn mavibot_next(offset: f64, limit: f64, page_len: f64) -> Option<f64> {
    (page_len >= limit && page_len > 0.0).then_some(offset + page_len)
}
