//! `subsoil data deposits`: the deposits with control status, licence holder and licence events.

use serde::Serialize;
use subsoil_scenario::{LicenceEvent, Scenario, provenance};

use super::format::{heading, note, short};
use super::{DataArgs, Listing, normalise};
use crate::table::{Align, Table};

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
    /// The deposit's regions (the deposits file's `oblast` column, an inline site's `region`).
    regions: &'a [String],
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

/// The deposits shown, in file order.
#[derive(Serialize)]
pub struct Deposits<'a> {
    deposits: Vec<DepositOut<'a>>,
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

/// The deposits of `s` that pass the filters of `args`, or the message when no deposit has the
/// commodity asked for.
pub fn listing<'a>(s: &'a Scenario, args: &DataArgs) -> Result<Deposits<'a>, String> {
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
    let deposits = s
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
                regions: &d.oblasts,
                location_kind: &d.location_kind,
                lat: d.lat,
                lon: d.lon,
                stage: d.stage.name(),
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
    Ok(Deposits { deposits })
}

impl Listing for Deposits<'_> {
    const CSV_HEADER: &'static [&'static str] = &[
        "id",
        "name",
        "commodities",
        "region",
        "location_kind",
        "stage",
        "control",
        "control_as_of",
        "licence_holder",
        "events_summary",
        "events",
        "low_reliability",
    ];

    fn csv_records(&self) -> Vec<Vec<String>> {
        self.deposits
            .iter()
            .map(|d| {
                let events: Vec<String> =
                    d.events.iter().map(|e| format!("{} {}", e.event, e.date)).collect();
                vec![
                    d.id.to_string(),
                    d.name.to_string(),
                    d.commodities.join(";"),
                    d.regions.join(";"),
                    d.location_kind.to_string(),
                    d.stage.to_string(),
                    d.control.to_string(),
                    d.control_as_of.to_string(),
                    d.licence_holder.to_string(),
                    d.events_summary.clone(),
                    events.join(";"),
                    d.low_reliability.to_string(),
                ]
            })
            .collect()
    }

    fn table(&self, s: &Scenario) -> String {
        let mut t = Table::new(&[
            ("id", Align::Left),
            ("name", Align::Left),
            ("commodities", Align::Left),
            ("region", Align::Left),
            ("stage", Align::Left),
            ("control (as of)", Align::Left),
            ("licence holder", Align::Left),
            ("licence events", Align::Left),
            ("low rel.", Align::Left),
        ]);
        for d in &self.deposits {
            let control = if d.control_as_of.is_empty() {
                d.control.to_string()
            } else {
                format!("{} ({})", d.control, d.control_as_of)
            };
            t.row(vec![
                d.id.to_string(),
                short(d.name, 30),
                short(&d.commodities.join(", "), 28),
                short(&d.regions.join(", "), 24),
                d.stage.to_string(),
                control,
                short(d.licence_holder, 30),
                d.events_summary.clone(),
                if d.low_reliability { "yes".into() } else { String::new() },
            ]);
        }
        let mut out = heading(&format!("Deposits of {} ({} shown)", s.name, self.deposits.len()));
        out.push_str(&t.render());
        out.push_str(&note(
            "Long text is shortened (…); --format csv or json gives it whole, with every event, note and source.",
        ));
        out
    }
}
