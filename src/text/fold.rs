//! Folding: one form for full-width and half-width text, cases and spaces.
//!
//! Job boards mix full-width and half-width forms (`ＣＮＣ`, `Ｃ＋＋`), cases
//! and stray spaces. Folding maps them to one form so that `ＣＮＣ`, `cnc` and
//! ` CNC ` are the same term.

/// Folds a string: full-width ASCII → ASCII, ideographic space → space,
/// lowercase, whitespace runs → one space, trimmed.
///
/// ```
/// assert_eq!(jobmatch::text::fold(" ＣＮＣ　操机 "), "cnc 操机");
/// assert_eq!(jobmatch::text::fold("Java  EE"), "java ee");
/// ```
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        let c = fold_char(c);
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Folds one character's width: U+FF01..U+FF5E → U+0021..U+007E and
/// U+3000 (ideographic space) → space; anything else is returned as is.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Whether a character is a CJK ideograph (the scripts job titles use).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_case_and_space() {
        assert_eq!(fold("ＣＮＣ"), "cnc");
        assert_eq!(fold("Ｃ＋＋"), "c++");
        assert_eq!(fold("  数控\t车床  "), "数控 车床");
        assert_eq!(fold(""), "");
        assert_eq!(fold("ÄÖ"), "äö");
    }
}
