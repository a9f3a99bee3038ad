//! Located errors: every problem names the file, line, column and dotted field path, says what was
//! expected, and all problems are collected before any is reported, in the order of the files (as
//! loaded) and of the lines and columns in each ([`Diagnostics::sort_by_position`]).

use std::fmt;
use std::ops::Range;

/// Index of a loaded file in a [`Sources`] table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A loaded text file (a scenario layer or a data file).
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Name shown in messages: the path as given, or `builtin:<path>` for embedded files.
    pub name: String,
    /// The text.
    pub text: String,
    /// Byte offsets of line starts.
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// A file with its text.
    pub fn new(name: String, text: String) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile { name, text, line_starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.line_starts[line];
        let col = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// The text of 1-based line `line`, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else { return "" };
        let end = self.line_starts.get(line).copied().unwrap_or(self.text.len());
        self.text.get(start..end).unwrap_or("").trim_end_matches(['\n', '\r'])
    }
}

/// All files a scenario was read from.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Adds a file and returns its id.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }
    /// The file with id `id`.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }
    /// All files in load order.
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }
}

/// Where a problem is: a file, a byte range in it (if known) and a dotted field path (if known).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub file: FileId,
    /// Byte range of the offending text.
    pub span: Option<Range<usize>>,
}

/// One problem found in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where, if known.
    pub location: Option<Location>,
    /// Dotted field path such as `projects.dobra.capex`, or a CSV row/column description.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
}

/// Most problems [`Diagnostics::render`] prints; the rest are counted.
pub const MAX_SHOWN: usize = 50;

/// Longest field path or message printed; longer ones (a huge key echoed back) end in an ellipsis.
const MAX_PATH_CHARS: usize = 200;
const MAX_MESSAGE_CHARS: usize = 2000;

/// `s` cut to at most `max` characters, with an ellipsis when cut.
fn clipped(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(s),
        Some((i, _)) => std::borrow::Cow::Owned(format!("{}…", &s[..i])),
    }
}

/// A list of problems, reported together.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics {
    /// The problems, in the order found (the first [`MAX_KEPT`]) until
    /// [`Diagnostics::sort_by_position`] puts them in the order of the files.
    pub items: Vec<Diagnostic>,
    /// Problems found beyond the first [`MAX_KEPT`]: counted, not kept.
    dropped: usize,
}

/// Most problems kept in memory; a file with millions of faults is counted, not stored.
pub const MAX_KEPT: usize = 10_000;

impl Diagnostics {
    /// Records a problem.
    pub fn error(
        &mut self,
        location: Option<Location>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) {
        if self.items.len() >= MAX_KEPT {
            self.dropped += 1;
            return;
        }
        self.items.push(Diagnostic { location, path: path.into(), message: message.into() });
    }
    /// Whether a problem was already reported at `path` (a value validation refused is not reported
    /// missing again).
    pub(crate) fn reported(&self, path: &str) -> bool {
        self.items.iter().any(|i| i.path == path)
    }
    /// Puts the problems in the order a reader meets them: by file in load order ([`FileId`]), then by
    /// position (line and column) in the file; a problem located in a file but not at a position comes
    /// after that file's located ones, and a problem with no location after all the files'. Problems at
    /// the same place keep the order they were found in.
    pub fn sort_by_position(&mut self) {
        self.items.sort_by_key(|d| match &d.location {
            Some(Location { file, span: Some(span) }) => (0, file.0, 0, span.start),
            Some(Location { file, span: None }) => (0, file.0, 1, 0),
            None => (1, 0, 0, 0),
        });
    }
    /// Adds `other`'s problems after these.
    pub fn append(&mut self, other: Diagnostics) {
        for item in other.items {
            self.error(item.location, item.path, item.message);
        }
        self.dropped += other.dropped;
    }
    /// Whether no problem was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.dropped == 0
    }
    /// Number of problems.
    pub fn len(&self) -> usize {
        self.items.len() + self.dropped
    }
    /// Renders the first [`MAX_SHOWN`] problems with their locations and the offending lines, then how
    /// many more there are.
    pub fn render(&self, sources: &Sources) -> String {
        let mut out = String::new();
        for d in self.items.iter().take(MAX_SHOWN) {
            out.push_str(&render_one(d, sources));
        }
        let n = self.len();
        if n > MAX_SHOWN {
            let more = n - MAX_SHOWN;
            out.push_str(&format!(
                "… and {more} more error{} not shown (the first {MAX_SHOWN} are above)\n",
                if more == 1 { "" } else { "s" }
            ));
        }
        out.push_str(&format!(
            "{n} error{} found; nothing was run.\n",
            if n == 1 { "" } else { "s" }
        ));
        out
    }
}

