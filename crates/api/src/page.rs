//! fleet's page tokens: URL-safe base64 (with padding) of the little-endian
//! pair {limit: u16, page: u16}, e.g. limit 100, page 2 is `ZAACAA==`.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Items per page (fleet's `token_limit` default).
pub(crate) const LIMIT: u16 = 100;

/// The token for `page`.
pub(crate) fn encode(page: u16) -> String {
    let [l0, l1] = LIMIT.to_le_bytes();
    let [p0, p1] = page.to_le_bytes();
    let bytes = [l0, l1, p0, p1];
    let mut out = String::with_capacity(8);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The page a token names, or fleet's error text.
pub(crate) fn decode(token: &str) -> Result<u16, String> {
    let mut bits = 0u32;
    let mut nbits = 0;
    let mut bytes = Vec::new();
    for c in token.bytes().filter(|c| *c != b'=') {
        let v = ALPHABET
            .iter()
            .position(|a| *a == c)
            .ok_or_else(|| format!("illegal base64 data at input byte {c}"))?;
        bits = (bits << 6) | u32::try_from(v).unwrap_or(0);
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            bytes.push(u8::try_from((bits >> nbits) & 0xff).unwrap_or(0));
        }
    }
    let [l0, l1, p0, p1] =
        <[u8; 4]>::try_from(bytes.as_slice()).map_err(|_| "unexpected EOF".to_owned())?;
    let (limit, page) = (u16::from_le_bytes([l0, l1]), u16::from_le_bytes([p0, p1]));
    if limit != LIMIT {
        return Err(format!("token limit must be {LIMIT}"));
    }
    if page == 0 {
        return Err("token page must be greater than zero".into());
    }
    Ok(page)
}

/// Page `page` of `items`, and the next token as fleet computes it (an exact
/// multiple of the limit still gets a token, leading to an empty page).
pub(crate) fn slice<T: Clone>(items: &[T], page: u16) -> (Vec<T>, Option<String>) {
    let limit = usize::from(LIMIT);
    let start = (usize::from(page) - 1) * limit;
    let end = (start + limit).min(items.len());
    let out = items.get(start..end).map(<[T]>::to_vec).unwrap_or_default();
    let next =
        (start < items.len() && usize::from(page) * limit <= items.len()).then(|| encode(page + 1));
    (out, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_match_fleet() {
        assert_eq!(encode(2), "ZAACAA==");
        assert_eq!(decode("ZAACAA=="), Ok(2));
        assert_eq!(decode(&encode(7)), Ok(7));
        assert_eq!(
            decode("AQACAA=="),
            Err("token limit must be 100".to_owned())
        );
        assert!(decode("ZAAAAA==").is_err_and(|e| e.contains("greater than zero")));
    }

    #[test]
    fn pages_follow_fleet() {
        let items: Vec<u32> = (0..200).collect();
        let (first, next) = slice(&items, 1);
        assert_eq!((first.len(), next.as_deref()), (100, Some("ZAACAA==")));
        let (second, next) = slice(&items, 2);
        assert_eq!(second.len(), 100);
        let (third, none) = slice(
            &items,
            next.as_deref().map_or(3, |t| decode(t).unwrap_or(3)),
        );
        assert!(third.is_empty() && none.is_none());
    }
}
