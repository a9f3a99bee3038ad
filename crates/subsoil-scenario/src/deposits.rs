//! The deposits file and the licence-events file (CSV), read with located errors.

use std::collections::HashMap;

use subsoil_core::Stage;

use crate::diag::{Diagnostics, FileId, Location, Sources};
use crate::walk::{parse_date, valid_id};

/// Control status as recorded in the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControlStatus {
    /// Held by the host government: work is possible (`ukraine` in the Ukrainian deposits file).
    Operable,
    /// On a front line (`frontline` in the Ukrainian deposits file).
    Contested,
    /// Occupied.
    Occupied,
    /// Not known; the scenario's `[conflict.unknown-control]` probabilities apply.
    Unknown,
}

impl ControlStatus {
    /// Its generic name, as listings show it (a file may also write Ukraine's names).
    pub fn name(self) -> &'static str {
        match self {
            ControlStatus::Operable => "operable",
            ControlStatus::Contested => "contested",
            ControlStatus::Occupied => "occupied",
            ControlStatus::Unknown => "unknown",
        }
    }
}

impl ControlStatus {
    /// The names a scenario file may write (`[deposits.sites.<id>] control`): the generic names, then
    /// Ukraine's names for the same states.
    pub const NAMES: [&'static str; 6] =
        ["operable", "contested", "occupied", "unknown", "ukraine", "frontline"];

    /// Reads a control status: the generic names, Ukraine's names for the same states, or empty for
    /// unknown.
    pub fn parse(s: &str) -> Option<ControlStatus> {
        Some(match s {
            "operable" | "ukraine" => ControlStatus::Operable,
            "contested" | "frontline" => ControlStatus::Contested,
            "occupied" => ControlStatus::Occupied,
            "unknown" | "" => ControlStatus::Unknown,
            _ => return None,
        })
    }
}

/// Whether the data may record a deposit at `stage`: every stage but [`Stage::Ready`] (an idle operation
/// is a scenario's choice for a project).
pub fn data_stage(stage: Stage) -> bool {
    stage != Stage::Ready
}

/// One row of the deposits file.
#[derive(Clone, Debug)]
pub struct DepositRow {
    /// Id (unique).
    pub id: String,
    /// English name.
    pub name: String,
    /// Names in the local language (the `name_local` column, `name_uk` in Ukraine's file).
    pub name_uk: String,
    /// Commodities.
    pub commodities: Vec<String>,
    /// Regions (the `region` column, `oblast` in Ukraine's file): the first is the deposit's own.
    pub oblasts: Vec<String>,
    /// `site` (the default), `basin-wide` or `offshore`.
    pub location_kind: String,
    /// Latitude, if known.
    pub lat: Option<f64>,
    /// Longitude, if known.
    pub lon: Option<f64>,
    /// Whether the coordinates are approximate.
    pub coords_approximate: bool,
    /// Stage (one [`data_stage`] allows).
    pub stage: Stage,
    /// Ore tonnage, if published.
    pub resource_tonnes: Option<f64>,
    /// Grade as published.
    pub grade: String,
    /// Contained metal as published.
    pub contained: String,
    /// Control status.
    pub control: ControlStatus,
    /// Date of the control status.
    pub control_as_of: String,
    /// Licence holder.
    pub licence_holder: String,
    /// Notes.
    pub notes: String,
    /// Sources.
    pub sources: String,
    /// Whether any figure rests on a low-reliability source.
    pub low_reliability: bool,
    /// Where the row is.
    pub location: Location,
}

/// Kinds of licence events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// A licence (special permit) issued.
    Issued,
    /// A licence awarded again after revocation.
    ReAwarded,
    /// A licence renewed (extended).
    Renewed,
    /// A production-sharing agreement signed (or its tender won).
    PsaSigned,
    /// A licence revoked or cancelled.
    Revoked,
    /// Production started.
    ProductionStart,
    /// Production halted.
    ProductionHalt,
}

