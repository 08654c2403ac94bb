//! The annex note on contributions in kind, per beneficiary and year, and the annex as a
//! document (plain text or Markdown) for the beneficiaries' annual accounts.
//!
//! The French of the note: `de` elided before a vowel (`d'Octet Conseil`), days and hours
//! in prose with at most 2 decimals and their thousands separated (`1 571,5 heures`),
//! receipts mentioned for an eligible beneficiary only, the goods given in kind listed with
//! their value.

use super::*;
use crate::fr::{de, fr, fr_amount, fr_date, fr_quantity, plural};

/// The annex note per beneficiary and period.
pub(super) fn annex(
    inp: &AssocInput,
    by_ben: &BTreeMap<(usize, i32), Group>,
    chart: &ChartAccounts,
    law: &Law,
    goods: &[GoodsLine],
) -> Vec<AnnexText> {
    let s = inp.scenario;
    let mut smic_refs: Vec<Reference> = law
        .references()
        .into_iter()
        .filter(|r| r.parameter == "smic_hourly")
        .collect();
    smic_refs.sort_by_key(|r| r.since);
    let mut out = Vec::with_capacity(by_ben.len());
    for (&(b, year), g) in by_ben {
        let ben = &s.beneficiaries[b];
        let (used_smic, rates) = dated_values(s, g, &smic_refs);
        let nature = nature(s, g);
        let valuation = valuation(s, ben, g, &used_smic, &smic_refs);
        let amounts = amounts(g, chart);
        let text = format!(
            "Contributions volontaires en nature reçues par {} en {year}.\n\
             Nature : {}.\n\
             Méthode de comptage : temps saisi par personne et par date, en jours ou en heures ; jours et heures convertis avec les heures par jour de chaque salarié ({} heures par défaut et pour les bénévoles) ; seul le temps effectivement donné et accepté par l'association est compté.\n\
             Méthode de valorisation : {}.\n\
             Montants ({}) : {}.\n\
             Ces contributions sont enregistrées en classe 8 (comptes 86 et 87), sans effet sur le résultat.{}",
            ben.name,
            nature.join(" ; "),
            fr(inp.default_hpd),
            valuation,
            chart.label,
            amounts,
            goods_text(goods, &ben.id, year)
        );
        out.push(AnnexText {
            beneficiary: ben.id.clone(),
            period: year.to_string(),
            cvn_method: ben.cvn_method,
            rates,
            text,
            beneficiary_name: ben.name.clone(),
        });
    }
    with_goods_only(inp, by_ben, goods, out)
}

/// The annex notes with one more for each beneficiary and year that received goods or
/// services in kind but no time, in beneficiary then year order.
fn with_goods_only(
    inp: &AssocInput,
    by_ben: &BTreeMap<(usize, i32), Group>,
    goods: &[GoodsLine],
    notes: Vec<AnnexText>,
) -> Vec<AnnexText> {
    let s = inp.scenario;
    let keys: BTreeSet<(usize, i32)> = goods
        .iter()
        .filter_map(|g| Some((*inp.ben_idx.get(g.beneficiary.as_str())?, g.date.year())))
        .filter(|k| !by_ben.contains_key(k))
        .collect();
    if keys.is_empty() {
        return notes;
    }
    let mut all: Vec<((usize, i32), AnnexText)> = by_ben.keys().copied().zip(notes).collect();
    for (b, year) in keys {
        let ben = &s.beneficiaries[b];
        all.push((
            (b, year),
            AnnexText {
                beneficiary: ben.id.clone(),
                period: year.to_string(),
                cvn_method: ben.cvn_method,
                rates: Vec::new(),
                text: format!(
                    "Contributions en nature reçues par {} en {year} : aucun temps donné, des biens ou des services seulement.{}",
                    ben.name,
                    goods_text(goods, &ben.id, year)
                ),
                beneficiary_name: ben.name.clone(),
            },
        ));
    }
    all.sort_by_key(|x| x.0);
    all.into_iter().map(|x| x.1).collect()
}

