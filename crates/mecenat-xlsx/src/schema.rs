//! The scenario tables as the workbook shows them: sheet names and headers in French and
//! English, the kind of each column (how a cell is converted and formatted), the closed
//! lists with their French labels, and the help text of the template.

use std::sync::LazyLock;

pub(crate) use mecenat::schema::List;

/// How a column's cells are read: the core's kind (`mecenat::schema::ColumnKind`), whose
/// closed lists the workbook writes with their French labels ([`choices`]).
pub(crate) use mecenat::schema::ColumnKind as Kind;

/// What the workbook adds to a column's kind: the decimals it shows.
pub(crate) trait KindExt {
    /// Decimals a numeric column holds, `None` for non-numeric columns.
    fn scale(self) -> Option<u32>;
}

impl KindExt for Kind {
    fn scale(self) -> Option<u32> {
        match self {
            Kind::Money | Kind::Units => Some(2),
            Kind::Qty | Kind::Rate => Some(4),
            Kind::Whole => Some(0),
            _ => None,
        }
    }
}

/// One value of a closed list: the code the core expects, its French label, and other
/// spellings accepted on import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Choice {
    pub code: &'static str,
    pub fr: &'static str,
    pub aliases: &'static [&'static str],
}

const fn ch(code: &'static str, fr: &'static str, aliases: &'static [&'static str]) -> Choice {
    Choice { code, fr, aliases }
}

pub(crate) const STATUS: &[Choice] = &[
    ch("approved", "approuvé", &["validé", "accepté", "ok"]),
    ch("refused", "refusé", &["rejeté"]),
];
pub(crate) const DONATION_KIND: &[Choice] = &[
    ch("cash", "numéraire", &["espèces", "argent"]),
    ch("in_kind", "en nature", &["nature"]),
];
pub(crate) const CARRY_KIND: &[Choice] = &[
    ch("donations", "excédent de dons", &["dons", "report en base"]),
    ch(
        "reduction",
        "réduction d'impôt",
        &["réduction", "report en impôt"],
    ),
];
pub(crate) const CVN_METHOD: &[Choice] = &[
    ch(
        "donor_cost",
        "coût du donateur",
        &["coût de revient", "cout donateur"],
    ),
    ch("smic", "smic", &[]),
    ch("smic_loaded", "smic chargé", &["smic majoré"]),
    ch("rate", "tarif", &["taux"]),
];
pub(crate) const CATEGORY: &[Choice] = &[
    ch("general_interest", "intérêt général", &[]),
    ch("public_utility", "utilité publique", &[]),
    ch("endowment_fund", "fonds de dotation", &[]),
    ch("higher_education", "enseignement supérieur", &[]),
    ch("research", "recherche", &[]),
    ch("performing_arts", "spectacle vivant", &[]),
    ch("heritage", "patrimoine", &[]),
];
pub(crate) const RATE_UNIT: &[Choice] = &[
    ch("hour", "heure", &["h", "heures"]),
    ch("day", "jour", &["j", "jours"]),
];
pub(crate) const OUTPUT_UNIT: &[Choice] = &[
    ch("people_trained", "personnes formées", &[]),
    ch("people_helped", "personnes aidées", &[]),
    ch("sessions_held", "séances tenues", &["séances"]),
    ch("workshops_held", "ateliers tenus", &["ateliers"]),
    ch("meals_served", "repas servis", &[]),
    ch("devices_provided", "équipements fournis", &[]),
    ch("projects_delivered", "projets livrés", &[]),
    ch("hours_of_training", "heures de formation", &[]),
];
pub(crate) const BOOL: &[Choice] = &[
    ch("true", "oui", &["vrai", "yes", "o", "y"]),
    ch("false", "non", &["faux", "no", "n"]),
];
pub(crate) const SETTING_KEYS: &[Choice] = &[
    ch(
        "cap_method",
        "méthode de plafonnement",
        &["plafonnement", "methode plafond"],
    ),
    ch("fte_hours", "heures par etp", &["heures etp", "etp"]),
    ch("chart", "plan comptable", &[]),
    ch(
        "journal_accounts",
        "comptes du journal",
        &["comptes journal"],
    ),
    ch(
        "eligible_headcount",
        "effectif éligible",
        &["effectif eligible"],
    ),
    ch(
        "receipt_prefix",
        "préfixe des reçus",
        &["prefixe recus", "préfixe reçus"],
    ),
];
pub(crate) const PAYMENT_METHOD: &[Choice] = &[
    ch("cash_in_hand", "remise d'espèces", &["espèces", "liquide"]),
    ch("cheque", "chèque", &[]),
    // No comma in a label: Excel's drop-down lists are comma-separated.
    ch(
        "transfer",
        "virement / prélèvement / carte bancaire",
        &["virement", "prélèvement", "carte bancaire", "carte", "cb"],
    ),
    ch("other", "autre", &[]),
];
/// Labels of setting values (only the closed ones).
pub(crate) const SETTING_VALUES: &[Choice] = &[
    ch("rate", "taux", &["taux annuel"]),
    ch("period", "période", &["mensuel", "par mois"]),
    ch("pca2018", "pca 2018", &["plan 2018"]),
    ch("pca1999", "pca 1999", &["plan 1999"]),
    ch("chart", "comptes du plan", &[]),
    ch("sub_accounts", "sous-comptes", &["sous comptes"]),
];

