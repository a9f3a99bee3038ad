//! `subsoil data`: the data behind a scenario, as a table, CSV or JSON.
//!
//! - `deposits`: the deposits file with control status, licence holder and licence events;
//! - `products`: each product's price, long-run level, volatility, half-life, royalty rate and the
//!   dominant producer's share, each with its provenance kind;
//! - `sources`: how many values are sourced, derived, assumptions or unsourced, then every source with
//!   the values it supports.
//!
//! Everything is read through `subsoil_scenario` (the scenario is loaded and validated first), so the
//! command works from any directory on the built-in data.

use std::collections::BTreeMap;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde::Serialize;
use subsoil_scenario::provenance::{self, SourcedRow, Written};
use subsoil_scenario::{LicenceEvent, Provenance, Quantity, Scenario, builtin};

use crate::table::{Align, Table};
use crate::{EXIT_BAD_INPUT, output, style};

/// What `subsoil data` lists.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum What {
    /// Deposits with control status, licence holder and licence events.
    Deposits,
    /// Products with prices, price-process parameters and royalty rates.
    Products,
    /// Every source with the values it supports, after counts by provenance kind.
    Sources,
}

/// Output format of `subsoil data`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum DataFormat {
    /// A readable table (long text shortened).
    Table,
    /// Comma-separated values with a header row (RFC 4180), full text.
    Csv,
    /// One JSON object, full text.
    Json,
}

/// Control status filter.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ControlArg {
    /// Government-controlled.
    Ukraine,
    /// On the front line.
    Frontline,
    /// Occupied.
    Occupied,
    /// Not known.
    Unknown,
}

/// Arguments of `subsoil data`.
#[derive(Args, Debug)]
pub struct DataArgs {
    /// What to list.
    #[arg(value_enum)]
    pub what: What,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DataFormat::Table)]
    pub format: DataFormat,
    /// Only deposits with this commodity (e.g. lithium, rare_earths, natural_gas), or products whose id
    /// or name mentions it.
    #[arg(long, value_name = "COMMODITY")]
    pub commodity: Option<String>,
    /// Only deposits with this control status.
    #[arg(long, value_enum)]
    pub control: Option<ControlArg>,
    /// Scenario whose data to list: a built-in name or a path to a scenario file.
    #[arg(long, default_value = builtin::DEFAULT_SCENARIO)]
    pub scenario: String,
}

/// Runs `subsoil data`. A closed pipe (`subsoil data sources | head`) is not an error.
pub fn run(args: &DataArgs) -> ExitCode {
    let text = match output(args) {
        Ok(text) => text,
        Err(msg) => {
            output::stderr(&msg);
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    output::stdout(&text)
}

/// The text to print, or the message for bad input.
fn output(args: &DataArgs) -> Result<String, String> {
    match (args.what, &args.commodity, args.control) {
        (What::Products, _, Some(_)) => {
            return Err("error: --control applies to `subsoil data deposits` only\n".into());
        }
        (What::Sources, Some(_), _) | (What::Sources, _, Some(_)) => {
            return Err(
                "error: --commodity and --control apply to `subsoil data deposits` and `products`\n"
                    .into(),
            );
        }
        _ => {}
    }
    let scenario = subsoil_scenario::load(&args.scenario, &[]).map_err(|e| e.render())?;
    match args.what {
        What::Deposits => deposits(&scenario, args),
        What::Products => products(&scenario, args),
        What::Sources => sources(&scenario, args),
    }
}

/// `lithium`, `Rare earths`, `natural-gas` → `lithium`, `rare_earths`, `natural_gas`.
fn normalise(s: &str) -> String {
    s.trim().to_lowercase().replace(['-', ' '], "_")
}

// ------------------------------------------------------------------------------------------ deposits

#[derive(Serialize)]
struct EventOut<'a> {
    event: &'static str,
    date: &'a str,
    holder: &'a str,
    note: &'a str,
    source: &'a str,
    low_reliability: bool,
}

#[derive(Serialize)]
struct DepositOut<'a> {
    id: &'a str,
    name: &'a str,
    commodities: &'a [String],
    oblasts: &'a [String],
    location_kind: &'a str,
    lat: Option<f64>,
    lon: Option<f64>,
    stage: &'a str,
    control: &'static str,
    control_as_of: &'a str,
    licence_holder: &'a str,
    events_summary: String,
    events: Vec<EventOut<'a>>,
    low_reliability: bool,
    sources: Vec<String>,
}

