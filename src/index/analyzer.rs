//! The index's analyzer: [`crate::text::words`] as a tantivy tokenizer,
//! registered under [`ZH`] for titles and descriptions.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::text;

/// Name under which the Chinese analyzer is registered with tantivy.
pub(crate) const ZH: &str = "jobmatch_zh";

/// Segments folded text into words: the analyzer of titles and descriptions.
#[derive(Clone, Default)]
pub(crate) struct ZhTokenizer;

/// The tokens of one text, produced eagerly (held in reverse, so that
/// advancing pops the next one into `current`).
pub(crate) struct ZhTokenStream {
    rest: Vec<Token>,
    current: Token,
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = ZhTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ZhTokenStream {
        let mut rest: Vec<Token> = text::words(text)
            .into_iter()
            .enumerate()
            .map(|(position, w)| Token {
                offset_from: w.start,
                offset_to: w.end,
                position,
                text: w.text,
                position_length: 1,
            })
            .collect();
        rest.reverse();
        ZhTokenStream {
            rest,
            current: Token::default(),
        }
    }
}

impl TokenStream for ZhTokenStream {
    fn advance(&mut self) -> bool {
        match self.rest.pop() {
            Some(t) => {
                self.current = t;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}
