//! Folding of Vietnamese text for search, shared by the native indexer and the
//! WASM search engine so that a query is always folded exactly as the index was.
//!
//! Readers type "ky luat" for "kỷ luật", "dang" for "Đảng" and document numbers
//! such as "21/KL-TTr" with or without punctuation. Folding removes the
//! differences readers do not type: case, tone and vowel marks, `đ`/`d`, and the
//! Unicode form the text was stored in.
//!
//! The search engine (tinysearch) keeps only letters and apostrophes in a
//! query, so [`Term`] encodes digits as letters it keeps and marks the end of a
//! finished word with an apostrophe (see [`Term::exact`]).
#![forbid(unsafe_code)]
#![no_std]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Folds text for comparison: canonical decomposition, combining marks
/// removed, `đ`/`Đ` to `d`, lower case. Everything else is kept as is.
///
/// ```
/// assert_eq!(congkhai_fold::fold("Kỷ luật Đảng"), "ky luat dang");
/// ```
#[must_use]
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        // Canonical decomposition only (NFD without reordering, which does
        // not matter once the marks are dropped): it keeps the compatibility
        // tables out of the WASM engine.
        decompose_canonical(c, |d| {
            if !is_combining_mark(d) {
                out.push(if d == 'đ' { 'd' } else { d });
            }
        });
    }
    out
}

/// Splits text into folded words: maximal runs of letters and digits.
///
/// A run of words joined only by `/`, `-` or `.` (a document number such as
/// `45-QĐ/UBKTTU`, an amount such as `2.350.000.000`, a date) also yields the
/// joined form (`45qdubkttu`), so that the whole number can be matched exactly.
#[must_use]
pub fn words(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out = Vec::new();
    for chunk in folded.split(|c: char| !(c.is_alphanumeric() || is_joiner(c))) {
        let parts: Vec<&str> = chunk
            .split(is_joiner)
            .filter(|part| !part.is_empty())
            .collect();
        if parts.len() > 1 {
            out.push(parts.concat());
        }
        out.extend(parts.into_iter().map(String::from));
    }
    out
}

/// Letters that stand for the marks that make a different vowel (circumflex,
/// breve, horn), kept after their vowel in a [`marked`] word.
const VOWEL_MARKS: [(char, char); 3] = [('\u{302}', 'λ'), ('\u{306}', 'μ'), ('\u{31b}', 'ν')];

/// Letters that stand for the five tones (grave, acute, tilde, hook above,
/// dot below), written at the end of a [`marked`] word.
const TONE_MARKS: [(char, char); 5] = [
    ('\u{300}', 'ξ'),
    ('\u{301}', 'π'),
    ('\u{303}', 'ρ'),
    ('\u{309}', 'τ'),
    ('\u{323}', 'υ'),
];

/// The letter for any other combining mark.
const OTHER_MARK: char = 'ω';

/// A word as the reader spelled it, diacritics included, in a form that
/// compares equal however it was typed: lower case, canonical decomposition,
/// `đ` kept, each vowel mark as a letter after its vowel, and the tone at the
/// end of the word — so that the old and new tone placements (`hoà`, `hòa`)
/// and composed or decomposed input give the same form.
///
/// ```
/// assert_eq!(congkhai_fold::marked("Đặng"), congkhai_fold::marked("đặng"));
/// assert_ne!(congkhai_fold::marked("Đặng"), congkhai_fold::marked("Đảng"));
/// assert_eq!(congkhai_fold::marked("hoà"), congkhai_fold::marked("hòa"));
/// ```
#[must_use]
pub fn marked(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    let mut tones = String::new();
    for c in word.chars().flat_map(char::to_lowercase) {
        decompose_canonical(c, |d| {
            if let Some(&(_, t)) = TONE_MARKS.iter().find(|(m, _)| *m == d) {
                tones.push(t);
            } else if let Some(&(_, v)) = VOWEL_MARKS.iter().find(|(m, _)| *m == d) {
                out.push(v);
            } else if is_combining_mark(d) {
                out.push(OTHER_MARK);
            } else {
                out.push(d.to_digit(10).map_or(d, |n| DIGIT_LETTERS[n as usize]));
            }
        });
    }
    out.push_str(&tones);
    out
}

