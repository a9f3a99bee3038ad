//! The scenario reference (`docs/scenario-reference.md`), generated from [the schema](crate::schema).

use crate::quantity::fmt_num;
use crate::schema::{Field, Q, REMOVED, ROOT, Req, Ty, Unit};

/// Renders the reference for every section and field.
pub fn render() -> String {
    let mut out = String::from(
        "# Scenario reference (format-version 1)\n\n\
         Generated from the code by `subsoil reference`; do not edit by hand.\n\
         Conventions (quantities, distributions, units, layers) are in [data-format.md](data-format.md).\n\n\
         A *quantity* is a number, or a table with `value` or `dist` plus `unit` and `source` or `assumption`.\n\
         Fields marked *uncertain* accept a distribution; the others need a fixed value.\n\n\
         Fields marked *by year* also accept a year-by-year series: \
         `{ by-year = { 2026 = …, 2027 = … }, unit = \"…\", source = \"…\", outside = \"hold-last\" }`. \
         The years given must follow one another without a gap; `outside` says what holds in other years: \
         `hold-last` (the default: the first value before the first year, the last after the last), `zero`, \
         or `error` (every simulated year the value is used in must be given; investors looking past the \
         horizon see the last value). An optional `scale` (a number or a distribution, a ratio) multiplies \
         the whole series: one draw per path shifts it all, and it is the uncertain input named by the \
         field's path.\n\n\
         Fields marked *by production year* (a project product's `capacity` and `opex`) also accept a \
         schedule counted from the first year of output, wherever a path's decision and build put it: \
         `{ by-production-year = { 1 = …, 2 = …, 3 = … }, unit = \"…\", source = \"…\" }`, starting at \
         year 1 (an operation producing at the start is in its year 1 in the first simulated year). After \
         the years given, `outside` holds: `hold-last` (the default), `zero`, or `error` (then `life-years` \
         must be fixed and no longer than the schedule). `life-years` still ends production and a partial \
         last year produces its share of that year's value; `scale`, and the production factor or opex \
         multiplier, multiply every year. A capacity schedule gives each year's output, ramp-up included, \
         so a project with one takes no `profile`. Schedules count production years, not calendar years, \
         so that an investor's valuation of a plan holds whichever year it is built in.\n\n",
    );
    for f in ROOT {
        section(&mut out, f, f.key);
    }
    out.push_str(
        "## Renamed fields\n\nA former name is still read as the field's current name wherever a field \
         path is written: a key in a scenario file or layer, `--set`, `overrides`, `remove`, a lever's \
         `set`, and an input's name or pattern (`[[input-correlations]]`, `[sensitivity.groups]`, \
         `subsoil sensitivity --group` and `--tornado-inputs`, a claim's `swing`). A table that gives both \
         names is an error. Inputs and outputs carry the current name; a renamed uncertain input keeps \
         the random stream of its former name, so a seed draws what it drew before.\n\n",
    );
    for (former, now) in crate::renamed::RENAMED {
        out.push_str(&format!("- `{former}` is now `{now}`\n"));
    }
    out.push('\n');
    out.push_str(
        "## Removed fields\n\nA file that still has one is refused with what to write instead:\n\n",
    );
    for (path, advice) in REMOVED {
        out.push_str(&format!("- `{path}`: {advice}\n"));
    }
    out
}

fn section(out: &mut String, f: &Field, path: &str) {
    match &f.ty {
        Ty::Table(fields) => {
            out.push_str(&format!("## `[{path}]`\n\n{} {}\n\n", f.doc, presence(f.req)));
            table(out, fields, path);
        }
        Ty::Map { key, value: Ty::Table(fields) } => {
            let p = format!("{path}.{key}");
            out.push_str(&format!("## `[{p}]`\n\n{} {}\n\n", f.doc, presence(f.req)));
            table(out, fields, &p);
        }
        Ty::Array(Ty::Table(fields)) => {
            out.push_str(&format!("## `[[{path}]]`\n\n{} {}\n\n", f.doc, presence(f.req)));
            table(out, fields, path);
        }
        _ => {
            out.push_str(&format!("## `{path}`\n\n{} {}\n\n", f.doc, presence(f.req)));
            out.push_str(&format!("Type: {}.\n\n", type_text(&f.ty)));
        }
    }
}

