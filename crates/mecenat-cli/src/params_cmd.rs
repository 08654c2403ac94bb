//! `mecenat params`: the legal parameters, their dated values and sources, and how fresh
//! they are (the date until which each is known, when it was last checked, a flag when the
//! known period ends within a month or has ended).

use chrono::NaiveDate;
use mecenat::params::{Freshness, Parameter, Parameters, FRESHNESS_DAYS};

/// Today's date in UTC, from the system clock.
pub(crate) fn today_utc() -> NaiveDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|e| e.checked_add_days(chrono::Days::new(secs / 86_400)))
        .unwrap_or_default()
}

/// Parses `--today`.
pub(crate) fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{s:?} is not a date (YYYY-MM-DD)"))
}

/// One parameter as JSON.
fn json_of(p: &Parameter, today: NaiveDate) -> serde_json::Value {
    let f = p.freshness(today);
    // Days to the end of the known period (negative once ended); none until amended.
    let days = p.known_until.map(|k| (k - today).num_days());
    let last = p.last();
    serde_json::json!({
        "parameter": p.name, "description": p.description,
        "description_fr": p.description_fr, "unit": p.unit,
        "last_value": last.value.to_string(), "last_since": last.since.to_string(),
        "known_until": p.known_until.map(|d| d.to_string()),
        "until_amended": p.until_amended,
        "last_checked": p.last_checked.to_string(),
        "status": f.code(), "flagged": f.flagged(), "days_to_end": days,
        "values": p.values.iter().map(|v| serde_json::json!({
            "since": v.since.to_string(), "value": v.value.to_string(), "reference": v.reference
        })).collect::<Vec<_>>()
    })
}

/// The freshness line of one parameter, in French.
fn freshness_line(p: &Parameter, today: NaiveDate) -> String {
    let fr = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    let last = p.last();
    let known = match p.freshness(today) {
        Freshness::UntilAmended => "en vigueur jusqu'à modification de la loi".to_string(),
        Freshness::Known(k) => format!("connue jusqu'au {}", fr(k)),
        Freshness::EndsSoon(k, d) => format!(
            "⚠ connue jusqu'au {} (dans {d} jour(s)) : la valeur suivante se fournit dans la table law",
            fr(k)
        ),
        Freshness::Ended(k, d) => format!(
            "⚠ connue jusqu'au {} (fini depuis {d} jour(s)) : les dates suivantes reprennent {} ; fournissez la vraie valeur dans la table law",
            fr(k),
            last.value
        ),
    };
    format!(
        "  dernière valeur {} depuis le {} · {known} · vérifiée le {}",
        last.value,
        fr(last.since),
        fr(p.last_checked)
    )
}

/// `mecenat params [--json] [--today DATE]`.
pub(crate) fn params(json: bool, today: Option<NaiveDate>) -> Result<(), mecenat::Error> {
    let params = Parameters::embedded()?;
    let today = today.unwrap_or_else(today_utc);
    crate::write_out(None, |w| {
        if json {
            let list: Vec<_> = params.iter().map(|p| json_of(p, today)).collect();
            return writeln!(
                w,
                "{}",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            );
        }
        let flagged = params
            .iter()
            .filter(|p| p.freshness(today).flagged())
            .count();
        writeln!(
            w,
            "Paramètres légaux au {} ({} à revoir : période connue finie ou finissant dans {FRESHNESS_DAYS} jours, marqués ⚠)\n",
            today.format("%d/%m/%Y"),
            flagged
        )?;
        for p in params.iter() {
            let what = p.description_fr.as_deref().unwrap_or(&p.description);
            writeln!(w, "{} — {what} ({})", p.name, p.unit)?;
            writeln!(w, "{}", freshness_line(p, today))?;
            for v in &p.values {
                writeln!(
                    w,
                    "  depuis {}  {:>10}  {}",
                    v.since,
                    v.value.to_string(),
                    v.reference
                )?;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_day(s).unwrap()
    }

    /// The PASS is known until 2026-12-31: flagged from 2026-11-30 (31 days before), not on
    /// 2026-11-29; ended from 2027-01-01. A rate held until amended is never flagged.
    #[test]
    fn freshness_flags_a_period_ending_within_31_days_or_ended() {
        let p = Parameters::embedded().unwrap();
        let pass = p.get("pass").unwrap();
        let at = |day: &str| json_of(pass, d(day));
        assert_eq!(at("2026-11-29")["status"], "known");
        assert_eq!(at("2026-11-29")["days_to_end"], 32);
        assert_eq!(at("2026-11-29")["flagged"], false);
        assert_eq!(at("2026-11-30")["status"], "ends_soon");
        assert_eq!(at("2026-11-30")["days_to_end"], 31);
        assert_eq!(at("2027-01-03")["status"], "ended");
        assert_eq!(at("2027-01-03")["days_to_end"], -3);
        assert_eq!(at("2026-12-02")["last_value"], "48060");
        assert_eq!(at("2026-12-02")["known_until"], "2026-12-31");
        let fr = at("2026-12-02")["description_fr"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            fr.starts_with("Plafond annuel de la sécurité sociale"),
            "{fr}"
        );
        let line = freshness_line(pass, d("2027-01-03"));
        assert!(line.contains("⚠") && line.contains("table law"), "{line}");
        let rate = p.get("reduction_rate").unwrap();
        assert_eq!(json_of(rate, d("2030-01-01"))["status"], "until_amended");
        assert_eq!(json_of(rate, d("2030-01-01"))["flagged"], false);
        assert!(json_of(rate, d("2030-01-01"))["days_to_end"].is_null());
    }

    #[test]
    fn the_day_is_an_iso_date() {
        assert_eq!(d(" 2026-12-02 ").to_string(), "2026-12-02");
        assert!(parse_day("2026-13-01").is_err());
        assert!(parse_day("02/12/2026").is_err());
    }
}
