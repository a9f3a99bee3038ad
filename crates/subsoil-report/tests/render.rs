//! The report from summaries made by hand: every section is there, numbers are written as people read
//! them, and the same summary gives the same bytes.

use subsoil_report::render;

fn dist(p50: f64) -> String {
    format!(
        "{{\"unit\":\"USD (real, base year)\",\"n\":10,\"mean\":{m},\"se\":1,\"sd\":1,\"p5\":{a},\"p10\":{b},\"p25\":{c},\"p50\":{p50},\"p75\":{d},\"p90\":{e},\"p95\":{f},\"min\":0,\"max\":{g}}}",
        m = p50 * 1.2,
        a = p50 * 0.2,
        b = p50 * 0.3,
        c = p50 * 0.6,
        d = p50 * 1.5,
        e = p50 * 2.0,
        f = p50 * 3.0,
        g = p50 * 5.0
    )
}

fn summary(with_partner: bool) -> String {
    let years = "[{\"year\":2026,\"p\":0.0,\"ci95\":[0,0.1]},{\"year\":2027,\"p\":0.25,\"ci95\":[0.1,0.4]}]";
    let fan = "{\"unit\":\"USD (real, base year)\",\"years\":[{\"year\":2026,\"mean\":1,\"se\":0,\"p5\":0,\"p10\":0,\"p25\":0,\"p50\":1,\"p75\":2,\"p90\":3,\"p95\":4},{\"year\":2027,\"mean\":2e6,\"se\":0,\"p5\":0,\"p10\":1,\"p25\":1e6,\"p50\":1.5e6,\"p75\":3e6,\"p90\":4e6,\"p95\":5e6}]}";
    let partner = if with_partner {
        format!(
            ",\"partner-receipts\":{},\"partner-receipts-nominal\":{}",
            dist(4.35e8),
            dist(6.5e8)
        )
    } else {
        String::new()
    };
    let deal = if with_partner {
        ",\"deal\":{\"name\":\"Test deal\",\"partner\":\"United States\",\"target_nominal\":null,\"aid_given_nominal\":1.742e11}"
    } else {
        ""
    };
    let aid = if with_partner {
        ",\"partner-aid-repaid\":{\"hits\":0,\"n\":10000,\"p\":0,\"se\":0,\"ci95\":[0,0.000383]}"
    } else {
        ""
    };
    format!(
        "{{\"manifest\":{{\"scenario\":\"test <scenario>\",\"mode\":\"monte-carlo\",\"paths\":10000,\"start_year\":2026,\"end_year\":2027,\"base_year\":2026,\"command\":\"subsoil run test\",\"inputs\":[{{\"name\":\"a.b\",\"distribution\":\"uniform\",\"p5\":1,\"median\":2,\"mean\":2,\"p95\":3,\"unit\":\"fraction\",\"provenance\":\"source\",\"source\":\"see https://example.org/x.\"}}]{deal}}},\
         \"metrics\":{{\"host-payments\":{}{partner}}},\"probabilities\":{{\"new-mine-by-2030\":{{\"hits\":5,\"n\":100,\"p\":0.05,\"se\":0.02,\"ci95\":[0.02,0.11]}}{aid}}},\
         \"series\":{{\"partner-receipts-cumulative\":{fan},\"receipts-new\":{fan}}},\"events\":{{\"partner-first-distribution\":{{\"median_year\":null,\"by_horizon\":{{\"hits\":25,\"n\":100,\"p\":0.25,\"se\":0.04,\"ci95\":[0.1,0.4]}},\"by_year\":{years}}}}},\
         \"projects\":[{{\"id\":\"p1\",\"name\":\"Mine & mill\",\"start_stage\":\"explored\",\"npv\":{},\"built_by\":[{{\"year\":2030,\"p\":0.5}}],\"first_production\":{{\"median_year\":2031}},\"occupied\":{{\"p\":0.1}}}}]}}",
        dist(6.9e8),
        dist(-3.1e6)
    )
}