fn render_one(d: &Diagnostic, sources: &Sources) -> String {
    let shown = Diagnostic {
        location: d.location.clone(),
        path: clipped(&d.path, MAX_PATH_CHARS).into_owned(),
        message: clipped(&d.message, MAX_MESSAGE_CHARS).into_owned(),
    };
    let d = &shown;
    let mut s = String::from("error: ");
    match &d.location {
        Some(loc) => {
            let f = sources.get(loc.file);
            match &loc.span {
                Some(span) => {
                    let (line, col) = f.line_col(span.start);
                    s.push_str(&format!("{}:{line}:{col}", f.name));
                    if !d.path.is_empty() {
                        s.push_str(&format!(": {}", d.path));
                    }
                    s.push_str(&format!(": {}\n", d.message));
                    let text = f.line_text(line);
                    if !text.is_empty() {
                        let shown: String = text.chars().take(160).collect();
                        let width = span.end.saturating_sub(span.start).max(1);
                        let carets =
                            width.min(shown.chars().count().saturating_sub(col - 1).max(1));
                        s.push_str(&format!("  {line:>5} | {shown}\n"));
                        s.push_str(&format!(
                            "        | {}{}\n",
                            " ".repeat(col.saturating_sub(1).min(160)),
                            "^".repeat(carets.min(80))
                        ));
                    }
                }
                None => {
                    s.push_str(&f.name);
                    if !d.path.is_empty() {
                        s.push_str(&format!(": {}", d.path));
                    }
                    s.push_str(&format!(": {}\n", d.message));
                }
            }
        }
        None => {
            if !d.path.is_empty() {
                s.push_str(&format!("{}: ", d.path));
            }
            s.push_str(&format!("{}\n", d.message));
        }
    }
    s
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// `s` shortened to at most 80 characters, with an ellipsis, for echoing in messages.
pub fn clip(s: &str) -> String {
    const MAX: usize = 80;
    match s.char_indices().nth(MAX) {
        None => s.to_string(),
        Some((i, _)) => format!("{}…", &s[..i]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let f = SourceFile::new("a.toml".into(), "x = 1\nname = \"Київ\" # é\ny = 2\n".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(6), (2, 1));
        let off = f.text.find("# é").unwrap();
        assert_eq!(f.line_col(off), (2, 15));
        assert_eq!(f.line_text(3), "y = 2");
    }

    #[test]
    fn floods_are_counted_not_kept_and_not_all_printed() {
        let mut d = Diagnostics::default();
        for i in 0..MAX_KEPT + 5 {
            d.error(None, format!("k{i}"), "unknown key");
        }
        assert_eq!(d.items.len(), MAX_KEPT);
        assert_eq!(d.len(), MAX_KEPT + 5);
        let text = d.render(&Sources::default());
        assert_eq!(text.lines().count(), MAX_SHOWN + 2, "{text}");
        assert!(text.ends_with(&format!(
            "… and {} more errors not shown (the first {MAX_SHOWN} are above)\n{} errors found; nothing was run.\n",
            MAX_KEPT + 5 - MAX_SHOWN,
            MAX_KEPT + 5
        )));
    }

    #[test]
    fn problems_sort_by_file_then_position_and_keep_their_order_at_one_place() {
        let at =
            |file: u32, span: Option<Range<usize>>| Some(Location { file: FileId(file), span });
        let mut d = Diagnostics::default();
        d.error(None, "nowhere", "a");
        d.error(at(1, Some(3..4)), "second file", "b");
        d.error(at(0, None), "first file, no position", "c");
        d.error(at(0, Some(10..12)), "first file, late", "d");
        d.error(at(0, Some(2..3)), "first file, early", "e");
        d.error(at(0, Some(10..11)), "first file, late, found second", "f");
        d.sort_by_position();
        let order: Vec<&str> = d.items.iter().map(|i| i.message.as_str()).collect();
        assert_eq!(order, ["e", "d", "f", "c", "b", "a"]);
    }

    #[test]
    fn a_huge_path_is_clipped_when_printed() {
        let mut d = Diagnostics::default();
        d.error(None, "k".repeat(1 << 20), "m".repeat(1 << 20));
        let text = d.render(&Sources::default());
        assert!(text.len() < 3 * (MAX_PATH_CHARS + MAX_MESSAGE_CHARS), "{} bytes", text.len());
        assert!(text.contains("k…: m"), "{}", &text[..300]);
    }
}
