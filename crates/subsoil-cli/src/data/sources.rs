//! `subsoil data sources`: how many values are sourced, derived, assumptions or unsourced, then every
//! source with the values it supports.

use std::collections::BTreeMap;

use serde::Serialize;
use subsoil_scenario::provenance::{self, SourcedRow, Written};
use subsoil_scenario::{Provenance, Scenario};

use super::format::{heading, kind, note, short};
use super::{DataArgs, Listing};
use crate::table::{Align, Table};

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

impl GroupOut {
    fn new(group: String, counts: Counts) -> GroupOut {
        GroupOut { group, counts }
    }
}

/// The counts by group of files, then the sources, most values first.
#[derive(Serialize)]
pub struct Sources {
    counts: Vec<GroupOut>,
    total: Counts,
    overridden_layer_values: usize,
    run_settings_not_counted: usize,
    sources: Vec<SourceOut>,
}

/// Every value the scenario `args` names uses (a value a later layer overrides or removes is left out),
/// counted by provenance kind, and every source with the values it supports. The reference data files
/// count only for a scenario whose layers cite them.
pub fn listing(args: &DataArgs) -> Result<Sources, String> {
    let listing = provenance::list(&args.scenario).map_err(|e| e.render())?;
    let cited = |file: &str| listing.cited.iter().any(|c| shown(file) == *c);
    let reference: Vec<Written> = provenance::reference_quantities()
        .map_err(|e| e.render())?
        .into_iter()
        .filter(|w| cited(&w.file))
        .collect();
    let mut rows: Vec<SourcedRow> = listing.rows.clone();
    rows.extend(provenance::licence_fee_rows().into_iter().filter(|r| cited(&r.file)));

    let mut groups: Vec<GroupOut> = Vec::new();
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
        if !w.in_effect {
            overridden += 1;
            continue;
        }
        layer_counts
            .add(kind(&w.quantity.provenance), w.quantity.reliability.as_deref() == Some("C"));
        cite(w);
    }
    groups.push(GroupOut::new(
        format!("scenario layers ({} files)", listing.layers.len()),
        layer_counts,
    ));

    let mut count_counts = Counts::default();
    let mut settings = 0;
    for c in listing.counts.iter().filter(|c| c.in_effect) {
        if c.path.starts_with("time.") {
            settings += 1;
        } else {
            count_counts.add(if c.comment.is_some() { "assumption" } else { "unsourced" }, false);
        }
    }
    groups.push(GroupOut::new("whole numbers in layers".into(), count_counts));

    if !reference.is_empty() {
        let mut c = Counts::default();
        for w in &reference {
            c.add(kind(&w.quantity.provenance), w.quantity.reliability.as_deref() == Some("C"));
            cite(w);
        }
        groups.push(GroupOut::new("data/analogs.toml (reference)".into(), c));
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
    groups.extend(csv_groups.into_iter().map(|(group, counts)| GroupOut::new(group, counts)));
    let mut total = Counts::default();
    for g in &groups {
        total.merge(&g.counts);
    }

    let mut sources: Vec<SourceOut> = by_source
        .into_iter()
        .map(|(source, supports)| SourceOut { source, values: supports.len(), supports })
        .collect();
    sources.sort_by(|a, b| b.values.cmp(&a.values).then_with(|| a.source.cmp(&b.source)));

    Ok(Sources {
        counts: groups,
        total,
        overridden_layer_values: overridden,
        run_settings_not_counted: settings,
        sources,
    })
}

impl Listing for Sources {
    const CSV_HEADER: &'static [&'static str] = &["source", "file", "line", "field", "kind"];

    fn csv_records(&self) -> Vec<Vec<String>> {
        let mut records = Vec::new();
        for src in &self.sources {
            for sup in &src.supports {
                records.push(vec![
                    src.source.clone(),
                    sup.file.clone(),
                    sup.line.to_string(),
                    sup.field.clone(),
                    sup.kind.to_string(),
                ]);
            }
        }
        records
    }

    fn table(&self, s: &Scenario) -> String {
        let (overridden, settings) = (self.overridden_layer_values, self.run_settings_not_counted);
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
        for g in &self.counts {
            t.row(row(&g.group, &g.counts));
        }
        t.rule();
        t.row(row("total", &self.total));
        out.push_str(&t.render());
        out.push_str(&note(&format!(
            "A layer value is one quantity as written and in use ({overridden} more, overridden or removed \
             by a later layer, are not counted). \
             Whole numbers cannot carry source keys: with a comment giving the reason they count as \
             assumptions, without one as unsourced ({settings} run settings under [time] are not counted). \
             A CSV row counts once, sourced if it names a source. Low reliability: grade C values, \
             flagged rows."
        )));
        out.push('\n');
        out.push_str(&heading(&format!("Sources ({})", self.sources.len())));
        let mut t = Table::new(&[
            ("source", Align::Left),
            ("values", Align::Right),
            ("supports", Align::Left),
        ]);
        for src in &self.sources {
            t.row(vec![short(&src.source, 90), src.values.to_string(), supports(&src.supports)]);
        }
        out.push_str(&t.render());
        out.push_str(&note(
            "--format csv lists every (source, value) pair with file and line; --format json adds the counts.",
        ));
        out
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