#[test]
fn every_section_is_there_and_numbers_read_as_people_write_them() {
    for with_partner in [true, false] {
        let s = summary(with_partner);
        let html = render(&s).expect("renders");
        for id in [
            "headline",
            "when",
            "how-much",
            "fans",
            "histograms",
            "projects",
            "map",
            "assumptions",
            "manifest",
        ] {
            assert!(html.contains(&format!("<section id=\"{id}\" data-section=\"{id}\">")), "{id}");
        }
        assert!(html.contains("test &lt;scenario&gt;"), "names are escaped");
        assert!(html.contains("Mine &amp; mill"));
        assert!(html.contains("<a href=\"https://example.org/x\">"), "sources are links");
        assert!(html.contains("−$3.7m"), "negative money");
        assert!(html.contains("No map: the scenario names no boundaries"), "no map without one");
        if with_partner {
            assert!(html.contains("<strong>$435m (P10–P90 $131m–$870m)</strong>"), "{html}");
            assert!(html.contains(
                "the aid it gave ($174bn nominal) by 2027 is <strong>below 0.038%</strong>"
            ));
            assert!(html.contains("data-series=\"first payment to the partner\""));
            assert!(html.contains("data-x=\"2027\" data-value=\"0.25\""));
        } else {
            assert!(html.contains("This scenario's deal has no partner."));
        }
        assert_eq!(html, render(&s).unwrap(), "the same summary gives the same bytes");
    }
}

#[test]
fn a_comparison_has_its_versions_side_by_side() {
    let d = dist(4.35e8);
    let run = |name: &str| {
        format!(
            "{{\"scenario\":\"{name}\",\"metrics\":{{\"partner-receipts\":{d},\"partner-receipts-nominal\":{d}}},\"probabilities\":{{}},\"events\":{{\"partner-first-distribution\":{{\"median_year\":2035,\"by_year\":[{{\"year\":2026,\"p\":0.0}},{{\"year\":2027,\"p\":0.5}}]}}}}}}"
        )
    };
    let s = format!(
        "{{\"manifest\":{{\"mode\":\"compare\",\"paths\":100,\"end_year\":2027,\"base_year\":2026,\"command\":\"subsoil compare a b\",\"scenarios\":[{{\"scenario\":\"a\",\"title\":\"Version A\"}},{{\"scenario\":\"b\",\"title\":\"\"}}]}},\"scenarios\":[{},{}],\"differences\":[{{\"scenario\":\"b\",\"from\":\"a\",\"metrics\":{{\"partner-receipts\":{{\"mean\":-2.5e9,\"se_paired\":1e6,\"se_unpaired\":4e6}}}}}}]}}",
        run("a"),
        run("b")
    );
    let html = render(&s).expect("renders");
    for id in ["headline", "when", "how-much", "differences", "manifest"] {
        assert!(html.contains(&format!("data-section=\"{id}\"")), "{id}");
    }
    assert!(html.contains("data-series=\"Version A\""), "named by title");
    assert!(html.contains("data-series=\"b\""), "or by name");
    assert!(html.contains("−$2.5bn"));
    assert_eq!(html, render(&s).unwrap());
    assert!(render("{\"manifest\":{\"mode\":\"compare\"}}").is_err());
}