/// One column of a table: the core's (key, kind, need) with its French header and help.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub key: &'static str,
    pub fr: &'static str,
    pub kind: Kind,
    /// Required (`Required`), one of a pair (`OneOf`), or optional: the core's.
    pub need: Need,
    pub help_fr: &'static str,
    pub help_en: &'static str,
}

/// Whether a column must be present in a sheet (the core's schema).
pub(crate) use mecenat::schema::Need;

/// One table: its key, French sheet name, columns (the core's, in its order).
#[derive(Debug, Clone)]
pub(crate) struct TableDef {
    pub key: &'static str,
    pub fr: &'static str,
    pub help_fr: &'static str,
    pub help_en: &'static str,
    pub columns: Vec<Column>,
}

impl TableDef {
    /// Sheet name in a language.
    pub(crate) fn sheet(&self, fr: bool) -> &'static str {
        if fr {
            self.fr
        } else {
            self.key
        }
    }

    /// The column of a key.
    pub(crate) fn column(&'static self, key: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.key == key)
    }
}

impl Column {
    /// Header in a language.
    pub(crate) fn header(&self, fr: bool) -> &'static str {
        if fr {
            self.fr
        } else {
            self.key
        }
    }

    /// Help text in a language.
    pub(crate) fn help(&self, fr: bool) -> &'static str {
        if fr {
            self.help_fr
        } else {
            self.help_en
        }
    }
}

/// The French words of a table (its key is the core's table name).
struct TableFr {
    key: &'static str,
    fr: &'static str,
    help_fr: &'static str,
    help_en: &'static str,
    columns: &'static [ColumnFr],
}

/// The French words of a column (its key is the core's column key).
struct ColumnFr {
    key: &'static str,
    fr: &'static str,
    help_fr: &'static str,
    help_en: &'static str,
}

const fn fr_col(
    key: &'static str,
    fr: &'static str,
    help_fr: &'static str,
    help_en: &'static str,
) -> ColumnFr {
    ColumnFr {
        key,
        fr,
        help_fr,
        help_en,
    }
}

/// The closed list of the core's [`List`], with its French labels.
pub(crate) fn choices(list: List) -> &'static [Choice] {
    match list {
        List::Status => STATUS,
        List::DonationKind => DONATION_KIND,
        List::CarryKind => CARRY_KIND,
        List::CvnMethod => CVN_METHOD,
        List::Category => CATEGORY,
        List::RateUnit => RATE_UNIT,
        List::OutputUnit => OUTPUT_UNIT,
        List::PaymentMethod => PAYMENT_METHOD,
    }
}

