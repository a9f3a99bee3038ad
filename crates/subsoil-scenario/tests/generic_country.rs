//! A scenario of a country other than Ukraine, written from the documentation: a deposits file with the
//! generic column names (`region`, `name_local`) in any order and only the columns the model reads,
//! `[stages]` with only the stages its projects pass through, and descriptions and messages that do not
//! assume Ukraine or a war.

mod common;

use std::path::PathBuf;

use subsoil_core::Param;
use subsoil_scenario::{Scenario, load};

fn dir() -> PathBuf {
    common::scratch("generic")
}

/// A country at peace with one licensed bauxite deposit in a deposits file and one producing site
/// written inline.
fn scenario(stages: &str) -> String {
    format!(
        r#"format-version = 1
[metadata]
name = "norland"
[rates]
investor-base = 0.08
valuation = 0.08
[fiscal]
cit-rate = 0.25
[products.bauxite]
name = "bauxite"
unit = "t"
price = 60
long-run = 60
royalty-rate = 0.05
[deposits]
file = "deposits.csv"
[deposits.sites.south-hills]
commodities = ["bauxite"]
stage = "producing"
region = "Coast"
{stages}
[projects.north-plateau]
deposit = "north_plateau"
decision = "npv"
construction-years = 2
life-years = 20
capex = 400e6
[projects.north-plateau.products.bauxite]
capacity = 6e6
opex = 28
[projects.south-hills]
deposit = "south-hills"
decision = "always"
construction-years = 0
life-years = 20
capex = 0
[projects.south-hills.products.bauxite]
capacity = 10e6
opex = 30
"#
    )
}

/// Every stage before the decision, as the old rule wanted.
const STAGES: &str = "[stages.identified]\nduration = 3\n[stages.explored]\nduration = 2\n[stages.tender]\nduration = 1\n[stages.licensed]\nduration = 1\n";

/// Only the stage the licensed deposit passes through.
const LICENSED_ONLY: &str = "[stages.licensed]\nduration = 1\n";

/// Loads the scenario with `deposits` as its deposits file (and `extra` files beside it).
fn load_with(toml: &str, deposits: &str, extra: &[(&str, &str)]) -> Result<Scenario, String> {
    let d = dir();
    std::fs::write(d.join("deposits.csv"), deposits).expect("write");
    for (name, text) in extra {
        std::fs::write(d.join(name), text).expect("write");
    }
    let path = d.join("norland.toml");
    std::fs::write(&path, toml).expect("write");
    load(path.to_str().expect("utf-8"), &[]).map_err(|e| e.render())
}

/// Ukraine's 19 columns, as `data/deposits.csv` writes them.
const UKRAINE_SPELLING: &str = "id,name,name_uk,commodities,oblast,location_kind,lat,lon,coords_approximate,stage,resource_tonnes,grade,contained,control,control_as_of,licence_holder,notes,sources,low_reliability
north_plateau,North Plateau bauxite,Plato Pivnichne,bauxite,Highlands;Coast,site,8.5,-11.2,true,licensed,,,,operable,,Plateau Mining Co,,,false
";

/// The same deposit with the generic names, in another order.
const GENERIC_SPELLING: &str = "region,id,stage,name,control,name_local,commodities,lat,lon,coords_approximate,licence_holder
Highlands;Coast,north_plateau,licensed,North Plateau bauxite,operable,Plato Pivnichne,bauxite,8.5,-11.2,true,Plateau Mining Co
";

/// Only the required columns.
const MINIMAL: &str = "id,name,region,stage,control
north_plateau,North Plateau bauxite,Highlands,licensed,operable
";

/// What a deposits row holds apart from where it is written.
fn rows(s: &Scenario) -> Vec<String> {
    s.deposits
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {:?} {:?} {} {:?} {:?} {} {:?} {:?} {}",
                r.id,
                r.name,
                r.name_uk,
                r.commodities,
                r.oblasts,
                r.location_kind,
                r.lat,
                r.lon,
                r.coords_approximate,
                r.stage,
                r.control,
                r.licence_holder
            )
        })
        .collect()
}

