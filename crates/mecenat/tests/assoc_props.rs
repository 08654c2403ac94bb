//! Properties of the association side on random scenarios: every journal entry balances
//! (in the report and in the FEC-like export) and adds up to the period's value for the
//! accounts; the programme totals sum the beneficiaries' hours and values and count distinct
//! beneficiaries, projects, people and companies; every receipt
//! reconciles with the company's declared gifts.

use std::collections::BTreeMap;
use std::str::FromStr;

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};

const METHODS: [&str; 4] = ["donor_cost", "smic", "smic_loaded", "rate"];
const PROJECTS: [&str; 3] = ["Site", "Ateliers", "Jardin"];

#[derive(Debug, Clone)]
struct Entry {
    giver: usize,
    volunteer: bool,
    ben: usize,
    day: u32,
    hours: bool,
    qty: u32,
    project: Option<usize>,
    refused: bool,
}

#[derive(Debug, Clone)]
struct Gift {
    company: usize,
    ben: usize,
    day: u32,
    cents: u32,
    in_kind: bool,
}

fn date(day: u32) -> String {
    // Days from 2024-01-01 over two years (and a few after, outside every fiscal year).
    let d = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new(day.into());
    d.to_string()
}

prop_compose! {
    fn entry()(giver in 0usize..4, volunteer in prop::bool::weighted(0.2), ben in 0usize..3,
               day in 0u32..760, hours in any::<bool>(), qty in 1u32..16,
               project in prop::option::of(0usize..3), refused in prop::bool::weighted(0.1))
               -> Entry {
        Entry { giver, volunteer, ben, day, hours, qty, project, refused }
    }
}

prop_compose! {
    fn gift()(company in 0usize..2, ben in 0usize..3, day in 0u32..730, cents in 1u32..5_000_000,
              in_kind in any::<bool>()) -> Gift {
        Gift { company, ben, day, cents, in_kind }
    }
}

prop_compose! {
    fn scenario()(entries in prop::collection::vec(entry(), 0..40),
                  gifts in prop::collection::vec(gift(), 0..6),
                  methods in prop::collection::vec(0usize..4, 3),
                  eligible in prop::collection::vec(prop::bool::weighted(0.8), 3),
                  chart in any::<bool>(), headcount in prop::option::of(1u32..50),
                  bench in prop::collection::vec((0usize..4, 0u32..700, 0u32..30), 0..4))
                  -> Value {
        let companies = json!([{"id": "C1", "name": "Exemple Conseil SAS"},
                               {"id": "C2", "name": "Autre Conseil"}]);
        let mut fys = Vec::new();
        for c in ["C1", "C2"] {
            for y in [2024, 2025] {
                fys.push(json!({"company": c, "start": format!("{y}-01-01"),
                                "end": format!("{y}-12-31"), "turnover": "3000000"}));
            }
        }
        let bens: Vec<Value> = (0..3).map(|i| {
            let mut b = json!({"id": format!("A{i}"), "name": format!("Association {i}"),
                               "eligible": eligible[i], "cvn_method": METHODS[methods[i]]});
            match METHODS[methods[i]] {
                "smic_loaded" => { b["cvn_factor"] = json!("0.5"); }
                "rate" => { b["cvn_factor"] = json!("R1"); }
                _ => {}
            }
            b
        }).collect();
        let emps: Vec<Value> = (0..4).map(|i| {
            let mut e = json!({"id": format!("E{i}"), "company": if i < 3 { "C1" } else { "C2" },
                               "name": format!("Salarié {i}"),
                               "annual_gross_salary": format!("{}", 30000 + 7000 * i),
                               "annual_employer_charges": format!("{}", 13000 + 3000 * i)});
            if i % 2 == 0 { e["annual_working_days"] = json!("218"); }
            else { e["annual_working_hours"] = json!("1607"); e["hours_per_day"] = json!("7.5"); }
            e
        }).collect();
        let tes: Vec<Value> = entries.iter().map(|e| {
            let mut t = json!({"beneficiary": format!("A{}", e.ben), "date": date(e.day)});
            if e.volunteer { t["volunteer"] = json!(format!("V{}", e.giver)); }
            else { t["employee"] = json!(format!("E{}", e.giver)); }
            if e.hours { t["hours"] = json!(format!("{}.5", e.qty)); }
            else { t["days"] = json!(format!("{}", Decimal::new(i64::from(e.qty), 1))); }
            if let Some(p) = e.project { t["project"] = json!(PROJECTS[p]); }
            if e.refused { t["status"] = json!("refused"); }
            t
        }).collect();
        let dons: Vec<Value> = gifts.iter().map(|g| {
            let mut d = json!({"company": if g.company == 0 { "C1" } else { "C2" },
                               "beneficiary": format!("A{}", g.ben), "date": date(g.day),
                               "amount": Decimal::new(i64::from(g.cents), 2).to_string()});
            if g.in_kind { d["kind"] = json!("in_kind"); d["description"] = json!("Matériel"); }
            d
        }).collect();
        let bench: Vec<Value> = bench.iter().map(|(e, start, len)| json!({
            "employee": format!("E{e}"), "start": date(*start), "end": date(start + len)
        })).collect();
        let mut settings = vec![];
        if chart { settings.push(json!({"key": "chart", "value": "pca1999"})); }
        if let Some(h) = headcount {
            settings.push(json!({"key": "eligible_headcount", "value": h.to_string()}));
        }
        json!({
            "companies": companies, "fiscal_years": fys, "beneficiaries": bens,
            "employees": emps, "time_entries": tes, "donations": dons, "bench": bench,
            "rates": [{"id": "R1", "unit": "day", "amount": "350"},
                      {"id": "R1", "unit": "hour", "amount": "40", "activity": "x"}],
            "settings": settings,
        })
    }
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap()).unwrap()
}