/// `2 issued, 1 revoked; last: revoked 2021`, or empty without events.
fn events_summary(events: &[&LicenceEvent]) -> String {
    let Some(last) = events.last() else { return String::new() };
    let mut by_kind: Vec<(&str, usize)> = Vec::new();
    for e in events {
        match by_kind.iter_mut().find(|(k, _)| *k == e.kind.name()) {
            Some((_, n)) => *n += 1,
            None => by_kind.push((e.kind.name(), 1)),
        }
    }
    let counts: Vec<String> = by_kind.iter().map(|(k, n)| format!("{n} {k}")).collect();
    format!("{}; last: {} {}", counts.join(", "), last.kind.name(), last.date_text)
}

fn deposits(s: &Scenario, args: &DataArgs) -> Result<String, String> {
    let wanted = args.commodity.as_deref().map(normalise);
    if let Some(c) = &wanted
        && !s.deposits.iter().any(|d| d.commodities.iter().any(|x| normalise(x) == *c))
    {
        let mut known: Vec<&str> =
            s.deposits.iter().flat_map(|d| d.commodities.iter().map(String::as_str)).collect();
        known.sort_unstable();
        known.dedup();
        return Err(format!(
            "error: no deposit has the commodity {:?}; commodities in the data: {}\n",
            args.commodity.as_deref().unwrap_or_default(),
            known.join(", ")
        ));
    }
    let control = args.control.map(|c| format!("{c:?}").to_lowercase());
    let rows: Vec<DepositOut<'_>> = s
        .deposits
        .iter()
        .filter(|d| {
            wanted.as_ref().is_none_or(|c| d.commodities.iter().any(|x| normalise(x) == *c))
        })
        .filter(|d| control.as_deref().is_none_or(|c| d.control.name() == c))
        .map(|d| {
            let events: Vec<&LicenceEvent> =
                s.events.iter().filter(|e| e.deposit_id == d.id).collect();
            DepositOut {
                id: &d.id,
                name: &d.name,
                commodities: &d.commodities,
                oblasts: &d.oblasts,
                location_kind: &d.location_kind,
                lat: d.lat,
                lon: d.lon,
                stage: &d.stage,
                control: d.control.name(),
                control_as_of: &d.control_as_of,
                licence_holder: &d.licence_holder,
                events_summary: events_summary(&events),
                events: events
                    .iter()
                    .map(|e| EventOut {
                        event: e.kind.name(),
                        date: &e.date_text,
                        holder: &e.holder,
                        note: &e.note,
                        source: &e.source,
                        low_reliability: e.low_reliability,
                    })
                    .collect(),
                low_reliability: d.low_reliability,
                sources: provenance::sources_of(&d.sources),
            }
        })
        .collect();

    match args.format {
        DataFormat::Json => json(&Doc::new(s, DepositsJson { deposits: rows })),
        DataFormat::Csv => {
            let mut out = csv_line(&[
                "id",
                "name",
                "commodities",
                "oblast",
                "location_kind",
                "stage",
                "control",
                "control_as_of",
                "licence_holder",
                "events_summary",
                "events",
                "low_reliability",
            ]);
            for d in &rows {
                let events: Vec<String> =
                    d.events.iter().map(|e| format!("{} {}", e.event, e.date)).collect();
                out.push_str(&csv_line(&[
                    d.id,
                    d.name,
                    &d.commodities.join(";"),
                    &d.oblasts.join(";"),
                    d.location_kind,
                    d.stage,
                    d.control,
                    d.control_as_of,
                    d.licence_holder,
                    &d.events_summary,
                    &events.join(";"),
                    if d.low_reliability { "true" } else { "false" },
                ]));
            }
            Ok(out)
        }
        DataFormat::Table => {
            let mut t = Table::new(&[
                ("id", Align::Left),
                ("name", Align::Left),
                ("commodities", Align::Left),
                ("oblast", Align::Left),
                ("stage", Align::Left),
                ("control (as of)", Align::Left),
                ("licence holder", Align::Left),
                ("licence events", Align::Left),
                ("low rel.", Align::Left),
            ]);
            for d in &rows {
                let control = if d.control_as_of.is_empty() {
                    d.control.to_string()
                } else {
                    format!("{} ({})", d.control, d.control_as_of)
                };
                t.row(vec![
                    d.id.to_string(),
                    short(d.name, 30),
                    short(&d.commodities.join(", "), 28),
                    short(&d.oblasts.join(", "), 24),
                    d.stage.to_string(),
                    control,
                    short(d.licence_holder, 30),
                    d.events_summary.clone(),
                    if d.low_reliability { "yes".into() } else { String::new() },
                ]);
            }
            let mut out = heading(&format!("Deposits of {} ({} shown)", s.name, rows.len()));
            out.push_str(&t.render());
            out.push_str(&style::dim(
                "Long text is shortened (…); --format csv or json gives it whole, with every event, note and source.",
            ));
            out.push('\n');
            Ok(out)
        }
    }
}

