//! The words of the report workbook: the codes of the report (regime, policies, statuses,
//! categories, tables, rejection kinds, notes of the valuation rows, units) as French or
//! English text. Only words here: every figure a sentence holds comes from the report.

use mecenat::fr::{fr_amount, fr_number};
use mecenat::money::round_dp;
use mecenat::report::{
    CarriedOrder, FiscalYearReport, FixedCeilingProration, Reference, RetentionOrder,
};
use mecenat::scenario::{Category, CvnMethod};
use mecenat::{CapMethod, Rejection};
use rust_decimal::Decimal;

use super::Tr;
use crate::detail::notes;
use crate::schema;

/// An amount in euros as text (`1 234,50 €`, English `1,234.50 EUR`).
pub(super) fn euros(tr: Tr, d: Decimal) -> String {
    let fr = fr_amount(d);
    if tr.0 {
        format!("{fr} €")
    } else {
        let (int, dec) = fr.rsplit_once(',').unwrap_or((&fr, "00"));
        format!("{}.{dec} EUR", int.replace(' ', ","))
    }
}

/// A whole amount in euros as text (`20 000 €`), rounded half away from zero.
pub(super) fn whole_euros(tr: Tr, d: Decimal) -> String {
    let t = euros(tr, round_dp(d, 0));
    t.replacen(if tr.0 { ",00 " } else { ".00 " }, " ", 1)
}

/// A share as a percentage (`60 %`, `0,5 %`), at most two decimals.
pub(super) fn percent(tr: Tr, share: Decimal) -> String {
    scaled(tr, share * Decimal::ONE_HUNDRED, "%")
}

/// A decimal with at most two decimals, rounded half away from zero as every face rounds
/// (`1 571,5`; English `1571.5`).
pub(super) fn qty(tr: Tr, d: Decimal) -> String {
    if tr.0 {
        fr_number(d, 2)
    } else {
        round_dp(d, 2).normalize().to_string()
    }
}

/// `d` as [`qty`] writes it, with its sign (`%`, `‰`): French puts a space before it.
fn scaled(tr: Tr, d: Decimal, sign: &str) -> String {
    let n = qty(tr, d);
    if tr.0 {
        format!("{n} {sign}")
    } else {
        format!("{n}{sign}")
    }
}

/// A date as text (`31/12/2025`, English ISO).
pub(super) fn date(tr: Tr, d: chrono::NaiveDate) -> String {
    if tr.0 {
        d.format("%d/%m/%Y").to_string()
    } else {
        d.format("%Y-%m-%d").to_string()
    }
}

/// What a value of the annex is (`smic_hourly` → "SMIC horaire brut"; rate ids as given),
/// and its unit in the workbook's language.
pub(super) fn annex_value(tr: Tr, what: &str, unit: &str) -> (String, String) {
    let what = match what {
        "smic_hourly" => tr
            .t("SMIC horaire brut", "gross hourly minimum wage")
            .to_string(),
        other => other.to_string(),
    };
    let unit = if tr.0 {
        unit.replace("EUR/", "€ / ")
    } else {
        unit.replace("/heure", "/hour").replace("/jour", "/day")
    };
    (what, unit)
}

/// A per-mille share (`5 ‰`).
fn per_mille(tr: Tr, share: Decimal) -> String {
    scaled(tr, share * Decimal::ONE_THOUSAND, "‰")
}

/// The regime of a fiscal year written out from the law the year used: closing date,
/// ceiling, rates.
pub(super) fn regime(tr: Tr, y: &FiscalYearReport) -> String {
    let law = &y.law;
    let end = if tr.0 {
        y.end.format("%d/%m/%Y").to_string()
    } else {
        y.end.format("%Y-%m-%d").to_string()
    };
    let share = per_mille(tr, law.ceiling_turnover_rate.0);
    let ceiling = if law.ceiling_fixed.0.is_zero() {
        tr.t("plafond ", "ceiling ").to_string() + &share + tr.t(" du CA", " of turnover")
    } else {
        format!(
            "{}{} {} {share}{}",
            tr.t("plafond ", "ceiling "),
            whole_euros(tr, law.ceiling_fixed.0),
            tr.t("ou", "or"),
            tr.t(" du CA", " of turnover")
        )
    };
    let rates = match (law.reduced_rate, law.reduced_rate_threshold) {
        (Some(low), Some(t)) => format!(
            "{}, {} {} {}",
            percent(tr, law.reduction_rate.0),
            percent(tr, low.0),
            tr.t("au-delà de", "above"),
            whole_euros(tr, t.0)
        ),
        _ => percent(tr, law.reduction_rate.0),
    };
    format!(
        "{} {end} : {ceiling}, {rates}",
        tr.t("clôture au", "closing on")
    )
    .replace(" : ", if tr.0 { " : " } else { ": " })
}