/// The folded word of a [`marked`] one: its shard and the words it varies.
#[must_use]
pub fn unmark(marked: &str) -> String {
    marked
        .chars()
        .filter(|c| !is_mark_letter(*c))
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

fn is_mark_letter(c: char) -> bool {
    c == OTHER_MARK
        || VOWEL_MARKS.iter().any(|(_, v)| *v == c)
        || TONE_MARKS.iter().any(|(_, t)| *t == c)
}

/// Whether text carries any diacritic (a combining mark or `đ`): a reader
/// who typed one means that spelling, so exact spellings rank first.
#[must_use]
pub fn has_marks(text: &str) -> bool {
    text.chars().any(|c| {
        let mut marked = matches!(c, 'đ' | 'Đ');
        decompose_canonical(c, |d| marked |= is_combining_mark(d));
        marked
    })
}

/// The words of text as [`marked`] forms: runs of letters, digits and
/// combining marks. Parts of a document number are separate words here;
/// numbers carry no diacritics, so their joined form is never needed.
#[must_use]
pub fn marked_words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c)))
        .filter(|w| !w.is_empty())
        .map(marked)
        .collect()
}

/// The joined, folded form of a document number, used to rank exact number
/// matches first: `"21/KL-TTr"` and `"21 kl ttr"` both give `"21klttr"`.
#[must_use]
pub fn number_key(text: &str) -> String {
    fold(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

fn is_joiner(c: char) -> bool {
    matches!(c, '/' | '-' | '.')
}

/// Letters that stand for the digits 0–9 in search terms. tinysearch drops
/// every character that is not a letter, so years and document numbers would
/// vanish; Greek letters never occur in folded Vietnamese text.
const DIGIT_LETTERS: [char; 10] = ['α', 'β', 'γ', 'δ', 'ε', 'ζ', 'η', 'θ', 'ι', 'κ'];

/// Marks the end of a finished word in a term, so that a finished query word
/// matches only that word and not every word it is a prefix of.
pub const END: char = '\'';

/// A search term as stored in the index and as sent to tinysearch.
///
/// Each folded word `w` of a record is stored as `w'` (a body term) and, when
/// it occurs in the title, also as `'w'` (a title term). A finished query word
/// looks up `w'`; the last, unfinished word looks up the prefix `w`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Term(String);

impl Term {
    /// The term for a whole word anywhere in a record.
    #[must_use]
    pub fn exact(word: &str) -> Self {
        let mut term = encode(word);
        term.push(END);
        Self(term)
    }

    /// The term for a whole word in a record's title.
    #[must_use]
    pub fn title(word: &str) -> Self {
        let mut term = String::with_capacity(word.len() + 2);
        term.push(END);
        term.push_str(&encode(word));
        term.push(END);
        Self(term)
    }

    /// The prefix that finds every body term starting with `word`.
    #[must_use]
    pub fn prefix(word: &str) -> Self {
        Self(encode(word))
    }

    /// The prefix that finds every title term starting with `word`.
    #[must_use]
    pub fn title_prefix(word: &str) -> Self {
        let mut term = String::with_capacity(word.len() + 1);
        term.push(END);
        term.push_str(&encode(word));
        Self(term)
    }

    /// The term for a word spelled exactly so (see [`marked`]), kept in
    /// shards of their own that only a query with diacritics loads.
    #[must_use]
    pub fn marked(marked: &str) -> Self {
        let mut term = String::with_capacity(marked.len() + 3);
        term.push(MARKED);
        term.push_str(marked);
        term.push(END);
        Self(term)
    }

    /// Whether a stored term is one this term looks up: itself when it ends
    /// a word (has the end mark), else every term it begins.
    #[must_use]
    pub fn finds(&self, stored: &[u8]) -> bool {
        let t = self.0.as_bytes();
        if self.0.ends_with(END) {
            stored == t
        } else {
            stored.starts_with(t)
        }
    }

    /// The shard of this term at a depth (see [`term_shard_key`]).
    #[must_use]
    pub fn shard_key(&self, depth: usize) -> String {
        term_shard_key(&self.0, depth)
    }

    /// The encoded word without its markers: the part that decides its shard.
    #[must_use]
    pub fn stem(&self) -> &str {
        self.0.trim_matches(END)
    }

    /// The term as a string.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The term as an owned string.
    #[must_use]
    pub fn into_string(self) -> String {
        self.0
    }
}

fn encode(word: &str) -> String {
    word.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => DIGIT_LETTERS[d as usize],
            None => c,
        })
        .collect()
}

/// The term index is split into shards by the first `depth` characters of a
/// term's stem, so that a query fetches only the shards of its words. A stem
/// shorter than `depth` is its own key. `depth` 0 means a single shard.
#[must_use]
pub fn shard_key(stem: &str, depth: usize) -> String {
    stem.chars().take(depth).collect()
}