fn table(out: &mut String, fields: &[Field], path: &str) {
    out.push_str(
        "| field | type and unit | default | constraint | meaning |\n|---|---|---|---|---|\n",
    );
    let mut nested = Vec::new();
    for f in fields {
        match &f.ty {
            Ty::Table(_) | Ty::Map { value: Ty::Table(_), .. } => {
                nested.push(f);
                out.push_str(&format!(
                    "| `{}` | table, see below | {} | | {} |\n",
                    f.key,
                    default_text(f),
                    f.doc
                ));
            }
            Ty::Array(Ty::Table(_)) => {
                nested.push(f);
                out.push_str(&format!(
                    "| `{}` | array of tables, see below | {} | | {} |\n",
                    f.key,
                    default_text(f),
                    f.doc
                ));
            }
            _ => out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                f.key,
                type_text(&f.ty),
                default_text(f),
                constraint(&f.ty),
                f.doc.replace('|', "\\|")
            )),
        }
    }
    out.push('\n');
    for f in nested {
        section(out, f, &format!("{path}.{}", f.key));
    }
}

fn presence(r: Req) -> &'static str {
    match r {
        Req::Required => "Required.",
        _ => "Optional.",
    }
}

fn default_text(f: &Field) -> String {
    match f.req {
        Req::Required => "required".into(),
        Req::Optional => "—".into(),
        Req::Num(x) => fmt_num(x),
        Req::Text(s) => format!("`{s}`"),
    }
}

fn type_text(t: &Ty) -> String {
    match t {
        Ty::Quantity(Q { unit, uncertain, series, by_age, .. }) => {
            let u = match unit {
                Unit::Fraction => "fraction".to_string(),
                Unit::Any => "any unit".to_string(),
                u => format!("`{}`", u.written()),
            };
            let by_year = match (*series, *by_age) {
                (true, _) => ", by year",
                (false, true) => ", by production year",
                (false, false) => "",
            };
            if *uncertain {
                format!("quantity, {u}, uncertain{by_year}")
            } else {
                format!("quantity, {u}{by_year}")
            }
        }
        Ty::Count { .. } => "whole number".into(),
        Ty::Str => "string".into(),
        Ty::Enum(c) => c.iter().map(|s| format!("`\"{s}\"`")).collect::<Vec<_>>().join(" or "),
        Ty::Bool => "`true` or `false`".into(),
        Ty::Date => "date `YYYY-MM-DD`".into(),
        Ty::Table(_) => "table".into(),
        Ty::Map { key, value } => format!("table of {key} → {}", type_text(value)),
        Ty::Array(inner) => format!("array of {}", type_text(inner)),
    }
}

fn constraint(t: &Ty) -> String {
    match t {
        Ty::Quantity(Q { unit: Unit::Any, .. }) => String::new(),
        Ty::Quantity(q) => format!("[{}, {}]", fmt_num(q.min), fmt_num(q.max)),
        Ty::Count { min, max } => format!("[{min}, {max}]"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field of the schema, as (heading of its section, key).
    fn fields(list: &[Field], heading: &str, out: &mut Vec<(String, String)>) {
        for f in list {
            out.push((heading.to_string(), f.key.to_string()));
            let path =
                if heading.is_empty() { f.key.to_string() } else { format!("{heading}.{}", f.key) };
            match &f.ty {
                Ty::Table(inner) | Ty::Array(Ty::Table(inner)) => fields(inner, &path, out),
                Ty::Map { key, value: Ty::Table(inner) } => {
                    fields(inner, &format!("{path}.{key}"), out)
                }
                _ => {}
            }
        }
    }

    #[test]
    fn every_schema_field_is_in_the_reference() {
        let text = render();
        // The reference's sections: heading path → the text up to the next heading.
        let mut sections = std::collections::HashMap::new();
        for part in text.split("\n## ").skip(1) {
            let (head, body) = part.split_once('\n').unwrap_or((part, ""));
            let path = head.trim_matches(|c| c == '`' || c == '[' || c == ']');
            sections.insert(path.to_string(), body.to_string());
        }
        let mut all = Vec::new();
        fields(ROOT, "", &mut all);
        let mut missing = Vec::new();
        for (heading, key) in &all {
            if heading.is_empty() {
                // A top-level field is a section of its own.
                let prefix = format!("{key}.");
                if !sections.keys().any(|h| h == key || h.starts_with(&prefix)) {
                    missing.push(key.clone());
                }
                continue;
            }
            let row = format!("| `{key}` |");
            if !sections.get(heading).is_some_and(|body| body.contains(&row)) {
                missing.push(format!("{heading}.{key}"));
            }
        }
        assert!(all.len() > 150, "the schema walk found only {} fields", all.len());
        assert!(missing.is_empty(), "fields missing from the reference: {missing:?}");
    }
}
