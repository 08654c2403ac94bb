//! The French text summary of a report.

use super::{Assumption, FiscalYearReport, ForecastReport, Report, Status};
use crate::fr::fr_amount;
use crate::money::Money;
use crate::scenario::CapMethod;

impl Report {
    /// The lots still carried at a fiscal year's closing, with the date until which each
    /// can be used (both ledgers), for the text summary.
    fn carried_lines_text(&self, s: &mut String, fy: &FiscalYearReport) {
        use std::fmt::Write;
        let ledgers = [
            ("Excédent reporté", &self.donations_ledger),
            ("Réduction non imputée reportée", &self.reduction_ledger),
        ];
        for (what, ledger) in ledgers {
            for l in ledger.iter().filter(|l| {
                l.company == fy.company && l.fiscal_year == fy.label && !l.closing.0.is_zero()
            }) {
                let rate = l.rate.as_ref().map_or_else(String::new, |r| {
                    format!(
                        " à {} %",
                        (r.0 * rust_decimal::Decimal::ONE_HUNDRED).normalize()
                    )
                });
                let _ = writeln!(
                    s,
                    "    {what} de {}{rate} : {} utilisable jusqu'au {}",
                    l.origin,
                    crate::money::fmt_money(l.closing.0),
                    l.usable_until.format("%d/%m/%Y")
                );
            }
        }
    }

    /// A readable summary: per company and fiscal year, donations, ceiling, reduction,
    /// carried amounts and warnings.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let m = |x: &Money| crate::money::fmt_money(x.0);
        let o = |x: &Option<Money>| {
            x.as_ref()
                .map_or_else(|| "—".to_string(), |v| crate::money::fmt_money(v.0))
        };
        let mut s = String::new();
        let _ = writeln!(s, "mecenat — mécénat de compétences (art. 238 bis CGI)\n");
        for fy in &self.fiscal_years {
            let d = &fy.donations;
            let _ = writeln!(
                s,
                "{} · exercice {} ({} → {}) · régime {}",
                fy.company, fy.label, fy.start, fy.end, fy.regime
            );
            let _ = writeln!(
                s,
                "  Dons                 {:>16}  (temps {} · numéraire {} · nature {})",
                m(&d.total),
                m(&d.staff_time),
                m(&d.cash),
                m(&d.in_kind)
            );
            let _ = writeln!(s, "  Plafond              {:>16}", m(&fy.ceiling));
            let _ = writeln!(
                s,
                "  Retenus              {:>16}  (exercice {} · reports {})",
                m(&Money(fy.retained_current.0 + fy.retained_carried.0)),
                m(&fy.retained_current),
                m(&fy.retained_carried)
            );
            let rates: Vec<String> = fy
                .reduction_by_rate
                .iter()
                .map(|(r, v)| format!("{r}: {}", m(v)))
                .collect();
            let _ = writeln!(
                s,
                "  Réduction d'impôt    {:>16}  ({})",
                m(&fy.reduction),
                rates.join(" · ")
            );
            let _ = writeln!(
                s,
                "  Excédent reporté     {:>16}  (expiré {} · solde reporté {})",
                m(&fy.excess),
                m(&fy.donations_expired),
                m(&fy.donations_carried_closing)
            );
            let _ = writeln!(
                s,
                "  IS dû                {:>16}  (imputé {} · expiré {} · report en impôt {})",
                o(&fy.tax_due),
                o(&fy.reduction_used),
                o(&fy.reduction_expired),
                o(&fy.reduction_carried_closing)
            );
            let last_of_company = self
                .fiscal_years
                .iter()
                .rev()
                .find(|x| x.company == fy.company)
                .is_some_and(|x| x.label == fy.label);
            if last_of_company {
                self.carried_lines_text(&mut s, fy);
            }
            if fy.declaration_required {
                let _ = writeln!(
                    s,
                    "  Déclaration des dons > 10 000 € requise (annexe 2069-RCI-SD)"
                );
            }
            if fy.counterparts_warning {
                let _ = writeln!(
                    s,
                    "  ⚠ Contreparties {} : disproportion au-delà de la tolérance",
                    m(&fy.counterparts)
                );
            }
            let _ = writeln!(s);
        }
        let retained = self
            .entries
            .iter()
            .filter(|e| e.status == Status::Retained)
            .count();
        let excluded = self
            .entries
            .iter()
            .filter(|e| e.status == Status::Excluded)
            .count();
        let _ = writeln!(
            s,
            "Temps : {} lignes ({} retenues, {} exclues, {} rejetées)",
            self.entries.len(),
            retained,
            excluded,
            self.entries.len() - retained - excluded
        );
        let _ = writeln!(
            s,
            "Reçus : {} · Lignes rejetées (toutes tables) : {}",
            self.receipts.len(),
            self.rejected.len()
        );
        self.receipts_declared_text(&mut s);
        for r in self.rejected.iter().take(20) {
            let _ = writeln!(s, "  rejet : {r}");
        }
        if self.rejected.len() > 20 {
            let _ = writeln!(
                s,
                "  … et {} autres (voir --format json)",
                self.rejected.len() - 20
            );
        }
        // The first warnings; the others are counted (all are in the JSON report).
        for w in self.warnings.iter().take(10) {
            let _ = writeln!(s, "⚠ {w}");
        }
        if self.warnings.len() > 10 {
            let _ = writeln!(
                s,
                "⚠ … et {} autres avertissements (voir --format json, \"warnings\")",
                self.warnings.len() - 10
            );
        }
        self.planning_text(&mut s);
        self.supplied_law_text(&mut s);
        let cap = match self.policies.cap_method {
            CapMethod::Rate => "rate (coût annuel plafonné à 3 PASS)",
            CapMethod::Period => "period (3 PMSS par salarié et par mois)",
        };
        let _ = writeln!(
            s,
            "\nPolitique de plafonnement : {cap} · {} paramètres légaux cités (voir --format json, \"references\")",
            self.references.len()
        );
        let _ = writeln!(s, "{}", self.disclaimer);
        s
    }

    /// The legal values the scenario supplied (its `law` table) that the computation used,
    /// apart from the embedded ones, in French.
    fn supplied_law_text(&self, s: &mut String) {
        use std::fmt::Write;
        let supplied: Vec<_> = self
            .references
            .iter()
            .filter_map(|r| r.supplied_by.as_ref().map(|by| (r, by)))
            .collect();
        if supplied.is_empty() {
            return;
        }
        let _ = writeln!(
            s,
            "\nValeurs légales fournies par le scénario (table law) :"
        );
        for (r, by) in supplied {
            // A decimal with the French comma, every digit kept (a rate is not money).
            let value = r.value.replace('.', ",");
            let _ = writeln!(
                s,
                "  {} = {} depuis le {} (ligne {}) — source : {}",
                r.parameter,
                value,
                r.since.format("%d/%m/%Y"),
                by.row,
                r.source
            );
        }
    }

    /// Per company, in French: the headroom under the last ceiling and what one more gift
    /// would earn, then the fate of the excess carried at the last closing under both
    /// projections (rules-company §8), labelled as a projection.
    fn planning_text(&self, s: &mut String) {
        use std::fmt::Write;
        let euros = |m: &Money| format!("{} €", fr_amount(m.0));
        let mut companies: Vec<&str> = self.forecast.iter().map(|f| f.company.as_str()).collect();
        companies.dedup();
        for company in companies {
            let Some(last) = self
                .fiscal_years
                .iter()
                .rev()
                .find(|y| y.company == company)
            else {
                continue;
            };
            let of = |a: Assumption| {
                self.forecast
                    .iter()
                    .find(|f| f.company == company && f.assumption == a)
            };
            let (Some(none), Some(same)) = (
                of(Assumption::NoNewGifts),
                of(Assumption::SameGiftsEachYear),
            ) else {
                continue;
            };
            let next = if last.marginal_rate.0.is_zero() {
                format!(
                    "un don supplémentaire ne réduirait pas l'impôt de {}",
                    last.label
                )
            } else {
                format!(
                    "un euro de plus donné en {} réduirait l'impôt de {} centimes",
                    last.label,
                    (last.marginal_rate.0 * rust_decimal::Decimal::ONE_HUNDRED).normalize()
                )
            };
            let _ = writeln!(
                s,
                "\nPrévision {company} (projection sur cinq exercices, hors chiffres de l'exercice) : marge sous le plafond {} : {} ; {next}.",
                last.label,
                euros(&last.headroom)
            );
            if none.carried_at_start.0.is_zero() {
                let _ = writeln!(
                    s,
                    "  Aucun excédent n'est reporté à la clôture de {}.",
                    last.label
                );
                continue;
            }
            let _ = writeln!(
                s,
                "  Sur les {} reportés, {} seraient utilisés si les dons restent au niveau de {}{} ; sans nouveau don, {}{}.",
                euros(&same.carried_at_start),
                euros(&same.carried_used),
                last.label,
                expiry(same, &euros),
                used_by(none, &euros),
                expiry(none, &euros)
            );
        }
    }
}