/// Starts the terms of exact spellings ([`Term::marked`]).
pub const MARKED: char = '~';

/// The number of a record's number term ([`number_term`]), without its marks.
fn number_of(term: &str) -> Option<&str> {
    term.strip_prefix(END).and_then(|t| t.strip_prefix(END))
}

/// Whether a stored term raises a record's score rather than only matching
/// it: a word of its title ([`Term::title`]) or a word spelled exactly so
/// ([`Term::marked`]). A record's number ranks by a whole shard of its own.
#[must_use]
pub fn ranks(term: &str) -> bool {
    term.starts_with(MARKED) || (term.starts_with(END) && number_of(term).is_none())
}

/// Starts the keys of the shards of record numbers ([`number_term`]).
pub const NUMBER_SHARD: char = END;

/// Whether a shard holds every record in one file: the shards of record
/// numbers do, where the others come in blocks of records. A number query
/// ranks the records of that number first, and they are spread over every
/// year: split in blocks, a first page of them would need every block.
#[must_use]
pub fn is_whole_shard(key: &str) -> bool {
    key.starts_with(NUMBER_SHARD)
}

/// The shard of a term as stored: the first `depth` characters of its stem;
/// for a spelled term, [`MARKED`] and one character more of its folded
/// word, because those shards are only ever searched for whole words; for a
/// number, [`NUMBER_SHARD`] and one character more of the number, in shards
/// of their own (see [`is_whole_shard`]).
#[must_use]
pub fn term_shard_key(term: &str, depth: usize) -> String {
    if let Some(rest) = term.strip_prefix(MARKED) {
        let mut key = String::from(MARKED);
        key.push_str(&shard_key(&unmark(rest.trim_end_matches(END)), depth + 1));
        return key;
    }
    if let Some(number) = number_of(term) {
        let mut key = String::from(NUMBER_SHARD);
        key.push_str(&shard_key(number.trim_end_matches(END), depth + 1));
        return key;
    }
    shard_key(term.trim_matches(END), depth)
}

/// The term that marks a record's number (its joined form), so that an exact
/// number match can rank first.
#[must_use]
pub fn number_term(number_key: &str) -> Term {
    let mut term = String::with_capacity(number_key.len() + 3);
    term.push(END);
    term.push(END);
    term.push_str(&encode(number_key));
    term.push(END);
    Term(term)
}

/// The start of a record's number as it is being typed: the prefix of every
/// [`number_term`] that begins so.
#[must_use]
pub fn number_prefix(number_key: &str) -> Term {
    let mut term = number_term(number_key).0;
    term.pop();
    Term(term)
}

/// A query as the reader typed it, split into the words that must all match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Folded words, in the order typed.
    pub words: Vec<String>,
    /// Whether the last word may still be unfinished (the reader has not typed
    /// a space after it), so that it is matched as a prefix.
    pub last_is_prefix: bool,
    /// Whether the input ends inside a word: the number may be unfinished.
    pub typing: bool,
    /// The joined form of the whole query, compared with record numbers.
    pub number_key: String,
    /// When the reader typed any diacritic: each word's [`marked`] form, in
    /// the order of `words`, to rank the records spelled so first.
    pub marked: Option<Vec<String>>,
}

/// Words shorter than this are always matched whole: a one- or two-letter
/// prefix matches too much to be useful.
pub const MIN_PREFIX_CHARS: usize = 3;

impl Query {
    /// Parses what the reader typed.
    #[must_use]
    pub fn parse(input: &str) -> Self {
        let mut words: Vec<String> = Vec::new();
        for chunk in fold(input).split(|c: char| !c.is_alphanumeric()) {
            if !chunk.is_empty() && !words.iter().any(|w| w == chunk) {
                words.push(String::from(chunk));
            }
        }
        let ends_in_word = input.chars().last().is_some_and(char::is_alphanumeric);
        let last_is_prefix = ends_in_word
            && words
                .last()
                .is_some_and(|w| w.chars().count() >= MIN_PREFIX_CHARS);
        let marked = has_marks(input).then(|| {
            let mut forms: Vec<String> = Vec::with_capacity(words.len());
            for m in marked_words(input) {
                let folded = unmark(&m);
                let i = words.iter().position(|w| encode(w) == folded);
                if i.is_some_and(|i| i == forms.len()) {
                    forms.push(m);
                }
            }
            forms
        });
        let marked = marked.filter(|forms| forms.len() == words.len());
        Self {
            number_key: number_key(input),
            words,
            last_is_prefix,
            typing: ends_in_word,
            marked,
        }
    }