// ------------------------------------------------------------------------------------------ products

/// A value with its provenance, as printed.
#[derive(Serialize)]
struct Valued {
    value: f64,
    kind: &'static str,
    provenance: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    as_of: Option<String>,
}

impl Valued {
    fn of(q: &Quantity) -> Valued {
        Valued {
            value: q.median(),
            kind: kind(&q.provenance),
            provenance: q.provenance.text(),
            as_of: q.as_of.clone(),
        }
    }
}

/// A level that may be uncertain: its median and range.
#[derive(Serialize)]
struct Level {
    median: f64,
    min: f64,
    max: f64,
    /// `support` (the distribution's whole range) or `p5-p95` for an unbounded distribution.
    range: &'static str,
    kind: &'static str,
    provenance: String,
}

impl Level {
    fn of(q: &Quantity) -> Level {
        let (lo, hi) = q.dist.support();
        let (min, max, range) = if lo.is_finite() && hi.is_finite() {
            (lo, hi, "support")
        } else {
            (q.dist.quantile(0.05), q.dist.quantile(0.95), "p5-p95")
        };
        Level {
            median: q.median(),
            min,
            max,
            range,
            kind: kind(&q.provenance),
            provenance: q.provenance.text(),
        }
    }
}

#[derive(Serialize)]
struct ProductOut {
    id: String,
    name: String,
    unit: String,
    price: Option<Valued>,
    long_run: Option<Level>,
    volatility: Option<Valued>,
    half_life: Option<Valued>,
    royalty_rate: Option<Valued>,
    dominant_producer_share: Option<Valued>,
}