impl EventKind {
    fn parse(s: &str) -> Option<EventKind> {
        Some(match s {
            "issued" => EventKind::Issued,
            "re-awarded" => EventKind::ReAwarded,
            "renewed" => EventKind::Renewed,
            "psa-signed" => EventKind::PsaSigned,
            "revoked" => EventKind::Revoked,
            "production-start" => EventKind::ProductionStart,
            "production-halt" => EventKind::ProductionHalt,
            _ => return None,
        })
    }
    /// Name as written in the data.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Issued => "issued",
            EventKind::ReAwarded => "re-awarded",
            EventKind::Renewed => "renewed",
            EventKind::PsaSigned => "psa-signed",
            EventKind::Revoked => "revoked",
            EventKind::ProductionStart => "production-start",
            EventKind::ProductionHalt => "production-halt",
        }
    }
}

/// One row of the licence-events file.
#[derive(Clone, Debug)]
pub struct LicenceEvent {
    /// Deposit id.
    pub deposit_id: String,
    /// What happened.
    pub kind: EventKind,
    /// When (year, month, day; first day of the period when less precise).
    pub date: (i32, u8, u8),
    /// Date as written.
    pub date_text: String,
    /// Licence holder.
    pub holder: String,
    /// Note.
    pub note: String,
    /// Source.
    pub source: String,
    /// Whether the source is of low reliability.
    pub low_reliability: bool,
    /// Where the row is.
    pub location: Location,
}

/// A column of a CSV file: the name it is documented under, the other names a file may write for it,
/// and whether every file must have it (a file may leave an optional column out; its cells then read as
/// empty).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// The generic name.
    pub name: &'static str,
    /// Other names read for the same column (Ukraine's deposits file writes `oblast` and `name_uk`).
    pub aliases: &'static [&'static str],
    /// Whether a file must have the column.
    pub required: bool,
}

impl Column {
    const fn required(name: &'static str) -> Column {
        Column { name, aliases: &[], required: true }
    }
    const fn optional(name: &'static str) -> Column {
        Column { name, aliases: &[], required: false }
    }
    const fn or(self, aliases: &'static [&'static str]) -> Column {
        Column { aliases, ..self }
    }
    /// Whether a header cell names this column.
    fn is(&self, written: &str) -> bool {
        self.name == written || self.aliases.contains(&written)
    }
    /// The name with its other spellings, as messages give it: `region` (or `oblast`).
    fn spelled(&self) -> String {
        let mut s = format!("`{}`", self.name);
        for a in self.aliases {
            s.push_str(&format!(" (or `{a}`)"));
        }
        s
    }
}

/// Columns of the deposits file, in the order the documentation lists them; a file may give them in
/// any order. The required ones are those the model reads for every deposit: its id, name, region (the
/// areas `[conflict]` and the map name), stage and control.
pub const DEPOSIT_COLUMNS: &[Column] = &[
    Column::required("id"),
    Column::required("name"),
    Column::optional("name_local").or(&["name_uk"]),
    Column::optional("commodities"),
    Column::required("region").or(&["oblast"]),
    Column::optional("location_kind"),
    Column::optional("lat"),
    Column::optional("lon"),
    Column::optional("coords_approximate"),
    Column::required("stage"),
    Column::optional("resource_tonnes"),
    Column::optional("grade"),
    Column::optional("contained"),
    Column::required("control"),
    Column::optional("control_as_of"),
    Column::optional("licence_holder"),
    Column::optional("notes"),
    Column::optional("sources"),
    Column::optional("low_reliability"),
];

/// Columns of the licence-events file, in the order the documentation lists them; a file may give them
/// in any order.
pub const EVENT_COLUMNS: &[Column] = &[
    Column::required("deposit_id"),
    Column::required("event"),
    Column::required("date"),
    Column::optional("holder"),
    Column::optional("note"),
    Column::optional("source"),
    Column::optional("low_reliability"),
];

/// A CSV table read with its header checked.
struct Table {
    /// The columns of the file's kind.
    columns: &'static [Column],
    /// The file's position of each column of the file's kind (in the order of its column list), if
    /// the file has it.
    index: Vec<Option<usize>>,
    /// Each column's name as the file writes it (its generic name where the file leaves it out).
    written: Vec<String>,
    rows: Vec<(usize, usize, Vec<String>)>,
}

