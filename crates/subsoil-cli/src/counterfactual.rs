//! `subsoil run --counterfactual no-deal`: the scenario with and without its deal on the same paths,
//! and what the deal itself causes (`subsoil_engine::counterfactual`).

use std::process::ExitCode;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use subsoil_engine::counterfactual::{MeasureStats, ProjectEffect};
use subsoil_engine::{Chance, Counterfactual, Distribution, RunHeader};
use subsoil_scenario::Scenario;

use crate::outputs::{STATISTICS, Shown, how_run};
use crate::run::{Progress, RunArgs, RunFormat, p, print_json};
use crate::table::{Align, Table};
use crate::{EXIT_BAD_INPUT, output, style};

/// Runs `subsoil run SCENARIO --counterfactual no-deal`.
pub fn run(args: &RunArgs, scenario: &Scenario) -> ExitCode {
    if !scenario.model.deal.active() {
        output::stderr(&format!(
            "error: {} has no deal (no [deal.parties]), so there is nothing to remove\n",
            scenario.name
        ));
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    if args.out.dir.is_some() || args.format == RunFormat::Csv {
        output::stderr(
            "error: --counterfactual prints a table or JSON (--format table|json); --out is for a run without it\n",
        );
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let without = match subsoil_scenario::mix::without_deal(&args.scenario, &args.sets) {
        Ok(s) => s,
        Err(e) => {
            output::stderr(&e.render());
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let config = args.mc.config();
    let progress = Progress::new(args.mc.paths, config.threads);
    let outcome = subsoil_engine::counterfactual_observed(scenario, &without, &config, &|n| {
        progress.advance(n)
    });
    progress.finish();
    let r = match outcome {
        Ok(r) => r,
        Err(e) => {
            return crate::run::run_failed(&e);
        }
    };
    match args.format {
        RunFormat::Json => print_json(&json(scenario, &args.sets, &r)),
        _ => output::stdout(&crate::run::in_currency(table(scenario, &r), scenario)),
    }
}

#[derive(Serialize)]
struct Json<'a> {
    manifest: Manifest<'a>,
    units: &'static str,
    measures: Measures<'a>,
    any_built_only_with_deal: &'a Chance,
    projects: Projects<'a>,
}

#[derive(Serialize)]
struct Manifest<'a> {
    subsoil_version: &'static str,
    mode: &'static str,
    counterfactual: &'static str,
    scenario: &'a str,
    scenario_hash: &'a str,
    sets: &'a [String],
    #[serde(flatten)]
    run: &'a RunHeader,
    /// The ISO 4217 code of the currency every amount is in.
    currency: &'a str,
}

struct Measures<'a>(&'a [MeasureStats]);

#[derive(Serialize)]
struct MeasureJson<'a> {
    unit: &'static str,
    description: &'static str,
    #[serde(flatten)]
    stats: &'a Distribution,
}

impl Serialize for Measures<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for m in self.0 {
            let v = MeasureJson {
                unit: m.measure.unit.name(),
                description: m.measure.description,
                stats: &m.stats,
            };
            map.serialize_entry(m.measure.name, &v)?;
        }
        map.end()
    }
}

struct Projects<'a>(&'a [ProjectEffect]);

#[derive(Serialize)]
struct ProjectJson<'a> {
    built_only_with_deal: &'a Chance,
    built_only_without_deal: &'a Chance,
}

impl Serialize for Projects<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for p in self.0 {
            let v = ProjectJson {
                built_only_with_deal: &p.only_with,
                built_only_without_deal: &p.only_without,
            };
            map.serialize_entry(&p.id, &v)?;
        }
        map.end()
    }
}

fn json<'a>(s: &'a Scenario, sets: &'a [String], r: &'a Counterfactual) -> Json<'a> {
    Json {
        manifest: Manifest {
            subsoil_version: env!("CARGO_PKG_VERSION"),
            mode: "counterfactual",
            counterfactual: "no-deal",
            scenario: &s.name,
            scenario_hash: &s.hash,
            sets,
            run: &r.header,
            currency: &s.model.currency,
        },
        units: "money in real base-year units of the manifest's currency, undiscounted; probabilities as fractions",
        measures: Measures(&r.measures),
        any_built_only_with_deal: &r.any_built_only_with,
        projects: Projects(&r.projects),
    }
}

fn table(s: &Scenario, r: &Counterfactual) -> String {
    let h = &r.header;
    let mut out = style::bold(&format!(
        "{}: what the deal itself causes — the same {} with and without it",
        s.title.as_str().trim().split(':').next().unwrap_or(&s.name),
        crate::outputs::paths(h.paths)
    ));
    out.push('\n');
    out.push_str(&style::dim(&crate::compare::wrap(
        &format!(
            "{} Every path runs with the scenario's deal and with its [deal] removed, on the same random \
             numbers; each figure is computed on a path from the two runs of it. Money in millions of {} \
             US dollars, undiscounted. Scenario {} ({}).",
            how_run(h),
            h.base_year,
            s.name,
            s.hash
        ),
        crate::compare::TABLE_WIDTH,
    )));
    out.push_str("\n\n");
    let mut columns = vec![("measure", Align::Left)];
    columns.extend(STATISTICS.iter().map(|(name, _, _)| (*name, Align::Right)));
    let mut t = Table::new(&columns);
    for m in &r.measures {
        let shown = Shown::new(m.measure.name, m.measure.unit);
        let mut row = vec![shown.label.clone()];
        row.extend(shown.statistics(&m.stats));
        t.row(row);
    }
    out.push_str(&t.render());
    out.push_str(&format!(
        "P(at least one project is built only because of the deal): {}\n",
        r.any_built_only_with.display()
    ));
    let moved: Vec<&ProjectEffect> =
        r.projects.iter().filter(|e| e.only_with.hits > 0 || e.only_without.hits > 0).collect();
    if !moved.is_empty() {
        out.push('\n');
        let mut t = Table::new(&[
            ("project", Align::Left),
            ("P(built only with the deal)", Align::Right),
            ("P(built only without it)", Align::Right),
        ]);
        for e in moved {
            t.row(vec![e.id.clone(), p(&e.only_with), p(&e.only_without)]);
        }
        out.push_str(&t.render());
    }
    out.push_str(
        "host-net = state-receipts-difference − host-payments + host-distributions; the host's claim on \
         the fund's value at the horizon is not in it.\n",
    );
    out
}