#[test]
fn versions_that_share_a_title_are_told_apart_by_their_names() {
    // Two variants of one scenario keep its title: labelled by title alone, the table had two identical
    // rows and the legends two identical entries.
    let run = |name: &str| {
        format!(
            "{{\"scenario\":\"{name}\",\"metrics\":{{}},\"probabilities\":{{}},\"events\":{{\"partner-first-distribution\":{{\"median_year\":2035,\"by_year\":[{{\"year\":2026,\"p\":0.0}},{{\"year\":2027,\"p\":0.5}}]}}}}}}"
        )
    };
    let summary = |versions: &[(&str, &str)]| {
        let ids: Vec<String> = versions
            .iter()
            .map(|(name, title)| format!("{{\"scenario\":\"{name}\",\"title\":\"{title}\"}}"))
            .collect();
        let runs: Vec<String> = versions.iter().map(|(name, _)| run(name)).collect();
        format!(
            "{{\"manifest\":{{\"mode\":\"compare\",\"paths\":100,\"end_year\":2027,\"base_year\":2026,\"command\":\"subsoil compare\",\"scenarios\":[{}]}},\"scenarios\":[{}],\"differences\":[]}}",
            ids.join(","),
            runs.join(",")
        )
    };
    let rows = |html: &str| -> Vec<String> {
        let table = &html[html.find("<tbody>").unwrap()..html.find("</tbody>").unwrap()];
        table.split("<tr><td>").skip(1).map(|r| r[..r.find("</td>").unwrap()].to_string()).collect()
    };
    let series = |html: &str| -> Vec<String> {
        html.split("data-series=\"")
            .skip(1)
            .map(|v| v[..v.find('"').unwrap()].to_string())
            .collect()
    };
    let same = render(&summary(&[("norland", "Norland deal"), ("norland-30", "Norland deal")]))
        .expect("renders");
    assert_eq!(rows(&same), ["norland", "norland-30"]);
    assert_eq!(series(&same), ["norland", "norland-30"]);
    // The manifest still gives each version's title.
    assert!(same.contains("<tr><th>norland-30</th><td>Norland deal (hash"), "{same}");
    // Distinct titles stay the labels; a version without a title is named.
    let distinct =
        render(&summary(&[("a", "Version A"), ("b", "Version B"), ("c", "")])).expect("renders");
    assert_eq!(rows(&distinct), ["Version A", "Version B", "c"]);
    // The same scenario twice: numbered by its place.
    let twice = render(&summary(&[("a", "A"), ("a", "A")])).expect("renders");
    assert_eq!(rows(&twice), ["a [1]", "a [2]"]);
}

#[test]
fn the_map_caption_speaks_of_regions() {
    let s = summary(false).replacen(
        "\"mode\":\"monte-carlo\"",
        "\"mode\":\"monte-carlo\",\"map\":{\"boundaries_source\":\"test\",\"areas\":[{\"rings\":[[[0,0],[1,0],[1,1],[0,0]]]}],\"deposits\":[{\"id\":\"x\",\"name\":\"X\",\"lon\":0.5,\"lat\":0.4,\"located\":\"oblast\",\"receipts_mean\":1}]}",
        1,
    );
    let html = render(&s).expect("renders");
    let map = &html[html.find("<section id=\"map\"").unwrap()..];
    let map = &map[..map.find("</section>").unwrap()];
    assert!(map.contains("or the middle of the deposit's region where none are known"), "{map}");
    assert!(!map.contains("oblast"), "{map}");
}

#[test]
fn histograms_draw_the_counted_paths() {
    // 10 paths: 6 in [0, 10), 3 in [10, 20], 1 above. Bars carry their share of all the paths (0.6
    // and 0.3), and the caption counts the one path above the last bar.
    let s = summary(false).replacen(
        "\"metrics\":{",
        "\"histograms\":{\"host-payments\":{\"edges\":[0,10,20],\"counts\":[6,3],\"underflow\":0,\"overflow\":1,\"non_finite\":0}},\"metrics\":{",
        1,
    );
    let html = render(&s).expect("renders");
    let hist = &html[html.find("<section id=\"histograms\"").unwrap()..];
    let hist = &hist[..hist.find("</section>").unwrap()];
    assert!(hist.contains("Each bar counts the paths"), "{hist}");
    let values: Vec<&str> =
        hist.split("data-value=\"").skip(1).map(|v| &v[..v.find('"').unwrap()]).collect();
    assert_eq!(values, ["0.6", "0.3"], "{hist}");
    assert!(hist.contains("1 path (10%) lies above the last bar."), "{hist}");
}

#[test]
fn a_run_in_another_currency_writes_its_money_in_that_currency() {
    let s = summary(true).replacen(
        "\"mode\":\"monte-carlo\"",
        "\"mode\":\"monte-carlo\",\"currency\":\"EUR\"",
        1,
    );
    let html = render(&s).expect("renders");
    assert!(html.contains("<strong>EUR 435m (P10–P90 EUR 131m–EUR 870m)</strong>"), "{html}");
    assert!(html.contains("−EUR 3.7m"), "negative money");
    assert!(html.contains("Money in EUR of 2026"), "the lede names the currency");
    assert!(!html.contains("US dollars") && !html.contains("$4"), "no dollars left");
    // A dollar run drawn after it writes dollars again.
    let usd = render(&summary(true)).expect("renders");
    assert!(usd.contains("<strong>$435m") && usd.contains("Money in US dollars of 2026"));
}

