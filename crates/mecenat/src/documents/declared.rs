//! The non-profit's yearly declaration of receipts (art. 222 bis CGI, rules-association
//! §5) and the per-year subtotals of the 2069-RCI-SD section III list (rules-company §6).

use std::collections::BTreeMap;

use chrono::Datelike;
use rust_decimal::Decimal;

use crate::input::scenario::Scenario;
use crate::money::Money;
use crate::report::{Declaration, DeclarationTotal, Receipt, ReceiptsDeclared};

/// The article the receipts of this library fall under: company gifts.
pub(crate) const ARTICLE: &str = "238 bis";

/// The assumption stated whenever the declaration of receipts is reported.
pub(crate) const ASSUMPTION: &str = "receipts_declared (art. 222 bis CGI): a receipt is counted in the calendar year in which its period ends (it cannot be issued before); receipts the body issued outside this scenario (gifts of individuals, art. 200 CGI) are not included";

/// Per beneficiary (table order), then calendar year: the number of receipts whose period
/// ends in that year, and the cash, in-kind and total amounts stated on them.
pub(crate) fn receipts_declared(s: &Scenario, receipts: &[Receipt]) -> Vec<ReceiptsDeclared> {
    // (beneficiary index, year) -> (count, cash, in kind)
    let mut acc: BTreeMap<(usize, i32), (usize, Decimal, Decimal)> = BTreeMap::new();
    for r in receipts {
        let Some(b) = s.beneficiaries.iter().position(|b| b.id == r.beneficiary) else {
            continue;
        };
        let a = acc
            .entry((b, r.period_end.year()))
            .or_insert((0, Decimal::ZERO, Decimal::ZERO));
        a.0 += 1;
        a.1 += r.cash.0;
        a.2 += r.in_kind.0;
    }
    acc.into_iter()
        .map(|((b, year), (n, cash, in_kind))| ReceiptsDeclared {
            beneficiary: s.beneficiaries[b].id.clone(),
            year: year.to_string(),
            article: ARTICLE.into(),
            receipts: n,
            cash: Money(cash),
            in_kind: Money(in_kind),
            total: Money(cash + in_kind),
            beneficiary_name: s.beneficiaries[b].name.clone(),
        })
        .collect()
}

/// Per company and fiscal year of the declaration lists (in their order): how many
/// beneficiaries and gift lines, the total of the gifts and of the counterparts.
pub(crate) fn declaration_totals(
    s: &Scenario,
    declarations: &[Declaration],
) -> Vec<DeclarationTotal> {
    let mut out: Vec<DeclarationTotal> = Vec::new();
    for d in declarations {
        let same = out
            .last()
            .is_some_and(|t| t.company == d.company && t.fiscal_year == d.fiscal_year);
        if !same {
            let Some(fy) = s
                .fiscal_years
                .iter()
                .find(|f| f.company == d.company && f.label == d.fiscal_year)
            else {
                continue;
            };
            out.push(DeclarationTotal {
                company: d.company.clone(),
                fiscal_year: d.fiscal_year.clone(),
                start: fy.start,
                end: fy.end,
                beneficiaries: 0,
                gifts: 0,
                total: Money(Decimal::ZERO),
                counterparts: Money(Decimal::ZERO),
            });
        }
        if let Some(t) = out.last_mut() {
            t.beneficiaries += 1;
            t.gifts += d.gifts.len();
            t.total = Money(t.total.0 + d.total.0);
            t.counterparts = Money(t.counterparts.0 + d.counterparts.0);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::ASSUMPTION;

    /// The scenario of fixtures/cases/c28 (hand arithmetic there).
    fn report() -> crate::Report {
        let case: serde_json::Value = serde_json::from_str(include_str!(
            "../../../../fixtures/cases/c28_receipts_declared_222bis.json"
        ))
        .unwrap();
        let s = crate::Scenario::from_json(&case["scenario"].to_string()).unwrap();
        crate::compute(&s, &crate::Options::default()).unwrap()
    }

    #[test]
    fn the_assumption_is_stated_and_the_summary_lists_each_year() {
        let r = report();
        assert!(r.assumptions.iter().any(|a| a == ASSUMPTION));
        let t = r.to_text();
        assert!(
            t.contains("Déclaration annuelle des reçus (art. 222 bis CGI)"),
            "{t}"
        );
        assert!(
            t.contains("A1 2025 · art. 238 bis : 2 reçus · numéraire 500,00 € · nature 638,54 € · total 1 138,54 €"),
            "{t}"
        );
        assert!(
            t.contains("A2 2026 · art. 238 bis : 1 reçu · numéraire 0,00 €"),
            "{t}"
        );
        assert!(t.contains("l'année civile où finit sa période"), "{t}");
    }

    #[test]
    fn no_receipt_no_declaration_and_no_assumption() {
        let s = crate::Scenario::from_json(
            r#"{"companies": [{"id": "C1", "name": "X"}],
                "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31", "turnover": "1"}],
                "beneficiaries": [{"id": "B", "name": "Club", "eligible": false}],
                "donations": [{"company": "C1", "beneficiary": "B", "date": "2025-02-01", "amount": "10"}]}"#,
        )
        .unwrap();
        let r = crate::compute(&s, &crate::Options::default()).unwrap();
        assert!(r.receipts.is_empty() && r.receipts_declared.is_empty());
        assert!(!r.assumptions.iter().any(|a| a == ASSUMPTION));
        assert!(!r.to_text().contains("222 bis"));
    }
}