/// Every table as the workbook shows it: the core's schema ([`mecenat::schema::TABLES`]:
/// tables, columns, kinds, needs, in order) with the French layer ([`FR`]) on it. A table
/// or column the layer does not name keeps its key and no help (a test requires the layer
/// complete).
pub(crate) static DEFS: LazyLock<Vec<TableDef>> = LazyLock::new(|| {
    mecenat::schema::TABLES
        .iter()
        .map(|t| {
            let fr = FR.iter().find(|f| f.key == t.name);
            TableDef {
                key: t.name,
                fr: fr.map_or(t.name, |f| f.fr),
                help_fr: fr.map_or("", |f| f.help_fr),
                help_en: fr.map_or("", |f| f.help_en),
                columns: t
                    .columns
                    .iter()
                    .map(|c| {
                        let w = fr.and_then(|f| f.columns.iter().find(|w| w.key == c.key));
                        Column {
                            key: c.key,
                            fr: w.map_or(c.key, |w| w.fr),
                            kind: c.kind,
                            need: c.need,
                            help_fr: w.map_or("", |w| w.help_fr),
                            help_en: w.map_or("", |w| w.help_en),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
});

/// The French layer of every table, in the core's order: sheet name, help, and each
/// column's header and help.
static FR: &[TableFr] = &[
    TableFr {
        key: "companies",
        fr: "Entreprises",
        help_fr: "Une ligne par entreprise mécène (personne morale), identifiée par un identifiant court.",
        help_en: "One row per sponsoring company (legal entity), with a short id.",
        columns: &[
            fr_col("id", "Identifiant", "Identifiant court et unique, repris dans les autres feuilles (ex. C1).", "Short unique id, used in the other sheets (e.g. C1)."),
            fr_col("name", "Dénomination", "Dénomination sociale, telle qu'elle figure sur les reçus.", "Company name, as printed on receipts."),
            fr_col("siren", "SIREN", "Numéro SIREN (9 chiffres), pour les reçus et la déclaration.", "SIREN number (9 digits), for receipts and declarations."),
            fr_col("legal_form", "Forme juridique", "SAS, SA, SARL…", "SAS, SA, SARL…"),
            fr_col("address", "Adresse", "Adresse du siège.", "Registered address."),
        ],
    },
    TableFr {
        key: "fiscal_years",
        fr: "Exercices",
        help_fr: "Les exercices de chaque entreprise, contigus ; la date de clôture choisit le régime.",
        help_en: "Each company's fiscal years, contiguous; the closing date picks the regime.",
        columns: &[
            fr_col("company", "Entreprise", "Identifiant de l'entreprise (feuille Entreprises).", "Company id (companies sheet)."),
            fr_col("start", "Début", "Premier jour de l'exercice.", "First day of the fiscal year."),
            fr_col("end", "Fin", "Date de clôture de l'exercice.", "Closing date of the fiscal year."),
            fr_col("turnover", "Chiffre d'affaires HT", "Chiffre d'affaires hors taxes de l'exercice, en euros (jamais annualisé).", "Turnover excluding VAT of the fiscal year, in euros (never annualised)."),
            fr_col("tax_due", "IS dû", "Impôt sur les sociétés dû avant la réduction mécénat (facultatif ; vide = non calculé).", "Corporate tax due before the reduction (optional; empty = not computed)."),
            fr_col("label", "Libellé", "Libellé de l'exercice (par défaut : l'année de clôture).", "Fiscal year label (default: the closing year)."),
        ],
    },
    TableFr {
        key: "carryforwards",
        fr: "Reports antérieurs",
        help_fr: "Soldes d'ouverture venant d'exercices antérieurs au premier exercice saisi.",
        help_en: "Opening balances from fiscal years before the first one given.",
        columns: &[
            fr_col("company", "Entreprise", "Identifiant de l'entreprise.", "Company id."),
            fr_col("kind", "Nature", "Excédent de dons (report en base) ou réduction d'impôt non imputée (report en impôt).", "donations (excess over the ceiling) or reduction (unused tax reduction)."),
            fr_col("origin_end", "Clôture d'origine", "Date de clôture de l'exercice d'origine.", "Closing date of the fiscal year it comes from."),
            fr_col("amount", "Montant", "Montant restant à utiliser, en euros.", "Amount still unused, in euros."),
            fr_col("rate", "Taux", "Pour un excédent de dons : 0,60 (défaut) ou 0,40.", "For a donations balance: 0.60 (default) or 0.40."),
            fr_col("years_left", "Exercices restants", "Nombre d'exercices où il reste utilisable (1 à 5).", "Fiscal years it can still be used in (1 to 5)."),
        ],
    },
    TableFr {
        key: "beneficiaries",
        fr: "Bénéficiaires",
        help_fr: "Les organismes qui reçoivent les dons et délivrent les reçus.",
        help_en: "The non-profits that receive the gifts and issue the receipts.",
        columns: &[
            fr_col("id", "Identifiant", "Identifiant court et unique (ex. A1).", "Short unique id (e.g. A1)."),
            fr_col("name", "Nom", "Nom de l'organisme.", "Name of the organisation."),
            fr_col("siren", "SIREN", "SIREN, s'il en a un.", "SIREN, if any."),
            fr_col("rna", "RNA", "Numéro RNA (W…) d'une association.", "RNA number (W…) of an association."),
            fr_col("address", "Adresse", "Adresse, pour les reçus.", "Address, for receipts."),
            fr_col("object", "Objet", "Objet de l'organisme, pour les reçus.", "Purpose, for receipts."),
            fr_col("category", "Catégorie", "Catégorie d'éligibilité (art. 238 bis) ; défaut : intérêt général.", "Eligibility category (art. 238 bis); default general_interest."),
            fr_col("eligible", "Éligible", "oui (défaut) / non : non éligible, les dons ne donnent pas de réduction.", "true (default) / false: gifts give no reduction."),
            fr_col("aid_to_people_in_difficulty", "Aide aux personnes en difficulté", "oui : dons à 60 % quel que soit le montant (exception des 2 M€).", "true: gifts at 60 % whatever the amount (the 2 M EUR exception)."),
            fr_col("cvn_method", "Méthode CVN", "Valorisation pour les comptes de l'organisme : coût du donateur (défaut), smic, smic chargé, tarif.", "Valuation for its accounts: donor_cost (default), smic, smic_loaded, rate."),
            fr_col("cvn_factor", "Facteur CVN", "k pour smic chargé (ex. 0,5) ; identifiant de tarif pour tarif.", "k for smic_loaded (e.g. 0.5); rate id for rate."),
            fr_col("intermediary_name", "Intermédiaire", "Organisme intermédiaire par lequel passent les dons (formulaire 2069-RCI-SD, section III), s'il y en a un.", "Intermediary organism the gifts go through (form 2069-RCI-SD section III), if any."),
            fr_col("intermediary_siren", "SIREN de l'intermédiaire", "SIREN de l'organisme intermédiaire.", "SIREN of the intermediary."),
            fr_col("intermediary_rna", "RNA de l'intermédiaire", "RNA de l'organisme intermédiaire (W…), à défaut de SIREN.", "RNA of the intermediary (W…), when it has no SIREN."),
            fr_col("recognition_decree", "Décret de reconnaissance", "Organisme reconnu d'utilité publique : date du décret qui le reconnaît (imprimée sur les reçus).", "Public-utility body: date of the decree recognising it (printed on receipts)."),
        ],
    },
    TableFr {
        key: "employees",
        fr: "Salariés",
        help_fr: "Une ligne par période de paie d'un salarié (même identifiant répété avec une date « À partir du » plus récente).",
        help_en: "One row per pay period of an employee (the same id repeats with a later from date).",
        columns: &[
            fr_col("id", "Identifiant", "Identifiant du salarié (ex. E1).", "Employee id (e.g. E1)."),
            fr_col("company", "Entreprise", "Identifiant de l'entreprise employeuse.", "Employer company id."),
            fr_col("name", "Nom", "Nom affiché sur les reçus.", "Name shown on receipts."),
            fr_col("from", "À partir du", "Premier jour où cette ligne de paie s'applique (vide : depuis toujours).", "First day this pay row applies (empty: since ever)."),
            fr_col("annual_gross_salary", "Salaire brut annuel", "Salaire brut annuel, en euros.", "Annual gross salary, in euros."),
            fr_col("annual_employer_charges", "Charges patronales annuelles", "Charges sociales patronales annuelles, en euros.", "Annual employer social charges, in euros."),
            fr_col("annual_working_days", "Jours travaillés par an", "Forfait jours (ex. 218) ; ou bien les heures.", "Days basis (e.g. 218); or else the hours."),
            fr_col("annual_working_hours", "Heures travaillées par an", "Base horaire (ex. 1607) ; ou bien les jours.", "Hours basis (e.g. 1607); or else the days."),
            fr_col("hours_per_day", "Heures par jour", "Heures d'une journée (défaut 7).", "Hours in a working day (default 7)."),
        ],
    },
    TableFr {
        key: "time_entries",
        fr: "Temps",
        help_fr: "Le temps donné : une ligne par personne, bénéficiaire et jour, en jours ou en heures.",
        help_en: "Time given: one row per person, beneficiary and day, in days or hours.",
        columns: &[
            fr_col("employee", "Salarié", "Identifiant du salarié mis à disposition ; ou bien un bénévole.", "Employee id (staff lent); or else a volunteer."),
            fr_col("volunteer", "Bénévole", "Nom d'un bénévole (temps personnel, sans reçu) ; ou bien un salarié.", "A volunteer's name (own time, no receipt); or else an employee."),
            fr_col("beneficiary", "Bénéficiaire", "Identifiant du bénéficiaire.", "Beneficiary id."),
            fr_col("date", "Date", "Jour travaillé.", "Day worked."),
            fr_col("days", "Jours", "Jours donnés ce jour-là (ex. 1 ou 0,5 ; une durée 7:30 y est rejetée) ; ou bien des heures.", "Days given that day (e.g. 1 or 0.5; a duration such as 7:30 is rejected here); or else hours."),
            fr_col("hours", "Heures", "Heures données ce jour-là (ex. 7,5, ou la durée 7:30 au format [h]:mm ou hh:mm, lue 7,5 h) ; ou bien des jours.", "Hours given that day (e.g. 7.5, or the duration 7:30 formatted [h]:mm or hh:mm, read as 7.5 h); or else days."),
            fr_col("project", "Projet", "Projet, pour l'impact.", "Project, for impact."),
            fr_col("activity", "Activité", "Activité, pour l'impact et les tarifs.", "Activity, for impact and rates."),
            fr_col("status", "Statut", "approuvé (défaut) ou refusé par le bénéficiaire.", "approved (default) or refused by the beneficiary."),
        ],
    },
    TableFr {
        key: "donations",
        fr: "Dons",
        help_fr: "Dons en numéraire ou en nature autres que le temps des salariés.",
        help_en: "Cash or in-kind gifts other than staff time.",
        columns: &[
            fr_col("company", "Entreprise", "Identifiant de l'entreprise donatrice.", "Donor company id."),
            fr_col("beneficiary", "Bénéficiaire", "Identifiant du bénéficiaire.", "Beneficiary id."),
            fr_col("date", "Date", "Date du don.", "Date of the gift."),
            fr_col("amount", "Montant", "Montant en euros (en nature : au coût de revient).", "Amount in euros (in kind: at cost price)."),
            fr_col("kind", "Nature", "numéraire (défaut) ou en nature.", "cash (default) or in_kind."),
            fr_col("description", "Description", "Obligatoire pour un don en nature (elle figure sur le reçu).", "Required for an in-kind gift (it goes on the receipt)."),
            fr_col("payment_method", "Mode de versement", "Don en numéraire : remise d'espèces, chèque, virement (prélèvement, carte bancaire) ou autre ; figure sur le reçu. Vide pour un don en nature.", "Cash gift: cash_in_hand, cheque, transfer (direct debit, card) or other; on the receipt. Empty for an in-kind gift."),
        ],
    },
    TableFr {
        key: "counterparts",
        fr: "Contreparties",
        help_fr: "Contreparties reçues par l'entreprise, valorisées par le bénéficiaire.",
        help_en: "Counterparts the company received, valued by the beneficiary.",
        columns: &[
            fr_col("company", "Entreprise", "Identifiant de l'entreprise.", "Company id."),
            fr_col("beneficiary", "Bénéficiaire", "Identifiant du bénéficiaire.", "Beneficiary id."),
            fr_col("date", "Date", "Date.", "Date."),
            fr_col("value", "Valeur", "Valeur en euros.", "Value in euros."),
            fr_col("description", "Description", "Description.", "Description."),
        ],
    },
    TableFr {
        key: "bench",
        fr: "Intercontrats",
        help_fr: "Périodes d'intercontrat des salariés (facultatif).",
        help_en: "Employees' bench (intercontract) periods (optional).",
        columns: &[
            fr_col("employee", "Salarié", "Identifiant du salarié.", "Employee id."),
            fr_col("start", "Début", "Premier jour.", "First day."),
            fr_col("end", "Fin", "Dernier jour.", "Last day."),
        ],
    },
    TableFr {
        key: "rates",
        fr: "Tarifs",
        help_fr: "Tarifs de marché ou de remplacement (facultatif).",
        help_en: "Market or replacement rates (optional).",
        columns: &[
            fr_col("id", "Identifiant", "Identifiant du tarif.", "Rate id."),
            fr_col("unit", "Unité", "heure ou jour.", "hour or day."),
            fr_col("amount", "Montant", "Montant par unité, en euros.", "Amount per unit, in euros."),
            fr_col("activity", "Activité", "Activité concernée (vide : toutes).", "Activity it applies to (empty: any)."),
            fr_col("from", "À partir du", "Premier jour d'application.", "First day it applies."),
        ],
    },
    TableFr {
        key: "outputs",
        fr: "Réalisations",
        help_fr: "Réalisations déclarées par les bénéficiaires (facultatif), jamais estimées.",
        help_en: "Outcomes declared by the beneficiaries (optional), never estimated.",
        columns: &[
            fr_col("beneficiary", "Bénéficiaire", "Identifiant du bénéficiaire.", "Beneficiary id."),
            fr_col("date", "Date", "Date.", "Date."),
            fr_col("unit", "Unité", "Unité, dans la liste.", "Unit, from the list."),
            fr_col("quantity", "Quantité", "Quantité déclarée.", "Quantity declared."),
            fr_col("project", "Projet", "Projet.", "Project."),
        ],
    },
    TableFr {
        key: "settings",
        fr: "Paramètres",
        help_fr: "Réglages : méthode de plafonnement (taux ou période), heures par ETP, plan comptable, effectif éligible, comptes du journal (comptes du plan ou sous-comptes), préfixe des reçus.",
        help_en: "Settings: cap_method (rate or period), fte_hours, chart, eligible_headcount, journal_accounts (chart or sub_accounts), receipt_prefix.",
        columns: &[
            fr_col("key", "Paramètre", "méthode de plafonnement, heures par etp, plan comptable, effectif éligible, comptes du journal, préfixe des reçus.", "cap_method, fte_hours, chart, eligible_headcount, journal_accounts, receipt_prefix."),
            fr_col("value", "Valeur", "Valeur : taux ou période ; 1607 ; pca 2018 ; 120 ; comptes du plan ou sous-comptes.", "Value: rate or period; 1607; pca2018; 120; chart or sub_accounts."),
        ],
    },
    TableFr {
        key: "law",
        fr: "Loi",
        help_fr: "Valeurs légales que vous fournissez (facultatif), quand la loi a bougé depuis la version de mecenat : ex. le PASS de l'année prochaine. Exemple en bas de cette feuille d'aide (non lu).",
        help_en: "Legal values you supply (optional), when the law moved since this version of mecenat: e.g. next year's PASS. Example at the bottom of this sheet (not read).",
        columns: &[
            fr_col("parameter", "Paramètre", "Nom d'un paramètre légal de mecenat (mecenat params les liste) : pass, pmss, smic_hourly, reduction_rate…", "Name of a legal parameter of mecenat (mecenat params lists them): pass, pmss, smic_hourly, reduction_rate…"),
            fr_col("since", "Depuis", "Date à partir de laquelle la valeur s'applique ; la même date qu'une valeur de mecenat la remplace.", "Date from which the value applies; the same date as one of mecenat's values replaces it."),
            fr_col("value", "Valeur", "La valeur, dans l'unité du paramètre (ex. 48060 pour un PASS en euros, 0,60 pour un taux).", "The value, in the parameter's unit (e.g. 48060 for a PASS in euros, 0.60 for a rate)."),
            fr_col("reference", "Référence", "Le texte légal d'où vient la valeur (arrêté, décret, article) : obligatoire, une valeur sans source est refusée.", "The legal text the value comes from (arrêté, décret, article): required, a value without a source is refused."),
        ],
    },
];

/// Lower-cases, strips accents and collapses everything but letters and digits into single
/// spaces, so that `Chiffre d'affaires HT`, `chiffre_d_affaires_ht` and
/// `CHIFFRE D'AFFAIRES  HT` compare equal.
pub(crate) fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' | 'õ' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            'ÿ' => 'y',
            'œ' => {
                out.push('o');
                'e'
            }
            c => c,
        };
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    out
}

/// The table a sheet name stands for (French or English, any case or accents).
pub(crate) fn table_for_sheet(name: &str) -> Option<&'static TableDef> {
    let n = normalize(name);
    DEFS.iter()
        .find(|t| normalize(t.key) == n || normalize(t.fr) == n)
}

/// The column a header stands for (French or English).
pub(crate) fn column_for_header(t: &'static TableDef, header: &str) -> Option<&'static Column> {
    let n = normalize(header);
    t.columns
        .iter()
        .find(|c| normalize(c.key) == n || normalize(c.fr) == n)
}

/// The code of a closed-list label (French, English or alias), if it is one.
pub(crate) fn choice_code(list: &[Choice], text: &str) -> Option<&'static str> {
    let n = normalize(text);
    if n.is_empty() {
        return None;
    }
    list.iter()
        .find(|c| {
            normalize(c.code) == n
                || normalize(c.fr) == n
                || c.aliases.iter().any(|a| normalize(a) == n)
        })
        .map(|c| c.code)
}

/// The label to show for a code in a language (the code itself in English).
pub(crate) fn choice_label(list: &[Choice], code: &str, fr: bool) -> Option<&'static str> {
    list.iter()
        .find(|c| c.code == code)
        .map(|c| if fr { c.fr } else { c.code })
}

/// Checks that the French layer covers the core's schema exactly: every table and column
/// has its French words, and the layer names no table or column the core lacks.
#[cfg(test)]
pub(crate) fn consistent_with_core() -> Result<(), String> {
    let core = mecenat::schema::TABLES;
    for f in FR {
        let Some(t) = mecenat::schema::table(f.key) else {
            return Err(format!(
                "French words for a table the core lacks: {}",
                f.key
            ));
        };
        for c in f.columns {
            if t.column(c.key).is_none() {
                return Err(format!(
                    "French words for a column the core lacks: {}.{}",
                    f.key, c.key
                ));
            }
        }
    }
    for t in core {
        let Some(f) = FR.iter().find(|f| f.key == t.name) else {
            return Err(format!("no French words for table {}", t.name));
        };
        for c in t.columns {
            if !f.columns.iter().any(|w| w.key == c.key) {
                return Err(format!("no French words for column {}.{}", t.name, c.key));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_matches_the_core() {
        consistent_with_core().unwrap();
    }

    #[test]
    fn names_and_headers_are_unique_once_normalized() {
        let mut sheets = std::collections::HashSet::new();
        for t in DEFS.iter() {
            assert!(sheets.insert(normalize(t.key)), "{}", t.key);
            assert!(sheets.insert(normalize(t.fr)) || normalize(t.fr) == normalize(t.key));
            assert!(
                t.fr.chars().count() <= 31,
                "{} too long for a sheet name",
                t.fr
            );
            let mut heads = std::collections::HashSet::new();
            for c in &t.columns {
                assert!(heads.insert(normalize(c.key)), "{}.{}", t.key, c.key);
                let f = normalize(c.fr);
                assert!(
                    f == normalize(c.key) || heads.insert(f),
                    "{}.{}",
                    t.key,
                    c.fr
                );
                assert!(c.help_fr.chars().count() <= 255 && c.help_en.chars().count() <= 255);
            }
        }
    }

    #[test]
    fn normalizes_french_spellings() {
        assert_eq!(normalize("Chiffre d'affaires HT"), "chiffre d affaires ht");
        assert_eq!(
            normalize(" chiffre_d_affaires__ht "),
            "chiffre d affaires ht"
        );
        assert_eq!(normalize("Salariés"), "salaries");
        assert_eq!(table_for_sheet("SALARIES").unwrap().key, "employees");
        assert_eq!(table_for_sheet("time entries").unwrap().key, "time_entries");
        assert_eq!(choice_code(STATUS, "Refusé"), Some("refused"));
        assert_eq!(choice_code(DONATION_KIND, "Numéraire"), Some("cash"));
        assert_eq!(choice_code(DONATION_KIND, "in_kind"), Some("in_kind"));
        assert_eq!(choice_code(STATUS, "peut-être"), None);
    }

    #[test]
    fn payment_methods_read_from_their_french_labels() {
        assert_eq!(
            choice_code(PAYMENT_METHOD, "Remise d'espèces"),
            Some("cash_in_hand")
        );
        assert_eq!(choice_code(PAYMENT_METHOD, "Chèque"), Some("cheque"));
        assert_eq!(
            choice_code(PAYMENT_METHOD, "Virement / prélèvement / carte bancaire"),
            Some("transfer")
        );
        assert_eq!(choice_code(PAYMENT_METHOD, "CB"), Some("transfer"));
        assert_eq!(choice_code(PAYMENT_METHOD, "transfer"), Some("transfer"));
        assert_eq!(choice_code(PAYMENT_METHOD, "Autre"), Some("other"));
        assert_eq!(choice_code(PAYMENT_METHOD, "bitcoin"), None);
        // Excel's drop-down lists are comma-separated: no label may hold a comma.
        assert!(PAYMENT_METHOD.iter().all(|c| !c.fr.contains(',')));
        assert_eq!(
            choice_code(SETTING_KEYS, "Préfixe des reçus"),
            Some("receipt_prefix")
        );
    }
}