#[test]
fn a_deposits_file_with_the_generic_names_in_any_order_gives_the_same_model() {
    let toml = scenario(STAGES);
    let ukraine = load_with(&toml, UKRAINE_SPELLING, &[]).expect("Ukraine's spelling loads");
    let generic = load_with(&toml, GENERIC_SPELLING, &[]).expect("the generic spelling loads");
    assert_eq!(format!("{:?}", ukraine.model), format!("{:?}", generic.model));
    assert_eq!(format!("{:?}", ukraine.inputs), format!("{:?}", generic.inputs));
    assert_eq!(rows(&ukraine), rows(&generic));
    assert_eq!(generic.deposits[0].oblasts, ["Highlands", "Coast"]);
    assert_eq!(generic.deposits[0].name_uk, "Plato Pivnichne");
    assert_eq!(generic.model.deposits[0].oblast, "Highlands;Coast");
}

#[test]
fn only_the_columns_the_model_reads_are_required() {
    let s = load_with(&scenario(STAGES), MINIMAL, &[]).expect("the minimal file loads");
    let row = &s.deposits[0];
    assert_eq!((row.id.as_str(), row.name.as_str()), ("north_plateau", "North Plateau bauxite"));
    assert_eq!(row.oblasts, ["Highlands"]);
    assert_eq!(row.location_kind, "site");
    assert!(row.commodities.is_empty() && row.name_uk.is_empty() && row.lat.is_none());
    // The same deposit in Ukraine's full file with the optional cells empty gives the same model.
    let full = "id,name,name_uk,commodities,oblast,location_kind,lat,lon,coords_approximate,stage,resource_tonnes,grade,contained,control,control_as_of,licence_holder,notes,sources,low_reliability
north_plateau,North Plateau bauxite,,,Highlands,site,,,false,licensed,,,,operable,,,,,false
";
    let ukraine = load_with(&scenario(STAGES), full, &[]).expect("loads");
    assert_eq!(format!("{:?}", ukraine.model), format!("{:?}", s.model));
    assert_eq!(rows(&ukraine), rows(&s));
}

#[test]
fn a_deposits_file_without_a_required_column_is_refused_naming_it() {
    let e = load_with(
        &scenario(STAGES),
        "id,name,region,control\nnorth_plateau,North Plateau,Highlands,operable\n",
        &[],
    )
    .unwrap_err();
    assert!(
        e.contains("deposits.csv:1:1: header: missing the column `stage`: a deposits file needs the columns id, name, region, stage, control"),
        "{e}"
    );
    assert_eq!(e.matches("error:").count(), 1, "{e}");
    let e = load_with(
        &scenario(STAGES),
        "id,name,stage,control\nnorth_plateau,North Plateau,licensed,operable\n",
        &[],
    )
    .unwrap_err();
    assert!(e.contains("missing the column `region` (or `oblast`)"), "{e}");
}

#[test]
fn an_unknown_or_repeated_column_is_refused_where_it_is_written() {
    let e = load_with(
        &scenario(STAGES),
        "id,name,regoin,stage,control\nnorth_plateau,North Plateau,Highlands,licensed,operable\n",
        &[],
    )
    .unwrap_err();
    assert!(
        e.contains("deposits.csv:1:9: header, column 3: unknown column \"regoin\": a deposits file has the columns `id`, `name`, `name_local` (or `name_uk`)"),
        "{e}"
    );
    let e = load_with(
        &scenario(STAGES),
        "id,name,region,stage,control,oblast\nnorth_plateau,North Plateau,Highlands,licensed,operable,Coast\n",
        &[],
    )
    .unwrap_err();
    assert!(
        e.contains("deposits.csv:1:30: header, column 6: \"oblast\" gives the column `region` (or `oblast`) a second time (first as \"region\", column 3)"),
        "{e}"
    );
}

#[test]
fn a_cell_error_names_the_column_as_the_file_writes_it() {
    for (header, column) in [("region", "region"), ("oblast", "oblast")] {
        let csv = format!(
            "id,name,{header},stage,control\nnorth_plateau,North Plateau,,licensed,operable\n"
        );
        let e = load_with(&scenario(STAGES), &csv, &[]).unwrap_err();
        assert!(
            e.contains(&format!("deposits.csv:2:1: deposit \"north_plateau\" (line 2), column `{column}`: every deposit needs a region")),
            "{e}"
        );
    }
}

#[test]
fn a_licence_events_file_needs_only_the_deposit_the_event_and_the_date() {
    let toml = scenario(STAGES).replace(
        "file = \"deposits.csv\"\n",
        "file = \"deposits.csv\"\nevents-file = \"events.csv\"\n",
    );
    let events = "date,deposit_id,event\n2021-03-01,north_plateau,issued\n";
    let s = load_with(&toml, MINIMAL, &[("events.csv", events)]).expect("loads");
    assert_eq!(s.events.len(), 1);
    assert_eq!(s.events[0].date, (2021, 3, 1));
    let e =
        load_with(&toml, MINIMAL, &[("events.csv", "deposit_id,event\nnorth_plateau,issued\n")])
            .unwrap_err();
    assert!(e.contains("events.csv:1:1: header: missing the column `date`"), "{e}");
}

