//! Where things are: the sheet names, the rows of the Calcul sheet (a closed list: a
//! misspelled row is a compile error) with their labels and rules, and the column of each
//! fiscal year.

use std::collections::{BTreeSet, HashMap};

use mecenat::report::Report;
use rust_decimal::Decimal;

use super::{abs, q, Tr};

/// One row of the Calcul sheet, in sheet order; the rows of each rate of the reduction
/// ([`RatePart`]) come between [`Row::SecReduction`] and [`Row::Reduction`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Row {
    Company,
    Label,
    Start,
    End,
    Regime,
    SecDonations,
    Staff,
    Cash,
    InKind,
    Total,
    Aid60,
    Threshold,
    Std60,
    Std40,
    SecCeiling,
    Turnover,
    TurnoverRate,
    Fixed,
    Ceiling,
    SecRetention,
    RetAid,
    RetStd60,
    RetStd40,
    RetainedCurrent,
    Headroom,
    Available,
    RetainedCarried,
    ExcessStd,
    ExcessLow,
    Excess,
    SecReduction,
    Reduction,
    Form,
    SecDonationsCarried,
    DonExpired,
    DonClosing,
    SecImputation,
    Tax,
    RedAvailable,
    RedPrior,
    RedCurrent,
    RedUsed,
    RedUnused,
    RedExpired,
    RedClosing,
}

/// The three rows of each rate of the reduction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RatePart {
    /// The rate.
    Rate,
    /// Retained at this rate (this year and carried).
    Retained,
    /// The reduction at this rate.
    Reduction,
}

impl RatePart {
    pub(super) const ALL: [RatePart; 3] = [RatePart::Rate, RatePart::Retained, RatePart::Reduction];

    /// Label and rule.
    pub(super) fn text(self, tr: Tr) -> (&'static str, &'static str) {
        match self {
            RatePart::Rate => (tr.t("Taux", "Rate"), ""),
            RatePart::Retained => (
                tr.t("Retenu à ce taux", "Retained at this rate"),
                tr.t(
                    "exercice + reports à ce taux",
                    "this year + carried at this rate",
                ),
            ),
            RatePart::Reduction => (
                tr.t("Réduction à ce taux", "Reduction at this rate"),
                "= ARRONDI(taux × retenu ; 2)",
            ),
        }
    }
}

impl Row {
    /// Every row, in sheet order (the position of each is its discriminant).
    pub(super) const ALL: [Row; 45] = {
        use Row::*;
        [
            Company,
            Label,
            Start,
            End,
            Regime,
            SecDonations,
            Staff,
            Cash,
            InKind,
            Total,
            Aid60,
            Threshold,
            Std60,
            Std40,
            SecCeiling,
            Turnover,
            TurnoverRate,
            Fixed,
            Ceiling,
            SecRetention,
            RetAid,
            RetStd60,
            RetStd40,
            RetainedCurrent,
            Headroom,
            Available,
            RetainedCarried,
            ExcessStd,
            ExcessLow,
            Excess,
            SecReduction,
            Reduction,
            Form,
            SecDonationsCarried,
            DonExpired,
            DonClosing,
            SecImputation,
            Tax,
            RedAvailable,
            RedPrior,
            RedCurrent,
            RedUsed,
            RedUnused,
            RedExpired,
            RedClosing,
        ]
    };

    /// Whether the row is a section title.
    pub(super) fn is_section(self) -> bool {
        use Row::*;
        matches!(
            self,
            SecDonations
                | SecCeiling
                | SecRetention
                | SecReduction
                | SecDonationsCarried
                | SecImputation
        )
    }

