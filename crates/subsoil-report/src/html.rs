//! `report.html` from a run's `summary.json`.

use std::fmt::Write as _;

use serde_json::Value;

use crate::ReportError;
use crate::format::{chance, esc, money, pct, plain};
use crate::svg::{Bar, Chart, Layer, Rule, Scale, Spot, histogram, map};

/// The sections of a report, in order: `(id, heading)`. Every report has all of them; one that has
/// nothing to show for a scenario says so.
pub const SECTIONS: [(&str, &str); 9] = [
    ("headline", "The answers"),
    ("when", "When: the chance of each event by year"),
    ("how-much", "How much: the chance the partner receives at least X"),
    ("fans", "Year by year"),
    ("histograms", "Spread of the key results"),
    ("projects", "Projects"),
    ("map", "Map of the deposits"),
    ("assumptions", "Assumptions and their sources"),
    ("manifest", "How this run was made"),
];

/// A number at `path` in `v`; `NaN` when it is missing or `null`.
pub(crate) fn num(v: &Value, path: &[&str]) -> f64 {
    at(v, path).and_then(Value::as_f64).unwrap_or(f64::NAN)
}

pub(crate) fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(*k))
}

pub(crate) fn text<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    at(v, path).and_then(Value::as_str).unwrap_or("")
}

/// Whether `x`, an amount on `scale`, is nothing: for money, less than half a unit of the currency
/// (a fund that holds nothing shows rounding residues of 1e-8 dollars, which are not money); else 0.
fn negligible(x: f64, scale: Scale) -> bool {
    match scale {
        Scale::Money => x.abs() < 0.5,
        _ => x == 0.0,
    }
}

/// The finite numbers of `v`'s fields other than its year and standard error (a distribution or a
/// series' year: mean, percentiles, smallest and largest).
fn values(v: &Value) -> impl Iterator<Item = f64> + '_ {
    v.as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| !matches!(k.as_str(), "year" | "se" | "sd" | "n" | "non_finite"))
        .filter_map(|(_, x)| x.as_f64())
        .filter(|x| x.is_finite())
}

/// The percentile keys of a distribution with their levels.
pub(crate) const LEVELS: [(&str, f64); 9] = [
    ("min", 0.0),
    ("p5", 0.05),
    ("p10", 0.10),
    ("p25", 0.25),
    ("p50", 0.50),
    ("p75", 0.75),
    ("p90", 0.90),
    ("p95", 0.95),
    ("max", 1.0),
];

/// Renders the report of the Monte Carlo run whose `summary.json` is `summary`.
pub fn render(summary: &str) -> Result<String, ReportError> {
    let s: Value = serde_json::from_str(summary)
        .map_err(|e| ReportError(format!("summary.json is not valid JSON: {e}")))?;
    let mode = text(&s, &["manifest", "mode"]);
    if mode == "compare" {
        if s.get("scenarios").and_then(Value::as_array).is_none_or(|a| a.is_empty()) {
            return Err(ReportError("summary.json of a comparison has no `scenarios`".into()));
        }
        let code = text(&s, &["manifest", "currency"]).to_string();
        return Ok(crate::format::in_currency(&code, || crate::compare::render(&s)));
    }
    if mode != "monte-carlo" {
        return Err(ReportError(format!(
            "a report is made from a Monte Carlo run or a comparison; this summary.json is of mode {:?}",
            if mode.is_empty() { "unknown" } else { mode }
        )));
    }
    for key in ["metrics", "probabilities", "series", "events", "projects"] {
        if s.get(key).is_none() {
            return Err(ReportError(format!("summary.json has no `{key}`")));
        }
    }
    let code = text(&s, &["manifest", "currency"]).to_string();
    Ok(crate::format::in_currency(&code, || page(&s)))
}

/// The page of a Monte Carlo run whose summary `s` has been checked.
fn page(s: &Value) -> String {
    let r = Report::new(s);
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<link rel=\"icon\" href=\"data:,\">\n");
    let _ = writeln!(out, "<title>{}</title>", esc(&r.title()));
    let _ = writeln!(out, "<style>{CSS}</style>\n</head>\n<body>\n<main>");
    let _ = writeln!(out, "<h1>{}</h1>", esc(&r.title()));
    let _ = writeln!(
        out,
        "<p class=\"lede\">Monte Carlo run of {} paths, {}–{}. Money in US dollars of {} unless marked \
         nominal; ranges are the 10th to 90th percentile of the paths.</p>",
        plain(r.num(&["manifest", "paths"])),
        r.start,
        r.end,
        r.base_year
    );
    nav(&mut out, &SECTIONS);
    for (id, heading) in SECTIONS {
        let _ =
            write!(out, "<section id=\"{id}\" data-section=\"{id}\">\n<h2>{}</h2>\n", esc(heading));
        match id {
            "headline" => r.headline(&mut out),
            "when" => r.when(&mut out),
            "how-much" => r.how_much(&mut out),
            "fans" => r.fans(&mut out),
            "histograms" => r.histograms(&mut out),
            "projects" => r.projects(&mut out),
            "map" => r.map(&mut out),
            "assumptions" => r.assumptions(&mut out),
            _ => r.manifest(&mut out),
        }
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The style sheet of the report, for pages that show its sections.
pub fn style() -> &'static str {
    CSS
}

