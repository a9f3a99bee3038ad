//! `subsoil compare A B --explain`: the difference of every output between two scenarios shared among
//! the terms in which they differ (the exact Shapley value over every mixture, on common random
//! numbers). The mixtures are built by `subsoil_scenario::mix`, the run by `subsoil_engine::explain`.

use std::process::ExitCode;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use subsoil_engine::{Estimate, Explained, Explanation, OutputKind, RunHeader, Section};
use subsoil_scenario::Scenario;
use subsoil_scenario::mix::{MixError, Mixer};

use crate::compare::CompareArgs;
use crate::outputs::{Shown, how_run, points};
use crate::run::{Progress, print_json};
use crate::table::{Align, Table};
use crate::{EXIT_BAD_INPUT, Format, output, style};

/// Runs `subsoil compare A B --explain`.
pub fn run(args: &CompareArgs) -> ExitCode {
    if args.scenarios.len() != 2 {
        output::stderr(&format!(
            "error: --explain takes exactly two scenarios (the difference of the second from the first); got {}\n",
            args.scenarios.len()
        ));
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    if args.out.dir.is_some() || args.out.per_path {
        output::stderr(
            "error: --explain prints its decomposition; --out and --per-path are for a comparison without it\n",
        );
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let mixer = match Mixer::new(&args.scenarios[0], &args.scenarios[1], &args.sets) {
        Ok(m) => m,
        Err(MixError::Load(e)) => {
            output::stderr(&e.render());
            return ExitCode::from(EXIT_BAD_INPUT);
        }
        Err(e) => {
            output::stderr(&format!("error: {e}\n"));
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let k = mixer.terms().len();
    let mut mixtures = Vec::with_capacity(1 << k);
    let mut failed = Vec::new();
    for mask in 0..(1u32 << k) {
        match mixer.scenario(mask) {
            Ok(s) => mixtures.push(s),
            Err(e) => failed.push((mask, e)),
        }
    }
    if !failed.is_empty() {
        let mut msg = format!(
            "error: {} of the {} mixtures of {} and {} is not a valid scenario, so the difference cannot \
             be shared among the terms exactly:\n",
            failed.len(),
            1u32 << k,
            args.scenarios[0],
            args.scenarios[1]
        );
        for (mask, e) in &failed {
            msg.push_str(&format!(
                "\n{} with {} from {}:\n{}",
                args.scenarios[0],
                mixer.describe(*mask),
                args.scenarios[1],
                e.render()
            ));
        }
        output::stderr(&msg);
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let config = args.mc.config();
    let progress = Progress::new(args.mc.paths, config.threads);
    let refs: Vec<&Scenario> = mixtures.iter().collect();
    let outcome = subsoil_engine::explain_observed(&refs, &config, &|n| progress.advance(n));
    progress.finish();
    let result = match outcome {
        Ok(r) => r,
        Err(e) => {
            return crate::run::run_failed(&e);
        }
    };
    let terms: Vec<&str> = mixer.terms().iter().map(|t| t.name.as_str()).collect();
    let (a, b) = (&mixtures[0], &mixtures[mixtures.len() - 1]);
    let b_name = args.scenarios[1].as_str();
    match args.format {
        Format::Json => print_json(&json(a, b, b_name, &terms, &args.sets, &result)),
        Format::Table => {
            output::stdout(&crate::run::in_currency(table(a, b_name, &terms, &result), a))
        }
    }
}

/// Outputs either scenario reports that some mixture does not, so that they cannot be shared out.
fn not_explained(r: &Explanation) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for run in [&r.first, &r.last] {
        let all = run
            .metrics
            .iter()
            .map(|m| m.name)
            .chain(run.probabilities.iter().map(|p| p.name))
            .chain(run.events.iter().map(|e| e.name));
        for name in all {
            if r.output(name).is_none() && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

// ----- JSON -----

#[derive(Serialize)]
struct ExplainJson<'a> {
    manifest: Manifest<'a>,
    units: &'static str,
    outputs: Outputs<'a>,
}

#[derive(Serialize)]
struct Manifest<'a> {
    subsoil_version: &'static str,
    mode: &'static str,
    sets: &'a [String],
    #[serde(flatten)]
    run: &'a RunHeader,
    /// The ISO 4217 code of the currency every amount is in (both scenarios').
    currency: &'a str,
    from: Id<'a>,
    to: Id<'a>,
    /// The terms in which the two differ, in the order of the contributions.
    terms: &'a [&'a str],
    /// Mixtures run: 2^terms.
    mixtures: u64,
    /// Outputs one of the two scenarios reports but some mixture does not: not shared out.
    not_explained: Vec<&'static str>,
}

#[derive(Serialize)]
struct Id<'a> {
    scenario: &'a str,
    scenario_hash: &'a str,
    layers: &'a [String],
}

/// Every explained output, keyed by name.
struct Outputs<'a> {
    list: &'a [Explained],
    terms: &'a [&'a str],
    result: &'a Explanation,
}

#[derive(Serialize)]
struct OutputJson<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'static str>,
    /// The mean under the first scenario (a probability for probabilities and events).
    from: f64,
    /// The mean under the second.
    to: f64,
    /// to − from: the mean of the per-path differences, with its standard error.
    difference: EstimateJson,
    /// Each term's Shapley contribution; they add up to `difference`.
    terms: Terms<'a>,
}