fn products(s: &Scenario, args: &DataArgs) -> Result<String, String> {
    let listing = provenance::list(&args.scenario).map_err(|e| e.render())?;
    let q = |id: &str, field: &str| {
        let path = format!("products.{id}.{field}");
        s.quantities.iter().find(|q| q.path == path)
    };
    let wanted = args.commodity.as_deref().map(normalise);
    let rows: Vec<ProductOut> = listing
        .products
        .iter()
        .filter(|p| {
            wanted
                .as_ref()
                .is_none_or(|c| normalise(&p.id).contains(c) || normalise(&p.name).contains(c))
        })
        .map(|p| ProductOut {
            id: p.id.clone(),
            name: p.name.clone(),
            unit: p.unit.clone(),
            price: q(&p.id, "price").map(Valued::of),
            long_run: q(&p.id, "long-run").map(Level::of),
            volatility: q(&p.id, "volatility").map(Valued::of),
            half_life: q(&p.id, "half-life").map(Valued::of),
            royalty_rate: q(&p.id, "royalty-rate").map(Valued::of),
            dominant_producer_share: q(&p.id, "dominant-producer-share").map(Valued::of),
        })
        .collect();
    if rows.is_empty() && wanted.is_some() {
        let ids: Vec<&str> = listing.products.iter().map(|p| p.id.as_str()).collect();
        return Err(format!(
            "error: no product matches {:?}; products: {}\n",
            args.commodity.as_deref().unwrap_or_default(),
            ids.join(", ")
        ));
    }

    match args.format {
        DataFormat::Json => json(&Doc::new(
            s,
            ProductsJson {
                units: "real base-year US dollars per product unit; rates and shares as fractions; volatility in log/sqrt(yr); half-life in years",
                products: rows,
            },
        )),
        DataFormat::Csv => {
            let mut out = csv_line(&[
                "id",
                "name",
                "unit",
                "price",
                "price_as_of",
                "price_kind",
                "long_run_median",
                "long_run_min",
                "long_run_max",
                "long_run_kind",
                "volatility",
                "volatility_kind",
                "half_life",
                "half_life_kind",
                "royalty_rate",
                "royalty_rate_kind",
                "dominant_producer_share",
                "dominant_producer_share_kind",
            ]);
            let v = |x: &Option<Valued>| x.as_ref().map_or(String::new(), |x| x.value.to_string());
            let k = |x: &Option<Valued>| x.as_ref().map_or("", |x| x.kind).to_string();
            for p in &rows {
                let lr = |f: fn(&Level) -> String| p.long_run.as_ref().map_or(String::new(), f);
                out.push_str(&csv_line(&[
                    &p.id,
                    &p.name,
                    &p.unit,
                    &v(&p.price),
                    p.price.as_ref().and_then(|x| x.as_of.as_deref()).unwrap_or(""),
                    &k(&p.price),
                    &lr(|l| l.median.to_string()),
                    &lr(|l| l.min.to_string()),
                    &lr(|l| l.max.to_string()),
                    &lr(|l| l.kind.to_string()),
                    &v(&p.volatility),
                    &k(&p.volatility),
                    &v(&p.half_life),
                    &k(&p.half_life),
                    &v(&p.royalty_rate),
                    &k(&p.royalty_rate),
                    &v(&p.dominant_producer_share),
                    &k(&p.dominant_producer_share),
                ]));
            }
            Ok(out)
        }
        DataFormat::Table => {
            let mut t = Table::new(&[
                ("product", Align::Left),
                ("unit", Align::Left),
                ("price (US$)", Align::Right),
                ("as of", Align::Left),
                ("long run: median (range)", Align::Right),
                ("volatility", Align::Right),
                ("half-life (yr)", Align::Right),
                ("royalty", Align::Right),
                ("dominant share", Align::Right),
                ("name", Align::Left),
            ]);
            let cell = |x: &Option<Valued>, f: fn(f64) -> String| {
                x.as_ref().map_or("—".into(), |x| format!("{} {}", f(x.value), mark(x.kind)))
            };
            for p in &rows {
                t.row(vec![
                    p.id.clone(),
                    p.unit.clone(),
                    cell(&p.price, num),
                    p.price.as_ref().and_then(|x| x.as_of.clone()).unwrap_or_default(),
                    p.long_run.as_ref().map_or("—".into(), |l| {
                        format!(
                            "{} ({}–{}) {}",
                            num(l.median),
                            num(l.min),
                            num(l.max),
                            mark(l.kind)
                        )
                    }),
                    cell(&p.volatility, num),
                    cell(&p.half_life, num),
                    cell(&p.royalty_rate, percent),
                    cell(&p.dominant_producer_share, percent),
                    p.name.clone(),
                ]);
            }
            let mut out = heading(&format!(
                "Products of {} (real {} US dollars per unit)",
                s.name, s.model.time.base_year
            ));
            out.push_str(&t.render());
            out.push_str(&style::dim(
                "Provenance: s sourced, d derived from sources, a assumption (judgment), u unsourced. \
                 `subsoil data sources` lists the sources; --format json gives each value's source or reason.",
            ));
            out.push('\n');
            Ok(out)
        }
    }
}

