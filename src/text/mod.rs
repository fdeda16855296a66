//! Text: folding and Chinese word segmentation, shared by the skill
//! vocabulary, the title coder, the index's analyzer and the ranker.
//!
//! - [`fold`](fn@fold): full-width → half-width, lowercase, one space;
//! - [`terms`]: the words of a text as the index segments titles (jieba's
//!   search mode over folded text);
//! - [`list_items`]: the items of a list typed into one entry (`焊接，电焊`).
//!
//! Everything that turns text into terms is here, below the taxonomy and the
//! index, so that a skill, a seeker's title and an indexed title are cut the
//! same way.

mod fold;
mod segment;

pub use fold::{fold, fold_char, is_cjk};
pub use segment::{Word, terms, warm_up, word_starts, words};

/// The separators people type between the items of a list, in Chinese and
/// ASCII forms: `、` `，` `,` `；` `;`.
pub const LIST_SEPARATORS: [char; 5] = ['、', '，', ',', '；', ';'];

/// The items of one entry that holds a list (`焊接，电焊、叉车` → `焊接`,
/// `电焊`, `叉车`), trimmed, empty ones dropped: a registration form's free
/// field copied into one skill. An entry without a separator is itself.
///
/// ```
/// let items: Vec<&str> = jobmatch::text::list_items(" 焊接，电焊、; 叉车 ").collect();
/// assert_eq!(items, ["焊接", "电焊", "叉车"]);
/// assert_eq!(jobmatch::text::list_items("C1驾照").collect::<Vec<_>>(), ["C1驾照"]);
/// ```
pub fn list_items(entry: &str) -> impl Iterator<Item = &str> {
    entry
        .split(LIST_SEPARATORS)
        .map(str::trim)
        .filter(|item| !item.is_empty())
}
