//! `report.html` of a comparison (`subsoil compare … --out DIR`): the versions side by side on the
//! same axes, and their paired differences from the first.

use std::fmt::Write as _;

use serde_json::Value;

use crate::format::{esc, money, pct, plain};
use crate::html::{CSS, LEVELS, at, chance_of, figure, nav, num, text};
use crate::svg::{Chart, Layer, Rule, Scale};

/// The palette's colour of the `i`th version: the palette's order without its second orange
/// (vermillion) among the first four, which left the second and fourth of four versions two dashed
/// oranges.
fn version_colour(i: usize) -> usize {
    const ORDER: [usize; 8] = [0, 1, 2, 4, 5, 3, 7, 6];
    ORDER[i % ORDER.len()]
}

/// The sections of a comparison's report, in order.
pub const SECTIONS: [(&str, &str); 5] = [
    ("headline", "The versions side by side"),
    ("when", "When: the chance of a first payment to the partner by year"),
    ("how-much", "How much: the chance the partner receives at least X"),
    ("differences", "Paired differences from the first version"),
    ("manifest", "How this comparison was made"),
];

/// The label of each version in the table and the legends, from its (title, name): its title when no
/// other version has the same one, its name otherwise (two variants of one scenario keep its title),
/// and its place in the comparison after that when two labels still agree (the same scenario twice).
fn version_labels(versions: &[(&str, &str)]) -> Vec<String> {
    let labels: Vec<&str> = versions
        .iter()
        .map(|&(title, name)| match title {
            t if !t.is_empty() && versions.iter().filter(|v| v.0 == t).count() == 1 => t,
            t if name.is_empty() => t,
            _ => name,
        })
        .collect();
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| match labels.iter().filter(|m| *m == l).count() {
            1 => l.to_string(),
            _ => format!("{l} [{}]", i + 1),
        })
        .collect()
}

