//! The annex note on contributions in kind, per beneficiary and year.

use super::*;
use crate::fr::{fr, fr_amount, fr_date, fr_days, plural};

/// The annex note per beneficiary and period.
pub(super) fn annex(
    inp: &AssocInput,
    by_ben: &BTreeMap<(usize, i32), Group>,
    chart: &ChartAccounts,
    law: &Law,
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
             Ces contributions sont enregistrées en classe 8 (comptes 86 et 87), sans effet sur le résultat. Les dons en nature de biens et de services sont listés à part pour le comptable.",
            ben.name,
            nature.join(" ; "),
            fr(inp.default_hpd),
            valuation,
            chart.label,
            amounts
        );
        out.push(AnnexText {
            beneficiary: ben.id.clone(),
            period: year.to_string(),
            cvn_method: ben.cvn_method,
            rates,
            text,
        });
    }
    out
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
            "mise à disposition de personnel par {} (mécénat de compétences, distinct du bénévolat) : {} ({} heures) donnés par {} de {}",
            if names.len() > 1 { "des entreprises" } else { "une entreprise" },
            fr_days(staff.days),
            fr(staff.hours),
            plural(staff.people, "salarié", "salariés"),
            names.join(", ")
        ));
    }
    if vols.people > 0 {
        nature.push(format!(
            "bénévolat : {} ({} heures) donnés par {}",
            fr_days(vols.days),
            fr(vols.hours),
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
            let mut t = "au coût de revient pour l'entreprise qui met le personnel à disposition (salaire brut et charges patronales au prorata du temps donné, dans la limite du plafond de l'article 238 bis du CGI), la valeur même des reçus fiscaux".to_string();
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