    /// Label and rule.
    pub(super) fn text(self, tr: Tr) -> (&'static str, &'static str) {
        use Row::*;
        let t = |fr, en| tr.t(fr, en);
        match self {
            Company => (t("Entreprise", "Company"), ""),
            Label => (t("Exercice", "Fiscal year"), ""),
            Start => (t("Début", "Start"), ""),
            End => (
                t("Clôture", "End"),
                t(
                    "la date de clôture choisit le régime",
                    "the closing date picks the regime",
                ),
            ),
            Regime => (t("Régime", "Regime"), ""),
            SecDonations => (t("Dons de l'exercice", "Donations of the year"), ""),
            Staff => (
                t("Temps donné (coût de revient)", "Staff time (cost price)"),
                t(
                    "Σ des valeurs retenues de la feuille Valorisation",
                    "Σ of the retained values of the Valuation sheet",
                ),
            ),
            Cash => (t("Dons en numéraire", "Cash gifts"), ""),
            InKind => (t("Dons en nature", "In-kind gifts"), ""),
            Total => (
                t("Total des dons", "Total donations"),
                "= temps + numéraire + nature",
            ),
            Aid60 => (
                t(
                    "dont aide aux personnes en difficulté (60 %)",
                    "of which aid to people in difficulty (60 %)",
                ),
                t("hors seuil des 2 M€", "outside the 2 M EUR threshold"),
            ),
            Threshold => (t("Seuil du taux réduit", "Reduced-rate threshold"), ""),
            Std60 => (
                t(
                    "Autres dons jusqu'au seuil",
                    "Other gifts up to the threshold",
                ),
                "= MIN(total − aide ; seuil)",
            ),
            Std40 => (
                t(
                    "Autres dons au-delà du seuil",
                    "Other gifts above the threshold",
                ),
                t(
                    "= total − aide − jusqu'au seuil",
                    "= total − aid − up to the threshold",
                ),
            ),
            _ => self.text_ceiling_retention(tr),
        }
    }

    fn text_ceiling_retention(self, tr: Tr) -> (&'static str, &'static str) {
        use Row::*;
        let t = |fr, en| tr.t(fr, en);
        match self {
            SecCeiling => (
                t(
                    "Plafond des versements retenus",
                    "Ceiling on retained donations",
                ),
                "",
            ),
            Turnover => (t("Chiffre d'affaires HT", "Turnover excl. VAT"), ""),
            TurnoverRate => (t("Part du chiffre d'affaires", "Share of turnover"), ""),
            Fixed => (t("Montant fixe", "Fixed amount"), ""),
            Ceiling => (
                t("Plafond", "Ceiling"),
                "= MAX(fixe ; ARRONDI(CA × part ; 2))",
            ),
            SecRetention => (
                t(
                    "Rétention : l'exercice d'abord, puis les reports",
                    "Retention: the year first, then carried excesses",
                ),
                "",
            ),
            RetAid => (
                t("Retenu : aide aux personnes", "Retained: aid to people"),
                "= MIN(aide ; plafond)",
            ),
            RetStd60 => (
                t("Retenu : jusqu'au seuil", "Retained: up to the threshold"),
                t(
                    "= MIN(jusqu'au seuil ; plafond − déjà retenu)",
                    "= MIN(up to threshold ; ceiling − retained)",
                ),
            ),
            RetStd40 => (
                t("Retenu : au-delà du seuil", "Retained: above the threshold"),
                t(
                    "= MIN(au-delà ; plafond − déjà retenu)",
                    "= MIN(above ; ceiling − retained)",
                ),
            ),
            RetainedCurrent => (t("Retenu de l'exercice", "Retained (this year)"), ""),
            Headroom => (t("Marge sous le plafond", "Headroom under the ceiling"), ""),
            Available => (
                t(
                    "Excédents antérieurs disponibles",
                    "Carried excesses available",
                ),
                t(
                    "= solde reporté de l'exercice précédent",
                    "= previous year's carried balance",
                ),
            ),
            RetainedCarried => (
                t("Excédents antérieurs utilisés", "Carried excesses used"),
                t(
                    "= MIN(disponibles ; marge), les plus anciens d'abord (feuille Reports)",
                    "= MIN(available ; headroom), oldest first (Carry-forwards sheet)",
                ),
            ),
            ExcessStd => (
                t(
                    "Excédent de l'exercice à taux normal",
                    "Excess of the year at the standard rate",
                ),
                "",
            ),
            ExcessLow => (
                t(
                    "Excédent de l'exercice à taux réduit",
                    "Excess of the year at the reduced rate",
                ),
                "",
            ),
            Excess => (
                t(
                    "Excédent reporté de l'exercice",
                    "Excess carried from this year",
                ),
                "",
            ),
            _ => self.text_reduction(tr),
        }
    }