/// The salary-cap policy in words.
pub(super) fn cap_method(tr: Tr, m: CapMethod) -> &'static str {
    match m {
        CapMethod::Rate => tr.t(
            "le coût annuel de chaque salarié est plafonné (taux annuel plafonné)",
            "each employee's annual cost capped (capped annual rate)",
        ),
        CapMethod::Period => tr.t(
            "plafond mensuel par salarié (les valeurs du mois sont réparties sous le plafond)",
            "monthly cap per employee (the month's values allocated under the cap)",
        ),
    }
}

/// An eligibility category (`general_interest` → "intérêt général").
pub(super) fn category(tr: Tr, category: Category) -> String {
    let fr = match category {
        Category::GeneralInterest => "intérêt général",
        Category::PublicUtility => "reconnue d'utilité publique",
        Category::EndowmentFund => "fonds de dotation",
        Category::HigherEducation => "enseignement supérieur",
        Category::Research => "recherche",
        Category::PerformingArts => "spectacle vivant",
        Category::Heritage => "patrimoine",
    };
    if tr.0 {
        fr.to_string()
    } else {
        category.code().replace('_', " ")
    }
}

/// A table's name as its sheet in the template (`time_entries` → "Temps").
pub(super) fn table(tr: Tr, key: &str) -> String {
    schema::table_for_sheet(key).map_or_else(|| key.to_string(), |t| t.sheet(tr.0).to_string())
}

/// A column's header in the template (`employee` → "Salarié").
pub(super) fn column(tr: Tr, table: &str, key: &str) -> String {
    notes::column(tr.0, table, key)
}

/// A rejection's reason: in French from its kind, with its column and value; in English
/// the library's own reason.
pub(super) fn rejection(tr: Tr, r: &Rejection) -> String {
    notes::rejection(tr.0, r)
}

/// The assumptions the library states, in French (none holds a legal figure).
fn assumption_fr(a: &str) -> Option<String> {
    if a.starts_with("forecast: five projected 12-month fiscal years") {
        return Some("prévisions : cinq exercices de 12 mois projetés après le dernier de chaque entreprise, avec son dernier plafond et sa loi ; sans nouveau don aucun don, avec les mêmes dons ceux du dernier exercice tranche par tranche ; une projection, jamais mêlée aux chiffres des exercices".into());
    }
    if a.starts_with("cap_method = period:") {
        return Some("plafonnement mensuel (cap_method = period) : les saisies retenues de chaque salarié sur un mois civil sont limitées au plafond du mois, réduites au prorata (plus fort reste au centime)".into());
    }
    if a.starts_with("receipts_declared (art. 222 bis CGI):") {
        return Some("déclaration des reçus (art. 222 bis CGI) : un reçu compte pour l'année civile où finit sa période (il ne peut être émis avant) ; les reçus émis hors de ce scénario (dons des particuliers, art. 200 CGI) n'y sont pas".into());
    }
    if a.starts_with("opening balances without years_left:") {
        return Some("soldes d'ouverture sans années restantes : exercices de 12 mois supposés entre leur origine et le premier exercice donné".into());
    }
    let rest = a.strip_prefix("fiscal year ")?;
    let (head, tail) = rest.split_once(" is not 12 months long:")?;
    let (label, company) = head.split_once(" of ")?;
    tail.contains("not prorated").then(|| {
        format!("l'exercice {label} de {company} ne dure pas 12 mois : le montant fixe du plafond n'est pas proratisé, et le chiffre d'affaires est le sien (jamais annualisé)")
    })
}

/// A warning of the report in French where its wording is one the library writes (the
/// plausibility checks' and the tables' names); other warnings as they are.
pub(super) fn warning(tr: Tr, w: &str) -> String {
    if !tr.0 {
        return w.to_string();
    }
    if let Some(fr) = assumption_fr(w) {
        return fr;
    }
    let mut s = w.to_string();
    for (en, fr) in [
        (
            " times: imported more than once? Nothing is excluded, check the entries",
            " fois : importée plusieurs fois ? Rien n'est écarté, vérifiez les saisies",
        ),
        (
            " in all; nothing is excluded, check the entries",
            " au total ; rien n'est écarté, vérifiez les saisies",
        ),
        (
            " hours (more than 24 hours in a day)",
            " heures (plus de 24 heures dans une journée)",
        ),
        (" days (more than 1 day)", " jours (plus d'un jour)"),
        (": the same entry (", " : la même saisie ("),
        (") appears ", ") apparaît "),
        ("(only the first ", "(seuls les premiers, au nombre de "),
        (" are listed)", ", sont listés)"),
        ("employee \"", "salarié \""),
        ("volunteer \"", "bénévole \""),
        ("beneficiary \"", "bénéficiaire \""),
        (" days)", " jours)"),
        (" hours)", " heures)"),
        (" day)", " jour)"),
        (" gives ", " donne "),
        ("rows ", "lignes "),
        ("row ", "ligne "),
        (" more ", " autres "),
    ] {
        s = s.replace(en, fr);
    }
    for t in schema::DEFS.iter() {
        if let Some(rest) = s.strip_prefix(t.key) {
            if rest.starts_with([' ', ':']) {
                s = format!("{}{rest}", t.fr);
            }
        }
    }
    s
}