/// Byte offsets of the cells of a header line without quotes (the start of the file otherwise). The
/// CSV reader's field ranges are into its unescaped buffer, without the commas, so they are not these.
fn header_offsets(text: &str, n: usize) -> Vec<usize> {
    let line = text.lines().next().unwrap_or("");
    if line.contains('"') {
        return vec![0; n];
    }
    let mut at = 0;
    let mut out = Vec::with_capacity(n);
    for cell in line.split(',') {
        out.push(at);
        at += cell.len() + 1;
    }
    out.resize(n, 0);
    out
}

/// Matches a header against the columns of the file's kind: every cell must name a column (by its
/// generic name or another spelling) at most once, and every required column must be there.
fn read_header(
    header: &[&str],
    columns: &[Column],
    kind: &str,
    at: impl Fn(usize) -> Option<Location>,
    offsets: &[usize],
    d: &mut Diagnostics,
) -> Option<(Vec<Option<usize>>, Vec<String>)> {
    let before = d.len();
    let mut index: Vec<Option<usize>> = vec![None; columns.len()];
    let mut written: Vec<String> = columns.iter().map(|c| c.name.to_string()).collect();
    for (j, cell) in header.iter().enumerate() {
        let path = format!("header, column {}", j + 1);
        match columns.iter().position(|c| c.is(cell)) {
            None => {
                let known: Vec<String> = columns.iter().map(Column::spelled).collect();
                d.error(
                    at(offsets[j]),
                    path,
                    format!(
                        "unknown column {cell:?}: a {kind} has the columns {}",
                        known.join(", ")
                    ),
                );
            }
            Some(i) => match index[i] {
                Some(first) => d.error(
                    at(offsets[j]),
                    path,
                    format!(
                        "{cell:?} gives the column {} a second time (first as {:?}, column {})",
                        columns[i].spelled(),
                        written[i],
                        first + 1
                    ),
                ),
                None => {
                    index[i] = Some(j);
                    written[i] = cell.to_string();
                }
            },
        }
    }
    let required: Vec<&str> = columns.iter().filter(|c| c.required).map(|c| c.name).collect();
    for (c, i) in columns.iter().zip(&index) {
        if c.required && i.is_none() {
            d.error(
                at(0),
                "header",
                format!(
                    "missing the column {}: a {kind} needs the columns {} (the others may be left out)",
                    c.spelled(),
                    required.join(", ")
                ),
            );
        }
    }
    (d.len() == before).then_some((index, written))
}

fn read_table(
    file: FileId,
    sources: &Sources,
    columns: &'static [Column],
    kind: &str,
    d: &mut Diagnostics,
) -> Option<Table> {
    let text = &sources.get(file).text;
    let mut rdr =
        csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
    let at = |offset: usize| Some(Location { file, span: Some(offset..offset) });
    let header = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            d.error(at(0), "header", format!("cannot read the CSV header: {e}"));
            return None;
        }
    };
    let got: Vec<&str> = header.iter().map(str::trim).collect();
    let offsets = header_offsets(text, got.len());
    let (index, written) = read_header(&got, columns, kind, at, &offsets, d)?;
    let width = got.len();
    let mut rows = Vec::new();
    for rec in rdr.records() {
        match rec {
            Ok(r) => {
                let pos = r.position().map_or((0, 0), |p| (p.byte() as usize, p.line() as usize));
                if r.len() != width {
                    d.error(
                        at(pos.0),
                        format!("line {}", pos.1),
                        format!("expected {width} fields (as the header), found {}", r.len()),
                    );
                    continue;
                }
                rows.push((pos.0, pos.1, r.iter().map(|s| s.trim().to_string()).collect()));
                if rows.len() > 100_000 {
                    d.error(at(pos.0), "", "more than 100,000 rows");
                    return None;
                }
            }
            Err(e) => {
                let off = e.position().map_or(0, |p| p.byte() as usize);
                d.error(at(off), "", format!("malformed CSV: {e}"));
                return None;
            }
        }
    }
    Some(Table { columns, index, written, rows })
}