    fn text_reduction(self, tr: Tr) -> (&'static str, &'static str) {
        use Row::*;
        let t = |fr, en| tr.t(fr, en);
        match self {
            SecReduction => (t("Réduction d'impôt", "Tax reduction"), ""),
            Reduction => (
                t(
                    "Réduction d'impôt de l'exercice",
                    "Tax reduction of the year",
                ),
                "",
            ),
            Form => (
                t(
                    "Ligne 2069-RCI-SD (euros entiers)",
                    "Form 2069-RCI-SD (whole euros)",
                ),
                "= ARRONDI(réduction ; 0)",
            ),
            SecDonationsCarried => (
                t(
                    "Report en base (excédents de dons)",
                    "Carry-forward of donations",
                ),
                "",
            ),
            DonExpired => (
                t(
                    "Excédents expirés en fin d'exercice",
                    "Excesses expired at year end",
                ),
                t("feuille Reports", "Carry-forwards sheet"),
            ),
            DonClosing => (
                t(
                    "Excédents reportés après l'exercice",
                    "Excesses carried after the year",
                ),
                t(
                    "= disponibles − utilisés + excédent − expirés",
                    "= available − used + excess − expired",
                ),
            ),
            _ => self.text_imputation(tr),
        }
    }

    fn text_imputation(self, tr: Tr) -> (&'static str, &'static str) {
        use Row::*;
        let t = |fr, en| tr.t(fr, en);
        match self {
            SecImputation => (
                t(
                    "Imputation sur l'impôt sur les sociétés",
                    "Imputation on corporate tax",
                ),
                "",
            ),
            Tax => (
                t("IS dû avant réduction", "Tax due before the reduction"),
                t(
                    "— : non fourni, imputation non calculée",
                    "—: not given, imputation not computed",
                ),
            ),
            RedAvailable => (
                t(
                    "Réductions antérieures disponibles",
                    "Earlier reductions available",
                ),
                "",
            ),
            RedPrior => (
                t("Réductions antérieures imputées", "Earlier reductions used"),
                t(
                    "= MIN(disponibles ; IS), les plus anciennes d'abord",
                    "= MIN(available ; tax), oldest first",
                ),
            ),
            RedCurrent => (
                t(
                    "Réduction de l'exercice imputée",
                    "This year's reduction used",
                ),
                "= MIN(réduction ; IS − imputé)",
            ),
            RedUsed => (t("Réduction imputée (total)", "Reduction used (total)"), ""),
            RedUnused => (
                t(
                    "Réduction de l'exercice reportée",
                    "This year's reduction carried",
                ),
                "",
            ),
            RedExpired => (
                t("Réductions expirées", "Reductions expired"),
                t("feuille Reports", "Carry-forwards sheet"),
            ),
            RedClosing => (
                t(
                    "Report en impôt après l'exercice",
                    "Unused reduction carried after the year",
                ),
                "",
            ),
            // Every other row is labelled by the functions above.
            _ => ("", ""),
        }
    }
}

/// Header row of the Calcul sheet.
pub(super) const TOP: u32 = 4;

/// Where things are: sheet names, the rates of the Calcul sheet and the fiscal years'
/// columns.
pub(super) struct Layout {
    pub(super) calc: String,
    pub(super) valo: Vec<(String, u32)>,
    pub(super) reports: String,
    /// Every rate any year uses, highest first: one group of [`RatePart`] rows each.
    pub(super) rates: Vec<Decimal>,
    /// Column of each fiscal year in Calcul, by (company, label).
    fy_col: HashMap<(String, String), u16>,
}

