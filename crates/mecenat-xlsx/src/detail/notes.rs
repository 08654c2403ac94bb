//! The notes of the valuation rows and the rejections in French (from the rejection kinds,
//! with their column and value), and the units of the quantities spelled out: the words
//! the detail rows and the report's sheets share.

use mecenat::scenario::RejectionKind;
use mecenat::Rejection;

use crate::schema;

/// A column's header in the template (`employee` → "Salarié").
pub(crate) fn column(fr: bool, table: &str, key: &str) -> String {
    schema::table_for_sheet(table)
        .and_then(|t| t.column(key))
        .map_or_else(|| key.to_string(), |c| c.header(fr).to_string())
}

/// What a rejection kind means, in French.
fn kind_fr(k: RejectionKind) -> &'static str {
    use RejectionKind::*;
    match k {
        Missing => "valeur obligatoire absente",
        NotText => "texte attendu",
        NotANumber => "nombre décimal attendu",
        ClockTime => "heure d'horloge (08:30) là où des heures décimales sont attendues",
        TooManyDecimals => "trop de décimales pour ce champ",
        Negative => "montant ou quantité négatif",
        NotPositive => "valeur strictement positive attendue",
        TooLarge => "valeur au-delà des limites techniques de mecenat",
        OutOfBounds => "valeur hors de l'intervalle admis",
        NotADate => "date attendue (JJ/MM/AAAA ou AAAA-MM-JJ)",
        NotABoolean => "oui ou non attendu",
        NotInList => "valeur hors de la liste admise",
        BothGiven => "deux colonnes remplies là où une seule est admise",
        NeitherGiven => "aucune des deux colonnes requises n'est remplie",
        EndBeforeStart => "date de fin antérieure à la date de début",
        RequiredWith => "colonne exigée par une autre colonne remplie",
        NotApplicable => "colonne sans objet pour cette ligne",
        InvalidSetting => "paramètre invalide",
        UnknownCompany => "entreprise inconnue (absente de la feuille Entreprises)",
        UnknownBeneficiary => "bénéficiaire inconnu (absent de la feuille Bénéficiaires)",
        UnknownEmployee => "salarié inconnu (absent de la feuille Salariés)",
        NoPayRow => "aucune ligne de paie du salarié en vigueur à cette date",
        OutsideFiscalYears => "date hors de tout exercice de l'entreprise",
        NoPass => "aucun plafond de la sécurité sociale connu pour cette année",
        NoFiscalYear => "l'entreprise n'a aucun exercice",
        NotBeforeFirstYear => "solde d'ouverture qui ne précède pas le premier exercice",
        TooManyYearsLeft => "plus d'années restantes que la durée du report",
        Expired => "solde d'ouverture expiré avant le premier exercice",
        NotALegalRate => "taux que la loi n'a jamais eu",
    }
}

/// A rejection's reason: in French from its kind, with its column and value; in English
/// the library's own reason.
pub(crate) fn rejection(fr: bool, r: &Rejection) -> String {
    if !fr {
        return r.reason.clone();
    }
    let mut s = kind_fr(r.kind).to_string();
    match (&r.key, &r.value) {
        (Some(k), Some(v)) => {
            s += &format!(" ({} = « {v} »)", column(fr, &r.table, k));
        }
        (Some(k), None) => s += &format!(" ({})", column(fr, &r.table, k)),
        (None, Some(v)) => s += &format!(" (« {v} »)"),
        (None, None) => {}
    }
    s
}

/// The note of a valuation row (the reason an entry is excluded or rejected), in French
/// when the library's reason is one it knows; `rejection` is the row's rejection, if any.
pub(crate) fn entry_note(fr: bool, reason: &str, rejected: Option<&Rejection>) -> String {
    if !fr {
        return reason.to_string();
    }
    if let Some(r) = rejected {
        return rejection(true, r);
    }
    if reason == "refused by the beneficiary" {
        return "refusé par le bénéficiaire".into();
    }
    if reason.starts_with("a volunteer's own time") {
        return "temps personnel d'un bénévole : ni entreprise ni reçu (compté dans l'impact)"
            .into();
    }
    if let Some(rest) = reason.strip_prefix("beneficiary ") {
        if let Some(id) = rest.strip_suffix(" is not eligible (art. 238 bis): no reduction") {
            return format!(
                "bénéficiaire {} non éligible (art. 238 bis) : pas de réduction",
                id.trim_matches('"')
            );
        }
    }
    reason.to_string()
}

/// The unit of a valuation row's quantity, spelled out (`h→j`: hours on a days basis).
pub(crate) fn unit_words(fr: bool, short: &str) -> &'static str {
    let t = |a, b| if fr { a } else { b };
    match short {
        "j" | "d" => t("jours", "days"),
        "h" => t("heures", "hours"),
        "h→j" | "h→d" => t("heures → jours", "hours → days"),
        "j→h" | "d→h" => t("jours → heures", "days → hours"),
        _ => "",
    }
}
