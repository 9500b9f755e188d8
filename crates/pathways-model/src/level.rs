//! Career levels: a qualification scheme plus a rank, keeping the label as displayed.

use get_size2::GetSize;
use std::fmt;

/// The scheme the page's levels belong to: England's Regulated Qualifications Framework.
pub const RQF: &str = "RQF";
/// The highest rank the RQF has (Level 8, a doctorate).
pub const MAX_RANK: u8 = 8;

/// A level as the page shows it: `Entry Level` ranks 0, `Level N` ranks N.
#[derive(Debug, Clone, Copy, PartialEq, Eq, GetSize, Hash, PartialOrd, Ord)]
pub struct Level {
    rank: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LevelError {
    #[error("`{0}` is not a level: expected `Entry Level` or `Level 1` to `Level 8`")]
    NotALevel(String),
    #[error("`Level {0}` is outside the RQF: levels run from `Entry Level` to `Level 8`")]
    OutOfRange(u32),
}

impl Level {
    pub const ENTRY: Level = Level { rank: 0 };

    pub fn from_rank(rank: u8) -> Result<Level, LevelError> {
        if rank > MAX_RANK {
            return Err(LevelError::OutOfRange(rank.into()));
        }
        Ok(Level { rank })
    }

    pub fn rank(self) -> u8 {
        self.rank
    }

    pub fn scheme(self) -> &'static str {
        RQF
    }

    pub fn label(self) -> String {
        self.to_string()
    }

    /// Parses a label as displayed: `Entry Level`, `Level 5`.
    pub fn parse(label: &str) -> Result<Level, LevelError> {
        let label = label.trim();
        if label == "Entry Level" {
            return Ok(Level::ENTRY);
        }
        let digits = label
            .strip_prefix("Level ")
            .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| LevelError::NotALevel(label.to_owned()))?;
        let number: u32 = digits
            .parse()
            .map_err(|_| LevelError::NotALevel(label.to_owned()))?;
        match u8::try_from(number) {
            Ok(rank @ 1..=MAX_RANK) => Ok(Level { rank }),
            _ => Err(LevelError::OutOfRange(number)),
        }
    }
}

impl serde::Serialize for Level {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rank {
            0 => f.write_str("Entry Level"),
            n => write!(f, "Level {n}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use claims::{assert_err_eq, assert_ok_eq};
    use test_case::test_case;

    #[test_case("Entry Level", 0)]
    #[test_case("Level 2", 2)]
    #[test_case("Level 8", 8)]
    fn parses_labels(label: &str, rank: u8) {
        assert_ok_eq!(Level::parse(label).map(Level::rank), rank);
        assert_eq!(Level::parse(label).unwrap().label(), label);
    }

    #[test]
    fn rejects_levels_outside_the_rqf() {
        assert_err_eq!(Level::parse("Level 9"), LevelError::OutOfRange(9));
        assert_err_eq!(Level::parse("Level 0"), LevelError::OutOfRange(0));
        assert_err_eq!(
            Level::parse("Band 5"),
            LevelError::NotALevel("Band 5".into())
        );
    }

    #[test]
    fn entry_level_ranks_below_level_one() {
        assert!(Level::ENTRY < Level::parse("Level 1").unwrap());
    }
}