    /// The body terms to look up, one per word, each with whether it is a prefix.
    #[must_use]
    pub fn terms(&self) -> Vec<(Term, Term)> {
        let last = self.words.len().saturating_sub(1);
        self.words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if i == last && self.last_is_prefix {
                    (Term::prefix(w), Term::title_prefix(w))
                } else {
                    (Term::exact(w), Term::title(w))
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn removes_every_tone_on_every_vowel() {
        let cases = [
            ("aàáảãạ", "aaaaaa"),
            ("ăằắẳẵặ", "aaaaaa"),
            ("âầấẩẫậ", "aaaaaa"),
            ("eèéẻẽẹ", "eeeeee"),
            ("êềếểễệ", "eeeeee"),
            ("iìíỉĩị", "iiiiii"),
            ("oòóỏõọ", "oooooo"),
            ("ôồốổỗộ", "oooooo"),
            ("ơờớởỡợ", "oooooo"),
            ("uùúủũụ", "uuuuuu"),
            ("ưừứửữự", "uuuuuu"),
            ("yỳýỷỹỵ", "yyyyyy"),
        ];
        for (input, expected) in cases {
            assert_eq!(fold(input), expected, "{input}");
            assert_eq!(fold(&input.to_uppercase()), expected, "{input} upper");
        }
    }

    #[test]
    fn folds_d_with_stroke() {
        assert_eq!(fold("Đảng ủy đã đồng ý"), "dang uy da dong y");
        assert_eq!(fold("ĐOÀN"), "doan");
    }

    #[test]
    fn decomposed_and_composed_input_fold_alike() {
        let composed = "Kỷ luật";
        let decomposed: String =
            unicode_normalization::UnicodeNormalization::nfd(composed).collect();
        assert_ne!(composed, decomposed);
        assert_eq!(fold(composed), fold(&decomposed));
        // Mixed: a precomposed base with a combining tone added afterwards.
        assert_eq!(fold("Ke\u{0302}\u{0301}t lua\u{0323}\u{0302}n"), "ket luan");
    }

    #[test]
    fn mixed_case() {
        assert_eq!(fold("KếT LuẬN tHaNh TrA"), "ket luan thanh tra");
    }

    #[test]
    fn words_keep_document_numbers_findable() {
        assert_eq!(words("21/KL-TTr"), vec!["21klttr", "21", "kl", "ttr"]);
        assert_eq!(
            words("Quyết định 45-QĐ/UBKTTU."),
            vec!["quyet", "dinh", "45qdubkttu", "45", "qd", "ubkttu"]
        );
        assert_eq!(words("thu hồi đất"), vec!["thu", "hoi", "dat"]);
    }

    #[test]
    fn number_key_ignores_punctuation_and_marks() {
        assert_eq!(number_key("45-QĐ/UBKTTU"), "45qdubkttu");
        assert_eq!(number_key("45 qd ubkttu"), "45qdubkttu");
    }

    #[test]
    fn terms_encode_digits_as_letters_tinysearch_keeps() {
        let term = Term::exact("2025");
        assert!(term.as_str().chars().all(|c| c.is_alphabetic() || c == END));
        assert_eq!(term.as_str(), "γαγζ'");
        assert_ne!(Term::exact("2025"), Term::exact("2026"));
        assert_eq!(Term::title("thu").as_str(), "'thu'");
        assert_eq!(Term::title("thu").stem(), "thu");
    }

    #[test]
    fn query_last_word_is_a_prefix_only_while_being_typed() {
        let q = Query::parse("ky luat");
        assert_eq!(q.words, vec!["ky", "luat"]);
        assert!(q.last_is_prefix);
        assert_eq!(q.terms()[0].0.as_str(), "ky'");
        assert_eq!(q.terms()[1].0.as_str(), "luat");
        let q = Query::parse("ky luat ");
        assert!(!q.last_is_prefix);
        // Too short to be a useful prefix.
        assert!(!Query::parse("ky").last_is_prefix);
    }

    #[test]
    fn shard_keys_and_number_terms() {
        assert_eq!(shard_key("thu", 2), "th");
        assert_eq!(shard_key("t", 2), "t");
        assert_eq!(shard_key("thu", 0), "");
        assert_eq!(Term::exact("thu").shard_key(2), "th");
        assert_eq!(Term::marked(&marked("Đặng")).shard_key(2), "~dan");
        assert_eq!(Term::marked(&marked("Đặng")).shard_key(0), "~d");
        let number = number_term(&number_key("21/KL-TTr"));
        assert!(
            number
                .as_str()
                .starts_with(number_prefix(&number_key("21/KL")).as_str())
        );
        assert!(!number_prefix(&number_key("21/KL")).as_str().ends_with(END));
        assert_eq!(number.shard_key(2), "'γβk");
        assert_eq!(number.shard_key(0), "'γ");
        assert!(is_whole_shard(&number.shard_key(2)));
        assert!(!is_whole_shard(&Term::exact("21").shard_key(2)));
        assert!(!is_whole_shard(&Term::title("kl").shard_key(2)));
        assert_eq!(Term::title("kl").shard_key(2), "kl");
        assert!(ranks(Term::title("kl").as_str()) && ranks(Term::marked("đảng").as_str()));
        assert!(!ranks(number.as_str()) && !ranks(Term::exact("kl").as_str()));
        assert!(Term::prefix("th").finds(b"thu'") && !Term::exact("th").finds(b"thu'"));
        let n = number_term("21klttr");
        assert_eq!(n.as_str(), "''γβklttr'");
        assert_eq!(n.stem(), "γβklttr");
    }

    #[test]
    fn query_folds_like_the_index() {
        let q = Query::parse("KỶ LUẬT Đảng");
        assert_eq!(q.words, vec!["ky", "luat", "dang"]);
        assert_eq!(Query::parse("21/KL-TTr").number_key, "21klttr");
    }

    #[test]
    fn marked_forms_keep_the_spelling_and_nothing_else() {
        let dang = marked("Đặng");
        assert_eq!(dang, marked("ĐẶNG"));
        assert_eq!(dang, marked("Đa\u{0306}\u{0323}ng"));
        assert_eq!(dang, marked("Đa\u{0323}\u{0306}ng"));
        for other in ["Đảng", "đăng", "dặng", "Đang"] {
            assert_ne!(dang, marked(other), "{other}");
        }
        // Old and new tone placement are the same word.
        assert_eq!(marked("thuỷ"), marked("thủy"));
        assert_eq!(marked("hoà"), marked("hòa"));
        assert_eq!(unmark(&dang), "dang");
        assert_eq!(unmark(&marked("2025")), Term::prefix("2025").as_str());
        assert_eq!(
            marked_words("Đảng ủy, 21/KL"),
            vec![marked("đảng"), marked("ủy"), marked("21"), marked("kl")]
        );
    }

    #[test]
    fn a_query_keeps_its_spelling_only_when_it_has_one() {
        assert!(Query::parse("dang uy").marked.is_none());
        let q = Query::parse("Đảng ủy ban");
        assert_eq!(q.words, vec!["dang", "uy", "ban"]);
        assert_eq!(
            q.marked,
            Some(vec![marked("đảng"), marked("ủy"), marked("ban")])
        );
        // A word typed twice is one word, spelled as first typed.
        assert_eq!(Query::parse("Đảng dang").marked, Some(vec![marked("đảng")]));
        assert!(has_marks("đ") && has_marks("a\u{0301}") && !has_marks("Dang"));
    }

    proptest::proptest! {
        #[test]
        fn marked_words_unmark_to_the_folded_words(s in "\\PC*") {
            // Greek letters stand for digits and marks in terms (see DIGIT_LETTERS).
            proptest::prop_assume!(!s.chars().any(|c| ('\u{370}'..='\u{3ff}').contains(&c) || ('\u{1f00}'..='\u{1fff}').contains(&c)));
            let folded: Vec<String> = words(&s).into_iter().map(|w| Term::prefix(&w).into_string()).collect();
            for m in marked_words(&s) {
                let u = unmark(&m);
                proptest::prop_assert!(u.is_empty() || folded.contains(&u), "{m} -> {u} not in {folded:?}");
            }
        }

        #[test]
        fn folding_is_idempotent(s in "\\PC*") {
            let once = fold(&s);
            proptest::prop_assert_eq!(fold(&once), once);
        }

        #[test]
        fn folded_words_have_no_marks(s in "\\PC*") {
            for w in words(&s) {
                proptest::prop_assert!(w.chars().all(|c| !is_combining_mark(c) && c != 'đ'));
            }
        }
    }
}