#[derive(Serialize)]
struct EstimateJson {
    mean: f64,
    se: f64,
}

impl From<Estimate> for EstimateJson {
    fn from(e: Estimate) -> EstimateJson {
        EstimateJson { mean: e.mean, se: e.se }
    }
}

struct Terms<'a>(&'a [&'a str], &'a [Estimate]);

impl Serialize for Terms<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, e) in self.0.iter().zip(self.1) {
            map.serialize_entry(name, &EstimateJson::from(*e))?;
        }
        map.end()
    }
}

/// The means of output `o` under the first and the second scenario.
fn ends(r: &Explanation, o: &Explained) -> (f64, f64) {
    let pick = |run: &subsoil_engine::RunResult| match o.kind {
        OutputKind::Metric(_) => run.metric(o.name).map(|m| m.stats.mean),
        OutputKind::Probability => run.probability(o.name).map(|p| p.chance.p),
        OutputKind::Event => run.event(o.name).map(|e| e.curve.by_horizon.p),
    };
    (pick(&r.first).unwrap_or(f64::NAN), pick(&r.last).unwrap_or(f64::NAN))
}

impl Serialize for Outputs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.list.len()))?;
        for o in self.list {
            let (from, to) = ends(self.result, o);
            let (kind, unit) = match o.kind {
                OutputKind::Metric(u) => ("metric", Some(u.name())),
                OutputKind::Probability => ("probability", None),
                OutputKind::Event => ("event-by-horizon", None),
            };
            let value = OutputJson {
                kind,
                unit,
                from,
                to,
                difference: o.total.into(),
                terms: Terms(self.terms, &o.terms),
            };
            map.serialize_entry(o.name, &value)?;
        }
        map.end()
    }
}

fn json<'a>(
    a: &'a Scenario,
    b: &'a Scenario,
    b_name: &'a str,
    terms: &'a [&'a str],
    sets: &'a [String],
    r: &'a Explanation,
) -> ExplainJson<'a> {
    ExplainJson {
        manifest: Manifest {
            subsoil_version: env!("CARGO_PKG_VERSION"),
            mode: "explain",
            sets,
            run: &r.header,
            currency: &a.model.currency,
            from: Id { scenario: &a.name, scenario_hash: &a.hash, layers: &a.layers },
            to: Id { scenario: b_name, scenario_hash: &b.hash, layers: &b.layers },
            terms,
            mixtures: 1u64 << terms.len(),
            not_explained: not_explained(r),
        },
        units: "money in real base-year units of the manifest's currency unless a unit says nominal; probabilities and their \
                differences as fractions",
        outputs: Outputs { list: &r.outputs, terms, result: r },
    }
}