#[test]
fn a_chart_of_nothing_is_said_in_words() {
    // A fund that only passes dividends on (the Sicomines joint venture) holds nothing at the end of any
    // year, but its cash is the sum of flows that cancel, with residues of 1e-10 dollars, and its value
    // at the horizon is -1.5e-8 on one path: drawn, the chart's every tick read "$0" and its mean line
    // zig-zagged below zero. A scenario without GDP has no share of GDP on any path: drawn, an empty
    // chart from -60% to 60%.
    let residue = "{\"unit\":\"USD (real, base year)\",\"years\":[{\"year\":2026,\"mean\":1.3e-10,\"se\":3e-10,\"p5\":0,\"p10\":0,\"p25\":0,\"p50\":0,\"p75\":0,\"p90\":0,\"p95\":0},{\"year\":2027,\"mean\":-1.8e-10,\"se\":3e-10,\"p5\":0,\"p10\":0,\"p25\":0,\"p50\":0,\"p75\":0,\"p90\":0,\"p95\":0}]}";
    let none = "{\"unit\":\"fraction\",\"years\":[{\"year\":2026,\"mean\":null,\"se\":null,\"p5\":null,\"p10\":null,\"p25\":null,\"p50\":null,\"p75\":null,\"p90\":null,\"p95\":null},{\"year\":2027,\"mean\":null,\"se\":null,\"p5\":null,\"p10\":null,\"p25\":null,\"p50\":null,\"p75\":null,\"p90\":null,\"p95\":null}]}";
    let value = "{\"unit\":\"USD (real, base year)\",\"n\":10,\"mean\":-1.5e-9,\"se\":1.5e-9,\"sd\":4.7e-9,\"p5\":0,\"p10\":0,\"p25\":0,\"p50\":0,\"p75\":0,\"p90\":0,\"p95\":0,\"min\":-1.5e-8,\"max\":0}";
    let s = summary(true)
        .replacen(
            "\"series\":{",
            &format!("\"series\":{{\"fund-cash\":{residue},\"host-payments-gdp-share\":{none},"),
            1,
        )
        .replacen("\"metrics\":{", &format!("\"metrics\":{{\"fund-value\":{value},"), 1)
        .replacen(
            "\"metrics\":{",
            "\"histograms\":{\"fund-value\":{\"edges\":[-1.5e-8,0,1e-9],\"counts\":[1,9],\"underflow\":0,\"overflow\":0,\"non_finite\":0}},\"metrics\":{",
            1,
        );
    let html = render(&s).expect("renders");
    for chart in ["chart-fund-cash", "chart-host-gdp"] {
        assert!(!html.contains(&format!("data-chart=\"{chart}\"")), "{chart} is drawn");
    }
    // (Apostrophes are escaped.)
    assert!(
        html.contains(
            "The fund&#39;s cash at the end of each year: $0 in every year on every path."
        )
    );
    assert!(html.contains(
        "share of its GDP: no value on any path (a share of GDP needs the scenario&#39;s"
    ));
    assert!(html.contains("value at the horizon: $0 on every path."), "fund value");
    // A series with money in it is still drawn.
    assert!(html.contains("data-chart=\"chart-partner-cumulative\""));
}

#[test]
fn a_run_without_uncertain_inputs_says_where_its_spread_comes_from() {
    // The Sicomines scenarios fix every number; their results still spread, from the price shocks.
    // Before, the section read "Every uncertain input of the run (0)" over an empty table.
    let s = summary(true);
    let start = s.find("\"inputs\":[").unwrap();
    let end = start + s[start..].find("}]").unwrap() + 2;
    let s = format!("{}\"inputs\":[]{}", &s[..start], &s[end..]);
    let html = render(&s).expect("renders");
    let part = &html[html.find("<section id=\"assumptions\"").unwrap()..];
    let part = &part[..part.find("</section>").unwrap()];
    assert!(part.contains("The run has no uncertain input"), "{part}");
    assert!(part.contains("random shock every year"), "{part}");
    assert!(!part.contains("<table"), "{part}");
}

