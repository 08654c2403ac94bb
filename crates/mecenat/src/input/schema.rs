//! The scenario's tables, one schema for every face: each table's name, its columns in
//! order, how each column's cells are read ([`ColumnKind`]) and whether it must be there
//! ([`Need`]). The order is scenario-format.md's, the order rejections are listed in.
//!
//! The core reads rows against it ([`crate::raw`]: unknown columns, interned keys); the
//! Excel face layers its French sheet names, headers, help and closed-list labels on it,
//! and the Python face its frame conversions.
//!
//! # Examples
//!
//! ```
//! use mecenat::schema::{table, ColumnKind, Need};
//! let employees = table("employees").unwrap();
//! let salary = employees.column("annual_gross_salary").unwrap();
//! assert_eq!((salary.kind, salary.need), (ColumnKind::Money, Need::Required));
//! assert_eq!(employees.column("annual_working_days").unwrap().need, Need::OneOf("basis"));
//! ```

/// How a column's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Free text (ids, names, addresses, references).
    Text,
    /// An amount in euros (an exact decimal).
    Money,
    /// A quantity: days, hours, a count of outputs (an exact decimal).
    Qty,
    /// Annual working days or hours (an exact decimal).
    Units,
    /// A rate or a factor (an exact decimal).
    Rate,
    /// A whole number.
    Whole,
    /// A date.
    Date,
    /// Yes or no.
    Bool,
    /// One code of a closed list.
    Choice(List),
    /// The `settings` table's key (one of the settings).
    SettingKey,
    /// The `settings` table's value: text or a number, as its key says.
    SettingValue,
}

/// The closed lists a column's codes come from (the codes themselves are in
/// scenario-format.md and checked where each table is read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// A time entry's `status`: `approved`, `refused`.
    Status,
    /// A donation's `kind`: `cash`, `in_kind`.
    DonationKind,
    /// A carry-forward's `kind`: `donations`, `reduction`.
    CarryKind,
    /// A beneficiary's `cvn_method`.
    CvnMethod,
    /// A beneficiary's `category`.
    Category,
    /// A rate's `unit`: `hour`, `day`.
    RateUnit,
    /// An output's `unit`.
    OutputUnit,
    /// A cash donation's `payment_method`.
    PaymentMethod,
}

/// Whether a column must be present in a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Always.
    Required,
    /// One of the columns sharing this group name must be present (`days` or `hours`).
    OneOf(&'static str),
    /// Never.
    Optional,
}

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Its key (the JSON member, the English header).
    pub key: &'static str,
    /// How its cells are read.
    pub kind: ColumnKind,
    /// Whether it must be there.
    pub need: Need,
}

/// One table of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    /// Its name (the JSON member, the English sheet name).
    pub name: &'static str,
    /// Its columns, in order.
    pub columns: &'static [Column],
}

impl Table {
    /// The column of a key.
    pub fn column(&self, key: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.key == key)
    }

    /// The keys of its columns, in order.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> {
        self.columns.iter().map(|c| c.key)
    }
}

use ColumnKind::*;
use Need::*;

const fn col(key: &'static str, kind: ColumnKind, need: Need) -> Column {
    Column { key, kind, need }
}