// ----- Table -----

/// How an output's numbers are written in the table, and its label.
fn shown(o: &Explained) -> (String, fn(f64) -> String) {
    match o.kind {
        OutputKind::Metric(unit) => {
            let s = Shown::new(o.name, unit);
            (s.label, s.number)
        }
        OutputKind::Probability => (format!("P({}) (pp)", o.name), points),
        OutputKind::Event => (format!("P({} by the last year) (pp)", o.name), points),
    }
}

/// Whether anything moved: a difference or a contribution that is not exactly zero.
fn moved(o: &Explained) -> bool {
    o.total.mean != 0.0 || o.terms.iter().any(|t| t.mean != 0.0)
}

fn signed(x: f64, f: fn(f64) -> String) -> String {
    let s = f(x);
    let shows = s.bytes().any(|b| (b'1'..=b'9').contains(&b));
    if x > 0.0 && shows { format!("+{s}") } else { s }
}

fn table(a: &Scenario, b_name: &str, terms: &[&str], r: &Explanation) -> String {
    let h = &r.header;
    let mut out = String::new();
    out.push_str(&style::bold(&format!(
        "What changed from {} to {}: the difference shared among {} term{} — Monte Carlo, {}",
        a.name,
        b_name,
        terms.len(),
        if terms.len() == 1 { "" } else { "s" },
        crate::outputs::paths(h.paths)
    )));
    out.push('\n');
    let note = format!(
        "{} Every path runs under all {} mixtures of the two (the first scenario with some of the \
         second's terms) on the same random numbers. Each term's contribution is its Shapley value: \
         what switching it changes, averaged over every order of switching the terms; the \
         contributions add up to the difference. ± Monte Carlo standard errors; money in millions of \
         {} US dollars unless nominal; probabilities in percentage points.",
        how_run(h),
        1u64 << terms.len(),
        h.base_year
    );
    out.push_str(&style::dim(&crate::compare::wrap(&note, crate::compare::TABLE_WIDTH)));
    out.push_str(&format!("\n\nA = {}, B = {}. Terms that differ: ", a.name, b_name));
    out.push_str(&if terms.is_empty() { "none".to_string() } else { terms.join(", ") });
    out.push_str("\n\n");
    let mut unmoved = Vec::new();
    for section in [Section::Deal, Section::Projects] {
        let mut t = Table::new(&[
            (section.title(), Align::Left),
            ("A", Align::Right),
            ("B", Align::Right),
            ("B − A / contribution", Align::Right),
            ("± MC error", Align::Right),
        ]);
        let mut any = false;
        for o in r.outputs.iter().filter(|o| o.section == section) {
            let (label, f) = shown(o);
            if !moved(o) {
                unmoved.push(label);
                continue;
            }
            any = true;
            let (from, to) = ends(r, o);
            t.row(vec![label, f(from), f(to), signed(o.total.mean, f), f(o.total.se)]);
            for (name, e) in terms.iter().zip(&o.terms) {
                t.row(vec![
                    format!("  {name}"),
                    String::new(),
                    String::new(),
                    signed(e.mean, f),
                    f(e.se),
                ]);
            }
        }
        if any {
            out.push_str(&t.render());
            out.push('\n');
        }
    }
    let missing = not_explained(r);
    if !missing.is_empty() {
        out.push_str(&crate::compare::wrap(
            &format!(
                "Not shared out (some mixtures do not report them, e.g. a target only one deal has): {}.",
                missing.join(", ")
            ),
            crate::compare::TABLE_WIDTH,
        ));
        out.push('\n');
    }
    if !unmoved.is_empty() {
        out.push_str(&crate::compare::wrap(
            &format!("The same under both (every contribution exactly 0): {}.", unmoved.join(", ")),
            crate::compare::TABLE_WIDTH,
        ));
        out.push('\n');
    }
    out
}