// ------------------------------------------------------------------------------------------- sources

/// Values by provenance kind in one group of files.
#[derive(Default, Serialize)]
struct Counts {
    sourced: usize,
    derived: usize,
    assumption: usize,
    unsourced: usize,
    total: usize,
    low_reliability: usize,
}

impl Counts {
    fn add(&mut self, kind: &str, low: bool) {
        match kind {
            "sourced" => self.sourced += 1,
            "derived" => self.derived += 1,
            "assumption" => self.assumption += 1,
            _ => self.unsourced += 1,
        }
        self.total += 1;
        self.low_reliability += usize::from(low);
    }
    fn merge(&mut self, o: &Counts) {
        self.sourced += o.sourced;
        self.derived += o.derived;
        self.assumption += o.assumption;
        self.unsourced += o.unsourced;
        self.total += o.total;
        self.low_reliability += o.low_reliability;
    }
}

/// One value a source supports.
#[derive(Clone, Serialize)]
struct Support {
    file: String,
    line: usize,
    /// Field path of a TOML value, or the row's label in a CSV file.
    field: String,
    kind: &'static str,
}

#[derive(Serialize)]
struct SourceOut {
    source: String,
    values: usize,
    supports: Vec<Support>,
}

#[derive(Serialize)]
struct GroupOut {
    group: String,
    #[serde(flatten)]
    counts: Counts,
}

/// A file name without the `builtin:` prefix of embedded files.
fn shown(file: &str) -> &str {
    file.strip_prefix("builtin:").unwrap_or(file)
}

