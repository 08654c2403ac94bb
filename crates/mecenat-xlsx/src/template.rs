//! The input workbook: the empty template, or a scenario written into it.

use mecenat::{Error, Location, RawScenario, RawValue};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Table, TableColumn, TableStyle, Workbook, Worksheet,
};

use crate::cells::{
    cell_text, decimal_from_excel, excel_date, xlsx_error, Lang, LAST_ROW, MAX_TABLE_ROWS,
};
use crate::schema::{self, Column, Kind, KindExt, Need, DEFS};

/// Name of the instructions sheet (ignored on import).
pub(crate) const HELP_SHEET_FR: &str = "Mode d'emploi";
/// Name of the instructions sheet in English.
pub(crate) const HELP_SHEET_EN: &str = "Instructions";

/// Rows of an empty table in the template (Excel extends a table as rows are typed below
/// it; validations and formats cover the whole column anyway).
const TEMPLATE_ROWS: u32 = 50;

pub(crate) struct Formats {
    pub header: Format,
    pub date: Format,
    pub money: Format,
    pub text: Format,
    pub wrap: Format,
    pub title: Format,
    pub bold: Format,
}

impl Formats {
    fn new(lang: Lang) -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            date: Format::new().set_num_format(if lang.fr() {
                "dd/mm/yyyy"
            } else {
                "yyyy-mm-dd"
            }),
            money: Format::new().set_num_format("#,##0.00"),
            text: Format::new().set_num_format("@"),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
        }
    }

    fn for_kind(&self, kind: Kind) -> Option<&Format> {
        match kind {
            Kind::Date => Some(&self.date),
            Kind::Money => Some(&self.money),
            Kind::Text | Kind::SettingValue => Some(&self.text),
            _ => None,
        }
    }
}

/// The input workbook, empty (`raw` is `None`) or filled with a scenario.
pub(crate) fn scenario_workbook(raw: Option<&RawScenario>, lang: Lang) -> Result<Workbook, Error> {
    let fr = lang.fr();
    if let Some(raw) = raw {
        check_known(raw)?;
    }
    let f = Formats::new(lang);
    let mut wb = Workbook::new();
    help_sheet(wb.add_worksheet(), lang, &f)?;
    for def in DEFS.iter() {
        let rows = raw
            .and_then(|r| r.tables.iter().find(|t| t.name == def.key))
            .map(|t| t.rows.as_slice())
            .unwrap_or_default();
        // A large table is written in constant memory, with filters instead of an Excel
        // table (rust_xlsxwriter keeps memory per cell of a table).
        let big = rows.len() > MAX_TABLE_ROWS;
        let ws = if big {
            wb.add_worksheet_with_constant_memory()
                .map_err(xlsx_error)?
        } else {
            wb.add_worksheet()
        };
        ws.set_name(def.sheet(fr)).map_err(xlsx_error)?;
        let last_col = u16::try_from(def.columns.len() - 1).unwrap_or(0);
        let n = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        let last_row = if raw.is_some() {
            n.max(1)
        } else {
            TEMPLATE_ROWS
        };
        if big {
            for (i, c) in def.columns.iter().enumerate() {
                let col = u16::try_from(i).unwrap_or(0);
                ws.write_string_with_format(0, col, marked_header(c, fr), &f.header)
                    .map_err(xlsx_error)?;
            }
            ws.autofilter(0, 0, last_row.min(LAST_ROW), last_col)
                .map_err(xlsx_error)?;
        } else {
            let columns: Vec<TableColumn> = def
                .columns
                .iter()
                .map(|c| {
                    let mut tc = TableColumn::new()
                        .set_header(marked_header(c, fr))
                        .set_header_format(&f.header);
                    if let Some(fmt) = f.for_kind(c.kind) {
                        tc = tc.set_format(fmt);
                    }
                    tc
                })
                .collect();
            let table_name = if fr {
                schema::normalize(def.fr).replace(' ', "_")
            } else {
                def.key.to_string()
            };
            let table = Table::new()
                .set_name(format!("t_{table_name}"))
                .set_style(TableStyle::Medium2)
                .set_columns(&columns);
            ws.add_table(0, 0, last_row.min(LAST_ROW), last_col, &table)
                .map_err(xlsx_error)?;
        }
        for (i, c) in def.columns.iter().enumerate() {
            let col = u16::try_from(i).unwrap_or(0);
            let width = marked_header(c, fr).chars().count().clamp(10, 28);
            ws.set_column_width(col, u32::try_from(width + 4).unwrap_or(14))
                .map_err(xlsx_error)?;
            let dv = validation(c, fr)?;
            ws.add_data_validation(1, col, LAST_ROW, col, &dv)
                .map_err(xlsx_error)?;
        }
        ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        page_setup(ws, true, fr)?;
        if def.key == "law" {
            law_note(ws, fr)?;
        }
        for (i, row) in rows.iter().enumerate() {
            let r = u32::try_from(i + 1).unwrap_or(LAST_ROW);
            for (key, value) in &row.cells {
                let Some(ci) = def.columns.iter().position(|c| c.key == key) else {
                    continue;
                };
                write_value(ws, r, ci, &def.columns[ci], value, fr, &f)?;
            }
        }
    }
    if raw.is_none() {
        example_sheet(wb.add_worksheet(), lang, &f)?;
    }
    Ok(wb)
}

