//! The export's lines, each classified by what it can be.

use super::glue::{self, LevelGlue};
use pathways_model::{Level, LevelError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineKind<'a> {
    /// A line that is only `-`.
    Separator,
    /// `Entry Level...` or `Level N...`: the label and what is glued after it.
    Level {
        level: Level,
        label_chars: usize,
        rest: &'a str,
    },
    /// A level label with nothing after it.
    BareLevel,
    /// A level label outside the scheme (`Level 9...`).
    BadLevel(LevelError),
    /// `route<stages><next title>`: what follows `route`.
    Route(&'a str),
    /// `• item` or `- item`.
    ListItem {
        marker: &'a str,
        text: &'a str,
    },
    Text(&'a str),
}

#[derive(Debug, Clone)]
pub struct Line<'a> {
    /// 1-based line number in the file.
    pub number: usize,
    /// Column (1-based, in characters) where `kind`'s text starts after trimming.
    pub indent: usize,
    pub kind: LineKind<'a>,
}

/// Splits an export into classified lines: CRLF or LF ends, stray spaces
/// trimmed, blank lines dropped, and a trailing ` -` split off as a separator.
pub fn classify(text: &str) -> Vec<Line<'_>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let number = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        let indent = raw[..raw.len() - raw.trim_start().len()].chars().count() + 1;
        if trimmed == "-" {
            out.push(Line {
                number,
                indent,
                kind: LineKind::Separator,
            });
            continue;
        }
        let (body, trailing_separator) = match trimmed.strip_suffix(" -") {
            Some(body) if !body.starts_with("- ") && !body.starts_with("• ") => {
                (body.trim_end(), true)
            }
            _ => (trimmed, false),
        };
        out.push(Line {
            number,
            indent,
            kind: kind_of(body),
        });
        if trailing_separator {
            out.push(Line {
                number,
                indent,
                kind: LineKind::Separator,
            });
        }
    }
    out
}

fn kind_of(line: &str) -> LineKind<'_> {
    match glue::level(line) {
        Some(LevelGlue::Glued {
            level,
            label_chars,
            rest,
        }) => {
            return LineKind::Level {
                level,
                label_chars,
                rest,
            }
        }
        Some(LevelGlue::Bare) => return LineKind::BareLevel,
        Some(LevelGlue::OutOfScheme(e)) => return LineKind::BadLevel(e),
        None => {}
    }
    if let Some(rest) = glue::route(line) {
        return LineKind::Route(rest);
    }
    for marker in ["• ", "- "] {
        if let Some(text) = line.strip_prefix(marker) {
            return LineKind::ListItem {
                marker: marker.trim_end(),
                text: text.trim(),
            };
        }
    }
    if line == "•" {
        return LineKind::ListItem {
            marker: "•",
            text: "",
        };
    }
    LineKind::Text(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<LineKind<'_>> {
        classify(text).into_iter().map(|l| l.kind).collect()
    }

    #[test]
    fn classifies_each_kind_of_line() {
        let text = "Level 2DirectCare.\r\n  Entry LevelX  \n\nrouteAPPRENTICESHIPNext\n• a\n- b\n-\nLevel 3 apprenticeships\nLevel 4\nLevel 9X\nEnd. -\n";
        let found = kinds(text);
        assert_eq!(
            found[0],
            LineKind::Level {
                level: Level::parse("Level 2").unwrap(),
                label_chars: 7,
                rest: "DirectCare."
            }
        );
        assert_eq!(
            found[1],
            LineKind::Level {
                level: Level::ENTRY,
                label_chars: 11,
                rest: "X"
            }
        );
        assert_eq!(found[2], LineKind::Route("APPRENTICESHIPNext"));
        assert_eq!(
            found[3],
            LineKind::ListItem {
                marker: "•",
                text: "a"
            }
        );
        assert_eq!(
            found[4],
            LineKind::ListItem {
                marker: "-",
                text: "b"
            }
        );
        assert_eq!(found[5], LineKind::Separator);
        assert_eq!(found[6], LineKind::Text("Level 3 apprenticeships"));
        assert_eq!(found[7], LineKind::BareLevel);
        assert!(matches!(found[8], LineKind::BadLevel(_)));
        assert_eq!(found[9..], [LineKind::Text("End."), LineKind::Separator]);
    }

    #[test]
    fn keeps_line_numbers_and_columns() {
        let lines = classify("\n\n   Level 2X\n");
        assert_eq!((lines[0].number, lines[0].indent), (3, 4));
    }
}