/// The sections `ids` (from [`SECTIONS`]) of the report of the Monte Carlo run whose summary is `s`, each
/// as `(id, HTML)`: the same markup the whole report holds, without its heading, for a page that updates
/// its sections one run after another. Unknown ids are skipped.
///
/// # Errors
///
/// When `s` is not the summary of a Monte Carlo run.
pub fn sections(s: &Value, ids: &[&str]) -> Result<Vec<(&'static str, String)>, ReportError> {
    if text(s, &["manifest", "mode"]) != "monte-carlo" {
        return Err(ReportError("sections are drawn from the summary of a Monte Carlo run".into()));
    }
    for key in ["metrics", "probabilities", "series", "events", "projects"] {
        if s.get(key).is_none() {
            return Err(ReportError(format!("the summary has no `{key}`")));
        }
    }
    let r = Report::new(s);
    let code = text(s, &["manifest", "currency"]);
    let mut out = Vec::new();
    for (id, _) in SECTIONS.iter().filter(|(id, _)| ids.contains(id)) {
        let html = crate::format::in_currency(code, || {
            let mut html = String::new();
            match *id {
                "headline" => r.headline(&mut html),
                "when" => r.when(&mut html),
                "how-much" => r.how_much(&mut html),
                "fans" => r.fans(&mut html),
                "histograms" => r.histograms(&mut html),
                "projects" => r.projects(&mut html),
                "map" => r.map(&mut html),
                "assumptions" => r.assumptions(&mut html),
                _ => r.manifest(&mut html),
            }
            html
        });
        out.push((*id, html));
    }
    Ok(out)
}

struct Report<'a> {
    s: &'a Value,
    start: i64,
    end: i64,
    base_year: i64,
    partner: String,
}

impl<'a> Report<'a> {
    fn new(s: &'a Value) -> Report<'a> {
        let year = |k: &str| at(s, &["manifest", k]).and_then(Value::as_i64).unwrap_or(0);
        let partner = match text(s, &["manifest", "deal", "partner"]) {
            "" => "the partner".to_string(),
            p => p.to_string(),
        };
        Report {
            s,
            start: year("start_year"),
            end: year("end_year"),
            base_year: year("base_year"),
            partner,
        }
    }

    fn num(&self, path: &[&str]) -> f64 {
        num(self.s, path)
    }

    fn title(&self) -> String {
        let scenario = text(self.s, &["manifest", "scenario"]);
        match text(self.s, &["manifest", "deal", "name"]) {
            "" => format!("subsoil report: {scenario}"),
            deal => format!("subsoil report: {scenario} ({deal})"),
        }
    }

    fn metric(&self, name: &str) -> Option<&'a Value> {
        at(self.s, &["metrics", name])
    }

    /// `median (P10–P90 lo–hi)` of a money metric.
    fn money_range(&self, m: &Value) -> String {
        format!(
            "{} (P10–P90 {}–{})",
            money(num(m, &["p50"])),
            money(num(m, &["p10"])),
            money(num(m, &["p90"]))
        )
    }

    /// The chance of an entry with `hits`, `n`, `p`, `ci95`, in words.
    fn chance(c: &Value) -> String {
        chance_of(c)
    }
}

/// The chance of an entry with `hits`, `n`, `p`, `ci95`, in words.
pub(crate) fn chance_of(c: &Value) -> String {
    let int = |k: &str| c.get(k).and_then(Value::as_u64).unwrap_or(0);
    let end =
        |i: usize| c.get("ci95").and_then(|a| a.get(i)).and_then(Value::as_f64).unwrap_or(f64::NAN);
    chance(int("hits"), int("n"), num(c, &["p"]), end(0), end(1))
}