/// The licence-events file is the deposits' history up to the start: an event in a year after the start
/// year would otherwise count as done at the start (a licence issued in 2031 held from 2026). It is
/// refused at its row, naming the date and the start year; an event in the start year itself is history
/// (the model's first year holds it).
#[test]
fn a_licence_event_after_the_start_year_is_refused_at_its_row() {
    let toml = scenario(STAGES).replace(
        "file = \"deposits.csv\"\n",
        "file = \"deposits.csv\"\nevents-file = \"events.csv\"\n",
    );
    let events =
        "deposit_id,event,date\nnorth_plateau,issued,2026-12-31\nnorth_plateau,revoked,2027-01\n";
    let e = load_with(&toml, MINIMAL, &[("events.csv", events)]).unwrap_err();
    assert!(
        e.contains(
            "events.csv:3:1: event on line 3, column `date`: 2027-01 is after the start year 2026"
        ),
        "{e}"
    );
    assert_eq!(e.matches("error:").count(), 1, "the event of 2026 is history: {e}");
    // Starting the simulation in 2027 makes it history too.
    let later =
        toml.replacen("format-version = 1\n", "format-version = 1\n[time]\nstart-year = 2027\n", 1);
    let s = load_with(&later, MINIMAL, &[("events.csv", events)]).expect("loads");
    assert_eq!(s.events.len(), 2);
    let p = s.model.projects.iter().find(|p| p.id == "north-plateau").expect("project");
    assert!(!p.licensed, "revoked in 2027, before the 2027 start's end: no licence held");
}

/// The peacetime durations of the four stages before the decision of project `id`, where fixed.
fn durations(s: &Scenario, id: &str) -> [Option<f64>; 4] {
    let p = s.model.projects.iter().find(|p| p.id == id).expect("the project");
    p.stage_durations.map(|d| match d {
        Param::Fixed(x) => Some(x),
        Param::Slot(_) => None,
    })
}

#[test]
fn a_stage_without_its_table_takes_no_time_and_abandons_nothing() {
    // Only the licensed stage is given: no project starts before it, so the others are not needed.
    let s = load_with(&scenario(LICENSED_ONLY), UKRAINE_SPELLING, &[])
        .expect("a partial [stages] loads");
    assert_eq!(durations(&s, "north-plateau"), [Some(0.0), Some(0.0), Some(0.0), Some(1.0)]);
    // A stage without its table takes no time and abandons nothing; so does every stage without
    // `[stages]`, as the reference says.
    let none = load_with(&scenario(""), UKRAINE_SPELLING, &[]).expect("no [stages] loads");
    assert_eq!(durations(&none, "north-plateau"), [Some(0.0); 4]);
    assert_eq!(format!("{:?}", none.model.stages.abandon), format!("{:?}", [Param::Fixed(0.0); 4]));
    // A table that is given still needs its duration.
    let e = load_with(&scenario("[stages.licensed]\nabandon = 0.1\n"), UKRAINE_SPELLING, &[])
        .unwrap_err();
    assert!(e.contains("stages.licensed.duration: missing required field `duration`"), "{e}");
}

#[test]
fn the_reference_of_stages_says_what_a_missing_table_means() {
    let r = subsoil_scenario::reference::render();
    let stages = &r[r.find("## `[stages]`").expect("[stages]")..];
    let stages = &stages[..stages.find("## `[uncertainty]`").unwrap_or(stages.len())];
    for stage in ["identified", "explored", "tender", "licensed"] {
        let row = format!("| `{stage}` | table, see below | — |");
        assert!(stages.contains(&row), "{stage}: {stages}");
        let section = format!("## `[stages.{stage}]`");
        let after = &stages[stages.find(&section).expect("its section")..];
        let doc = after.lines().nth(2).unwrap_or("");
        assert!(doc.ends_with("Optional."), "{doc}");
    }
    assert!(stages.contains("a stage without one takes no time and abandons nothing"), "{stages}");
}

