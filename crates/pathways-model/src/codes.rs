//! Occupation codes: where a profession sits in the classifications that
//! labour-market and workforce data use, so content can be joined with them.

use get_size2::GetSize;
use serde::Serialize;
use std::fmt;

/// A classification of occupations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, GetSize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CodeScheme {
    /// The UK Standard Occupational Classification 2020 (ONS): a 4-digit unit group.
    Soc2020,
    /// The International Standard Classification of Occupations 2008 (ILO): a 4-digit unit group.
    Isco08,
    /// European Skills, Competences, Qualifications and Occupations: an occupation URI.
    Esco,
}

impl CodeScheme {
    /// In the order content and documents list them.
    pub const ALL: [CodeScheme; 3] = [CodeScheme::Soc2020, CodeScheme::Isco08, CodeScheme::Esco];

    /// The key content uses for the scheme (`soc2020`, `isco08`, `esco`).
    pub fn key(self) -> &'static str {
        match self {
            CodeScheme::Soc2020 => "soc2020",
            CodeScheme::Isco08 => "isco08",
            CodeScheme::Esco => "esco",
        }
    }

    pub fn parse(key: &str) -> Option<CodeScheme> {
        CodeScheme::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The scheme's full name.
    pub fn title(self) -> &'static str {
        match self {
            CodeScheme::Soc2020 => "UK Standard Occupational Classification 2020 (SOC 2020)",
            CodeScheme::Isco08 => {
                "International Standard Classification of Occupations 2008 (ISCO-08)"
            }
            CodeScheme::Esco => {
                "European Skills, Competences, Qualifications and Occupations (ESCO): occupations"
            }
        }
    }

    /// Where the scheme is published.
    pub fn home(self) -> &'static str {
        match self {
            CodeScheme::Soc2020 => "https://www.ons.gov.uk/methodology/classificationsandstandards/standardoccupationalclassificationsoc/soc2020",
            CodeScheme::Isco08 => "https://ilostat.ilo.org/methods/concepts-and-definitions/classification-occupation/",
            CodeScheme::Esco => "https://esco.ec.europa.eu/en/classification/occupation_main",
        }
    }
}

impl fmt::Display for CodeScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// One code of one scheme for a profession, with the public source that
/// establishes it.
#[derive(Debug, Clone, PartialEq, Eq, GetSize, Serialize)]
pub struct OccupationCode {
    pub scheme: CodeScheme,
    /// `2221` for SOC 2020 and ISCO-08; the occupation URI for ESCO.
    pub code: String,
    /// The group's or occupation's title in the scheme (`Physiotherapists`).
    pub name: String,
    /// Where the code was found.
    pub source: String,
}

impl OccupationCode {
    /// The code as a URI, where the scheme gives its codes one: ESCO's
    /// occupations are URIs, and ESCO publishes ISCO-08 groups as
    /// `http://data.europa.eu/esco/isco/C<code>`. SOC 2020 has none.
    pub fn uri(&self) -> Option<String> {
        match self.scheme {
            CodeScheme::Soc2020 => None,
            CodeScheme::Isco08 => Some(format!("http://data.europa.eu/esco/isco/C{}", self.code)),
            CodeScheme::Esco => Some(self.code.clone()),
        }
    }
}

impl fmt::Display for OccupationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(scheme: CodeScheme, code: &str) -> OccupationCode {
        OccupationCode {
            scheme,
            code: code.into(),
            name: "Physiotherapists".into(),
            source: "https://example.org".into(),
        }
    }

    #[test]
    fn keys_round_trip() {
        for scheme in CodeScheme::ALL {
            assert_eq!(CodeScheme::parse(scheme.key()), Some(scheme));
        }
        assert_eq!(CodeScheme::parse("soc2010"), None);
    }

    #[test]
    fn uris_where_the_scheme_has_them() {
        assert_eq!(code(CodeScheme::Soc2020, "2221").uri(), None);
        assert_eq!(
            code(CodeScheme::Isco08, "2264").uri().as_deref(),
            Some("http://data.europa.eu/esco/isco/C2264")
        );
        let esco = "http://data.europa.eu/esco/occupation/006cc1f9-2841-41c3-991a-dc3f2f3bd533";
        assert_eq!(code(CodeScheme::Esco, esco).uri().as_deref(), Some(esco));
    }
}