/// Every table, in the order of scenario-format.md.
pub static TABLES: &[Table] = &[
    Table {
        name: "companies",
        columns: &[
            col("id", Text, Required),
            col("name", Text, Required),
            col("siren", Text, Optional),
            col("legal_form", Text, Optional),
            col("address", Text, Optional),
        ],
    },
    Table {
        name: "fiscal_years",
        columns: &[
            col("company", Text, Required),
            col("start", Date, Required),
            col("end", Date, Required),
            col("turnover", Money, Required),
            col("tax_due", Money, Optional),
            col("label", Text, Optional),
        ],
    },
    Table {
        name: "carryforwards",
        columns: &[
            col("company", Text, Required),
            col("kind", Choice(List::CarryKind), Required),
            col("origin_end", Date, Required),
            col("amount", Money, Required),
            col("rate", Rate, Optional),
            col("years_left", Whole, Optional),
        ],
    },
    Table {
        name: "beneficiaries",
        columns: &[
            col("id", Text, Required),
            col("name", Text, Required),
            col("siren", Text, Optional),
            col("rna", Text, Optional),
            col("address", Text, Optional),
            col("object", Text, Optional),
            col("category", Choice(List::Category), Optional),
            col("eligible", Bool, Optional),
            col("aid_to_people_in_difficulty", Bool, Optional),
            col("cvn_method", Choice(List::CvnMethod), Optional),
            col("cvn_factor", Text, Optional),
            col("intermediary_name", Text, Optional),
            col("intermediary_siren", Text, Optional),
            col("intermediary_rna", Text, Optional),
            col("recognition_decree", Date, Optional),
        ],
    },
    Table {
        name: "employees",
        columns: &[
            col("id", Text, Required),
            col("company", Text, Required),
            col("name", Text, Optional),
            col("from", Date, Optional),
            col("annual_gross_salary", Money, Required),
            col("annual_employer_charges", Money, Required),
            col("annual_working_days", Units, OneOf("basis")),
            col("annual_working_hours", Units, OneOf("basis")),
            col("hours_per_day", Qty, Optional),
        ],
    },
    Table {
        name: "time_entries",
        columns: &[
            col("employee", Text, OneOf("giver")),
            col("volunteer", Text, OneOf("giver")),
            col("beneficiary", Text, Required),
            col("date", Date, Required),
            col("days", Qty, OneOf("quantity")),
            col("hours", Qty, OneOf("quantity")),
            col("project", Text, Optional),
            col("activity", Text, Optional),
            col("status", Choice(List::Status), Optional),
        ],
    },
    Table {
        name: "donations",
        columns: &[
            col("company", Text, Required),
            col("beneficiary", Text, Required),
            col("date", Date, Required),
            col("amount", Money, Required),
            col("kind", Choice(List::DonationKind), Optional),
            col("description", Text, Optional),
            col("payment_method", Choice(List::PaymentMethod), Optional),
        ],
    },
    Table {
        name: "counterparts",
        columns: &[
            col("company", Text, Required),
            col("beneficiary", Text, Required),
            col("date", Date, Required),
            col("value", Money, Required),
            col("description", Text, Optional),
        ],
    },
    Table {
        name: "bench",
        columns: &[
            col("employee", Text, Required),
            col("start", Date, Required),
            col("end", Date, Required),
        ],
    },
    Table {
        name: "rates",
        columns: &[
            col("id", Text, Required),
            col("unit", Choice(List::RateUnit), Required),
            col("amount", Money, Required),
            col("activity", Text, Optional),
            col("from", Date, Optional),
        ],
    },
    Table {
        name: "outputs",
        columns: &[
            col("beneficiary", Text, Required),
            col("date", Date, Required),
            col("unit", Choice(List::OutputUnit), Required),
            col("quantity", Qty, Required),
            col("project", Text, Optional),
        ],
    },
    Table {
        name: "settings",
        columns: &[
            col("key", SettingKey, Required),
            col("value", SettingValue, Required),
        ],
    },
    Table {
        name: "law",
        columns: &[
            col("parameter", Text, Required),
            col("since", Date, Required),
            col("value", SettingValue, Required),
            col("reference", Text, Required),
        ],
    },
];

/// The table of a name.
pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

/// The position of a table in [`TABLES`] (the order rejections are listed in).
pub fn table_index(name: &str) -> Option<usize> {
    TABLES.iter().position(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_keys_are_unique_and_every_group_has_two_columns() {
        let mut names: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TABLES.len());
        for t in TABLES {
            let mut keys: Vec<&str> = t.keys().collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), t.columns.len(), "{}", t.name);
            for c in t.columns {
                if let OneOf(group) = c.need {
                    let n = t.columns.iter().filter(|o| o.need == OneOf(group)).count();
                    assert!(n >= 2, "{}.{}: a group of one", t.name, c.key);
                }
            }
        }
        assert_eq!(table_index("companies"), Some(0));
        assert_eq!(table_index("law"), Some(TABLES.len() - 1));
        assert_eq!(table("nope"), None);
    }
}