impl Report<'_> {
    fn headline(&self, out: &mut String) {
        let mut items: Vec<String> = Vec::new();
        let deal = at(self.s, &["manifest", "deal"]);
        let (end, base) = (self.end, self.base_year);
        if let Some(m) = self.metric("partner-receipts") {
            items.push(format!(
                "<strong>{}</strong> receives <strong>{}</strong> by {end} in {base} dollars (mean {}).",
                esc(&capital(&self.partner)),
                self.money_range(m),
                money(num(m, &["mean"]))
            ));
        }
        if let Some(m) = self.metric("partner-receipts-nominal") {
            items.push(format!(
                "In dollars of the years paid, as contracts count them: {}.",
                self.money_range(m)
            ));
        }
        let goal = |label: &str, value: f64, prob: &str| -> Option<String> {
            let p = at(self.s, &["probabilities", prob])?;
            Some(format!(
                "The chance that its receipts reach {label} ({} nominal) by {end} is <strong>{}</strong>.",
                money(value),
                Self::chance(p)
            ))
        };
        if let Some(d) = deal {
            let target = num(d, &["target_nominal"]);
            if target.is_finite() {
                items.extend(goal("the deal's target", target, "partner-target-reached"));
            }
            let aid = num(d, &["aid_given_nominal"]);
            if aid.is_finite() {
                items.extend(goal("the aid it gave", aid, "partner-aid-repaid"));
            }
        }
        if let Some(e) = at(self.s, &["events", "partner-first-distribution"]) {
            let p = Self::chance(&e["by_horizon"]);
            items.push(match e.get("median_year").and_then(Value::as_i64) {
                Some(y) => format!(
                    "Half of the futures have paid it something by <strong>{y}</strong>; {p} of them by {end}."
                ),
                None => format!("It receives anything at all by {end} in {p} of the futures."),
            });
        }
        if let Some(m) = self.metric("host-payments") {
            items.push(format!(
                "The host state pays the fund {} from its receipts.",
                self.money_range(m)
            ));
        }
        if let (Some(n), Some(x)) = (self.metric("receipts-new"), self.metric("receipts-existing"))
        {
            items.push(format!(
                "The state's receipts from new licences come to {}; from existing licences {}.",
                self.money_range(n),
                self.money_range(x)
            ));
        }
        for (name, words) in [
            ("new-mine-by-2030", "a new mine produces by 2030"),
            ("ceasefire-by-2030", "a general ceasefire has come by 2030"),
        ] {
            if let Some(p) = at(self.s, &["probabilities", name]) {
                items.push(format!("The chance that {words}: {}.", Self::chance(p)));
            }
        }
        if items.is_empty() {
            out.push_str("<p>This run has none of the deal's outputs.</p>\n");
            return;
        }
        out.push_str("<ul class=\"answers\">\n");
        for i in items {
            let _ = writeln!(out, "<li>{i}</li>");
        }
        out.push_str("</ul>\n<p class=\"note\">A chance written \"below x%\" means no path had the event; x% is the upper end of its 95% interval.</p>\n");
    }

    fn when(&self, out: &mut String) {
        let events = [
            ("partner-first-distribution", "first payment to the partner", false),
            ("partner-target", "partner reaches the deal's target (nominal)", true),
            ("partner-aid-repaid", "partner reaches the aid it gave (nominal)", true),
            ("first-new-receipts", "first state receipts from new licences", false),
            ("ceasefire", "first year of peace after a general ceasefire", true),
        ];
        let mut layers = Vec::new();
        for (i, (name, label, dashed)) in events.iter().enumerate() {
            let Some(years) = at(self.s, &["events", name, "by_year"]).and_then(Value::as_array)
            else {
                continue;
            };
            let points = years.iter().map(|y| (num(y, &["year"]), num(y, &["p"]))).collect();
            layers.push(Layer::Line {
                name: (*label).into(),
                points,
                colour: i,
                dashed: *dashed,
                step: true,
            });
        }
        if layers.is_empty() {
            out.push_str("<p>This run has no dated events.</p>\n");
            return;
        }
        let chart = Chart {
            id: "chart-events".into(),
            title: "P(the event has happened by the end of the year)".into(),
            x_label: "year".into(),
            y_label: "chance (share of paths)".into(),
            x_scale: Scale::Year,
            y_scale: Scale::Percent,
            layers,
            rules: vec![],
            y_range: Some((0.0, 1.0)),
        };
        figure(
            out,
            &chart.render(),
            "Each line is the share of the simulated futures in which the event has happened by the end of \
             the year. A line that stays at 0% means no path had the event.",
        );
    }

    fn how_much(&self, out: &mut String) {
        let Some(m) = self.metric("partner-receipts-nominal") else {
            out.push_str("<p>This scenario's deal has no partner.</p>\n");
            return;
        };
        let points: Vec<(f64, f64)> = LEVELS
            .iter()
            .map(|(k, q)| (num(m, &[k]), 1.0 - q))
            .filter(|p| p.0.is_finite())
            .collect();
        let largest = num(m, &["max"]);
        let mut rules = Vec::new();
        let mut off = Vec::new();
        if let Some(d) = at(self.s, &["manifest", "deal"]) {
            for (key, label) in
                [("target_nominal", "deal's target"), ("aid_given_nominal", "aid given")]
            {
                let v = num(d, &[key]);
                if !v.is_finite() {
                    continue;
                }
                if v <= 3.0 * largest {
                    rules.push(Rule {
                        vertical: true,
                        value: v,
                        label: format!("{label} {}", money(v)),
                    });
                } else {
                    off.push(format!(
                        "The {label}, {}, is off the chart: {} times the most any path paid ({}).",
                        money(v),
                        plain((v / largest).round()),
                        money(largest)
                    ));
                }
            }
        }
        let chart = Chart {
            id: "chart-exceedance".into(),
            title: format!("P(partner receipts by {} ≥ X), nominal dollars", self.end),
            x_label: "X: partner's cumulative receipts (nominal US dollars)".into(),
            y_label: "chance of at least X".into(),
            x_scale: Scale::Money,
            y_scale: Scale::Percent,
            layers: vec![Layer::Line {
                name: format!("P(receipts by {} ≥ X)", self.end),
                points,
                colour: 0,
                dashed: false,
                step: false,
            }],
            rules,
            y_range: Some((0.0, 1.0)),
        };
        let mut caption = format!(
            "Read across: the chance that {} has received at least X by {}. The points are the run's \
             percentiles (smallest, P5 … P95, largest), joined by straight lines.",
            esc(&self.partner),
            self.end
        );
        for o in off {
            caption.push(' ');
            caption.push_str(&esc(&o));
        }
        figure(out, &chart.render(), &caption);
    }

    fn fan(
        &self,
        id: &str,
        name: &str,
        title: &str,
        scale: Scale,
        y_label: &str,
    ) -> Option<String> {
        let years = at(self.s, &["series", name, "years"])?.as_array()?;
        let pick = |k: &str| -> Vec<(f64, f64)> {
            years.iter().map(|y| (num(y, &["year"]), num(y, &[k]))).collect()
        };
        let band = |lo: &str, hi: &str| -> Vec<(f64, f64, f64)> {
            years.iter().map(|y| (num(y, &["year"]), num(y, &[lo]), num(y, &[hi]))).collect()
        };
        let chart = Chart {
            id: id.into(),
            title: title.into(),
            x_label: "year".into(),
            y_label: y_label.into(),
            x_scale: Scale::Year,
            y_scale: scale,
            layers: vec![
                Layer::Band {
                    name: "P5–P95".into(),
                    points: band("p5", "p95"),
                    colour: 0,
                    opacity: 0.15,
                },
                Layer::Band {
                    name: "P25–P75".into(),
                    points: band("p25", "p75"),
                    colour: 0,
                    opacity: 0.3,
                },
                Layer::Line {
                    name: "median".into(),
                    points: pick("p50"),
                    colour: 0,
                    dashed: false,
                    step: false,
                },
                Layer::Line {
                    name: "mean".into(),
                    points: pick("mean"),
                    colour: 1,
                    dashed: true,
                    step: false,
                },
            ],
            rules: vec![],
            y_range: None,
        };
        Some(chart.render())
    }

    fn fans(&self, out: &mut String) {
        let base = self.base_year;
        let money_label = format!("US dollars of {base}");
        let mut any = false;
        // Each fan with what to say when no path has a value in any year.
        let fans = [
            (
                "chart-partner-cumulative",
                "partner-receipts-cumulative",
                "The partner's cumulative receipts from the fund",
                Scale::Money,
                money_label.clone(),
                "",
            ),
            (
                "chart-fund-cash",
                "fund-cash",
                "The fund's cash at the end of each year",
                Scale::Money,
                money_label.clone(),
                "",
            ),
            (
                "chart-producing",
                "producing",
                "Projects producing",
                Scale::Plain,
                "projects".to_string(),
                "",
            ),
            (
                "chart-host-gdp",
                "host-payments-gdp-share",
                "The host's payments into the fund, share of its GDP",
                Scale::Percent,
                "share of GDP".to_string(),
                " (a share of GDP needs the scenario's GDP, `macro.gdp`)",
            ),
        ];
        for (id, name, title, scale, label, why_none) in fans {
            let years = at(self.s, &["series", name, "years"]).and_then(Value::as_array);
            if let Some(years) = years {
                // A chart of nothing is not drawn: no finite value, or nothing but zeros (and, for
                // money, rounding residues), is said in words.
                let mut all = years.iter().flat_map(values).peekable();
                let zero = match scale {
                    Scale::Money => money(0.0),
                    Scale::Percent => "0%".to_string(),
                    _ => "0".to_string(),
                };
                let said = if all.peek().is_none() {
                    Some(format!("{title}: no value on any path{why_none}."))
                } else if all.all(|x| negligible(x, scale)) {
                    Some(format!("{title}: {zero} in every year on every path."))
                } else {
                    None
                };
                if let Some(said) = said {
                    any = true;
                    figure(out, "", &esc(&said));
                    continue;
                }
            }
            if let Some(svg) = self.fan(id, name, title, scale, &label) {
                any = true;
                figure(
                    out,
                    &svg,
                    "The median path of each year, the middle half of the paths (P25–P75) and nine in ten (P5–P95), and the mean. Percentiles are taken year by year: a band is not the path of any single future.",
                );
            }
        }
        // State receipts by new and existing licences on the same axes.
        let mut layers = Vec::new();
        for (i, (name, label)) in
            [("receipts-new", "new licences"), ("receipts-existing", "existing licences")]
                .iter()
                .enumerate()
        {
            let Some(years) = at(self.s, &["series", name, "years"]).and_then(Value::as_array)
            else {
                continue;
            };
            let colour = if i == 0 { 2 } else { 3 };
            layers.push(Layer::Band {
                name: format!("{label}, P10–P90"),
                points: years
                    .iter()
                    .map(|y| (num(y, &["year"]), num(y, &["p10"]), num(y, &["p90"])))
                    .collect(),
                colour,
                opacity: 0.2,
            });
            layers.push(Layer::Line {
                name: format!("{label}, median"),
                points: years.iter().map(|y| (num(y, &["year"]), num(y, &["p50"]))).collect(),
                colour,
                dashed: i == 1,
                step: false,
            });
        }
        if !layers.is_empty() {
            any = true;
            let chart = Chart {
                id: "chart-state-receipts".into(),
                title: "The state's receipts each year, new and existing licences".into(),
                x_label: "year".into(),
                y_label: format!("US dollars of {base} a year"),
                x_scale: Scale::Year,
                y_scale: Scale::Money,
                layers,
                rules: vec![],
                y_range: None,
            };
            figure(
                out,
                &chart.render(),
                "Royalty, PSA state share, licence fees and corporate tax, net of leakage, from the licences the scenario's deal counts as new and from the existing ones.",
            );
        }
        if !any {
            out.push_str("<p>This run has no yearly series.</p>\n");
        }
    }

    fn histograms(&self, out: &mut String) {
        let keys = [
            ("partner-receipts", "The partner's receipts"),
            ("host-payments", "The host's payments into the fund"),
            ("fund-value", "The fund's value at the horizon"),
            ("receipts-new", "State receipts from new licences"),
            ("receipts-existing", "State receipts from existing licences"),
            ("npv-total", "Sum of the projects' NPVs"),
        ];
        let mut any = false;
        let counted = self.s.get("histograms").is_some_and(Value::is_object);
        if counted {
            out.push_str("<p class=\"note\">Each bar counts the paths whose result falls in its range, from the smallest result to the 99th percentile; its area is their share of the paths. The paths above the 99th percentile are counted under each chart, with the largest result.</p>\n");
        } else {
            out.push_str("<p class=\"note\">Drawn from the run's percentiles, not from a count of the paths: each bar spans two neighbouring percentiles (P5, P10, P25, P50, P75, P90, P95) and its area is the share of the paths between them. The 5% of paths below P5 and the 5% above P95 are not drawn; their extremes are given under each chart.</p>\n");
        }
        out.push_str("<div class=\"grid2\">\n");
        for (i, (name, title)) in keys.iter().enumerate() {
            let Some(m) = self.metric(name) else { continue };
            any = true;
            let hist = self.s.get("histograms").and_then(|h| h.get(*name));
            let (bars, above) = match hist {
                Some(h) => counted_bars(h),
                None if counted => (Vec::new(), None),
                None => {
                    let q: Vec<(f64, f64)> =
                        LEVELS[1..8].iter().map(|(k, q)| (num(m, &[k]), *q)).collect();
                    let bars = q
                        .windows(2)
                        .map(|w| Bar { lo: w[0].0, hi: w[1].0, mass: w[1].1 - w[0].1 })
                        .collect();
                    (bars, None)
                }
            };
            // Nothing but zeros and rounding residues (a fund that holds nothing) is not drawn either.
            let nothing = values(m).all(|x| negligible(x, Scale::Money));
            if bars.is_empty() || nothing {
                figure(
                    out,
                    "",
                    &format!("{}: {} on every path.", esc(title), money(num(m, &["mean"]))),
                );
                continue;
            }
            let svg = histogram(
                &format!("chart-hist-{i}"),
                &format!("{title}, {}–{}", self.start, self.end),
                &format!("US dollars of {}", self.base_year),
                Scale::Money,
                &bars,
            );
            let tail = match above {
                Some((1, share)) => format!(" 1 path ({}) lies above the last bar.", pct(share)),
                Some((n, share)) if n > 0 => {
                    format!(" {} paths ({}) lie above the last bar.", plain(n as f64), pct(share))
                }
                _ => String::new(),
            };
            figure(
                out,
                &svg,
                &format!(
                    "{}: median {}, mean {}; smallest {}, largest {}.{}",
                    esc(title),
                    money(num(m, &["p50"])),
                    money(num(m, &["mean"])),
                    money(num(m, &["min"])),
                    money(num(m, &["max"])),
                    tail
                ),
            );
        }
        out.push_str("</div>\n");
        if !any {
            out.push_str("<p>This run has none of the key metrics.</p>\n");
        }
    }

    fn projects(&self, out: &mut String) {
        let Some(list) = self.s.get("projects").and_then(Value::as_array) else { return };
        let years: Vec<i64> = list
            .first()
            .and_then(|p| p.get("built_by"))
            .and_then(Value::as_array)
            .map(|b| b.iter().filter_map(|y| y.get("year").and_then(Value::as_i64)).collect())
            .unwrap_or_default();
        out.push_str("<div class=\"scroll\"><table class=\"projects\">\n<thead><tr><th>project</th><th>start</th>");
        for y in &years {
            let _ = write!(out, "<th>P(producing by {y})</th>");
        }
        // No milestone year within the horizon (a scenario that starts after 2045): the horizon's.
        if years.is_empty() {
            let _ = write!(out, "<th>P(producing by {})</th>", self.end);
        }
        // No column of 0% where no path had a site occupied (a country at peace).
        let occupation = list.iter().any(|p| num(p, &["occupied", "p"]) > 0.0);
        out.push_str(
            "<th>first production (median year)</th><th>NPV, mean</th><th>NPV, P10–P90</th>",
        );
        if occupation {
            out.push_str("<th>P(occupied at the horizon)</th>");
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for p in list {
            let built: Vec<&Value> = p
                .get("built_by")
                .and_then(Value::as_array)
                .map(|v| v.iter().collect())
                .unwrap_or_default();
            let _ = write!(
                out,
                "<tr><td><span class=\"name\">{}</span> <span class=\"id\">{}</span></td><td>{}</td>",
                esc(text(p, &["name"])),
                esc(text(p, &["id"])),
                esc(text(p, &["start_stage"]))
            );
            for b in built {
                let _ = write!(out, "<td class=\"num\">{}</td>", pct(num(b, &["p"])));
            }
            if years.is_empty() {
                let by_horizon = num(p, &["first_production", "by_horizon", "p"]);
                let _ = write!(out, "<td class=\"num\">{}</td>", pct(by_horizon));
            }
            let first = p
                .get("first_production")
                .and_then(|f| f.get("median_year"))
                .and_then(Value::as_i64)
                .map_or(format!("after {}", self.end), |y| y.to_string());
            let npv = &p["npv"];
            let _ = write!(
                out,
                "<td class=\"num\">{first}</td><td class=\"num\">{}</td><td class=\"num\">{}–{}</td>",
                money(num(npv, &["mean"])),
                money(num(npv, &["p10"])),
                money(num(npv, &["p90"])),
            );
            if occupation {
                let _ = write!(out, "<td class=\"num\">{}</td>", pct(num(p, &["occupied", "p"])));
            }
            out.push_str("</tr>\n");
        }
        let _ = writeln!(
            out,
            "</tbody></table></div>\n<p class=\"note\">NPV of the investor's free cash flow at the valuation rate, to {}, in US dollars of {}. \"After {}\": fewer than half of the paths produce within the horizon.</p>",
            self.start, self.base_year, self.end
        );
    }

    fn map(&self, out: &mut String) {
        let Some(m) = at(self.s, &["manifest", "map"]) else {
            out.push_str(
                "<p>No map: the scenario names no boundaries (<code>deposits.boundaries</code>, a GeoJSON file) that hold its deposits.</p>\n",
            );
            return;
        };
        let point =
            |p: &Value| -> Option<[f64; 2]> { Some([p.get(0)?.as_f64()?, p.get(1)?.as_f64()?]) };
        let areas: Vec<Vec<Vec<[f64; 2]>>> = m
            .get("areas")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|area| {
                area.get("rings")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|r| r.as_array().into_iter().flatten().filter_map(point).collect())
                    .collect()
            })
            .collect();
        let projects: Vec<&Value> =
            self.s.get("projects").and_then(Value::as_array).into_iter().flatten().collect();
        // Coloured by occupation where a path had one; in a country at peace (or a run where no deposit
        // was ever occupied), by the chance that the deposit produces.
        let occupation = projects.iter().any(|p| num(p, &["occupied", "p"]) > 0.0);
        let spots: Vec<Spot> = m
            .get("deposits")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|d| {
                let id = text(d, &["id"]).to_string();
                let mut own = projects.iter().filter(|p| text(p, &["deposit"]) == id);
                let p = if occupation {
                    // The deposit's occupation is shared by its projects: take the first one's.
                    own.next().map(|p| num(p, &["occupied", "p"]))
                } else {
                    own.map(|p| num(p, &["first_production", "by_horizon", "p"])).reduce(f64::max)
                };
                Spot {
                    name: text(d, &["name"]).to_string(),
                    lon: num(d, &["lon"]),
                    lat: num(d, &["lat"]),
                    p,
                    size: num(d, &["receipts_mean"]),
                    approximate: text(d, &["located"]) != "site",
                    id,
                }
            })
            .collect();
        let (title, legend, colour) = if occupation {
            (
                format!("Deposits: the chance of occupation in {}", self.end),
                format!("P(occupied in {}), from the run:", self.end),
                format!("the share of paths in which the deposit is occupied in {}", self.end),
            )
        } else {
            (
                format!("Deposits: the chance of production by {}", self.end),
                format!("P(producing by {}), from the run:", self.end),
                format!(
                    "the share of paths in which the deposit produces by {} (for a deposit of several projects, its likeliest project's); no path had a deposit occupied",
                    self.end
                ),
            )
        };
        let svg = map(
            "chart-map",
            &title,
            &areas,
            &spots,
            &legend,
            "Circle area: the state's receipts from the deposit's projects, the mean over the paths.",
        );
        figure(
            out,
            &svg,
            &format!(
                "{} deposits. Colour: {colour}. Circle area: the state's receipts (new and existing licences, net of leakage, US dollars of {}) from the deposit's projects, the mean over the paths. Dashed outlines are placed roughly (coordinates of a nearby place, or the middle of the deposit's region where none are known). Boundaries: {}.",
                spots.len(),
                self.base_year,
                esc(text(m, &["boundaries_source"]))
            ),
        );
    }

    fn assumptions(&self, out: &mut String) {
        let Some(inputs) = at(self.s, &["manifest", "inputs"]).and_then(Value::as_array) else {
            out.push_str("<p>This summary does not list its inputs.</p>\n");
            return;
        };
        // The price paths' yearly shocks are drawn on every path, whatever the inputs.
        let shocks = "Each product's price also moves by a random shock every year (its <code>volatility</code> in the scenario's <code>[products]</code>), drawn on every path: a spread of results with every input fixed comes from these.";
        if inputs.is_empty() {
            let _ = writeln!(
                out,
                "<p>The run has no uncertain input: every number in the scenario is fixed. {shocks} Make a number uncertain with a distribution in the scenario file.</p>"
            );
            return;
        }
        let _ = writeln!(
            out,
            "<p>Every uncertain input of the run ({}), with its distribution and where it comes from. Change one with <code>--set FIELD=VALUE</code>. {shocks}</p>",
            inputs.len()
        );
        out.push_str("<div class=\"scroll\"><table class=\"inputs\">\n<colgroup><col style=\"width:19%\"><col style=\"width:12%\"><col style=\"width:7%\"><col style=\"width:7%\"><col style=\"width:7%\"><col style=\"width:7%\"><col style=\"width:12%\"><col style=\"width:29%\"></colgroup>\n<thead><tr><th>input</th><th>distribution</th><th>P5</th><th>median</th><th>P95</th><th>unit</th><th>provenance</th><th>source or reason</th></tr></thead>\n<tbody>\n");
        for i in inputs {
            let _ = writeln!(
                out,
                "<tr><td class=\"name\"><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"source\">{}</td></tr>",
                // Long dotted names may break after a dot.
                esc(text(i, &["name"])).replace('.', ".<wbr>"),
                esc(text(i, &["distribution"])),
                sig(num(i, &["p5"])),
                sig(num(i, &["median"])),
                sig(num(i, &["p95"])),
                esc(text(i, &["unit"])),
                esc(text(i, &["provenance"])),
                linked(text(i, &["source"]))
            );
        }
        out.push_str("</tbody></table></div>\n");
    }

    fn manifest(&self, out: &mut String) {
        let m = &self.s["manifest"];
        let _ = writeln!(
            out,
            "<p>The command that reproduces this run (the same output on any number of threads):</p>\n<pre><code>{}</code></pre>",
            esc(text(m, &["command"]))
        );
        out.push_str("<p><code>subsoil report DIR</code> re-renders this page from the folder's <code>summary.json</code>.</p>\n<table class=\"manifest\"><tbody>\n");
        if let Some(o) = m.as_object() {
            for (k, v) in o {
                if matches!(k.as_str(), "inputs" | "command" | "deal" | "map") {
                    continue;
                }
                let shown = match v {
                    Value::String(s) => s.clone(),
                    Value::Array(a) if a.is_empty() => "none".into(),
                    Value::Array(a) => a
                        .iter()
                        .map(|x| x.as_str().map_or(x.to_string(), str::to_string))
                        .collect::<Vec<_>>()
                        .join(", "),
                    other => other.to_string(),
                };
                let _ = writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(&shown));
            }
        }
        out.push_str("</tbody></table>\n");
    }
}