/// The dated values a beneficiary's period used: the SMIC values (indexes into
/// `smic_refs`) and the rate rows, as annex lines.
fn dated_values(
    s: &Scenario,
    g: &Group,
    smic_refs: &[Reference],
) -> (BTreeSet<usize>, Vec<AnnexRate>) {
    let mut rates: Vec<AnnexRate> = Vec::new();
    let mut used_smic: BTreeSet<usize> = BTreeSet::new();
    for d in g.smic_dates.iter() {
        if let Some(k) = smic_refs.iter().rposition(|r| r.since <= *d) {
            used_smic.insert(k);
        }
    }
    for &k in &used_smic {
        let r = &smic_refs[k];
        rates.push(AnnexRate {
            what: "smic_hourly".into(),
            value: r.value.clone(),
            unit: "EUR/heure".into(),
            since: Some(r.since),
            source: r.source.clone(),
        });
    }
    for &k in g.rate_rows.iter() {
        let r = &s.rates[k];
        rates.push(AnnexRate {
            what: match &r.activity {
                Some(a) => format!("{} ({a})", r.id),
                None => r.id.clone(),
            },
            value: r.amount.normalize().to_string(),
            unit: match r.unit {
                RateUnit::Day => "EUR/jour".into(),
                RateUnit::Hour => "EUR/heure".into(),
            },
            since: r.from,
            source: format!("table rates, ligne {}", r.row),
        });
    }
    (used_smic, rates)
}

