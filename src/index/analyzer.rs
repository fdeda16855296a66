//! Text analysis for the index: Chinese word segmentation with folding.
//!
//! A thin adapter around `jieba-rs` rather than `tantivy-jieba`: text is
//! folded (full-width → half-width, lowercase) *before* segmentation, which
//! both makes `ＣＮＣ` and `cnc` one term and helps jieba, whose dictionary
//! is half-width. Segmentation uses jieba's search mode, which emits the
//! words inside long compounds too (`数控车床操作工` → `数控`, `车床`,
//! `数控车床`, `操作`, `操作工`, …), so a seeker's `数控` finds it.
//! Punctuation tokens are dropped.

use std::sync::OnceLock;

use jieba_rs::{Jieba, TokenizeMode};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::text::{fold, is_cjk};

/// Name under which the Chinese analyzer is registered with tantivy.
pub const ZH: &str = "jobmatch_zh";

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// Function words that join the parts of a title (`自行车与电动自行车维修工`)
/// and say nothing about the job.
const FUNCTION_WORDS: [&str; 9] = ["与", "和", "及", "的", "或", "兼", "等", "之", "及其"];

/// Segments folded text into words: the analyzer of titles and descriptions.
#[derive(Clone, Default)]
pub struct ZhTokenizer;

/// The tokens of one text, produced eagerly.
pub struct ZhTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = ZhTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ZhTokenStream {
        ZhTokenStream {
            tokens: tokens(text),
            next: 0,
        }
    }
}

impl TokenStream for ZhTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// The analyzer's tokens for a text (positions are token ordinals).
pub fn tokens(text: &str) -> Vec<Token> {
    let folded = fold(text);
    jieba()
        .tokenize(&folded, TokenizeMode::Search, true)
        .into_iter()
        .filter(|t| {
            t.word.chars().any(|c| c.is_alphanumeric() || is_cjk(c)) && !FUNCTION_WORDS.contains(&t.word)
        })
        .enumerate()
        .map(|(position, t)| Token {
            offset_from: t.start,
            offset_to: t.end,
            position,
            text: t.word.to_owned(),
            position_length: 1,
        })
        .collect()
}

/// The distinct terms of a text, in first-seen order.
pub fn terms(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tokens(text) {
        if !out.contains(&t.text) {
            out.push(t.text);
        }
    }
    out
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