/// A declared output's unit.
pub(super) fn output_unit(tr: Tr, unit: &str) -> String {
    let fr = match unit {
        "people_trained" => "personnes formées",
        "people_helped" => "personnes aidées",
        "sessions_held" => "séances tenues",
        "workshops_held" => "ateliers tenus",
        "meals_served" => "repas servis",
        "devices_provided" => "équipements fournis",
        "projects_delivered" => "projets livrés",
        "hours_of_training" => "heures de formation",
        other => return other.replace('_', " "),
    };
    if tr.0 {
        fr.to_string()
    } else {
        unit.replace('_', " ")
    }
}

/// A beneficiary's valuation method of contributions in kind.
pub(super) fn cvn_method(tr: Tr, m: CvnMethod) -> &'static str {
    match m {
        CvnMethod::DonorCost => tr.t("coût de revient du donateur", "donor's cost price"),
        CvnMethod::Smic => tr.t("SMIC horaire", "hourly minimum wage"),
        CvnMethod::SmicLoaded => tr.t("SMIC chargé", "loaded minimum wage"),
        CvnMethod::Rate => tr.t("barème de tarifs", "rate table"),
    }
}

/// A journal category.
pub(super) fn journal_category(tr: Tr, c: &str) -> String {
    match c {
        "staff_lent" => tr.t("personnel mis à disposition", "staff lent").into(),
        "volunteers" => tr.t("bénévolat", "volunteers").into(),
        other => other.replace('_', " "),
    }
}

/// What a legal parameter of the report is, in the workbook's language: in French the
/// reference's `description_fr` (from the parameter's own file), its `description`
/// otherwise.
pub(super) fn parameter(tr: Tr, rf: &Reference) -> &str {
    match &rf.description_fr {
        Some(fr) if tr.0 => fr,
        _ => &rf.description,
    }
}

/// The height in points of a row whose cells wrap `texts` in columns of the given widths
/// (in characters): 15 points a line, at least one line.
pub(super) fn wrapped_height(texts: &[(&str, u16)]) -> f64 {
    let lines = texts
        .iter()
        .map(|(t, width)| {
            // About 1.1 characters of text per character of column width.
            let per_line = (usize::from(*width) * 11).max(10);
            (t.chars().count() * 10).div_ceil(per_line).max(1)
        })
        .max()
        .unwrap_or(1);
    f64::from(u32::try_from(lines.min(40)).unwrap_or(40) * 15)
}

/// The label of a policy of the report (Sources sheet).
pub(super) fn policy(tr: Tr, key: &str) -> String {
    match key {
        "cap_method" => tr.t("Plafonnement du coût salarial", "cap_method"),
        "retention_order" => tr.t("Ordre de retenue des dons", "retention_order"),
        "carried_order" => tr.t("Ordre d'utilisation des reports", "carried_order"),
        "fixed_ceiling_proration" => tr.t(
            "Plafond fixe d'un exercice court ou long",
            "fixed_ceiling_proration",
        ),
        "journal_accounts" => tr.t("Comptes du journal", "journal_accounts"),
        other => other,
    }
    .to_string()
}

/// The retention order, written out.
pub(super) fn retention_order(tr: Tr, p: RetentionOrder) -> &'static str {
    match p {
        RetentionOrder::HighestRateFirst => tr.t(
            "aide aux personnes en difficulté à 60 %, puis dons à 60 %, puis à 40 % (le taux le plus élevé d'abord) ; puis les excédents reportés, le plus ancien d'abord, 60 % avant 40 %",
            "aid60, std60, std40 (highest rate first); then carried excesses, oldest origin first, 60 % before 40 %",
        ),
    }
}

/// The order carried excesses are used in, written out.
pub(super) fn carried_order(tr: Tr, p: CarriedOrder) -> &'static str {
    match p {
        CarriedOrder::OldestOriginFirst => tr.t("le plus ancien d'abord", "oldest origin first"),
    }
}

