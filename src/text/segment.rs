//! Chinese word segmentation over folded text.
//!
//! A thin layer over `jieba-rs`: text is folded (full-width → half-width,
//! lowercase) *before* segmentation, which both makes `ＣＮＣ` and `cnc` one
//! term and helps jieba, whose dictionary is half-width. Segmentation uses
//! jieba's search mode, which emits the words inside long compounds too
//! (`数控车床操作工` → `数控`, `车床`, `数控车床`, `操作`, `操作工`, …), so a
//! seeker's `数控` finds it. Punctuation and function words are dropped.

use std::sync::OnceLock;

use jieba_rs::{Jieba, TokenizeMode};

use super::fold::{fold, is_cjk};

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// Function words that join the parts of a title (`自行车与电动自行车维修工`)
/// and say nothing about the job.
const FUNCTION_WORDS: [&str; 9] = ["与", "和", "及", "的", "或", "兼", "等", "之", "及其"];

/// One word of a segmented text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The word, folded.
    pub text: String,
    /// Byte offsets in the *folded* text.
    pub start: usize,
    /// End byte offset (exclusive) in the folded text.
    pub end: usize,
}

/// The words of a text in order (search mode: a compound and the words
/// inside it), punctuation and function words dropped.
pub fn words(text: &str) -> Vec<Word> {
    let folded = fold(text);
    // jieba counts offsets in characters; a word's are bytes.
    let bytes_at: Vec<usize> = folded
        .char_indices()
        .map(|(at, _)| at)
        .chain(std::iter::once(folded.len()))
        .collect();
    let byte = |chars: usize| bytes_at.get(chars).copied().unwrap_or(folded.len());
    jieba()
        .tokenize(&folded, TokenizeMode::Search, true)
        .into_iter()
        .filter(|t| {
            t.word.chars().any(|c| c.is_alphanumeric() || is_cjk(c)) && !FUNCTION_WORDS.contains(&t.word)
        })
        .map(|t| Word {
            text: t.word.to_owned(),
            start: byte(t.start),
            end: byte(t.end),
        })
        .collect()
}

/// The distinct words of a text, in first-seen order.
///
/// ```
/// let t = jobmatch::text::terms("ＣＮＣ数控车床操作工（包吃住）");
/// assert!(t.iter().any(|w| w == "cnc") && t.iter().any(|w| w == "数控"));
/// ```
pub fn terms(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words(text) {
        if !out.contains(&w.text) {
            out.push(w.text);
        }
    }
    out
}

/// Where the words of `text` begin and end, as character positions
/// (jieba's precise mode, with its HMM for unknown words): `true` at
/// position i when a word starts at character i, and at the end. The text
/// is segmented as given (fold it first).
///
/// ```
/// let b = jobmatch::text::word_starts("从事调试员工作");
/// assert!(b[0] && b[7]);
/// ```
pub fn word_starts(text: &str) -> Vec<bool> {
    let n = text.chars().count();
    let mut starts = vec![false; n + 1];
    let mut at = 0;
    for w in jieba().cut(text, true) {
        if let Some(s) = starts.get_mut(at) {
            *s = true;
        }
        at += w.word.chars().count();
    }
    if let Some(end) = starts.get_mut(n) {
        *end = true;
    }
    starts
}

/// Loads the segmentation dictionary now rather than on the first query.
pub fn warm_up() {
    let _ = jieba();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compounds_are_split_and_folded() {
        let t = terms("数控车床操作工");
        assert!(t.contains(&"数控".to_owned()), "{t:?}");
        assert!(t.contains(&"车床".to_owned()), "{t:?}");
        let t = terms("ＣＮＣ操机师傅（包吃住）");
        assert!(t.contains(&"cnc".to_owned()), "{t:?}");
        assert!(!t.iter().any(|x| x == "（" || x == "）"), "{t:?}");
        assert_eq!(terms("Java 开发"), terms("ＪＡＶＡ　开发"));
    }
}