/// The SMIC values used, in French, with their dates and sources.
fn smic_text(used_smic: &BTreeSet<usize>, smic_refs: &[Reference]) -> String {
    used_smic
        .iter()
        .map(|&k| {
            let r = &smic_refs[k];
            let v = Decimal::from_str_exact(&r.value).map_or_else(|_| r.value.clone(), fr_amount);
            format!(
                "{v} € de l'heure à compter du {} ({})",
                fr_date(r.since),
                r.source
            )
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}

/// What was received: staff lent by companies, volunteers' own time.
fn nature(s: &Scenario, g: &Group) -> Vec<String> {
    let [staff, vols] = &g.cat;
    let mut nature = Vec::new();
    if staff.people > 0 {
        let names: Vec<&str> = staff
            .lenders
            .iter()
            .map(|&i| s.companies[i].name.as_str())
            .collect();
        nature.push(format!(
            "mise à disposition de personnel par {} (mécénat de compétences, distinct du bénévolat) : {} ({}) donnés par {} {}",
            if names.len() > 1 { "des entreprises" } else { "une entreprise" },
            fr_quantity(staff.days, "jour", "jours"),
            fr_quantity(staff.hours, "heure", "heures"),
            plural(staff.people, "salarié", "salariés"),
            de(&names.join(", "))
        ));
    }
    if vols.people > 0 {
        nature.push(format!(
            "bénévolat : {} ({}) donnés par {}",
            fr_quantity(vols.days, "jour", "jours"),
            fr_quantity(vols.hours, "heure", "heures"),
            plural(vols.people, "bénévole", "bénévoles")
        ));
    }
    nature
}

/// How the time was valued (the beneficiary's method, with the values it used).
fn valuation(
    s: &Scenario,
    ben: &Beneficiary,
    g: &Group,
    used_smic: &BTreeSet<usize>,
    smic_refs: &[Reference],
) -> String {
    let vols = &g.cat[1];
    let smic_part = if used_smic.is_empty() {
        String::new()
    } else {
        format!(" : {}", smic_text(used_smic, smic_refs))
    };
    match &ben.cvn {
        CvnValuation::DonorCost => {
            let mut t = "au coût de revient pour l'entreprise qui met le personnel à disposition (salaire brut et charges patronales au prorata du temps donné, dans la limite du plafond de l'article 238 bis du CGI)".to_string();
            // Only an eligible beneficiary issues receipts.
            if ben.eligible {
                t.push_str(", la valeur même des reçus fiscaux");
            }
            if vols.people > 0 {
                t.push_str(&format!(
                    " ; le bénévolat, au SMIC horaire brut en vigueur à la date de chaque journée{smic_part}"
                ));
            }
            t
        }
        CvnValuation::Smic => {
            format!("au SMIC horaire brut en vigueur à la date de chaque journée{smic_part}")
        }
        CvnValuation::SmicLoaded(k) => {
            let k = *k;
            format!(
                "au SMIC horaire brut en vigueur à la date de chaque journée, majoré de {} % pour les charges (coefficient {}){smic_part}",
                fr(k * Decimal::ONE_HUNDRED),
                fr(Decimal::ONE + k)
            )
        }
        CvnValuation::Rate(id) => {
            let list: Vec<String> = g
                .rate_rows
                .iter()
                .map(|&k| {
                    let r = &s.rates[k];
                    format!(
                        "{} € {}{}{}",
                        fr_amount(r.amount),
                        match r.unit {
                            RateUnit::Day => "par jour",
                            RateUnit::Hour => "par heure",
                        },
                        r.activity
                            .as_deref()
                            .map_or_else(String::new, |a| format!(" pour l'activité « {a} »")),
                        r.from
                            .map_or_else(String::new, |d| format!(" à compter du {}", fr_date(d)))
                    )
                })
                .collect();
            format!(
                "au coût de remplacement d'un emploi équivalent, selon les taux datés « {} » de la table des taux{}",
                id,
                if list.is_empty() {
                    String::new()
                } else {
                    format!(" : {}", list.join(" ; "))
                }
            )
        }
    }
}

/// The amounts recorded, per account pair, or why they cannot be.
fn amounts(g: &Group, chart: &ChartAccounts) -> String {
    if g.cvn_missing {
        "valeur non déterminable pour une partie du temps (aucun SMIC ou taux à sa date ou pour son activité) : ces contributions sont décrites ici sans être comptabilisées".to_string()
    } else {
        let mut parts = Vec::new();
        for (k, acc) in [&chart.staff_lent, &chart.volunteers]
            .into_iter()
            .enumerate()
        {
            if g.cat[k].people > 0 {
                parts.push(format!(
                    "{} {} / {} {} : {} €",
                    acc.debit,
                    acc.debit_label,
                    acc.credit,
                    acc.credit_label,
                    fr_amount(g.cat[k].value)
                ));
            }
        }
        format!("{} ; total {} €", parts.join(" ; "), fr_amount(g.cvn))
    }
}

/// The sentence on the goods and services given in kind to a beneficiary in a year, with
/// each one's value and their total (empty when there is none).
fn goods_text(goods: &[GoodsLine], ben: &str, year: i32) -> String {
    let year = year.to_string();
    let list: Vec<&GoodsLine> = goods
        .iter()
        .filter(|g| g.beneficiary == ben && g.period == year)
        .collect();
    if list.is_empty() {
        return String::new();
    }
    let total: Decimal = list.iter().map(|g| g.amount.0).sum();
    let items: Vec<String> = list
        .iter()
        .map(|g| {
            format!(
                "{} ({} €, le {})",
                g.description,
                fr_amount(g.amount.0),
                fr_date(g.date)
            )
        })
        .collect();
    format!(
        "\nDons en nature de biens et de services : {}, soit {} € au total, à la valeur déclarée par l'entreprise donatrice ; ils sont comptabilisés selon leur nature, hors classe 8 (voir la liste pour le comptable).",
        items.join(" ; "),
        fr_amount(total)
    )
}

/// The layout of [`annex_document`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AnnexFormat {
    /// Plain text: a title, then each beneficiary's year under its name.
    #[default]
    Text,
    /// Markdown: `#` title, `##` per beneficiary and year, each label in bold.
    Markdown,
}

/// Markdown's special characters in a text escaped, so that names print as given.
fn md_escape(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The annex on contributions in kind as a document, for one beneficiary (by id) or all,
/// in the report's order (beneficiary, then year); empty when the report has no annex for
/// them.
///
/// # Examples
///
/// ```
/// let s = mecenat::Scenario::from_json(r#"{
///   "companies": [{"id": "C1", "name": "Octet Conseil"}],
///   "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31", "turnover": "2000000"}],
///   "beneficiaries": [{"id": "A1", "name": "Élan"}],
///   "employees": [{"id": "E1", "company": "C1", "annual_gross_salary": "48000",
///                  "annual_employer_charges": "21600", "annual_working_days": "218"}],
///   "time_entries": [{"employee": "E1", "beneficiary": "A1", "date": "2025-03-03", "days": "1"}]
/// }"#)?;
/// let r = mecenat::compute(&s, &mecenat::Options::default())?;
/// let md = mecenat::assoc::annex_document(&r, Some("A1"), mecenat::assoc::AnnexFormat::Markdown);
/// assert!(md.starts_with("# Annexe aux comptes : contributions volontaires en nature\n\n## Élan — 2025\n"));
/// assert!(md.contains("**Nature** : mise à disposition"));
/// assert!(md.contains("1 salarié d'Octet Conseil"));
/// assert_eq!(mecenat::assoc::annex_document(&r, Some("A2"), mecenat::assoc::AnnexFormat::Text), "");
/// # Ok::<(), mecenat::Error>(())
/// ```
pub fn annex_document(report: &Report, beneficiary: Option<&str>, format: AnnexFormat) -> String {
    let list: Vec<&AnnexText> = report
        .annex
        .iter()
        .filter(|a| beneficiary.is_none_or(|b| a.beneficiary == b))
        .collect();
    if list.is_empty() {
        return String::new();
    }
    let title = "Annexe aux comptes : contributions volontaires en nature";
    let md = format == AnnexFormat::Markdown;
    let mut out = if md {
        format!("# {title}\n")
    } else {
        format!(
            "{}\n{}\n",
            title.to_uppercase(),
            "=".repeat(title.chars().count())
        )
    };
    for a in list {
        let head = format!("{} — {}", a.beneficiary_name, a.period);
        if md {
            out.push_str(&format!("\n## {}\n", md_escape(&head)));
        } else {
            out.push_str(&format!("\n{head}\n{}\n", "-".repeat(head.chars().count())));
        }
        for line in a.text.lines() {
            match (md, line.split_once(" : ")) {
                (true, Some((label, rest))) if !label.contains('.') => out.push_str(&format!(
                    "\n**{}** : {}\n",
                    md_escape(label),
                    md_escape(rest)
                )),
                (true, _) => out.push_str(&format!("\n{}\n", md_escape(line))),
                (false, _) => out.push_str(&format!("{line}\n")),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::{compute, Options, Scenario};

    /// Octet Conseil lends E1 224.5 days (1,571.5 hours) to A1, which also gets a good
    /// in kind; Lou volunteers 2 hours at A2, which is not eligible, as does E1 one day.
    fn report() -> crate::Report {
        let mut entries: Vec<serde_json::Value> = (0..224)
            .map(|i| {
                let d = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(i);
                serde_json::json!({"employee": "E1", "beneficiary": "A1",
                                   "date": d.to_string(), "days": "1"})
            })
            .collect();
        entries.push(serde_json::json!({"employee": "E1", "beneficiary": "A1",
                                        "date": "2025-12-01", "days": "0.5"}));
        entries.push(serde_json::json!({"volunteer": "Lou", "beneficiary": "A2",
                                        "date": "2025-03-04", "hours": "2"}));
        entries.push(serde_json::json!({"employee": "E1", "beneficiary": "A2",
                                        "date": "2025-12-02", "days": "1"}));
        let s = Scenario::from_json(
            &serde_json::json!({
                "companies": [{"id": "C1", "name": "Octet Conseil"}],
                "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31",
                                  "turnover": "20000000"}],
                "beneficiaries": [{"id": "A1", "name": "Élan"},
                                  {"id": "A2", "name": "Vague", "eligible": false}],
                "employees": [{"id": "E1", "company": "C1", "annual_gross_salary": "48000",
                               "annual_employer_charges": "21600",
                               "annual_working_days": "218"}],
                "time_entries": entries,
                "donations": [{"company": "C1", "beneficiary": "A1", "date": "2025-04-01",
                               "amount": "1200", "kind": "in_kind",
                               "description": "4 ordinateurs"}]
            })
            .to_string(),
        )
        .unwrap();
        compute(&s, &Options::default()).unwrap()
    }

    #[test]
    fn elision_separators_and_two_decimals() {
        let r = report();
        let t = &r.annex[0].text;
        // 224 x 1 + 0.5 days; x 7 hours = 1,571.5 hours.
        let want = "224,5 jours (1 571,5 heures) donnés par 1 salarié d'Octet Conseil";
        assert!(t.contains(want), "{want:?} not in {t}");
        assert!(!t.contains("de Octet"), "{t}");
        // Lou's 2 hours are 2/7 = 0.2857… day: 0,29 in prose.
        let t2 = &r.annex[1].text;
        assert!(t2.contains("bénévolat : 0,29 jour (2 heures)"), "{t2}");
        assert!(t2.contains("1 jour (7 heures)"), "{t2}");
    }

    #[test]
    fn receipts_only_for_an_eligible_beneficiary() {
        let r = report();
        assert_eq!(r.annex[0].beneficiary, "A1");
        assert!(r.annex[0].text.contains("la valeur même des reçus fiscaux"));
        assert_eq!(r.annex[1].beneficiary, "A2");
        let t = &r.annex[1].text;
        assert!(
            !t.contains("reçus fiscaux") && !t.contains("reçu fiscal"),
            "{t}"
        );
    }

    #[test]
    fn goods_in_kind_with_their_value() {
        let r = report();
        let want = "Dons en nature de biens et de services : 4 ordinateurs (1 200,00 €, le 01/04/2025), soit 1 200,00 € au total";
        assert!(r.annex[0].text.contains(want), "{}", r.annex[0].text);
        assert!(!r.annex[1].text.contains("Dons en nature"));
    }

    #[test]
    fn goods_without_time_have_their_note() {
        let s = Scenario::from_json(
            r#"{
              "companies": [{"id": "C1", "name": "Octet Conseil"}],
              "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2026-12-31",
                                "turnover": "2000000", "label": "2025-26"}],
              "beneficiaries": [{"id": "A1", "name": "Élan"}],
              "donations": [{"company": "C1", "beneficiary": "A1", "date": "2026-02-01",
                             "amount": "350.5", "kind": "in_kind", "description": "Chaises"},
                            {"company": "C1", "beneficiary": "A1", "date": "2025-05-01",
                             "amount": "1000", "kind": "in_kind", "description": "Tables"}]
            }"#,
        )
        .unwrap();
        let r = compute(&s, &Options::default()).unwrap();
        let got: Vec<(&str, &str)> = r
            .annex
            .iter()
            .map(|a| (a.beneficiary.as_str(), a.period.as_str()))
            .collect();
        assert_eq!(got, [("A1", "2025"), ("A1", "2026")]);
        assert!(r.annex[0]
            .text
            .contains("Tables (1 000,00 €, le 01/05/2025), soit 1 000,00 € au total"));
        assert!(r.annex[1]
            .text
            .contains("Chaises (350,50 €, le 01/02/2026), soit 350,50 € au total"));
        assert!(r.annex[1]
            .text
            .starts_with("Contributions en nature reçues par Élan en 2026 : aucun temps donné"));
    }
}