/// `s` with its first letter in capitals.
fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| f.to_uppercase().collect::<String>() + c.as_str())
}

/// A chart in a figure, headed by its title (the SVG's own), with its caption (already escaped).
/// The bars of a histogram recorded in `summary.json` (`edges`, `counts`, `overflow`, …), each with
/// its share of the paths, and the paths above the last bar with their share.
fn counted_bars(h: &Value) -> (Vec<Bar>, Option<(u64, f64)>) {
    let numbers = |k: &str| -> Vec<f64> {
        h.get(k)
            .and_then(Value::as_array)
            .map_or(Vec::new(), |a| a.iter().filter_map(Value::as_f64).collect())
    };
    let count = |k: &str| h.get(k).and_then(Value::as_u64).unwrap_or(0);
    let (edges, counts) = (numbers("edges"), numbers("counts"));
    let total = counts.iter().sum::<f64>() + (count("underflow") + count("overflow")) as f64;
    if edges.len() != counts.len() + 1 || total <= 0.0 {
        return (Vec::new(), None);
    }
    let bars = edges
        .windows(2)
        .zip(&counts)
        .map(|(w, &c)| Bar { lo: w[0], hi: w[1], mass: c / total })
        .collect();
    let above = count("overflow");
    (bars, Some((above, above as f64 / total)))
}