/// " (X expireraient entre A et B)" when some of the carried excess expires.
fn expiry(f: &ForecastReport, euros: &dyn Fn(&Money) -> String) -> String {
    if f.carried_expired.0.is_zero() {
        return String::new();
    }
    let years: Vec<i32> = f
        .years
        .iter()
        .filter(|y| !y.expired.0.is_zero())
        .map(|y| chrono::Datelike::year(&y.end))
        .collect();
    let when = match (years.first(), years.last()) {
        (Some(a), Some(z)) if a != z => format!("entre {a} et {z}"),
        (Some(a), _) => format!("en {a}"),
        _ => String::new(),
    };
    format!(" ({} expireraient {when})", euros(&f.carried_expired))
}

/// "X seraient utilisés d'ici YEAR" (the year of the last use).
fn used_by(f: &ForecastReport, euros: &dyn Fn(&Money) -> String) -> String {
    let last_use = f
        .years
        .iter()
        .rev()
        .find(|y| !y.retained_carried.0.is_zero())
        .map(|y| chrono::Datelike::year(&y.end));
    match last_use {
        Some(y) => format!("{} seraient utilisés d'ici {y}", euros(&f.carried_used)),
        None => format!("{} seraient utilisés", euros(&f.carried_used)),
    }
}

impl Report {
    /// The non-profits' yearly declaration of receipts (art. 222 bis CGI), in French, with
    /// its assumption: per beneficiary and calendar year, the number of receipts and their
    /// amounts.
    fn receipts_declared_text(&self, s: &mut String) {
        use std::fmt::Write;
        if self.receipts_declared.is_empty() {
            return;
        }
        let _ = writeln!(
            s,
            "Déclaration annuelle des reçus (art. 222 bis CGI), par organisme et année civile :"
        );
        for d in &self.receipts_declared {
            let _ = writeln!(
                s,
                "  {} {} · art. {} : {} reçu{} · numéraire {} € · nature {} € · total {} €",
                d.beneficiary,
                d.year,
                d.article,
                d.receipts,
                if d.receipts > 1 { "s" } else { "" },
                fr_amount(d.cash.0),
                fr_amount(d.in_kind.0),
                fr_amount(d.total.0)
            );
        }
        let _ = writeln!(
            s,
            "  (un reçu compte pour l'année civile où finit sa période ; les reçus émis hors de ce scénario, dons des particuliers (art. 200), n'y sont pas)"
        );
    }
}