#[test]
fn the_chart_of_events_by_year_has_the_ceasefire_the_headline_quotes() {
    // The headline gives the chance of a ceasefire by 2030; the chart of events by year left it out.
    let s = summary(true).replacen(
        "\"events\":{",
        "\"events\":{\"ceasefire\":{\"median_year\":2027,\"by_horizon\":{\"hits\":90,\"n\":100,\"p\":0.9,\"se\":0.03,\"ci95\":[0.8,0.95]},\"by_year\":[{\"year\":2026,\"p\":0.2,\"ci95\":[0.1,0.3]},{\"year\":2027,\"p\":0.6,\"ci95\":[0.5,0.7]}]},",
        1,
    );
    let html = render(&s).expect("renders");
    let when = &html[html.find("<section id=\"when\"").unwrap()..];
    let when = &when[..when.find("</section>").unwrap()];
    assert!(when.contains("first year of peace after a general ceasefire"), "{when}");
    // A scenario at peace has no such event, and no such line.
    let html = render(&summary(true)).expect("renders");
    assert!(!html.contains("first year of peace after a general ceasefire"));
}

/// The projects' table has a column of the chance a site is occupied where some path had one occupied,
/// and none where no path did (a country at peace), where it would read 0% throughout.
#[test]
fn the_projects_table_shows_occupation_only_where_a_path_had_it() {
    let with = summary(false);
    assert!(with.contains("\"occupied\":{\"p\":0.1}"));
    let html = render(&with).expect("renders");
    assert!(html.contains("<th>P(occupied at the horizon)</th>"));
    assert!(html.contains("<td class=\"num\">10%</td></tr>"), "{html}");
    let without = with.replace("\"occupied\":{\"p\":0.1}", "\"occupied\":{\"p\":0}");
    let html = render(&without).expect("renders");
    assert!(!html.contains("P(occupied"), "{html}");
    assert!(html.contains("<th>NPV, P10–P90</th></tr>"));
}

#[test]
fn the_map_shows_occupation_where_a_path_had_it_and_otherwise_the_chance_of_production() {
    // One deposit with one project, occupied on 10% of the paths and producing by the horizon on 75%.
    let mut s: serde_json::Value = serde_json::from_str(&summary(false)).expect("json");
    s["projects"][0]["deposit"] = "d1".into();
    s["projects"][0]["first_production"]["by_horizon"] = serde_json::json!({ "p": 0.75 });
    s["manifest"]["map"] = serde_json::json!({
        "areas": [{ "rings": [[[30.0, 50.0], [31.0, 50.0], [31.0, 51.0], [30.0, 50.0]]] }],
        "deposits": [{ "id": "d1", "name": "Hill", "lon": 30.5, "lat": 50.5, "receipts_mean": 1e8, "located": "site" }],
        "boundaries_source": "a test outline",
    });
    let html = render(&s.to_string()).expect("renders");
    assert!(html.contains("Deposits: the chance of occupation in 2027"), "{html}");
    assert!(html.contains("P(occupied in 2027)"));
    assert!(!html.contains("chance of production"));
    // A country at peace: no path had the deposit occupied, so the map says how likely it is to produce.
    s["projects"][0]["occupied"]["p"] = 0.into();
    let html = render(&s.to_string()).expect("renders");
    assert!(!html.contains("occupation") && !html.contains("occupied in"), "{html}");
    assert!(html.contains("Deposits: the chance of production by 2027"));
    assert!(html.contains("P(producing by 2027)"));
    assert!(html.contains("75%"), "the deposit's share is drawn");
}

#[test]
fn without_a_milestone_year_in_the_horizon_the_projects_table_gives_the_chance_by_the_horizon() {
    let mut s: serde_json::Value = serde_json::from_str(&summary(false)).expect("json");
    let html = render(&s.to_string()).expect("renders");
    assert!(html.contains("<th>P(producing by 2030)</th>"));
    assert!(!html.contains("<th>P(producing by 2027)</th>"));
    // A run that starts after 2045 has no milestone year: its table shows the horizon's.
    s["projects"][0]["built_by"] = serde_json::json!([]);
    s["projects"][0]["first_production"]["by_horizon"] = serde_json::json!({ "p": 0.4 });
    let html = render(&s.to_string()).expect("renders");
    assert!(html.contains("<th>P(producing by 2027)</th>"), "{html}");
    assert!(html.contains("<td class=\"num\">40%</td>"), "{html}");
}