#[test]
fn descriptions_and_messages_do_not_assume_ukraine_or_a_war() {
    let r = subsoil_scenario::reference::render();
    for phrase in
        ["(the US)", "an oblast of the deposits file", "US discount rates", "Oblasts where"]
    {
        assert!(!r.contains(phrase), "the reference says {phrase:?}");
    }
    // A country at peace that forgets its valuation rate is not told about war premiums.
    let toml = scenario(STAGES).replace("valuation = 0.08\n", "");
    let e = load_with(&toml, UKRAINE_SPELLING, &[]).unwrap_err();
    assert!(e.contains("rates.valuation: missing required field `valuation`"), "{e}");
    assert!(!e.contains("War, occupation and damage are explicit"), "{e}");
    // A region a licensing flow or `[conflict]` names that no deposit lies in.
    let toml = format!("{}\n[conflict]\nexposed-oblasts = [\"Nowhere\"]\n", scenario(STAGES));
    let e = load_with(&toml, UKRAINE_SPELLING, &[]).unwrap_err();
    assert!(e.contains("no deposit lies in region \"Nowhere\""), "{e}");
}

/// A project's own draw of the scenario-wide capex overrun exists only where there is capex to overrun,
/// and its own schedule slip only where there is construction to slip: the producing south-hills mine
/// (capex 0, no construction) would otherwise list two uncertain inputs that move nothing, and the
/// sensitivity analyses would rank them.
#[test]
fn a_project_without_capex_or_construction_draws_no_overrun_or_slip() {
    let uncertain = "[uncertainty]\ncapex-overrun = { dist = \"uniform\", min = 0.9, max = 1.6 }\nschedule-slip = { dist = \"uniform\", min = 0, max = 0.5 }\n";
    let toml = format!("{}{uncertain}", scenario(STAGES));
    let s = load_with(&toml, MINIMAL, &[]).expect("loads");
    let names: Vec<&str> = s.inputs.list.iter().map(|i| i.name.as_str()).collect();
    for field in ["capex-overrun", "schedule-slip"] {
        assert!(names.contains(&format!("projects.north-plateau.{field}").as_str()), "{names:?}");
        assert!(!names.contains(&format!("projects.south-hills.{field}").as_str()), "{names:?}");
    }
    let p = s.model.projects.iter().find(|p| p.id == "south-hills").expect("project");
    assert_eq!((p.capex_overrun, p.schedule_slip), (Param::Fixed(1.0), Param::Fixed(0.0)));
    // Its own overrun, written, is kept (the scenario says so).
    let own = toml.replace(
        "capex = 0\n",
        "capex = 0\ncapex-overrun = { dist = \"uniform\", min = 1, max = 2 }\n",
    );
    let s = load_with(&own, MINIMAL, &[]).expect("loads");
    assert!(s.inputs.list.iter().any(|i| i.name == "projects.south-hills.capex-overrun"));
}

/// A project passes only through the stages from the one it starts at (identified → explored →
/// licensed, or tender → licensed; a licence held skips to licensed), so it draws the durations of those
/// alone: one producing at the start draws none, one licensed only its `licensed` duration.
#[test]
fn a_project_draws_the_durations_of_the_stages_it_can_pass_through_and_no_others() {
    let uncertain =
        |s: &str| format!("[stages.{s}]\nduration = {{ dist = \"uniform\", min = 1, max = 3 }}\n");
    let stages: String =
        ["identified", "explored", "tender", "licensed"].iter().map(|s| uncertain(s)).collect();
    let mut toml = scenario(&stages);
    for (id, stage) in
        [("far-ridge", "identified"), ("east-pit", "explored"), ("west-bay", "tender")]
    {
        toml.push_str(&format!(
            "[deposits.sites.{id}]\ncommodities = [\"bauxite\"]\nstage = \"{stage}\"\nregion = \"Coast\"\n\
             [projects.{id}]\ndeposit = \"{id}\"\nconstruction-years = 2\nlife-years = 20\ncapex = 300e6\n\
             [projects.{id}.products.bauxite]\ncapacity = 5e6\nopex = 28\n"
        ));
    }
    let s = load_with(&toml, MINIMAL, &[]).expect("loads");
    let drawn = |id: &str| -> Vec<String> {
        let prefix = format!("projects.{id}.stages.");
        let mut v: Vec<String> = s
            .inputs
            .list
            .iter()
            .filter_map(|i| {
                i.name.strip_prefix(&prefix).map(|n| n.trim_end_matches(".duration").to_string())
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(drawn("far-ridge"), ["explored", "identified", "licensed"]);
    assert_eq!(drawn("east-pit"), ["explored", "licensed"]);
    assert_eq!(drawn("west-bay"), ["licensed", "tender"]);
    assert_eq!(drawn("north-plateau"), ["licensed"]);
    assert!(drawn("south-hills").is_empty());
}