/// Helpers for reading one CSV row with located errors.
struct Row<'a> {
    file: FileId,
    offset: usize,
    name: String,
    table: &'a Table,
    cells: &'a [String],
}

impl Row<'_> {
    fn loc(&self) -> Location {
        Location { file: self.file, span: Some(self.offset..self.offset) }
    }
    /// The column's position in the list of the file's kind.
    fn column(&self, col: &str) -> usize {
        let i = self.table.columns.iter().position(|c| c.name == col);
        debug_assert!(i.is_some(), "no column {col}");
        i.unwrap_or(0)
    }
    /// The cell of column `col` (its generic name); empty when the file leaves the column out.
    fn get(&self, col: &str) -> &str {
        self.table.index[self.column(col)].map_or("", |i| self.cells[i].as_str())
    }
    /// Reports a problem in column `col`, named as the file writes it.
    fn err(&self, d: &mut Diagnostics, col: &str, msg: String) {
        let written = &self.table.written[self.column(col)];
        d.error(Some(self.loc()), format!("{}, column `{written}`", self.name), msg);
    }
    fn num(&self, d: &mut Diagnostics, col: &str, lo: f64, hi: f64) -> Option<f64> {
        let s = self.get(col);
        if s.is_empty() {
            return None;
        }
        match s.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= lo && x <= hi => Some(x),
            _ => {
                self.err(
                    d,
                    col,
                    format!("expected a number in [{lo}, {hi}] or an empty cell, found {s:?}"),
                );
                None
            }
        }
    }
    fn boolean(&self, d: &mut Diagnostics, col: &str) -> bool {
        match self.get(col) {
            "true" => true,
            "false" | "" => false,
            s => {
                self.err(d, col, format!("expected true, false or an empty cell, found {s:?}"));
                false
            }
        }
    }
}

fn list(s: &str) -> Vec<String> {
    s.split(';').map(str::trim).filter(|x| !x.is_empty()).map(String::from).collect()
}

/// Reads the deposits file.
pub fn read_deposits(file: FileId, sources: &Sources, d: &mut Diagnostics) -> Vec<DepositRow> {
    let Some(t) = read_table(file, sources, DEPOSIT_COLUMNS, "deposits file", d) else {
        return Vec::new();
    };
    let mut out: Vec<DepositRow> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (offset, line, cells) in &t.rows {
        let mut r = Row { file, offset: *offset, name: String::new(), table: &t, cells };
        let id = r.get("id").to_string();
        r.name = format!("deposit {id:?} (line {line})");
        if !valid_id(&id) {
            r.err(
                d,
                "id",
                format!("{id:?} is not a valid id: use lowercase letters, digits, `-` and `_`"),
            );
            continue;
        }
        if let Some(prev) = seen.insert(id.clone(), *line) {
            r.err(d, "id", format!("duplicate id {id:?} (first on line {prev})"));
            continue;
        }
        let stage = match r.get("stage").parse::<Stage>() {
            Ok(stage) if data_stage(stage) => stage,
            _ => {
                let names: Vec<&str> =
                    Stage::ALL.into_iter().filter(|s| data_stage(*s)).map(Stage::name).collect();
                let found = r.get("stage");
                r.err(d, "stage", format!("expected one of {}, found {found:?}", names.join(", ")));
                Stage::Closed
            }
        };
        let control = match ControlStatus::parse(r.get("control")) {
            Some(c) => c,
            None => {
                r.err(
                    d,
                    "control",
                    format!(
                        "expected operable (or ukraine), contested (or frontline), occupied or unknown, \
                         found {:?}",
                        r.get("control")
                    ),
                );
                ControlStatus::Unknown
            }
        };
        let as_of = r.get("control_as_of").to_string();
        if !as_of.is_empty() && parse_date(&as_of).is_none() {
            r.err(
                d,
                "control_as_of",
                format!("expected a date YYYY-MM-DD (or YYYY-MM, YYYY), found {as_of:?}"),
            );
        }
        // A site unless the file says otherwise (an empty cell or no column).
        let kind = match r.get("location_kind") {
            "" => "site".to_string(),
            k => k.to_string(),
        };
        if !matches!(kind.as_str(), "site" | "basin-wide" | "offshore") {
            r.err(
                d,
                "location_kind",
                format!("expected site, basin-wide or offshore, found {kind:?}"),
            );
        }
        if list(r.get("region")).is_empty() {
            r.err(
                d,
                "region",
                "every deposit needs a region (for an offshore field, the nearest coast's)".into(),
            );
        }
        let lat = r.num(d, "lat", -90.0, 90.0);
        let lon = r.num(d, "lon", -180.0, 180.0);
        // On the cells as written: a cell that is not a number is reported once, above.
        if r.get("lat").is_empty() != r.get("lon").is_empty() {
            r.err(d, "lat", "give both lat and lon, or neither".into());
        }
        out.push(DepositRow {
            id,
            name: r.get("name").into(),
            name_uk: r.get("name_local").into(),
            commodities: list(r.get("commodities")),
            oblasts: list(r.get("region")),
            location_kind: kind,
            lat,
            lon,
            coords_approximate: r.boolean(d, "coords_approximate"),
            stage,
            resource_tonnes: r.num(d, "resource_tonnes", 0.0, 1e15),
            grade: r.get("grade").into(),
            contained: r.get("contained").into(),
            control,
            control_as_of: as_of,
            licence_holder: r.get("licence_holder").into(),
            notes: r.get("notes").into(),
            sources: r.get("sources").into(),
            low_reliability: r.boolean(d, "low_reliability"),
            location: r.loc(),
        });
    }
    out
}