/// Whether the fixed ceiling is prorated, written out.
pub(super) fn fixed_ceiling_proration(tr: Tr, p: FixedCeilingProration) -> &'static str {
    match p {
        FixedCeilingProration::NotProrated => tr.t(
            "aucune proratisation (le montant fixe n'est pas proratisé pour un exercice qui ne dure pas 12 mois)",
            "none (fixed amount not prorated for fiscal years not 12 months long)",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_regime_is_written_out_from_the_years_law() {
        let report = crate::test_report();
        let y = &report.fiscal_years[0];
        assert_eq!(
            regime(Tr(true), y),
            "clôture au 31/12/2025 : plafond 20 000 € ou 5 ‰ du CA, 60 %, 40 % au-delà de 2 000 000 €"
        );
        assert_eq!(
            regime(Tr(false), y),
            "closing on 2025-12-31: ceiling 20,000 EUR or 5‰ of turnover, 60%, 40% above 2,000,000 EUR"
        );
    }

    #[test]
    fn amounts_shares_and_codes_in_words() {
        assert_eq!(euros(Tr(true), Decimal::new(123450, 2)), "1 234,50 €");
        assert_eq!(euros(Tr(false), Decimal::new(123450, 2)), "1,234.50 EUR");
        assert_eq!(percent(Tr(true), Decimal::new(2895, 4)), "28,95 %");
        assert_eq!(percent(Tr(false), Decimal::new(2895, 4)), "28.95%");
        assert_eq!(
            category(Tr(true), Category::GeneralInterest),
            "intérêt général"
        );
        assert_eq!(
            category(Tr(false), Category::PublicUtility),
            "public utility"
        );
        assert_eq!(table(Tr(true), "time_entries"), "Temps");
        assert_eq!(output_unit(Tr(true), "people_trained"), "personnes formées");
    }

    #[test]
    fn a_parameter_is_described_in_french_from_its_own_file() {
        let report = crate::test_report();
        let rf = report
            .references
            .iter()
            .find(|r| r.parameter == "pass")
            .unwrap();
        assert_eq!(
            parameter(Tr(true), rf),
            "Plafond annuel de la sécurité sociale (PASS), pour le plafonnement du coût salarial (art. 238 bis 1 CGI)"
        );
        assert_eq!(parameter(Tr(false), rf), rf.description);
        let mut without = rf.clone();
        without.description_fr = None;
        assert_eq!(parameter(Tr(true), &without), rf.description);
    }

    #[test]
    fn halves_round_away_from_zero_and_french_groups_thousands() {
        // As the core's French words and the PDF receipts write them (they rounded half to
        // even here: 0,12, 28,94 %, 20 000 €).
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(qty(Tr(true), d("0.125")), "0,13");
        assert_eq!(qty(Tr(false), d("0.125")), "0.13");
        assert_eq!(qty(Tr(true), d("1571.5")), "1 571,5");
        assert_eq!(qty(Tr(true), d("12000")), "12 000");
        assert_eq!(percent(Tr(true), d("0.28945")), "28,95 %");
        assert_eq!(percent(Tr(false), d("0.28945")), "28.95%");
        assert_eq!(per_mille(Tr(true), d("0.0050005")), "5 ‰");
        assert_eq!(per_mille(Tr(true), d("0.001225")), "1,23 ‰");
        assert_eq!(per_mille(Tr(false), d("0.001225")), "1.23‰");
        assert_eq!(whole_euros(Tr(true), d("20000.5")), "20 001 €");
        assert_eq!(whole_euros(Tr(false), d("20000.5")), "20,001 EUR");
        assert_eq!(whole_euros(Tr(true), d("20000.49")), "20 000 €");
    }

    #[test]
    fn a_rejection_reads_in_french_from_its_kind_with_its_column_and_value() {
        let report = crate::test_report();
        let r = report
            .rejected
            .iter()
            .find(|r| r.kind == mecenat::scenario::RejectionKind::UnknownEmployee)
            .expect("E9 is unknown");
        let fr = rejection(Tr(true), r);
        assert!(fr.starts_with("salarié inconnu"), "{fr}");
        assert!(fr.contains("« E9 »"), "{fr}");
        assert_eq!(rejection(Tr(false), r), r.reason);
    }

    #[test]
    fn the_assumptions_read_in_french() {
        let a = "fiscal year 2025 of C1 is not 12 months long: the fixed ceiling amount is not prorated, and turnover is its own (never annualised)";
        assert!(warning(Tr(true), a).starts_with("l'exercice 2025 de C1 ne dure pas 12 mois"));
        assert_eq!(warning(Tr(false), a), a);
    }

    #[test]
    fn plausibility_warnings_read_in_french() {
        let w = "time_entries rows 33, 34: the same entry (employee \"E009\", beneficiary \"A-CONNECT\", 2025-01-24, 0.5 days) appears 2 times: imported more than once? Nothing is excluded, check the entries";
        assert_eq!(
            warning(Tr(true), w),
            "Temps lignes 33, 34 : la même saisie (salarié \"E009\", bénéficiaire \"A-CONNECT\", 2025-01-24, 0.5 jours) apparaît 2 fois : importée plusieurs fois ? Rien n'est écarté, vérifiez les saisies"
        );
    }
}