fn check_known(raw: &RawScenario) -> Result<(), Error> {
    for t in &raw.tables {
        let Some(def) = DEFS.iter().find(|d| d.key == t.name) else {
            return Err(Error::scenario(
                Location {
                    table: Some(t.name.clone()),
                    ..Location::default()
                },
                format!("unknown table {:?}", t.name),
            ));
        };
        for (i, row) in t.rows.iter().enumerate() {
            for (k, v) in &row.cells {
                if def.column(k).is_none() {
                    return Err(Error::scenario(
                        Location {
                            table: Some(t.name.clone()),
                            row: Some(i + 1),
                            key: Some(k.to_string()),
                            value: Some(v.to_string()),
                            cell: None,
                        },
                        format!("unknown key {k:?} in table {}", t.name),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The data validation of a column: a dropdown for closed lists, a range check for numbers
/// and dates, and always the column's explanation as input message.
fn validation(c: &Column, fr: bool) -> Result<DataValidation, Error> {
    let labels = |list: &[schema::Choice]| -> Vec<&str> {
        list.iter()
            .map(|ch| if fr { ch.fr } else { ch.code })
            .collect()
    };
    let dv = DataValidation::new();
    let dv = match c.kind {
        Kind::Choice(list) => dv
            .allow_list_strings(&labels(schema::choices(list)))
            .map_err(xlsx_error)?,
        Kind::Bool => dv
            .allow_list_strings(&labels(schema::BOOL))
            .map_err(xlsx_error)?,
        Kind::SettingKey => dv
            .allow_list_strings(&labels(schema::SETTING_KEYS))
            .map_err(xlsx_error)?,
        Kind::Money | Kind::Qty | Kind::Units | Kind::Rate => {
            dv.allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        }
        Kind::Whole => dv.allow_whole_number(DataValidationRule::Between(1, 5)),
        Kind::Date => dv.allow_date(DataValidationRule::Between(
            ExcelDateTime::from_ymd(2000, 1, 1).map_err(xlsx_error)?,
            ExcelDateTime::from_ymd(2099, 12, 31).map_err(xlsx_error)?,
        )),
        Kind::Text | Kind::SettingValue => match id_list(c.key, fr) {
            Some(list) => dv.allow_list_formula(list.as_str().into()),
            None => dv.allow_any_value(),
        },
    };
    // Categories may be others than the list: warn, do not block.
    let style = if matches!(c.kind, Kind::Choice(schema::List::Category)) {
        DataValidationErrorStyle::Information
    } else {
        DataValidationErrorStyle::Warning
    };
    let need = match (c.need, fr) {
        (Need::Required, true) => "Obligatoire. ",
        (Need::Required, false) => "Required. ",
        (Need::OneOf(_), true) => "L'une des deux colonnes. ",
        (Need::OneOf(_), false) => "One of two columns. ",
        (Need::Optional, true) => "Facultatif. ",
        (Need::Optional, false) => "Optional. ",
    };
    let mut msg = format!("{need}{}{}", date_hint(c, fr), c.help(fr));
    if msg.chars().count() > 255 {
        msg = msg.chars().take(255).collect();
    }
    let title: String = c.header(fr).chars().take(32).collect();
    let dv = dv
        .set_input_title(title)
        .and_then(|d| d.set_input_message(msg))
        .map(|d| d.set_error_style(style))
        .map_err(xlsx_error)?;
    match (c.kind, fr) {
        (Kind::Date, true) => dv
            .set_error_title("Date attendue")
            .and_then(|d| d.set_error_message("Saisissez une date : JJ/MM/AAAA ou AAAA-MM-JJ (ex. 31/12/2025)."))
            .map_err(xlsx_error),
        (Kind::Date, false) => dv
            .set_error_title("Date expected")
            .and_then(|d| d.set_error_message("Type a date: DD/MM/YYYY or YYYY-MM-DD (e.g. 2025-12-31)."))
            .map_err(xlsx_error),
        _ if id_list(c.key, fr).is_some() => dv
            .set_error_title(if fr { "Identifiant inconnu" } else { "Unknown id" })
            .and_then(|d| {
                d.set_error_message(if fr {
                    "Cet identifiant n'est pas (encore) dans sa feuille : ajoutez-y la ligne, sinon la ligne sera rejetée au calcul."
                } else {
                    "This id is not (yet) in its sheet: add the row there, or the row will be rejected when computed."
                })
            })
            .map_err(xlsx_error),
        _ => Ok(dv),
    }
}

/// Printing: A4 landscape, one page wide, the sheet's name and the page in the footer;
/// `header` repeats the header row on every page.
fn page_setup(ws: &mut Worksheet, header: bool, fr: bool) -> Result<(), Error> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer(if fr {
        "&L&A&RPage &P / &N"
    } else {
        "&L&A&RPage &P of &N"
    });
    if header {
        ws.set_repeat_rows(0, 0).map_err(xlsx_error)?;
    }
    Ok(())
}

/// A column's header in the template: its name, with ` *` when it is required and ` (*)`
/// when one of a pair is (the importer reads the name either way).
pub(crate) fn marked_header(c: &Column, fr: bool) -> String {
    match c.need {
        Need::Required => format!("{} *", c.header(fr)),
        Need::OneOf(_) => format!("{} (*)", c.header(fr)),
        Need::Optional => c.header(fr).to_string(),
    }
}

/// The hint of a date column's input message.
fn date_hint(c: &Column, fr: bool) -> &'static str {
    match (c.kind, fr) {
        (Kind::Date, true) => "Date : JJ/MM/AAAA ou AAAA-MM-JJ. ",
        (Kind::Date, false) => "Date: DD/MM/YYYY or YYYY-MM-DD. ",
        _ => "",
    }
}

/// The tables whose ids other sheets refer to, by the key of the referring columns.
const ID_SOURCES: &[(&str, &str)] = &[
    ("company", "companies"),
    ("beneficiary", "beneficiaries"),
    ("employee", "employees"),
];

/// For a column holding a company, beneficiary or employee id: the drop-down list of the
/// ids typed in that table's sheet (its `id` column, from row 2 to the last filled row, so
/// that the list shows no blank lines).
fn id_list(key: &str, fr: bool) -> Option<String> {
    let (_, table) = ID_SOURCES.iter().find(|(k, _)| *k == key)?;
    let def = DEFS.iter().find(|d| d.key == *table)?;
    let col = def.columns.iter().position(|c| c.key == "id")?;
    let letters = crate::cells::col_letters(u32::try_from(col).ok()?);
    let sheet = def.sheet(fr);
    let sheet = if sheet.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        sheet.to_string()
    } else {
        format!("'{}'", sheet.replace('\'', "''"))
    };
    Some(format!(
        "=OFFSET({sheet}!${letters}$2,0,0,MAX(1,COUNTA({sheet}!${letters}:${letters})-1),1)"
    ))
}

/// Whether a decimal survives the trip through an Excel number (written as a float, read
/// back rounded to the column's scale).
fn exact_as_number(d: Decimal, scale: u32) -> Option<f64> {
    let x = d.to_f64()?;
    (decimal_from_excel(x, scale) == Some(d)).then_some(x)
}

/// Writes one scenario value in its column's natural Excel form; anything that would not
/// read back the same is written as text.
fn write_value(
    ws: &mut Worksheet,
    r: u32,
    ci: usize,
    c: &Column,
    v: &RawValue,
    fr: bool,
    f: &Formats,
) -> Result<(), Error> {
    let col = u16::try_from(ci).unwrap_or(0);
    let text = |ws: &mut Worksheet, s: &str| {
        ws.write_string_with_format(r, col, cell_text(s), &f.text)
            .map(|_| ())
            .map_err(xlsx_error)
    };
    let number = |ws: &mut Worksheet, x: f64| {
        match c.kind {
            Kind::Money => ws.write_number_with_format(r, col, x, &f.money),
            _ => ws.write_number(r, col, x),
        }
        .map(|_| ())
        .map_err(xlsx_error)
    };
    let date = |ws: &mut Worksheet, d: chrono::NaiveDate| {
        ws.write_datetime_with_format(r, col, excel_date(d)?, &f.date)
            .map(|_| ())
            .map_err(xlsx_error)
    };
    let label = |list: &[schema::Choice], s: &str| -> String {
        schema::choice_label(list, s.trim(), fr).map_or_else(|| s.to_string(), str::to_string)
    };
    match (c.kind, v) {
        (_, RawValue::Null) => Ok(()),
        (Kind::Money | Kind::Qty | Kind::Units | Kind::Rate | Kind::Whole, _) => {
            let scale = c.kind.scale().unwrap_or(4);
            let d = match v {
                RawValue::Int(i) => Some(Decimal::from(*i)),
                RawValue::Decimal(d) => Some(*d),
                // Read as the core reads it ("1 234,50" too); "12 €" stays text.
                RawValue::Text(t) => mecenat::cells::parse_decimal(t).ok(),
                _ => None,
            };
            match (d.and_then(|d| exact_as_number(d, scale)), v) {
                (Some(x), _) => number(ws, x),
                (None, RawValue::Float(x)) => number(ws, *x),
                (None, RawValue::Bool(b)) => {
                    ws.write_boolean(r, col, *b).map(|_| ()).map_err(xlsx_error)
                }
                (None, RawValue::Date(d)) => date(ws, *d),
                (None, other) => text(ws, &other.to_string()),
            }
        }
        (Kind::Date, RawValue::Date(d)) => date(ws, *d),
        (Kind::Date, RawValue::Text(t)) => match mecenat::cells::parse_date(t) {
            Some(d) => date(ws, d),
            None => text(ws, t),
        },
        (Kind::Bool, RawValue::Bool(b)) => {
            text(ws, &label(schema::BOOL, if *b { "true" } else { "false" }))
        }
        (Kind::Bool, RawValue::Text(t)) => match schema::choice_code(schema::BOOL, t) {
            Some(code) => text(ws, &label(schema::BOOL, code)),
            None => text(ws, t),
        },
        (Kind::Choice(list), RawValue::Text(t)) => text(ws, &label(schema::choices(list), t)),
        (Kind::SettingKey, RawValue::Text(t)) => text(ws, &label(schema::SETTING_KEYS, t)),
        (Kind::SettingValue, RawValue::Text(t)) => text(ws, &label(schema::SETTING_VALUES, t)),
        (_, RawValue::Bool(b)) => ws.write_boolean(r, col, *b).map(|_| ()).map_err(xlsx_error),
        (_, RawValue::Date(d)) => date(ws, *d),
        (_, RawValue::Float(x)) => ws.write_number(r, col, *x).map(|_| ()).map_err(xlsx_error),
        (_, other) => text(ws, &other.to_string()),
    }
}

/// Name of the example sheet (ignored on import).
pub(crate) const EXAMPLE_SHEET_FR: &str = "Exemple";
/// Name of the example sheet in English.
pub(crate) const EXAMPLE_SHEET_EN: &str = "Example";

/// The small complete scenario the example sheet shows (a company, a fiscal year, a
/// beneficiary, two employees, time in days and hours, a volunteer, two gifts, an output).
const EXAMPLE_JSON: &str = include_str!("example.json");

/// A workbook of the example sheet alone, as the template writes it (what the importer
/// compares a workbook's example sheet with).
pub(crate) fn example_workbook(lang: Lang) -> Result<Workbook, Error> {
    let mut wb = Workbook::new();
    example_sheet(wb.add_worksheet(), lang, &Formats::new(lang))?;
    Ok(wb)
}

/// The example scenario, as raw tables.
pub(crate) fn example_raw() -> Result<RawScenario, Error> {
    RawScenario::from_json(EXAMPLE_JSON)
}

/// The example sheet: each table of the example scenario as a block (the sheet's name, its
/// header row with the required columns marked, its rows in their Excel form), to copy
/// into the sheets of the same name. The importer ignores this sheet.
fn example_sheet(ws: &mut Worksheet, lang: Lang, f: &Formats) -> Result<(), Error> {
    let fr = lang.fr();
    let raw = example_raw()?;
    ws.set_name(if fr {
        EXAMPLE_SHEET_FR
    } else {
        EXAMPLE_SHEET_EN
    })
    .map_err(xlsx_error)?;
    ws.set_tab_color(Color::RGB(0x00_B0_50));
    page_setup(ws, false, fr)?;
    let head = Format::new()
        .set_bold()
        .set_font_color(Color::White)
        .set_background_color(Color::RGB(0x00_44_72_C4))
        .set_border_bottom(FormatBorder::Thin);
    let (title, note) = if fr {
        (
            "Exemple : un petit scénario complet",
            "Cette feuille n'est pas lue au calcul. Chaque bloc montre une feuille remplie (ses en-têtes, puis ses lignes) : \
             * marque une colonne obligatoire, (*) l'une des deux colonnes d'un couple. Dates : JJ/MM/AAAA ou AAAA-MM-JJ.",
        )
    } else {
        (
            "Example: a small complete scenario",
            "This sheet is not read when computing. Each block shows a filled sheet (its headers, then its rows): \
             * marks a required column, (*) one of the two columns of a pair. Dates: DD/MM/YYYY or YYYY-MM-DD.",
        )
    };
    ws.write_string_with_format(0, 0, title, &f.title)
        .map_err(xlsx_error)?;
    ws.merge_range(1, 0, 1, 8, note, &f.wrap)
        .map_err(xlsx_error)?;
    ws.set_row_height(1, 48).map_err(xlsx_error)?;
    let mut widths = [0usize; 16];
    let mut r = 3u32;
    for t in &raw.tables {
        let Some(def) = DEFS.iter().find(|d| d.key == t.name) else {
            continue;
        };
        ws.write_string_with_format(r, 0, def.sheet(fr), &f.bold)
            .map_err(xlsx_error)?;
        r += 1;
        for (i, c) in def.columns.iter().enumerate() {
            let h = marked_header(c, fr);
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(h.chars().count());
            }
            ws.write_string_with_format(r, u16::try_from(i).unwrap_or(0), h, &head)
                .map_err(xlsx_error)?;
        }
        for row in &t.rows {
            r += 1;
            for (key, value) in &row.cells {
                if let Some(ci) = def.columns.iter().position(|c| c.key == key) {
                    if let Some(w) = widths.get_mut(ci) {
                        *w = (*w).max(value.to_string().chars().count());
                    }
                    write_value(ws, r, ci, &def.columns[ci], value, fr, f)?;
                }
            }
        }
        r += 2;
    }
    for (i, w) in widths.iter().enumerate().filter(|(_, w)| **w > 0) {
        let w = u32::try_from((*w).clamp(10, 30) + 2).unwrap_or(12);
        ws.set_column_width(u16::try_from(i).unwrap_or(0), w)
            .map_err(xlsx_error)?;
    }
    Ok(())
}

fn help_sheet(ws: &mut Worksheet, lang: Lang, f: &Formats) -> Result<(), Error> {
    let fr = lang.fr();
    ws.set_name(if fr { HELP_SHEET_FR } else { HELP_SHEET_EN })
        .map_err(xlsx_error)?;
    ws.set_column_width(0, 24).map_err(xlsx_error)?;
    ws.set_column_width(1, 30).map_err(xlsx_error)?;
    ws.set_column_width(2, 16).map_err(xlsx_error)?;
    ws.set_column_width(3, 90).map_err(xlsx_error)?;
    let title = if fr {
        "mecenat : scénario de mécénat de compétences (art. 238 bis CGI)"
    } else {
        "mecenat: a skills-sponsorship scenario (art. 238 bis CGI)"
    };
    ws.write_string_with_format(0, 0, title, &f.title)
        .map_err(xlsx_error)?;
    let lines: &[&str] = if fr {
        &[
            "1. Remplissez une feuille par table. Entreprises, Exercices, Bénéficiaires, Salariés et Temps suffisent pour le temps donné ; les autres feuilles sont facultatives.",
            "2. La ligne 1 de chaque feuille nomme les colonnes (en français ou en anglais) : ne la modifiez pas. Une feuille dont le nom commence par « _ » est ignorée.",
            "   * : colonne obligatoire ; (*) : l'une des deux colonnes d'un couple (Salarié ou Bénévole, Jours ou Heures, jours ou heures travaillés par an). Les colonnes Entreprise, Bénéficiaire et Salarié proposent les identifiants saisis dans leur feuille.",
            "   La feuille Exemple montre un petit scénario complet, à imiter ; elle est ignorée au calcul (une cellule qui n'y est pas celle de l'exemple est signalée dans le rapport).",
            "3. Montants en euros, au plus 2 décimales ; jours et heures, au plus 4 décimales. Un nombre saisi en texte est lu comme en JSON : « 1 234,56 », « 1234,56 » ou « 1234.56 » ; « 1.234,56 » (virgule et point) ou « 1,234 » est ambigu et rejeté avec sa cellule.",
            "   Heures : un nombre (7,5) ou une durée au format [h]:mm ou hh:mm (7:30 est lu 7,5 h, arrondi à 4 décimales : 7:20 donne 7,3333). Une durée ou une heure dans une autre colonne de nombres (Jours, montants) est rejetée avec sa cellule.",
            "4. Dates : cellules au format date, ou texte JJ/MM/AAAA ou AAAA-MM-JJ.",
            "5. Les listes (statut, nature, catégorie, oui/non…) proposent leurs valeurs ; chaque cellule explique sa colonne quand on la sélectionne.",
            "6. Toute ligne inutilisable est rejetée avec son motif et sa cellule (ex. Temps!C42) : rien n'est ignoré en silence.",
            "   Les feuilles et les lignes masquées sont lues comme les autres, chacune avec un avertissement qui la nomme dans le rapport.",
            "7. Calcul : mecenat compute scenario.xlsx -o rapport.xlsx (rapport Excel) ou --format json.",
            "   Le classeur peut aussi être enregistré au format .ods (LibreOffice) ; un fichier .xls (Excel 97-2003) ou protégé par un mot de passe n'est pas lu : enregistrez-le en .xlsx, sans mot de passe.",
            "Ce classeur n'est pas un conseil fiscal : le calcul applique les règles et paramètres cités (art. 238 bis CGI) aux données saisies.",
        ]
    } else {
        &[
            "1. Fill in one sheet per table. companies, fiscal_years, beneficiaries, employees and time_entries are enough for staff time; the other sheets are optional.",
            "2. Row 1 of each sheet names the columns (French or English): leave it as it is. A sheet whose name starts with \"_\" is ignored.",
            "   * marks a required column; (*) one of the two columns of a pair (employee or volunteer, days or hours, annual working days or hours). The company, beneficiary and employee columns offer the ids typed in their own sheet.",
            "   The Example sheet shows a small complete scenario to follow; it is ignored when computing (a cell in it that is not the example's is named in the report's warnings).",
            "3. Amounts in euros, at most 2 decimals; days and hours, at most 4 decimals. A number typed as text is read as in JSON: \"1 234,56\", \"1234,56\" or \"1234.56\"; \"1.234,56\" (comma and point) or \"1,234\" is ambiguous and rejected with its cell.",
            "   Hours: a number (7.5) or a duration formatted [h]:mm or hh:mm (7:30 is read as 7.5 h, rounded to 4 decimals: 7:20 gives 7.3333). A duration or time in any other numeric column (days, amounts) is rejected with its cell.",
            "4. Dates: date-formatted cells, or text YYYY-MM-DD or DD/MM/YYYY.",
            "5. Closed lists (status, kind, category, true/false…) offer their values; each cell explains its column when selected.",
            "6. Every unusable row is rejected with its reason and cell (e.g. time_entries!C42): nothing is silently dropped.",
            "   Hidden sheets and rows are read like the others, each with a warning in the report that names it.",
            "7. Compute: mecenat compute scenario.xlsx -o report.xlsx (Excel report) or --format json.",
            "   The workbook may also be saved as .ods (LibreOffice); an .xls (Excel 97-2003) or password-protected file is not read: save it as .xlsx, without a password.",
            "Not tax advice: the computation applies the cited rules and parameters (art. 238 bis CGI) to the data entered.",
        ]
    };
    for (i, l) in lines.iter().enumerate() {
        let fmt = if i + 1 == lines.len() {
            &f.bold
        } else {
            &f.wrap
        };
        ws.merge_range(2 + i as u32, 0, 2 + i as u32, 3, l, fmt)
            .map_err(xlsx_error)?;
        // A merged cell does not grow with its text: about 150 characters fit on a line
        // of the four merged columns.
        let lines = u32::try_from(l.chars().count().div_ceil(150).max(1)).unwrap_or(1);
        ws.set_row_height(2 + i as u32, 15 * lines)
            .map_err(xlsx_error)?;
    }
    let mut r = 3 + lines.len() as u32;
    let heads: [&str; 4] = if fr {
        ["Feuille", "Colonne", "Obligatoire", "Signification"]
    } else {
        ["Sheet", "Column", "Required", "Meaning"]
    };
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *h, &f.header)
            .map_err(xlsx_error)?;
    }
    r += 1;
    for def in DEFS.iter() {
        ws.write_string_with_format(r, 0, def.sheet(fr), &f.bold)
            .map_err(xlsx_error)?;
        ws.write_string_with_format(r, 3, if fr { def.help_fr } else { def.help_en }, &f.wrap)
            .map_err(xlsx_error)?;
        r += 1;
        for c in &def.columns {
            let need = match (c.need, fr) {
                (Need::Required, true) => "oui",
                (Need::Required, false) => "yes",
                (Need::OneOf(_), true) => "l'une des deux",
                (Need::OneOf(_), false) => "one of two",
                (Need::Optional, true) => "non",
                (Need::Optional, false) => "no",
            };
            ws.write_string(r, 1, c.header(fr)).map_err(xlsx_error)?;
            ws.write_string(r, 2, need).map_err(xlsx_error)?;
            ws.write_string_with_format(r, 3, c.help(fr), &f.wrap)
                .map_err(xlsx_error)?;
            r += 1;
        }
    }
    law_example(ws, r + 1, fr, f)?;
    ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    ws.set_tab_color(Color::RGB(0x00_70_C0));
    page_setup(ws, false, fr)?;
    Ok(())
}

/// The instructions of the sheet Loi, as a note on its first header (notes are never
/// imported), with the example row.
fn law_note(ws: &mut Worksheet, fr: bool) -> Result<(), Error> {
    let text = if fr {
        "Valeurs légales que vous fournissez, quand la loi a bougé depuis cette version de mecenat (mecenat params dit jusqu'à quand chaque paramètre est connu). Une ligne par valeur : le paramètre, la date d'effet, la valeur, le texte qui la fixe (obligatoire). Exemple : pass | 01/01/2027 | (valeur publiée) | Arrêté du … décembre 2026 portant fixation du plafond de la sécurité sociale pour 2027. Une ligne à la date d'une valeur de mecenat la remplace."
    } else {
        "Legal values you supply, when the law moved since this version of mecenat (mecenat params says until when each parameter is known). One row a value: the parameter, the date it applies from, the value, the text that sets it (required). Example: pass | 2027-01-01 | (published value) | Arrêté du … décembre 2026 portant fixation du plafond de la sécurité sociale pour 2027. A row at the date of one of mecenat's values replaces it."
    };
    let note = rust_xlsxwriter::Note::new(text)
        .set_width(420)
        .set_height(180)
        .set_author("mecenat");
    ws.insert_note(0, 0, &note).map_err(xlsx_error)?;
    Ok(())
}

/// An example row of the law table (sheet Loi), on the instructions sheet so that the
/// importer never reads it: the PASS of 2027, with a placeholder value to replace by the
/// published one.
fn law_example(ws: &mut Worksheet, r: u32, fr: bool, f: &Formats) -> Result<(), Error> {
    let def = DEFS.iter().find(|d| d.key == "law");
    let Some(def) = def else {
        return Ok(());
    };
    let title = if fr {
        "Exemple de ligne pour la feuille Loi (recopiez-la dans la feuille Loi avec la valeur publiée ; cette feuille-ci n'est jamais lue)"
    } else {
        "Example row for the law sheet (copy it into the law sheet with the published value; this sheet is never read)"
    };
    ws.merge_range(r, 0, r, 3, title, &f.bold)
        .map_err(xlsx_error)?;
    let example = if fr {
        [
            "pass",
            "01/01/2027",
            "(valeur publiée)",
            "Arrêté du … décembre 2026 portant fixation du plafond de la sécurité sociale pour 2027",
        ]
    } else {
        [
            "pass",
            "2027-01-01",
            "(published value)",
            "Arrêté du … décembre 2026 portant fixation du plafond de la sécurité sociale pour 2027",
        ]
    };
    for (c, (col, text)) in def.columns.iter().zip(example).enumerate() {
        let c = u16::try_from(c).unwrap_or(0);
        ws.write_string_with_format(r + 1, c, col.header(fr), &f.header)
            .map_err(xlsx_error)?;
        ws.write_string_with_format(r + 2, c, text, &f.wrap)
            .map_err(xlsx_error)?;
    }
    let after = if fr {
        "Une date postérieure à la dernière valeur connue de mecenat reprend cette valeur avec un avertissement : mecenat params montre jusqu'à quand chaque paramètre est connu."
    } else {
        "A date past mecenat's last known value reuses that value with a warning: mecenat params shows until when each parameter is known."
    };
    ws.merge_range(r + 3, 0, r + 3, 3, after, &f.wrap)
        .map_err(xlsx_error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn the_example_is_a_complete_scenario_without_rejections() {
        let raw = example_raw().unwrap();
        let s = mecenat::Scenario::from_raw(&raw).unwrap();
        let r = mecenat::compute(&s, &mecenat::Options::default()).unwrap();
        assert!(r.rejected.is_empty(), "{:?}", r.rejected);
        assert_eq!((r.entries.len(), r.gifts.len()), (4, 2));
        assert_eq!(r.fiscal_years.len(), 1);
        assert_eq!(r.receipts.len(), 1);
    }

    fn sheet(bytes: &[u8], name: &str) -> calamine::Range<Data> {
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        wb.worksheet_range(name).unwrap()
    }

    fn texts(r: &calamine::Range<Data>) -> Vec<String> {
        r.cells()
            .filter_map(|(_, _, d)| match d {
                Data::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_template_shows_an_example_required_marks_id_lists_and_date_hints() {
        for (lang, example, company, time) in [
            (Lang::Fr, EXAMPLE_SHEET_FR, "Entreprises", "Temps"),
            (Lang::En, EXAMPLE_SHEET_EN, "companies", "time_entries"),
        ] {
            let fr = lang.fr();
            let bytes = scenario_workbook(None, lang)
                .unwrap()
                .save_to_buffer()
                .unwrap();
            let ex = texts(&sheet(&bytes, example));
            for t in ["Exemple Conseil SAS", "Camille Martin", "Ateliers CV"] {
                assert!(ex.iter().any(|x| x == t), "{t} not in {example}");
            }
            let id = if fr { "Identifiant *" } else { "id *" };
            assert!(ex.iter().any(|x| x == id), "{ex:?}");
            let heads = texts(&sheet(&bytes, company));
            assert_eq!(heads.first().map(String::as_str), Some(id));
            let heads = texts(&sheet(&bytes, time));
            let days = if fr { "Jours (*)" } else { "days (*)" };
            assert!(heads.iter().any(|h| h == days), "{heads:?}");
            let project = if fr { "Projet" } else { "project" };
            assert!(heads.iter().any(|h| h == project), "{heads:?}");
            // The time sheet's validations: the employee and beneficiary ids from their
            // sheets, and the date hint.
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
            let mut xml = String::new();
            std::io::Read::read_to_string(
                &mut zip.by_name("xl/worksheets/sheet7.xml").unwrap(),
                &mut xml,
            )
            .unwrap();
            let (emp, ben) = if fr {
                ("OFFSET('Salariés'!$A$2", "OFFSET('Bénéficiaires'!$A$2")
            } else {
                ("OFFSET(employees!$A$2", "OFFSET(beneficiaries!$A$2")
            };
            assert!(xml.contains(emp) && xml.contains(ben), "{xml}");
            let hint = if fr {
                "JJ/MM/AAAA ou AAAA-MM-JJ"
            } else {
                "DD/MM/YYYY or YYYY-MM-DD"
            };
            assert!(xml.contains(hint), "date hint");
        }
    }

    #[test]
    fn the_filled_workbook_has_no_example_sheet() {
        let raw = example_raw().unwrap();
        let bytes = scenario_workbook(Some(&raw), Lang::Fr)
            .unwrap()
            .save_to_buffer()
            .unwrap();
        let wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(&bytes)).unwrap();
        assert!(!wb.sheet_names().iter().any(|n| n == EXAMPLE_SHEET_FR));
    }
}