fn sources(s: &Scenario, args: &DataArgs) -> Result<String, String> {
    let listing = provenance::list(&args.scenario).map_err(|e| e.render())?;
    let builtin = subsoil_scenario::is_builtin(&args.scenario);
    let reference = if builtin {
        provenance::reference_quantities().map_err(|e| e.render())?
    } else {
        Vec::new()
    };
    let mut rows: Vec<SourcedRow> = listing.rows.clone();
    if builtin {
        rows.extend(provenance::licence_fee_rows());
    }

    let mut groups: Vec<(String, Counts)> = Vec::new();
    let mut by_source: BTreeMap<String, Vec<Support>> = BTreeMap::new();
    let mut cite = |w: &Written| {
        if let Provenance::Source { source, .. } = &w.quantity.provenance {
            for key in provenance::sources_of(source) {
                by_source.entry(key).or_default().push(Support {
                    file: shown(&w.file).to_string(),
                    line: w.line,
                    field: w.quantity.path.clone(),
                    kind: kind(&w.quantity.provenance),
                });
            }
        }
    };

    let mut layer_counts = Counts::default();
    let mut overridden = 0;
    for w in &listing.quantities {
        layer_counts
            .add(kind(&w.quantity.provenance), w.quantity.reliability.as_deref() == Some("C"));
        overridden += usize::from(!w.in_effect);
        cite(w);
    }
    groups.push((format!("scenario layers ({} files)", listing.layers.len()), layer_counts));

    let mut count_counts = Counts::default();
    let mut settings = 0;
    for c in &listing.counts {
        if c.path.starts_with("time.") {
            settings += 1;
        } else {
            count_counts.add(if c.comment.is_some() { "assumption" } else { "unsourced" }, false);
        }
    }
    groups.push(("whole numbers in layers".into(), count_counts));

    if !reference.is_empty() {
        let mut c = Counts::default();
        for w in &reference {
            c.add(kind(&w.quantity.provenance), w.quantity.reliability.as_deref() == Some("C"));
            cite(w);
        }
        groups.push(("data/analogs.toml (reference)".into(), c));
    }

    let mut csv_groups: BTreeMap<String, Counts> = BTreeMap::new();
    for r in &rows {
        let keys = provenance::sources_of(&r.sources);
        let kind = if keys.is_empty() { "unsourced" } else { "sourced" };
        csv_groups
            .entry(format!("{} (rows)", shown(&r.file)))
            .or_default()
            .add(kind, r.low_reliability);
        for key in keys {
            by_source.entry(key).or_default().push(Support {
                file: shown(&r.file).to_string(),
                line: r.line,
                field: r.label.clone(),
                kind,
            });
        }
    }
    groups.extend(csv_groups);
    let mut total = Counts::default();
    for (_, c) in &groups {
        total.merge(c);
    }

    let mut sources: Vec<SourceOut> = by_source
        .into_iter()
        .map(|(source, supports)| SourceOut { source, values: supports.len(), supports })
        .collect();
    sources.sort_by(|a, b| b.values.cmp(&a.values).then_with(|| a.source.cmp(&b.source)));

    match args.format {
        DataFormat::Json => {
            let groups: Vec<GroupOut> =
                groups.into_iter().map(|(group, counts)| GroupOut { group, counts }).collect();
            json(&Doc::new(
                s,
                SourcesJson {
                    counts: groups,
                    total,
                    overridden_layer_values: overridden,
                    run_settings_not_counted: settings,
                    sources,
                },
            ))
        }
        DataFormat::Csv => {
            let mut out = csv_line(&["source", "file", "line", "field", "kind"]);
            for src in &sources {
                for sup in &src.supports {
                    out.push_str(&csv_line(&[
                        &src.source,
                        &sup.file,
                        &sup.line.to_string(),
                        &sup.field,
                        sup.kind,
                    ]));
                }
            }
            Ok(out)
        }
        DataFormat::Table => {
            let mut out = heading(&format!("Provenance of the values in {}", s.name));
            let mut t = Table::new(&[
                ("values in", Align::Left),
                ("sourced", Align::Right),
                ("derived", Align::Right),
                ("assumption", Align::Right),
                ("unsourced", Align::Right),
                ("total", Align::Right),
                ("low reliability", Align::Right),
            ]);
            let row = |name: &str, c: &Counts| {
                vec![
                    name.to_string(),
                    c.sourced.to_string(),
                    c.derived.to_string(),
                    c.assumption.to_string(),
                    c.unsourced.to_string(),
                    c.total.to_string(),
                    c.low_reliability.to_string(),
                ]
            };
            for (name, c) in &groups {
                t.row(row(name, c));
            }
            t.rule();
            t.row(row("total", &total));
            out.push_str(&t.render());
            out.push_str(&style::dim(&format!(
                "A layer value is one quantity as written ({overridden} of them overridden by a later layer). \
                 Whole numbers cannot carry source keys: with a comment giving the reason they count as \
                 assumptions, without one as unsourced ({settings} run settings under [time] are not counted). \
                 A CSV row counts once, sourced if it names a source. Low reliability: grade C values, \
                 flagged rows."
            )));
            out.push_str("\n\n");
            out.push_str(&heading(&format!("Sources ({})", sources.len())));
            let mut t = Table::new(&[
                ("source", Align::Left),
                ("values", Align::Right),
                ("supports", Align::Left),
            ]);
            for src in &sources {
                t.row(vec![
                    short(&src.source, 90),
                    src.values.to_string(),
                    supports(&src.supports),
                ]);
            }
            out.push_str(&t.render());
            out.push_str(&style::dim(
                "--format csv lists every (source, value) pair with file and line; --format json adds the counts.",
            ));
            out.push('\n');
            Ok(out)
        }
    }
}