fn opt_dec(v: &Value) -> Option<Decimal> {
    v.as_str().map(|s| Decimal::from_str(s).unwrap())
}

fn report(v: &Value) -> (mecenat::Report, Value) {
    let s = mecenat::Scenario::from_json(&v.to_string()).expect("scenario");
    let r = mecenat::compute(&s, &mecenat::Options::default()).expect("compute");
    let j = serde_json::to_value(&r).unwrap();
    (r, j)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Every journal line is class 8, debit 86x and credit 87x of one amount; the lines of a
    /// beneficiary's period add up to its value for the accounts; the FEC-like export
    /// balances entry by entry.
    #[test]
    fn journal_entries_balance(v in scenario()) {
        let (r, j) = report(&v);
        let mut by_period: BTreeMap<(String, String), Decimal> = BTreeMap::new();
        for l in &r.journal {
            prop_assert!(l.debit_account.starts_with("86"), "{l:?}");
            prop_assert!(l.credit_account.starts_with("87"), "{l:?}");
            prop_assert!(l.amount.0 >= Decimal::ZERO);
            *by_period.entry((l.beneficiary.clone(), l.period.clone())).or_default() += l.amount.0;
        }
        for b in j["beneficiaries"].as_array().unwrap() {
            let key = (b["beneficiary"].as_str().unwrap().to_string(),
                       b["period"].as_str().unwrap().to_string());
            match opt_dec(&b["value_cvn"]) {
                Some(cvn) => prop_assert_eq!(by_period.get(&key).copied().unwrap_or_default(), cvn),
                None => prop_assert!(!by_period.contains_key(&key)),
            }
        }
        let csv = mecenat::assoc::journal_fec(&r, None);
        let mut lines = csv.lines();
        prop_assert_eq!(lines.next().unwrap(), mecenat::assoc::FEC_COLUMNS.join(";"));
        let mut sums: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
        let mut n = 0;
        for line in lines {
            let f: Vec<&str> = line.split(';').collect();
            prop_assert_eq!(f.len(), 18);
            let d = Decimal::from_str(&f[11].replace(',', ".")).unwrap();
            let c = Decimal::from_str(&f[12].replace(',', ".")).unwrap();
            let s = sums.entry(f[2].to_string()).or_default();
            s.0 += d;
            s.1 += c;
            n += 1;
        }
        prop_assert_eq!(n, 2 * r.journal.len());
        for (num, (d, c)) in sums {
            prop_assert_eq!(d, c, "entry {} does not balance", num);
        }
    }

    /// The programme totals of each period, and of all periods: hours, days and values are
    /// the sums over the beneficiaries rows; beneficiaries, projects (beneficiary × project),
    /// people (employees and volunteers apart) and lending companies are distinct counts,
    /// equal to a naive recount with sets of the entries lines that count in impact; FTE
    /// is prorated over the calendar years covered.
    #[test]
    fn programme_totals_sum_values_and_count_distinct_things(v in scenario()) {
        use std::collections::BTreeSet;
        use chrono::Datelike;
        use mecenat::report::Status;
        let (r, _) = report(&v);
        let refused: Vec<bool> = v["time_entries"].as_array().unwrap().iter()
            .map(|t| t["status"] == "refused").collect();
        let counted: Vec<_> = r.entries.iter()
            .filter(|e| e.status != Status::Rejected && !refused[e.row - 1])
            .collect();
        let p = &r.programme;
        let mut all_hours = Decimal::ZERO;
        let fte_hours = Decimal::from(1607);
        for t in p.periods.iter().chain(std::iter::once(&p.totals)) {
            let rows: Vec<_> = r.beneficiaries.iter()
                .filter(|b| t.period == "all" || b.period == t.period).collect();
            prop_assert_eq!(t.hours.0, rows.iter().map(|b| b.hours.0).sum::<Decimal>());
            prop_assert_eq!(t.days.0, rows.iter().map(|b| b.days.0).sum::<Decimal>());
            prop_assert_eq!(t.value_donor_cost.0,
                            rows.iter().map(|b| b.value_donor_cost.0).sum::<Decimal>());
            let cvn: Option<Decimal> = rows.iter().map(|b| b.value_cvn.map(|m| m.0)).sum();
            prop_assert_eq!(t.value_cvn.map(|m| m.0), cvn);
            prop_assert_eq!(t.hours.0, t.hours_staff_lent.0 + t.hours_volunteers.0);
            // The naive recount.
            let lines: Vec<_> = counted.iter()
                .filter(|e| t.period == "all" || e.date.unwrap().year().to_string() == t.period)
                .collect();
            let bens: BTreeSet<_> = lines.iter().map(|e| e.beneficiary.clone()).collect();
            let projects: BTreeSet<_> = lines.iter().filter(|e| e.project.is_some())
                .map(|e| (e.beneficiary.clone(), e.project.clone())).collect();
            let people: BTreeSet<_> = lines.iter()
                .map(|e| (e.employee.is_some(), e.employee.clone().or(e.volunteer.clone())))
                .collect();
            let companies: BTreeSet<_> = lines.iter().filter_map(|e| e.company.clone()).collect();
            prop_assert_eq!(t.beneficiaries, bens.len());
            prop_assert_eq!(t.projects, projects.len());
            prop_assert_eq!(t.volunteers, people.len());
            prop_assert_eq!(t.companies, companies.len());
            let years: BTreeSet<i32> = lines.iter().map(|e| e.date.unwrap().year()).collect();
            if let (Some(a), Some(z)) = (years.first(), years.last()) {
                let covered = Decimal::from(z - a + 1);
                prop_assert_eq!(t.fte.0, t.hours.0 / (fte_hours * covered));
            }
            if t.period != "all" {
                all_hours += t.hours_staff_lent.0;
            }
        }
        // Fiscal years are calendar years here: companies' hours = staff lent.
        let companies: Decimal = p.companies.iter().map(|c| c.hours.0).sum();
        prop_assert_eq!(companies, all_hours);
        prop_assert_eq!(companies, p.totals.hours_staff_lent.0);
        for c in &p.companies {
            if let (Some(rate), Some(h)) = (c.participation_rate, c.eligible_headcount) {
                prop_assert_eq!(rate.0, Decimal::from(c.volunteers) / h.0);
            }
        }
    }

    /// The distinct counts of the impact (volunteers, companies, projects, rotation per
    /// beneficiary and year; volunteers, companies, weeks and first and last dates per
    /// project; volunteers, beneficiaries and projects per company year) are those of the
    /// entries lines that count, recounted here naively with sets.
    #[test]
    fn impact_counts_are_those_of_the_entries(v in scenario()) {
        use std::collections::BTreeSet;
        use chrono::Datelike;
        use mecenat::report::Status;
        let (r, _) = report(&v);
        let refused: Vec<bool> = v["time_entries"].as_array().unwrap().iter()
            .map(|t| t["status"] == "refused").collect();
        // The lines that count in impact: given and accepted (retained, or excluded only
        // because the beneficiary is not eligible, or a volunteer's own time).
        let counted: Vec<_> = r.entries.iter()
            .filter(|e| e.status != Status::Rejected && !refused[e.row - 1])
            .collect();
        let person = |e: &mecenat::report::EntryReport| match (&e.employee, &e.volunteer) {
            (Some(id), _) => (true, id.to_string()),
            (None, Some(name)) => (false, name.to_string()),
            (None, None) => unreachable!("a counted line has a giver"),
        };
        let year = |e: &mecenat::report::EntryReport| e.date.unwrap().year().to_string();
        for b in &r.beneficiaries {
            let lines: Vec<_> = counted.iter()
                .filter(|e| e.beneficiary.as_deref() == Some(b.beneficiary.as_str())
                    && year(e) == b.period)
                .collect();
            prop_assert!(!lines.is_empty());
            let people: BTreeSet<_> = lines.iter().map(|e| person(e)).collect();
            let companies: BTreeSet<_> = lines.iter().filter_map(|e| e.company.clone()).collect();
            let projects: BTreeSet<_> = lines.iter().filter_map(|e| e.project.clone()).collect();
            prop_assert_eq!(b.volunteers, people.len());
            prop_assert_eq!(b.companies, companies.len());
            prop_assert_eq!(b.projects, projects.len());
            let pairs: BTreeSet<_> = lines.iter()
                .filter_map(|e| e.project.clone().map(|p| (p, person(e)))).collect();
            let rotation = (!projects.is_empty())
                .then(|| Decimal::from(pairs.len()) / Decimal::from(projects.len()));
            prop_assert_eq!(b.rotation.map(|q| q.0), rotation);
        }
        for p in &r.projects {
            let lines: Vec<_> = counted.iter()
                .filter(|e| e.beneficiary.as_deref() == Some(p.beneficiary.as_str())
                    && year(e) == p.period && e.project.as_deref() == Some(p.project.as_str()))
                .collect();
            prop_assert!(!lines.is_empty());
            let people: BTreeSet<_> = lines.iter().map(|e| person(e)).collect();
            let companies: BTreeSet<_> = lines.iter().filter_map(|e| e.company.clone()).collect();
            let weeks: BTreeSet<_> = lines.iter()
                .map(|e| { let w = e.date.unwrap().iso_week(); (w.year(), w.week()) }).collect();
            prop_assert_eq!(p.volunteers, people.len());
            prop_assert_eq!(p.companies, companies.len());
            prop_assert_eq!(p.weeks_with_entries, weeks.len());
            prop_assert_eq!(Some(p.first_entry), lines.iter().filter_map(|e| e.date).min());
            prop_assert_eq!(Some(p.last_entry), lines.iter().filter_map(|e| e.date).max());
        }
        for c in &r.programme.companies {
            let lines: Vec<_> = counted.iter()
                .filter(|e| e.company.as_deref() == Some(c.company.as_str())
                    && e.fiscal_year.as_deref() == Some(c.fiscal_year.as_str()))
                .collect();
            let people: BTreeSet<_> = lines.iter().map(|e| person(e)).collect();
            let bens: BTreeSet<_> = lines.iter().filter_map(|e| e.beneficiary.clone()).collect();
            let projects: BTreeSet<_> = lines.iter()
                .filter_map(|e| e.project.clone().map(|p| (e.beneficiary.clone(), p))).collect();
            prop_assert_eq!(c.volunteers, people.len());
            prop_assert_eq!(c.beneficiaries, bens.len());
            prop_assert_eq!(c.projects, projects.len());
            let supported: BTreeSet<_> = c.beneficiaries_supported.iter().cloned().collect();
            let bens: BTreeSet<_> = bens.iter().map(|b| b.to_string()).collect();
            prop_assert_eq!(supported, bens);
        }
    }

    /// For every company x beneficiary x fiscal year, the receipt's in-kind amount equals
    /// the donated staff time plus the in-kind gifts, and every receipt is checked.
    #[test]
    fn reconciliation_holds(v in scenario()) {
        let (r, _) = report(&v);
        for l in &r.reconciliation {
            prop_assert!(l.ok, "{l:?}");
            prop_assert_eq!(l.company_in_kind.0, l.staff_time.0 + l.in_kind_gifts.0);
        }
        prop_assert_eq!(r.receipts.len(), r.reconciliation.len());
        for rc in &r.receipts {
            let l = r.reconciliation.iter().find(|l| l.company == rc.company
                && l.beneficiary == rc.beneficiary && l.fiscal_year == rc.fiscal_year);
            prop_assert!(l.is_some());
            let l = l.unwrap();
            prop_assert_eq!(l.receipt_in_kind, Some(rc.in_kind));
            prop_assert_eq!(rc.in_kind.0, rc.staff_time.0 + rc.goods_value.0);
        }
        // Per company and fiscal year, the lines add up to the declared donations.
        for fy in &r.fiscal_years {
            let (staff, goods): (Decimal, Decimal) = r.reconciliation.iter()
                .filter(|l| l.company == fy.company && l.fiscal_year == fy.label)
                .fold((Decimal::ZERO, Decimal::ZERO), |a, l| (a.0 + l.staff_time.0, a.1 + l.in_kind_gifts.0));
            prop_assert_eq!(staff, fy.donations.staff_time.0);
            prop_assert_eq!(goods, fy.donations.in_kind.0);
        }
    }
}

