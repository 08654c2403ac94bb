//! The French text summary of a report.

use std::fmt::Write;

use super::{Assumption, FiscalYearReport, ForecastReport, Report, Status};
use crate::fr::{fr_date, fr_euros, fr_number, fr_percent, fr_whole_euros};
use crate::input::scenario::CapMethod;
use crate::money::Money;

/// Hours and days in the summary: at most two decimals.
const QTY_DECIMALS: u32 = 2;

/// An amount in the summary's columns: `216 118,02 €`.
fn eur(m: &Money) -> String {
    fr_euros(m.0)
}

/// A count with its thousands separated (`1 609`).
fn count(n: usize) -> String {
    fr_number(rust_decimal::Decimal::from(n), 0)
}

/// An amount that may be absent (`—`).
fn eur_or_dash(m: Option<&Money>) -> String {
    m.map_or_else(|| "—".to_string(), eur)
}

/// A rate key of the report (`"0.60"`) as a French percentage (`60 %`), the key itself
/// when it is not a number.
fn pct_key(key: &str) -> String {
    key.parse::<rust_decimal::Decimal>()
        .map_or_else(|_| key.to_string(), fr_percent)
}

impl Report {
    /// A readable summary in French: per company and fiscal year, donations, ceiling,
    /// reduction (and its 2069-RCI-SD figure), carried amounts and until when, time given,
    /// bench economics, documents to produce; then the time given per year, the rows, the
    /// warnings, the forecast, the policy and the note. One function per block.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "mecenat — mécénat de compétences (art. 238 bis CGI)\n");
        for fy in &self.fiscal_years {
            self.fiscal_year_text(&mut s, fy);
        }
        self.time_given_text(&mut s);
        self.receipts_declared_text(&mut s);
        self.rows_text(&mut s);
        self.warnings_text(&mut s);
        self.planning_text(&mut s);
        self.supplied_law_text(&mut s);
        self.policy_text(&mut s);
        let _ = writeln!(s, "{}", self.disclaimer);
        s
    }

    /// One fiscal year of one company: its figures, then what goes with them.
    fn fiscal_year_text(&self, s: &mut String, fy: &FiscalYearReport) {
        let _ = writeln!(
            s,
            "{} · exercice {} ({} → {}) · régime {}",
            fy.company,
            fy.label,
            fr_date(fy.start),
            fr_date(fy.end),
            fy.regime
        );
        fiscal_year_figures_text(s, fy);
        let last_of_company = self
            .fiscal_years
            .iter()
            .rev()
            .find(|x| x.company == fy.company)
            .is_some_and(|x| x.label == fy.label);
        if last_of_company {
            self.carried_lines_text(s, fy);
        }
        self.year_time_text(s, fy);
        self.bench_text(s, fy);
        self.documents_text(s, fy);
        if fy.counterparts_warning {
            let _ = writeln!(
                s,
                "  ⚠ Contreparties {} : disproportion au-delà de la tolérance",
                eur(&fy.counterparts)
            );
        }
        let _ = writeln!(s);
    }

    /// The lots still carried at a fiscal year's closing, with the date until which each
    /// can be used (both ledgers), for the text summary.
    fn carried_lines_text(&self, s: &mut String, fy: &FiscalYearReport) {
        let ledgers = [
            ("Excédent reporté", &self.donations_ledger),
            ("Réduction non imputée reportée", &self.reduction_ledger),
        ];
        for (what, ledger) in ledgers {
            for l in ledger.iter().filter(|l| {
                l.company == fy.company && l.fiscal_year == fy.label && !l.closing.0.is_zero()
            }) {
                let rate = l
                    .rate
                    .as_ref()
                    .map_or_else(String::new, |r| format!(" à {}", fr_percent(r.0)));
                let _ = writeln!(
                    s,
                    "    {what} de {}{rate} : {} utilisable jusqu'au {}",
                    l.origin,
                    eur(&l.closing),
                    fr_date(l.usable_until)
                );
            }
        }
    }

    /// The time the company gave in a fiscal year (its programme view): hours, days,
    /// people, associations and projects supported.
    fn year_time_text(&self, s: &mut String, fy: &FiscalYearReport) {
        let Some(p) = (self.programme.companies.iter())
            .find(|p| p.company == fy.company && p.fiscal_year == fy.label)
        else {
            return;
        };
        if p.hours.0.is_zero() {
            return;
        }
        let _ = writeln!(
            s,
            "  Temps donné par ses salariés : {} heures · {} jours · {} · {}{}",
            fr_number(p.hours.0, QTY_DECIMALS),
            fr_number(p.days.0, QTY_DECIMALS),
            crate::fr::plural(p.volunteers, "salarié", "salariés"),
            crate::fr::plural(
                p.beneficiaries,
                "association soutenue",
                "associations soutenues"
            ),
            projects_part(p.projects),
        );
    }

    /// Bench economics of a fiscal year: the days, the share donated, and what a donated
    /// bench day costs against an idle one.
    fn bench_text(&self, s: &mut String, fy: &FiscalYearReport) {
        let Some(b) =
            (self.bench.iter()).find(|b| b.company == fy.company && b.fiscal_year == fy.label)
        else {
            return;
        };
        if b.bench_days.0.is_zero() {
            return;
        }
        let share = b
            .donated_share
            .as_ref()
            .map_or_else(String::new, |q| format!(" ({})", fr_percent(q.0)));
        let _ = write!(
            s,
            "  Intercontrat : {} jours, dont {} donnés{share}",
            fr_number(b.bench_days.0, QTY_DECIMALS),
            fr_number(b.donated_days.0, QTY_DECIMALS),
        );
        if let (Some(donated), Some(idle)) = (&b.donated_day_net_cost, &b.idle_day_cost) {
            let _ = write!(
                s,
                " ; un jour d'intercontrat donné coûte {} net de réduction, un jour inoccupé {}",
                eur(donated),
                eur(idle)
            );
        }
        let _ = writeln!(s);
    }

    /// The documents a fiscal year calls for: receipts to have issued, the list of gifts
    /// to declare (annex of 2069-RCI-SD).
    fn documents_text(&self, s: &mut String, fy: &FiscalYearReport) {
        let of_year = |company: &str, label: &str| company == fy.company && label == fy.label;
        let receipts = (self.receipts.iter())
            .filter(|r| of_year(&r.company, &r.fiscal_year))
            .count();
        if receipts > 0 {
            let _ = writeln!(
                s,
                "  Reçus fiscaux à produire : {receipts} (Cerfa 16216 ; mecenat receipts les écrit)"
            );
        }
        if fy.declaration_required {
            let threshold = fy
                .law
                .declaration_threshold
                .as_ref()
                .map_or_else(String::new, |t| format!(" > {}", fr_whole_euros_of(t)));
            let beneficiaries = (self.declarations.iter())
                .filter(|d| of_year(&d.company, &d.fiscal_year))
                .count();
            let _ = writeln!(
                s,
                "  Déclaration des dons{threshold} requise (annexe 2069-RCI-SD) : {}",
                crate::fr::plural(beneficiaries, "bénéficiaire", "bénéficiaires")
            );
        }
    }

    /// The time given per calendar year and in all, from the programme's totals: hours,
    /// days, FTE, people, associations and projects (distinct counts).
    fn time_given_text(&self, s: &mut String) {
        let p = &self.programme;
        let mut lines: Vec<&super::ProgrammeTotals> = p.periods.iter().collect();
        if p.periods.len() > 1 {
            lines.push(&p.totals);
        }
        for t in lines.into_iter().filter(|t| !t.hours.0.is_zero()) {
            let when = if t.period == "all" {
                "toutes années".to_string()
            } else {
                format!("en {}", t.period)
            };
            let _ = writeln!(
                s,
                "Temps donné {when} (salariés et bénévoles) : {} heures · {} jours · {} ETP · {} · {}{}",
                fr_number(t.hours.0, QTY_DECIMALS),
                fr_number(t.days.0, QTY_DECIMALS),
                fr_number(t.fte.0, QTY_DECIMALS),
                crate::fr::plural(t.volunteers, "personne", "personnes"),
                crate::fr::plural(t.beneficiaries, "association soutenue", "associations soutenues"),
                projects_part(t.projects),
            );
        }
    }

    /// The time entries by status, the receipts, and the rejected rows (the first twenty).
    fn rows_text(&self, s: &mut String) {
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
            count(self.entries.len()),
            count(retained),
            count(excluded),
            count(self.entries.len() - retained - excluded)
        );
        let _ = writeln!(
            s,
            "Reçus : {} · Lignes rejetées (toutes tables) : {}",
            count(self.receipts.len()),
            count(self.rejected.len())
        );
        for r in self.rejected.iter().take(20) {
            let _ = writeln!(s, "  rejet : {r}");
        }
        if self.rejected.len() > 20 {
            let _ = writeln!(
                s,
                "  … et {} autres (voir --format json)",
                count(self.rejected.len() - 20)
            );
        }
    }

    /// The first warnings; the others are counted (all are in the JSON report).
    fn warnings_text(&self, s: &mut String) {
        for w in self.warnings.iter().take(10) {
            let _ = writeln!(s, "⚠ {w}");
        }
        if self.warnings.len() > 10 {
            let _ = writeln!(
                s,
                "⚠ … et {} autres avertissements (voir --format json, \"warnings\")",
                count(self.warnings.len() - 10)
            );
        }
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
                fr_date(r.since),
                by.row,
                r.source
            );
        }
    }

    /// The cap policy in force and the number of legal values cited.
    fn policy_text(&self, s: &mut String) {
        let multiple = (self.fiscal_years.iter())
            .find_map(|fy| fy.law.salary_cap_multiple.as_ref())
            .map(|m| fr_number(m.0, 4));
        let cap = match (self.policies.cap_method, multiple) {
            (CapMethod::Rate, Some(m)) => format!("rate (coût annuel plafonné à {m} PASS)"),
            (CapMethod::Rate, None) => "rate (coût annuel plafonné)".to_string(),
            (CapMethod::Period, Some(m)) => format!("period ({m} PMSS par salarié et par mois)"),
            (CapMethod::Period, None) => "period (plafond par salarié et par mois)".to_string(),
        };
        let _ = writeln!(
            s,
            "\nPolitique de plafonnement : {cap} · {} paramètres légaux cités (voir --format json, \"references\")",
            self.references.len()
        );
    }

    /// Per company, in French: the headroom under the last ceiling and what one more gift
    /// would earn, then the fate of the excess carried at the last closing under both
    /// projections (rules-company §8), labelled as a projection.
    fn planning_text(&self, s: &mut String) {
        let euros = |m: &Money| eur(m);
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

/// The figures of a fiscal year: donations, ceiling, retained, reduction (60 % first) and
/// its 2069-RCI-SD figure in whole euros, excess, tax and imputation.
fn fiscal_year_figures_text(s: &mut String, fy: &FiscalYearReport) {
    let d = &fy.donations;
    let _ = writeln!(
        s,
        "  Dons                  {:>16}  (temps {} · numéraire {} · nature {})",
        eur(&d.total),
        eur(&d.staff_time),
        eur(&d.cash),
        eur(&d.in_kind)
    );
    let _ = writeln!(s, "  Plafond               {:>16}", eur(&fy.ceiling));
    let _ = writeln!(
        s,
        "  Retenus               {:>16}  (exercice {} · reports {})",
        eur(&Money(fy.retained_current.0 + fy.retained_carried.0)),
        eur(&fy.retained_current),
        eur(&fy.retained_carried)
    );
    // Highest rate first: 60 % before 40 %; a rate the year's regime does not have only
    // when something is at it.
    let in_force = |key: &str| {
        let rate = key.parse::<rust_decimal::Decimal>().ok();
        rate == Some(fy.law.reduction_rate.0) || rate == fy.law.reduced_rate.as_ref().map(|r| r.0)
    };
    let rates: Vec<String> = (fy.reduction_by_rate.iter().rev())
        .filter(|(r, v)| in_force(r) || !v.0.is_zero())
        .map(|(r, v)| format!("{} : {}", pct_key(r), eur(v)))
        .collect();
    let _ = writeln!(
        s,
        "  Réduction d'impôt     {:>16}  ({})",
        eur(&fy.reduction),
        rates.join(" · ")
    );
    let _ = writeln!(
        s,
        "  Formulaire 2069-RCI-SD {:>15}  (réduction en euros entiers)",
        fr_whole_euros(fy.form_2069_rci_reduction)
    );
    let _ = writeln!(
        s,
        "  Excédent reporté      {:>16}  (expiré {} · solde reporté {})",
        eur(&fy.excess),
        eur(&fy.donations_expired),
        eur(&fy.donations_carried_closing)
    );
    if fy.tax_due.is_none() {
        let _ = writeln!(
            s,
            "  IS dû                 {:>16}  (imputation non calculée)",
            "non renseigné"
        );
        return;
    }
    let _ = writeln!(
        s,
        "  IS dû                 {:>16}  (imputé {} · expiré {} · report en impôt {})",
        eur_or_dash(fy.tax_due.as_ref()),
        eur_or_dash(fy.reduction_used.as_ref()),
        eur_or_dash(fy.reduction_expired.as_ref()),
        eur_or_dash(fy.reduction_carried_closing.as_ref())
    );
}

/// ` · 9 projets`, nothing without a project.
fn projects_part(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(" · {}", crate::fr::plural(n, "projet", "projets"))
    }
}

/// A threshold in whole euros when it is whole (`10 000 €`), with cents otherwise.
fn fr_whole_euros_of(m: &Money) -> String {
    use rust_decimal::prelude::ToPrimitive;
    match m.0.to_i64() {
        Some(n) if m.0.fract().is_zero() => fr_whole_euros(n),
        _ => eur(m),
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
                "  {} {} · art. {} : {} reçu{} · numéraire {} · nature {} · total {}",
                d.beneficiary,
                d.year,
                d.article,
                d.receipts,
                if d.receipts > 1 { "s" } else { "" },
                eur(&d.cash),
                eur(&d.in_kind),
                eur(&d.total)
            );
        }
        let _ = writeln!(
            s,
            "  (un reçu compte pour l'année civile où finit sa période ; les reçus émis hors de ce scénario, dons des particuliers (art. 200), n'y sont pas)"
        );
    }
}
