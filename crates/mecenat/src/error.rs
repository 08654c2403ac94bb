//! The one error type of the library.

use std::fmt;

/// Where in the input a problem is: table, row, key, Excel cell and the value seen.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    /// Table name as in scenario-format.md (`time_entries`), when known.
    pub table: Option<String>,
    /// 1-based row within the table, when known.
    pub row: Option<usize>,
    /// Key (column) name, when known.
    pub key: Option<String>,
    /// Excel cell such as `Temps!C42`, when the input came from a workbook.
    pub cell: Option<String>,
    /// The value as seen in the input.
    pub value: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(t) = &self.table {
            parts.push(format!("table {t}"));
        }
        if let Some(r) = self.row {
            parts.push(format!("row {r}"));
        }
        if let Some(c) = &self.cell {
            parts.push(format!("cell {c}"));
        }
        if let Some(k) = &self.key {
            parts.push(format!("key {k}"));
        }
        if let Some(v) = &self.value {
            parts.push(format!("value {v:?}"));
        }
        f.write_str(&parts.join(", "))
    }
}

/// Everything that can go wrong in mecenat.
///
/// Row-level problems are not errors: they reject the row (see
/// [`Rejection`](crate::Rejection)); only whole-scenario problems are.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The scenario file is not valid JSON (message, line and column from the parser).
    #[error("invalid JSON: {message}")]
    Json {
        /// The parser's message, with line and column.
        message: String,
    },
    /// The scenario as a whole cannot be used: unknown table or key, a float where a
    /// decimal is expected, duplicate ids, overlapping or non-contiguous fiscal years…
    #[error("invalid scenario{}: {message}", in_parens(location))]
    Scenario {
        /// Where the problem is.
        location: Box<Location>,
        /// What is wrong.
        message: String,
    },
    /// A legal parameter file is invalid (a defect of the build, caught by the tests).
    #[error("invalid legal parameter {parameter}: {message}")]
    Parameter {
        /// Parameter (file) name.
        parameter: String,
        /// What is wrong.
        message: String,
    },
    /// Strict mode: the scenario has rejected rows.
    #[error("{count} row(s) rejected (strict mode); first: {first}")]
    Strict {
        /// How many rows were rejected.
        count: usize,
        /// The first rejection, as text.
        first: String,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// The system's message.
        message: String,
    },
    /// A defect of mecenat itself (a panic caught, an impossible state), never a problem of
    /// the input: please report it.
    #[error("internal error (a defect, please report it): {message}")]
    Internal {
        /// What went wrong.
        message: String,
    },
}

/// ` (location)`, or nothing when the location is empty (never `()`).
fn in_parens(location: &Location) -> String {
    let text = location.to_string();
    if text.is_empty() {
        text
    } else {
        format!(" ({text})")
    }
}

impl Error {
    /// A scenario error at a location.
    pub fn scenario(location: Location, message: impl Into<String>) -> Error {
        Error::Scenario {
            location: Box::new(location),
            message: message.into(),
        }
    }

    /// The location of a scenario error, if this is one.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Scenario { location, .. } => Some(location),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_location_shows_no_parentheses() {
        let e = Error::scenario(Location::default(), "the workbook has no sheet");
        assert_eq!(e.to_string(), "invalid scenario: the workbook has no sheet");
        let e = Error::scenario(
            Location {
                table: Some("companies".into()),
                ..Location::default()
            },
            "x",
        );
        assert_eq!(e.to_string(), "invalid scenario (table companies): x");
    }
}