#[test]
fn the_generator_is_not_trivial() {
    // One fixed scenario that exercises every part, so a vacuous generator cannot pass.
    let v = json!({
        "companies": [{"id": "C1", "name": "Exemple Conseil SAS"}],
        "fiscal_years": [{"company": "C1", "start": "2025-01-01", "end": "2025-12-31", "turnover": "2000000"}],
        "beneficiaries": [{"id": "A1", "name": "Association"}],
        "employees": [{"id": "E1", "company": "C1", "annual_gross_salary": "48000",
                       "annual_employer_charges": "21600", "annual_working_days": "218"}],
        "time_entries": [
            {"employee": "E1", "beneficiary": "A1", "date": "2025-03-03", "days": "1", "project": "P"},
            {"volunteer": "Lou", "beneficiary": "A1", "date": "2025-03-04", "hours": "2"}
        ],
        "donations": [{"company": "C1", "beneficiary": "A1", "date": "2025-03-03", "amount": "100",
                       "kind": "in_kind", "description": "Matériel"}]
    });
    let (r, j) = report(&v);
    assert_eq!(r.journal.len(), 2);
    assert_eq!(r.reconciliation.len(), 1);
    assert!(r.reconciliation[0].ok);
    assert_eq!(dec(&j["receipts"][0]["in_kind"]), Decimal::new(41927, 2));
    assert_eq!(r.programme.totals.hours.0, Decimal::from(9));
}