/// Reads the licence-events file; every event must name a known deposit and be dated no later than
/// `start_year`. The file is the deposits' history up to the start: what it says is each deposit's
/// licence at the start ([`licence_state`]), so a later event would count as done then. An event in the
/// start year itself is history (the first simulated year holds it).
pub fn read_events(
    file: FileId,
    sources: &Sources,
    deposits: &[DepositRow],
    start_year: i32,
    d: &mut Diagnostics,
) -> Vec<LicenceEvent> {
    let Some(t) = read_table(file, sources, EVENT_COLUMNS, "licence-events file", d) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (offset, line, cells) in &t.rows {
        let r =
            Row { file, offset: *offset, name: format!("event on line {line}"), table: &t, cells };
        let id = r.get("deposit_id").to_string();
        if !deposits.iter().any(|x| x.id == id) {
            r.err(d, "deposit_id", format!("no deposit with id {id:?} in the deposits file"));
            continue;
        }
        let Some(kind) = EventKind::parse(r.get("event")) else {
            r.err(d, "event", format!("expected issued, re-awarded, renewed, psa-signed, revoked, production-start or production-halt, found {:?}", r.get("event")));
            continue;
        };
        let date_text = r.get("date").to_string();
        let Some(date) = parse_date(&date_text) else {
            r.err(
                d,
                "date",
                format!("expected a date YYYY-MM-DD (or YYYY-MM, YYYY), found {date_text:?}"),
            );
            continue;
        };
        if date.0 > start_year {
            r.err(
                d,
                "date",
                format!(
                    "{date_text} is after the start year {start_year}: the licence-events file gives \
                     what happened before the simulation starts (the start year included); later \
                     licences are the path's to decide (its stages and investment decision). Remove \
                     the row, or start later"
                ),
            );
            continue;
        }
        out.push(LicenceEvent {
            deposit_id: id,
            kind,
            date,
            date_text,
            holder: r.get("holder").into(),
            note: r.get("note").into(),
            source: r.get("source").into(),
            low_reliability: r.boolean(d, "low_reliability"),
            location: r.loc(),
        });
    }
    out.sort_by(|a, b| (a.deposit_id.as_str(), a.date).cmp(&(b.deposit_id.as_str(), b.date)));
    out
}

/// What a deposit's licence events say at the start of the simulation, under a deal's rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LicenceState {
    /// Whether a licence is held.
    pub licensed: bool,
    /// Whether receipts from it count as new.
    pub new: bool,
}