/// The page of a comparison whose summary is `s`.
pub fn render(s: &Value) -> String {
    let runs: Vec<&Value> =
        s.get("scenarios").and_then(Value::as_array).into_iter().flatten().collect();
    let ids: Vec<&Value> =
        at(s, &["manifest", "scenarios"]).and_then(Value::as_array).into_iter().flatten().collect();
    let labels = version_labels(
        &(0..runs.len())
            .map(|i| {
                let id = ids.get(i).copied().unwrap_or(&Value::Null);
                (text(id, &["title"]), text(runs[i], &["scenario"]))
            })
            .collect::<Vec<_>>(),
    );
    let name = |i: usize| -> String { labels[i].clone() };
    let end = at(s, &["manifest", "end_year"]).and_then(Value::as_i64).unwrap_or(0);
    let base = at(s, &["manifest", "base_year"]).and_then(Value::as_i64).unwrap_or(0);
    let title = format!(
        "subsoil comparison: {}",
        runs.iter().map(|r| text(r, &["scenario"])).collect::<Vec<_>>().join(", ")
    );
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<link rel=\"icon\" href=\"data:,\">\n");
    let _ = writeln!(
        out,
        "<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>",
        esc(&title)
    );
    let _ = writeln!(out, "<h1>{}</h1>", esc(&title));
    let _ = writeln!(
        out,
        "<p class=\"lede\">{} versions on the same {} paths (common random numbers), to {end}. Money in US dollars of {base} unless marked nominal; ranges are the 10th to 90th percentile of the paths.</p>",
        runs.len(),
        plain(num(s, &["manifest", "paths"]))
    );
    nav(&mut out, &SECTIONS);
    for (id, heading) in SECTIONS {
        let _ =
            write!(out, "<section id=\"{id}\" data-section=\"{id}\">\n<h2>{}</h2>\n", esc(heading));
        match id {
            "headline" => {
                out.push_str(
                    "<div class=\"scroll\"><table class=\"versions\">\n<thead><tr><th>version</th>",
                );
                let _ = write!(
                    out,
                    "<th>partner receipts by {end}</th><th>nominal</th><th>P(aid repaid)</th><th>P(target reached)</th><th>host payments</th><th>first payment (median year)</th></tr></thead>\n<tbody>\n"
                );
                for (i, r) in runs.iter().enumerate() {
                    let range = |m: &str| match at(r, &["metrics", m]) {
                        Some(v) => format!(
                            "{} ({}–{})",
                            money(num(v, &["p50"])),
                            money(num(v, &["p10"])),
                            money(num(v, &["p90"]))
                        ),
                        None => "—".into(),
                    };
                    let prob = |p: &str| at(r, &["probabilities", p]).map_or("—".into(), chance_of);
                    let first = at(r, &["events", "partner-first-distribution", "median_year"])
                        .map_or("—".to_string(), |y| {
                            y.as_i64().map_or(format!("after {end}"), |y| y.to_string())
                        });
                    let _ = writeln!(
                        out,
                        "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{first}</td></tr>",
                        esc(&name(i)),
                        range("partner-receipts"),
                        range("partner-receipts-nominal"),
                        prob("partner-aid-repaid"),
                        prob("partner-target-reached"),
                        range("host-payments"),
                    );
                }
                out.push_str("</tbody></table></div>\n<p class=\"note\">Median (P10–P90). A chance written \"below x%\" means no path had the event; x% is the upper end of its 95% interval.</p>\n");
            }
            "when" => {
                let layers: Vec<Layer> = runs
                    .iter()
                    .enumerate()
                    .filter_map(|(i, r)| {
                        let years = at(r, &["events", "partner-first-distribution", "by_year"])?
                            .as_array()?;
                        Some(Layer::Line {
                            name: name(i),
                            points: years
                                .iter()
                                .map(|y| (num(y, &["year"]), num(y, &["p"])))
                                .collect(),
                            colour: version_colour(i),
                            dashed: i % 2 == 1,
                            step: true,
                        })
                    })
                    .collect();
                if layers.is_empty() {
                    out.push_str("<p>No version has a partner.</p>\n");
                } else {
                    let chart = Chart {
                        id: "chart-events".into(),
                        title: "P(the partner has received a first payment by the end of the year)"
                            .into(),
                        x_label: "year".into(),
                        y_label: "chance (share of paths)".into(),
                        x_scale: Scale::Year,
                        y_scale: Scale::Percent,
                        layers,
                        rules: vec![],
                        y_range: Some((0.0, 1.0)),
                    };
                    figure(&mut out, &chart.render(), "One line per version, on the same paths.");
                }
            }
            "how-much" => {
                let layers: Vec<Layer> = runs
                    .iter()
                    .enumerate()
                    .filter_map(|(i, r)| {
                        let m = at(r, &["metrics", "partner-receipts-nominal"])?;
                        Some(Layer::Line {
                            name: name(i),
                            points: LEVELS
                                .iter()
                                .map(|(k, q)| (num(m, &[k]), 1.0 - q))
                                .filter(|p| p.0.is_finite())
                                .collect(),
                            colour: version_colour(i),
                            dashed: i % 2 == 1,
                            step: false,
                        })
                    })
                    .collect();
                if layers.is_empty() {
                    out.push_str("<p>No version has a partner.</p>\n");
                } else {
                    let chart = Chart {
                        id: "chart-exceedance".into(),
                        title: format!("P(partner receipts by {end} ≥ X), nominal dollars"),
                        x_label: "X: partner's cumulative receipts (nominal US dollars)".into(),
                        y_label: "chance of at least X".into(),
                        x_scale: Scale::Money,
                        y_scale: Scale::Percent,
                        layers,
                        rules: Vec::<Rule>::new(),
                        y_range: Some((0.0, 1.0)),
                    };
                    figure(
                        &mut out,
                        &chart.render(),
                        "Points at each version's percentiles (smallest, P5 … P95, largest), joined by straight lines.",
                    );
                }
            }
            "differences" => {
                let diffs: Vec<&Value> =
                    s.get("differences").and_then(Value::as_array).into_iter().flatten().collect();
                out.push_str("<div class=\"scroll\"><table class=\"differences\">\n<thead><tr><th>version</th><th>output</th><th>difference of the means</th><th>standard error, paired</th><th>unpaired</th></tr></thead>\n<tbody>\n");
                for d in diffs {
                    for key in [
                        "partner-receipts",
                        "partner-receipts-nominal",
                        "host-payments",
                        "fund-value",
                    ] {
                        let Some(v) = at(d, &["metrics", key]) else { continue };
                        let _ = writeln!(
                            out,
                            "<tr><td>{}</td><td>{key}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                            esc(text(d, &["scenario"])),
                            money(num(v, &["mean"])),
                            money(num(v, &["se_paired"])),
                            money(num(v, &["se_unpaired"]))
                        );
                    }
                    for key in ["partner-aid-repaid", "partner-target-reached"] {
                        let Some(v) = at(d, &["probabilities", key]) else { continue };
                        let _ = writeln!(
                            out,
                            "<tr><td>{}</td><td>P({key})</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                            esc(text(d, &["scenario"])),
                            pct(num(v, &["mean"])),
                            pct(num(v, &["se_paired"])),
                            pct(num(v, &["se_unpaired"]))
                        );
                    }
                }
                out.push_str("</tbody></table></div>\n<p class=\"note\">Each version minus the first, path by path. The paired standard error is that of the difference on the same paths; the unpaired one is what two independent runs would give.</p>\n");
            }
            _ => {
                let _ = writeln!(
                    out,
                    "<p>The command that reproduces this comparison:</p>\n<pre><code>{}</code></pre>\n<p><code>subsoil report DIR</code> re-renders this page from the folder's <code>summary.json</code>; each version's inputs and their sources are in <code>inputs.csv</code>.</p>",
                    esc(text(s, &["manifest", "command"]))
                );
                out.push_str("<table class=\"manifest\"><tbody>\n");
                for (i, id) in ids.iter().enumerate() {
                    // The title in full, which a version's label leaves out when another shares it.
                    let title = match text(id, &["title"]) {
                        "" => name(i),
                        t => t.to_string(),
                    };
                    let _ = writeln!(
                        out,
                        "<tr><th>{}</th><td>{} (hash {})</td></tr>",
                        esc(text(id, &["scenario"])),
                        esc(&title),
                        esc(text(id, &["scenario_hash"]))
                    );
                }
                out.push_str("</tbody></table>\n");
            }
        }
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::version_colour;

    #[test]
    fn four_versions_have_four_distinct_hues_and_no_two_oranges() {
        let first4: Vec<usize> = (0..4).map(version_colour).collect();
        assert_eq!(first4, [0, 1, 2, 4]);
        // Every palette colour is used once in eight versions.
        let mut all: Vec<usize> = (0..8).map(version_colour).collect();
        all.sort_unstable();
        assert_eq!(all, (0..8).collect::<Vec<_>>());
    }
}
