//! Reading content files: size limit, UTF-8, and byte offset to line:column.

use crate::diagnostic::{Code, Location, Problem};
use std::path::{Path, PathBuf};

/// 10 MB: larger files are refused before they are read.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_file_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// A file's text with an index of where its lines start.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The name diagnostics use: the path as the user gave it.
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: String) -> SourceFile {
        let path = path.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name: path.display().to_string(),
            path,
            text,
            line_starts,
        }
    }

    /// Reads a file, refusing what is too large, empty or not UTF-8.
    pub fn read(path: &Path, limits: Limits) -> Result<SourceFile, Box<Problem>> {
        let at_start = || Location::start_of(path);
        let io = |e: std::io::Error| {
            Box::new(Problem::error(
                Code::Io,
                at_start(),
                format!("cannot read file: {e}"),
            ))
        };
        let size = std::fs::metadata(path).map_err(io)?.len();
        if size > limits.max_file_size {
            return Err(Box::new(
                Problem::error(
                    Code::TooLarge,
                    at_start(),
                    format!(
                        "file is {size} bytes, over the limit of {} bytes",
                        limits.max_file_size
                    ),
                )
                .with_help("split the content, or raise the limit with --max-file-size"),
            ));
        }
        let bytes = std::fs::read(path).map_err(io)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            // Locate the bad byte using the valid prefix.
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let probe = SourceFile::new(path, prefix);
            let mut location = probe.location(valid, 1);
            location.pointer = None;
            Box::new(
                Problem::error(
                    Code::Utf8,
                    location,
                    format!(
                        "file is not valid UTF-8: invalid byte 0x{:02X}",
                        bytes[valid]
                    ),
                )
                .with_help("save the file as UTF-8"),
            )
        })?;
        if text.trim().is_empty() {
            return Err(Box::new(Problem::error(
                Code::Empty,
                at_start(),
                "file is empty: expected content",
            )));
        }
        Ok(SourceFile::new(path, text))
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line, column)
    }

    /// Byte offset of a 1-based line and character column.
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        self.text[start..]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(self.text.len(), |(i, _)| start + i)
    }

    pub fn location(&self, offset: usize, length: usize) -> Location {
        let (line, column) = self.line_col(offset);
        Location {
            file: self.name.clone(),
            line,
            column,
            offset,
            length,
            pointer: None,
        }
    }

    pub fn location_at(&self, line: usize, column: usize) -> Location {
        let offset = self.offset(line, column);
        let length = self.text[offset..]
            .find('\n')
            .unwrap_or(self.text.len() - offset);
        Location {
            file: self.name.clone(),
            line,
            column,
            offset,
            length,
            pointer: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use claims::assert_matches;
    use std::io::Write;

    #[test]
    fn maps_offsets_to_lines_and_columns() {
        let file = SourceFile::new("a.yaml", "ab\ncé d\n".into());
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        // `é` is two bytes but one column.
        assert_eq!(file.line_col(6), (2, 3));
        assert_eq!(file.offset(2, 3), 6);
    }

    #[test]
    fn refuses_files_over_the_limit() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(b"slug: abcdef\n").unwrap();
        let err = SourceFile::read(f.path(), Limits { max_file_size: 4 }).unwrap_err();
        assert_matches!(err.code, Code::TooLarge);
    }

    #[test]
    fn names_the_line_of_bad_utf8() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(b"a: 1\nb: \xff\n").unwrap();
        let err = SourceFile::read(f.path(), Limits::default()).unwrap_err();
        assert_matches!(err.code, Code::Utf8);
        assert_eq!((err.location.line, err.location.column), (2, 4));
    }

    #[test]
    fn refuses_empty_files() {
        let f = tempfile::NamedTempFile::new().unwrap();
        let err = SourceFile::read(f.path(), Limits::default()).unwrap_err();
        assert_matches!(err.code, Code::Empty);
    }
}