/// The first few values a source supports, then how many more.
fn supports(list: &[Support]) -> String {
    const SHOWN: usize = 3;
    let mut parts: Vec<String> = Vec::new();
    for s in list.iter().take(SHOWN) {
        if s.file.ends_with(".csv") {
            parts.push(format!("{} {}", s.file.rsplit('/').next().unwrap_or(&s.file), s.field));
        } else {
            parts.push(s.field.clone());
        }
    }
    if list.len() > SHOWN {
        parts.push(format!("+{} more", list.len() - SHOWN));
    }
    parts.join(", ")
}

// -------------------------------------------------------------------------------------------- shared

/// Provenance kind as printed: `sourced`, `derived`, `assumption`, `unsourced` (or `default`).
fn kind(p: &Provenance) -> &'static str {
    match p.kind() {
        "source" => "sourced",
        k => k,
    }
}

/// One-letter provenance mark for tables.
fn mark(kind: &str) -> &'static str {
    match kind {
        "sourced" => "s",
        "derived" => "d",
        "assumption" => "a",
        _ => "u",
    }
}

/// A bold heading line followed by a newline.
fn heading(s: &str) -> String {
    format!("{}\n", style::bold(s))
}

/// `s` cut to `n` characters with an ellipsis.
fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// A number for tables: thousands grouped from 100 up, two decimals below, three significant
/// digits below 1.
fn num(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let a = x.abs();
    let s = if a >= 100.0 {
        let int = format!("{:.0}", a);
        let mut g = String::new();
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                g.push(',');
            }
            g.push(ch);
        }
        g
    } else if a >= 1.0 {
        trim(format!("{a:.2}"))
    } else if a == 0.0 {
        "0".into()
    } else {
        let digits = (2 - a.log10().floor() as i32).clamp(0, 12) as usize;
        trim(format!("{a:.digits$}"))
    };
    if x < 0.0 { format!("-{s}") } else { s }
}

/// A fraction as a percentage, up to two decimals.
fn percent(x: f64) -> String {
    format!("{}%", trim(format!("{:.2}", x * 100.0)))
}

fn trim(s: String) -> String {
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// One CSV record (RFC 4180: fields with a comma, quote or line break are quoted).
fn csv_line(cells: &[&str]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.to_string()
            }
        })
        .collect();
    quoted.join(",") + "\n"
}

/// A JSON document: the scenario it describes, then the listing.
#[derive(Serialize)]
struct Doc<'a, B: Serialize> {
    scenario: &'a str,
    scenario_hash: &'a str,
    #[serde(flatten)]
    body: B,
}

impl<'a, B: Serialize> Doc<'a, B> {
    fn new(s: &'a Scenario, body: B) -> Self {
        Doc { scenario: &s.name, scenario_hash: &s.hash, body }
    }
}

#[derive(Serialize)]
struct DepositsJson<'a> {
    deposits: Vec<DepositOut<'a>>,
}

#[derive(Serialize)]
struct ProductsJson {
    units: &'static str,
    products: Vec<ProductOut>,
}

#[derive(Serialize)]
struct SourcesJson {
    counts: Vec<GroupOut>,
    total: Counts,
    overridden_layer_values: usize,
    run_settings_not_counted: usize,
    sources: Vec<SourceOut>,
}

fn json<T: Serialize>(v: &T) -> Result<String, String> {
    serde_json::to_string_pretty(v)
        .map(|s| s + "\n")
        .map_err(|e| format!("error: cannot write JSON: {e}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        assert_eq!(csv_line(&["a", "b,c", "say \"hi\"", ""]), "a,\"b,c\",\"say \"\"hi\"\"\",\n");
    }

    #[test]
    fn numbers_read_well_in_tables() {
        assert_eq!(num(17835.0), "17,835");
        assert_eq!(num(2000.0), "2,000");
        assert_eq!(num(25.94), "25.94");
        assert_eq!(num(0.47), "0.47");
        assert_eq!(num(0.0625), "0.0625");
        assert_eq!(percent(0.0625), "6.25%");
        assert_eq!(percent(0.05), "5%");
        assert_eq!(short("abcdef", 4), "abc…");
    }
}