pub(crate) fn figure(out: &mut String, svg: &str, caption: &str) {
    let title = svg
        .split_once("<title id=")
        .and_then(|(_, rest)| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split_once("</title>"))
        .map_or("", |(t, _)| t);
    let _ =
        writeln!(out, "<figure><h3>{title}</h3>{svg}<figcaption>{caption}</figcaption></figure>");
}

/// `x` to four significant digits.
fn sig(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    if x == 0.0 {
        return "0".into();
    }
    let mag = x.abs().log10().floor() as i32;
    if !(-4..9).contains(&mag) {
        return format!("{x:.3e}");
    }
    let decimals = (3 - mag).max(0) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// Source text with every web address as a link; everything escaped.
fn linked(source: &str) -> String {
    let mut out = String::new();
    let mut rest = source;
    while let Some(i) = ["https://", "http://"].iter().filter_map(|p| rest.find(p)).min() {
        out.push_str(&esc(&rest[..i]));
        let tail = &rest[i..];
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>' | ';'))
            .unwrap_or(tail.len());
        let url = tail[..end].trim_end_matches(['.', ',', ')', ']', ':']);
        let _ = write!(out, "<a href=\"{}\">{}</a>", esc(url), esc(url));
        rest = &tail[url.len()..];
    }
    out.push_str(&esc(rest));
    out
}

pub(crate) const CSS: &str = "
:root{--ink:#1a1a1a;--muted:#555;--rule:#ddd;--bg:#fff}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:1080px;margin:0 auto;padding:24px}
h1{font-size:1.7rem;margin:0 0 .3rem}
h3{font-size:1rem;margin:0 0 .3rem}
h2{font-size:1.3rem;margin:2.2rem 0 .6rem;padding-top:.6rem;border-top:1px solid var(--rule)}
.lede,.note,figcaption{color:var(--muted)}
.note,figcaption{font-size:.9rem}
nav ul{display:flex;flex-wrap:wrap;gap:.3rem 1rem;list-style:none;padding:0;margin:.5rem 0 1rem;font-size:.9rem}
ul.answers li{margin:.35rem 0}
figure{margin:1rem 0 1.6rem}
svg.chart{width:100%;height:auto;max-width:760px;display:block;font-size:12px}
svg .grid line{stroke:#e6e6e6}
svg .grid line.xtick{stroke:#999}
svg .tick{fill:#444;font-size:11px}
svg .axis{stroke:#333}
svg .axis-label{fill:#222;font-size:12px}
svg .rule{stroke:#222;stroke-width:1.5;stroke-dasharray:2 3}
svg .rule-label{fill:#222;font-size:11px}
svg .legend text{fill:#222;font-size:12px}
svg .bar{stroke:#fff;stroke-width:1;fill-opacity:.85}
svg .bar-label{fill:#222;font-size:10px}
svg .areas path{fill:#f2f2f2;stroke:#999;stroke-width:.7}
svg .spots circle{stroke:#222;stroke-width:1;fill-opacity:.85}
svg circle.approximate{stroke-dasharray:2 2}
svg g.legend circle.approximate{stroke:#222}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(560px,100%),1fr));gap:0 1.5rem}
figure{overflow-x:auto}
svg.chart{min-width:520px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:.88rem;margin:.5rem 0}
th,td{border-bottom:1px solid var(--rule);padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid #999;background:#f6f6f6}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.inputs{width:100%;min-width:760px;table-layout:fixed}
table.inputs td{overflow-wrap:anywhere}
td.source{font-size:.82rem}
span.id{color:var(--muted);font-size:.8rem}
pre{background:#f4f4f4;padding:.6rem .8rem;overflow-x:auto}
a{color:#0061a0}
@media print{nav{display:none}h2{break-before:auto}}
";

/// The page's table of contents: a link to each section.
pub(crate) fn nav(out: &mut String, sections: &[(&str, &str)]) {
    out.push_str("<nav><ul>");
    for (id, heading) in sections {
        let _ = write!(out, "<li><a href=\"#{id}\">{}</a></li>", esc(heading));
    }
    out.push_str("</ul></nav>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_become_links_and_the_rest_is_escaped() {
        assert_eq!(
            linked("see https://example.org/a?b=1&c=2. And <this>"),
            "see <a href=\"https://example.org/a?b=1&amp;c=2\">https://example.org/a?b=1&amp;c=2</a>. And &lt;this&gt;"
        );
        assert_eq!(linked("no link"), "no link");
    }

    #[test]
    fn other_modes_are_refused() {
        let e = render("{\"manifest\":{\"mode\":\"deterministic\"}}").unwrap_err();
        assert!(e.0.contains("Monte Carlo"), "{e}");
        assert!(render("not json").is_err());
    }
}