/// The rules of a deal that decide which receipts are new.
#[derive(Clone, Copy, Debug)]
pub struct NewnessRules {
    /// Effective date.
    pub effective: (i32, u8, u8),
    /// Renewals on or after the effective date count as new.
    pub renewals_count_as_new: bool,
    /// Licences issued before the effective date and never brought into production by then count as new.
    pub unexploited_count_as_new: bool,
    /// Licences issued before the effective date whose operation had produced but was halted then count
    /// as new (restarts of halted operations).
    pub restarts_count_as_new: bool,
}

/// The licence state of a deposit at the start, given its events (sorted by date) and its stage.
///
/// - A licence is held if the latest award event (issued, re-awarded, psa-signed) is later than any
///   revocation; without any award or revocation event, a deposit at stage licensed, idle, construction
///   or producing is taken to hold a licence issued before the effective date (the data do not date it).
/// - It is new if awarded on or after the effective date; or, with `renewals_count_as_new`, renewed on or
///   after it.
/// - A licence not producing at the effective date is either *unexploited* (never brought into
///   production: no production-start or production-halt event on or before the effective date, and a
///   stage that is not producing, idle or closed) or a *halted operation* (it had produced). With
///   `unexploited_count_as_new` the first counts as new; with `restarts_count_as_new` the second does.
///   Whether it was producing at the effective date is decided by the last production-start or
///   production-halt event on or before it; without such events, by the stage at the start.
pub fn licence_state(events: &[&LicenceEvent], stage: Stage, rules: &NewnessRules) -> LicenceState {
    let award =
        |k: EventKind| matches!(k, EventKind::Issued | EventKind::ReAwarded | EventKind::PsaSigned);
    let last_award = events.iter().rev().find(|e| award(e.kind));
    let last_revoke = events.iter().rev().find(|e| e.kind == EventKind::Revoked);
    let licensed = match (last_award, last_revoke) {
        (Some(a), Some(r)) => a.date > r.date,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        (None, None) => {
            matches!(stage, Stage::Licensed | Stage::Ready | Stage::Construction | Stage::Producing)
        }
    };
    if !licensed {
        return LicenceState { licensed, new: false };
    }
    let awarded_on = last_award.map(|e| e.date);
    let mut new = awarded_on.is_some_and(|dt| dt >= rules.effective);
    if rules.renewals_count_as_new
        && events.iter().any(|e| e.kind == EventKind::Renewed && e.date >= rules.effective)
    {
        new = true;
    }
    if !new && (rules.unexploited_count_as_new || rules.restarts_count_as_new) {
        let production = |e: &&&LicenceEvent| {
            matches!(e.kind, EventKind::ProductionStart | EventKind::ProductionHalt)
                && e.date <= rules.effective
        };
        let last_production = events.iter().rev().find(production);
        let producing_then = match last_production {
            Some(e) => e.kind == EventKind::ProductionStart,
            None => {
                stage == Stage::Producing
                    && !events
                        .iter()
                        .any(|e| e.kind == EventKind::ProductionStart && e.date > rules.effective)
            }
        };
        // Any production event by the effective date means the licence had been exploited; so does a
        // stage of an operation that has run (idle or closed) when the data date nothing.
        let exploited = last_production.is_some() || matches!(stage, Stage::Ready | Stage::Closed);
        if !producing_then {
            new = if exploited {
                rules.restarts_count_as_new
            } else {
                rules.unexploited_count_as_new
            };
        }
    }
    LicenceState { licensed, new }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(kind: EventKind, date: (i32, u8, u8)) -> LicenceEvent {
        LicenceEvent {
            deposit_id: "x".into(),
            kind,
            date,
            date_text: String::new(),
            holder: String::new(),
            note: String::new(),
            source: String::new(),
            low_reliability: false,
            location: Location { file: FileId(0), span: None },
        }
    }

    const RULES: NewnessRules = NewnessRules {
        effective: (2025, 5, 23),
        renewals_count_as_new: false,
        unexploited_count_as_new: false,
        restarts_count_as_new: false,
    };

    #[test]
    fn a_licence_re_awarded_after_the_effective_date_is_new() {
        let e = [
            ev(EventKind::Issued, (2010, 1, 1)),
            ev(EventKind::Revoked, (2026, 3, 1)),
            ev(EventKind::ReAwarded, (2026, 9, 1)),
        ];
        let refs: Vec<&LicenceEvent> = e.iter().collect();
        assert_eq!(
            licence_state(&refs, Stage::Producing, &RULES),
            LicenceState { licensed: true, new: true }
        );
        // Revoked and not yet re-awarded: no licence.
        assert_eq!(
            licence_state(&refs[..2], Stage::Producing, &RULES),
            LicenceState { licensed: false, new: false }
        );
    }

    #[test]
    fn a_renewal_is_new_only_under_its_switch() {
        let e = [ev(EventKind::Issued, (2005, 1, 1)), ev(EventKind::Renewed, (2025, 6, 1))];
        let refs: Vec<&LicenceEvent> = e.iter().collect();
        assert!(!licence_state(&refs, Stage::Producing, &RULES).new);
        let on = NewnessRules { renewals_count_as_new: true, ..RULES };
        assert!(licence_state(&refs, Stage::Producing, &on).new);
    }

    #[test]
    fn an_unexploited_licence_is_new_only_under_its_switch() {
        let e = [ev(EventKind::Issued, (2017, 1, 1))];
        let refs: Vec<&LicenceEvent> = e.iter().collect();
        assert!(!licence_state(&refs, Stage::Licensed, &RULES).new);
        let on = NewnessRules { unexploited_count_as_new: true, ..RULES };
        assert!(licence_state(&refs, Stage::Licensed, &on).new);
        // A producing operation was exploited at the effective date.
        assert!(!licence_state(&refs, Stage::Producing, &on).new);
    }

    #[test]
    fn a_halted_operation_is_a_restart_not_an_unexploited_licence() {
        // Mined for decades, halted before the effective date (as Marhanets, Oct 2023): the licence was
        // exploited, so only the restarts switch makes it new.
        let e = [ev(EventKind::ProductionHalt, (2023, 10, 1))];
        let refs: Vec<&LicenceEvent> = e.iter().collect();
        let unexploited = NewnessRules { unexploited_count_as_new: true, ..RULES };
        let restarts = NewnessRules { restarts_count_as_new: true, ..RULES };
        assert!(!licence_state(&refs, Stage::Producing, &RULES).new);
        assert!(!licence_state(&refs, Stage::Producing, &unexploited).new);
        assert!(licence_state(&refs, Stage::Producing, &restarts).new);
        // Produced, halted, restarted and halted again before the effective date (as Zavallia).
        let e = [
            ev(EventKind::ProductionHalt, (2022, 2, 1)),
            ev(EventKind::ProductionStart, (2022, 8, 1)),
            ev(EventKind::ProductionHalt, (2024, 11, 10)),
        ];
        let refs: Vec<&LicenceEvent> = e.iter().collect();
        assert!(!licence_state(&refs, Stage::Ready, &unexploited).new);
        assert!(licence_state(&refs, Stage::Ready, &restarts).new);
        // An idle operation with no dated event had run: a restart too.
        assert!(!licence_state(&[], Stage::Ready, &unexploited).new);
        assert!(licence_state(&[], Stage::Ready, &restarts).new);
        // A licence never brought into production is not a restart.
        let e = [ev(EventKind::Issued, (2017, 1, 1))];
        let refs: Vec<&LicenceEvent> = e.iter().collect();
        assert!(!licence_state(&refs, Stage::Licensed, &restarts).new);
        // Producing at the effective date: neither switch makes it new.
        let e = [ev(EventKind::ProductionStart, (1999, 1, 1))];
        let refs: Vec<&LicenceEvent> = e.iter().collect();
        let both = NewnessRules { restarts_count_as_new: true, ..unexploited };
        assert!(!licence_state(&refs, Stage::Producing, &both).new);
        // A halt after the effective date does not change what was true on it.
        let e = [
            ev(EventKind::ProductionStart, (1999, 1, 1)),
            ev(EventKind::ProductionHalt, (2025, 9, 1)),
        ];
        let refs: Vec<&LicenceEvent> = e.iter().collect();
        assert!(!licence_state(&refs, Stage::Ready, &both).new);
    }
}