impl Layout {
    pub(super) fn new(report: &Report, tr: Tr, valo: &[(String, u32)]) -> Layout {
        let mut fy_col = HashMap::new();
        for (j, fy) in report.fiscal_years.iter().enumerate() {
            fy_col.insert(
                (fy.company.clone(), fy.label.clone()),
                2 + u16::try_from(j).unwrap_or(u16::MAX - 2),
            );
        }
        Layout {
            calc: tr.t("Calcul", "Calculation").to_string(),
            valo: valo.to_vec(),
            reports: tr.t("Reports", "Carry-forwards").to_string(),
            rates: rates(report),
            fy_col,
        }
    }

    /// The sheet row (0-based) of a Calcul row.
    pub(super) fn row(&self, r: Row) -> u32 {
        let i = r as u32;
        let shift = if i > Row::SecReduction as u32 {
            3 * u32::try_from(self.rates.len()).unwrap_or(0)
        } else {
            0
        };
        TOP + 1 + i + shift
    }

    /// The sheet row of a rate's row (`k`: the rate's index in [`Layout::rates`]).
    pub(super) fn rate_row(&self, k: usize, part: RatePart) -> u32 {
        TOP + 2 + Row::SecReduction as u32 + 3 * u32::try_from(k).unwrap_or(0) + part as u32
    }

    /// A Calcul cell as another sheet's formula names it (`'Calcul'!$C$12`).
    pub(super) fn cell(&self, r: Row, col: u16) -> String {
        format!("{}!{}", q(&self.calc), abs(col, self.row(r)))
    }

    /// The Calcul column of a fiscal year.
    pub(super) fn col_of(&self, company: &str, label: &str) -> Option<u16> {
        self.fy_col
            .get(&(company.to_string(), label.to_string()))
            .copied()
    }
}

/// Every rate any year uses (its law's rates, its reduction's, the donations ledger's),
/// highest first.
fn rates(report: &Report) -> Vec<Decimal> {
    let mut rates: BTreeSet<Decimal> = BTreeSet::new();
    for y in &report.fiscal_years {
        let std = y.law.reduction_rate.0;
        rates.insert(std);
        rates.insert(y.law.reduced_rate.map_or(std, |r| r.0));
        for k in y.reduction_by_rate.keys() {
            if let Ok(r) = Decimal::from_str_exact(k) {
                rates.insert(r);
            }
        }
    }
    for l in &report.donations_ledger {
        if let Some(r) = &l.rate {
            rates.insert(r.0);
        }
    }
    rates.into_iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(rates: usize) -> Layout {
        Layout {
            calc: "Calcul".into(),
            valo: Vec::new(),
            reports: "Reports".into(),
            rates: vec![Decimal::ZERO; rates],
            fy_col: HashMap::new(),
        }
    }

    #[test]
    fn every_row_is_listed_once_at_its_position() {
        for (i, r) in Row::ALL.iter().enumerate() {
            assert_eq!(*r as usize, i, "{r:?}");
        }
    }

    #[test]
    fn rate_rows_sit_between_the_section_and_the_reduction() {
        let l = layout(2);
        let sec = l.row(Row::SecReduction);
        assert_eq!(l.rate_row(0, RatePart::Rate), sec + 1);
        assert_eq!(l.rate_row(1, RatePart::Reduction), sec + 6);
        assert_eq!(l.row(Row::Reduction), sec + 7);
        assert_eq!(l.row(Row::Company), TOP + 1);
        assert_eq!(layout(0).row(Row::Reduction), sec + 1);
        assert_eq!(l.cell(Row::Company, 2), "'Calcul'!$C$6");
    }

    #[test]
    fn every_row_has_a_label_and_sections_no_rule() {
        for tr in [Tr(true), Tr(false)] {
            for r in Row::ALL {
                let (label, rule) = r.text(tr);
                assert!(!label.is_empty(), "{r:?}");
                if r.is_section() {
                    assert!(rule.is_empty(), "{r:?}");
                }
            }
            for p in RatePart::ALL {
                assert!(!p.text(tr).0.is_empty());
            }
        }
    }
}
