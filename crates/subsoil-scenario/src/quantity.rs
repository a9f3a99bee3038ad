//! Quantities: a number, or a table with a value or a distribution, a unit and its provenance.

use subsoil_risk::{Dist, LognormalSpec};

use crate::diag::{Diagnostics, Location};
use crate::schema::{Q, Unit};
use crate::tree::{Kind, Node};

/// Where a number comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Provenance {
    /// A URL or published study; `derivation` shows the arithmetic when the value is derived.
    Source {
        /// The source(s).
        source: String,
        /// The arithmetic from the sourced inputs, if derived.
        derivation: Option<String>,
    },
    /// A judgment call, with its reason.
    Assumption(String),
    /// A bare number with no provenance (allowed in users' own files).
    Unsourced,
    /// Not given: the schema's default.
    Default,
}

impl Provenance {
    /// Short label: `source`, `derived`, `assumption`, `unsourced` or `default`.
    pub fn kind(&self) -> &'static str {
        match self {
            Provenance::Source { derivation: Some(_), .. } => "derived",
            Provenance::Source { .. } => "source",
            Provenance::Assumption(_) => "assumption",
            Provenance::Unsourced => "unsourced",
            Provenance::Default => "default",
        }
    }
    /// The text: source, derivation and source, or reason.
    pub fn text(&self) -> String {
        match self {
            Provenance::Source { source, derivation: Some(d) } => format!("{d} [{source}]"),
            Provenance::Source { source, derivation: None } => source.clone(),
            Provenance::Assumption(r) => r.clone(),
            Provenance::Unsourced | Provenance::Default => String::new(),
        }
    }
}

/// A validated quantity.
#[derive(Clone, Debug)]
pub struct Quantity {
    /// Dotted path of the field, also the name of the uncertain input.
    pub path: String,
    /// The value or distribution.
    pub dist: Dist,
    /// Whether it is uncertain (anything other than a fixed value).
    pub uncertain: bool,
    /// Unit as written, if any.
    pub unit: Option<String>,
    /// Provenance.
    pub provenance: Provenance,
    /// Reliability grade `A`, `B` or `C`, if given.
    pub reliability: Option<String>,
    /// Date the value refers to, if given.
    pub as_of: Option<String>,
    /// Where it was written.
    pub location: Option<Location>,
    /// The field's allowed range: draws from a distribution with an unbounded tail are clamped to it.
    pub bounds: (f64, f64),
    /// A year-by-year series, when the value is one; `dist` is then its scale factor.
    pub series: Option<SeriesSpec>,
}

/// What holds in a year a series does not give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutsideRule {
    /// The nearest value given.
    HoldLast,
    /// Zero.
    Zero,
    /// Every year used must be given (checked where the series is used).
    Error,
}

/// A validated year-by-year series.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesSpec {
    /// First year given.
    pub first: i32,
    /// One value per year from `first`, without a gap.
    pub values: Vec<f64>,
    /// The rule outside the years given.
    pub outside: OutsideRule,
}

impl SeriesSpec {
    /// The last year given.
    pub fn last(&self) -> i32 {
        self.first + self.values.len() as i32 - 1
    }

    /// The largest value given, or 0 for `zero` outside when that is larger.
    pub fn max(&self) -> f64 {
        let m = self.values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if self.outside == OutsideRule::Zero { m.max(0.0) } else { m }
    }

    /// The series for the model (the rule `error` was checked where it is used; past it the last
    /// value holds).
    pub fn to_model(&self) -> subsoil_core::series::Series {
        subsoil_core::series::Series {
            first: self.first,
            values: self.values.clone(),
            outside: match self.outside {
                OutsideRule::Zero => subsoil_core::series::Outside::Zero,
                OutsideRule::HoldLast | OutsideRule::Error => subsoil_core::series::Outside::Hold,
            },
        }
    }
}

impl Quantity {
    /// A fixed default value (`None` only if `v` is not finite).
    pub fn default_value(path: String, v: f64) -> Option<Quantity> {
        Some(Quantity {
            path,
            dist: Dist::fixed(v).ok()?,
            uncertain: false,
            unit: None,
            provenance: Provenance::Default,
            reliability: None,
            as_of: None,
            location: None,
            bounds: (f64::NEG_INFINITY, f64::INFINITY),
            series: None,
        })
    }

    /// The median, the value `--deterministic` uses.
    pub fn median(&self) -> f64 {
        self.dist.median()
    }
}

const META_KEYS: &[&str] =
    &["unit", "source", "derivation", "assumption", "reliability", "as-of", "note"];

/// Reads a quantity at `path` against the constraints `q`, reporting every problem. `product` is the
/// unit of the product a product-dependent unit (`USD/<u>`, `<u>/yr`) counts in, when known: messages
/// name it (`USD/t`), or say in words that it is the product's.
pub fn read(
    node: &Node,
    q: &Q,
    product: Option<&str>,
    path: &str,
    d: &mut Diagnostics,
) -> Option<Quantity> {
    let loc = Some(node.location());
    if let Kind::Table(t) = &node.kind
        && (t.contains_key("by-year") || t.contains_key(BY_AGE))
    {
        return read_series(node, t, q, product, path, d);
    }
    let (dist, uncertain, table) = match &node.kind {
        Kind::Int(_) | Kind::Float(_) => {
            let v = node.number().unwrap_or(0.0);
            (Dist::fixed(v).ok()?, false, None)
        }
        Kind::Table(t) => {
            let (dist, uncertain) = read_dist(node, t, q, product, path, d)?;
            (dist, uncertain, Some(t))
        }
        k => {
            d.error(
                loc,
                path,
                format!(
                    "expected a number ({}) or a quantity table, found {}",
                    describe_unit(q.unit, product),
                    k.type_name()
                ),
            );
            return None;
        }
    };
    let mut quantity = Quantity {
        path: path.to_string(),
        dist,
        uncertain,
        unit: None,
        provenance: Provenance::Unsourced,
        reliability: None,
        as_of: None,
        location: loc.clone(),
        bounds: (q.min, q.max),
        series: None,
    };
    if let Some(t) = table {
        read_meta(node, t, q, path, &mut quantity, d);
    }
    if uncertain && !q.uncertain {
        d.error(loc.clone(), path, "this field cannot be uncertain: give a fixed `value`");
    }
    check_range(&quantity, q, product, path, loc, d);
    Some(quantity)
}

/// Keys a series table takes besides the provenance keys.
const SERIES_KEYS: &[&str] = &["by-year", "by-production-year", "outside", "scale"];

/// Earliest and latest year a series may give.
const SERIES_YEARS: (i32, i32) = (1900, 2300);

/// The key of a schedule by production year.
const BY_AGE: &str = "by-production-year";

/// Latest production year a schedule may give.
const MAX_PRODUCTION_YEAR: i32 = 100;

/// Reads a year-by-year series: `by-year` (years without a gap, each value within the field's range),
/// `outside`, an optional `scale` (a number or distribution, a ratio) and the provenance keys.
fn read_series(
    node: &Node,
    t: &std::collections::BTreeMap<String, Node>,
    q: &Q,
    product: Option<&str>,
    path: &str,
    d: &mut Diagnostics,
) -> Option<Quantity> {
    let loc = Some(node.location());
    let by_age = t.contains_key(BY_AGE);
    if by_age && t.contains_key("by-year") {
        d.error(
            t.get(BY_AGE).map(Node::location),
            format!("{path}.{BY_AGE}"),
            "give either `by-year` (calendar years) or `by-production-year`, not both",
        );
        return None;
    }
    let key = if by_age { BY_AGE } else { "by-year" };
    let allowed = if by_age { q.by_age } else { q.series };
    if !allowed {
        let message = match (by_age, q.series, q.by_age) {
            (false, _, true) => {
                "this field takes a schedule by production year, not by calendar year: `by-production-year = { 1 = …, 2 = … }`, year 1 the first year of output"
            }
            (true, true, _) => {
                "this field takes a series by calendar year (`by-year = { 2026 = … }`), not by production year"
            }
            (true, false, _) => {
                "this field takes one value, not a schedule by production year (fields marked \"by production year\" in the scenario reference take one)"
            }
            _ => {
                "this field takes one value, not a by-year series (fields marked \"by year\" in the scenario reference take one)"
            }
        };
        d.error(t.get(key).map(Node::location), format!("{path}.{key}"), message);
        return None;
    }
    let (low, high) = if by_age { (1, MAX_PRODUCTION_YEAR) } else { SERIES_YEARS };
    let mut ok = true;
    for (k, v) in t {
        if !SERIES_KEYS.contains(&k.as_str()) && !META_KEYS.contains(&k.as_str()) {
            d.error(
                Some(v.location()),
                format!("{path}.{k}"),
                format!(
                    "unknown key {:?} for a by-year series; expected {} or {}",
                    crate::layers::clip(k),
                    SERIES_KEYS.join(", "),
                    META_KEYS.join(", ")
                ),
            );
            ok = false;
        }
    }
    let by_year = &t[key];
    let Kind::Table(years) = &by_year.kind else {
        d.error(
            Some(by_year.location()),
            format!("{path}.{key}"),
            format!("expected a table of year = value, found {}", by_year.kind.type_name()),
        );
        return None;
    };
    if years.is_empty() {
        d.error(
            Some(by_year.location()),
            format!("{path}.{key}"),
            "a series needs at least one year",
        );
        return None;
    }
    let mut given: Vec<(i32, f64)> = Vec::with_capacity(years.len());
    for (k, v) in years {
        let p = format!("{path}.{key}.{}", crate::layers::clip(k));
        let year = k.parse::<i32>().ok().filter(|y| (low..=high).contains(y));
        let Some(year) = year else {
            let what = if by_age { "production years" } else { "calendar years" };
            d.error(
                Some(v.location()),
                p,
                format!(
                    "{:?} is not a year: keys of `{key}` are {what} from {low} to {high}",
                    crate::layers::clip(k),
                ),
            );
            ok = false;
            continue;
        };
        match v.number() {
            Some(x) if x >= q.min && x <= q.max => given.push((year, x)),
            Some(x) => {
                d.error(
                    Some(v.location()),
                    p,
                    format!(
                        "{} is outside [{}, {}] ({})",
                        fmt_num(x),
                        fmt_num(q.min),
                        fmt_num(q.max),
                        describe_unit(q.unit, product)
                    ),
                );
                ok = false;
            }
            None => {
                d.error(
                    Some(v.location()),
                    p,
                    format!("expected a number, found {}", v.kind.type_name()),
                );
                ok = false;
            }
        }
    }
    given.sort_by_key(|&(y, _)| y);
    for w in given.windows(2) {
        if w[1].0 != w[0].0 + 1 {
            d.error(
                Some(by_year.location()),
                format!("{path}.{key}"),
                format!(
                    "the years must follow one another: {} is missing between {} and {}",
                    w[0].0 + 1,
                    w[0].0,
                    w[1].0
                ),
            );
            ok = false;
            break;
        }
    }
    let outside = match t.get("outside") {
        None => OutsideRule::HoldLast,
        Some(n) => match n.str() {
            Some("hold-last") => OutsideRule::HoldLast,
            Some("zero") => OutsideRule::Zero,
            Some("error") => OutsideRule::Error,
            _ => {
                d.error(
                    Some(n.location()),
                    format!("{path}.outside"),
                    "expected one of \"hold-last\", \"zero\", \"error\"",
                );
                ok = false;
                OutsideRule::HoldLast
            }
        },
    };
    let scale_q = Q {
        unit: Unit::Ratio,
        min: 0.0,
        max: 1e6,
        uncertain: q.uncertain,
        series: false,
        by_age: false,
    };
    let scale = match t.get("scale") {
        Some(n) => read(n, &scale_q, None, &format!("{path}.scale"), d)?,
        None => Quantity::default_value(format!("{path}.scale"), 1.0)?,
    };
    if !ok || given.is_empty() {
        return None;
    }
    let mut quantity = Quantity {
        path: path.to_string(),
        dist: scale.dist,
        uncertain: scale.uncertain,
        unit: None,
        provenance: Provenance::Unsourced,
        reliability: None,
        as_of: None,
        location: loc,
        bounds: (0.0, 1e6),
        series: Some(SeriesSpec {
            first: given[0].0,
            values: given.iter().map(|&(_, x)| x).collect(),
            outside,
        }),
    };
    read_meta(node, t, q, path, &mut quantity, d);
    Some(quantity)
}

fn describe_unit(u: Unit, product: Option<&str>) -> String {
    match u {
        Unit::Fraction => "a fraction: 0.18 means 18%".into(),
        Unit::Any => "any unit".into(),
        u => format!("in {}", u.named(product)),
    }
}

fn read_meta(
    node: &Node,
    t: &std::collections::BTreeMap<String, Node>,
    q: &Q,
    path: &str,
    out: &mut Quantity,
    d: &mut Diagnostics,
) {
    let text = |k: &str, d: &mut Diagnostics| -> Option<String> {
        let n = t.get(k)?;
        match n.str() {
            Some(s) if !s.trim().is_empty() => Some(s.to_string()),
            Some(_) => {
                d.error(Some(n.location()), format!("{path}.{k}"), "must not be empty");
                None
            }
            None => {
                d.error(
                    Some(n.location()),
                    format!("{path}.{k}"),
                    format!("expected a string, found {}", n.kind.type_name()),
                );
                None
            }
        }
    };
    if let Some(u) = text("unit", d) {
        if !q.unit.accepts(&u) {
            let n = &t["unit"];
            d.error(
                Some(n.location()),
                format!("{path}.unit"),
                format!(
                    "unit {:?} does not fit this field: expected {}",
                    crate::diag::clip(&u),
                    expected_unit(q.unit)
                ),
            );
        }
        out.unit = Some(u);
    }
    let source = text("source", d);
    let derivation = text("derivation", d);
    let assumption = text("assumption", d);
    out.reliability = text("reliability", d);
    if let (Some(r), Some(n)) = (&out.reliability, t.get("reliability"))
        && !matches!(r.as_str(), "A" | "B" | "C")
    {
        d.error(
            Some(n.location()),
            format!("{path}.reliability"),
            "expected \"A\", \"B\" or \"C\"",
        );
    }
    out.as_of = t.get("as-of").map(|n| match &n.kind {
        Kind::Datetime(s) | Kind::Str(s) => s.clone(),
        Kind::Int(i) => i.to_string(),
        _ => String::new(),
    });
    let _ = text("note", d);
    out.provenance = match (source, assumption) {
        (Some(_), Some(_)) => {
            d.error(Some(node.location()), path, "give either `source` or `assumption`, not both");
            Provenance::Unsourced
        }
        (Some(s), None) => Provenance::Source { source: s, derivation },
        (None, Some(a)) => {
            if derivation.is_some() {
                d.error(
                    Some(node.location()),
                    format!("{path}.derivation"),
                    "a derivation needs the `source` of its inputs",
                );
            }
            Provenance::Assumption(a)
        }
        (None, None) => {
            if derivation.is_some() {
                d.error(
                    Some(node.location()),
                    format!("{path}.derivation"),
                    "a derivation needs the `source` of its inputs",
                );
            }
            Provenance::Unsourced
        }
    };
}

fn expected_unit(u: Unit) -> String {
    match u {
        Unit::UsdPerProductUnit => {
            "\"<currency>/<product unit>\", e.g. \"USD/t\" (an ISO currency code; another than the scenario's is converted by `macro.exchange-rates`)".into()
        }
        Unit::Usd => "an ISO currency code, e.g. \"USD\"".into(),
        Unit::UsdPerYear => "\"<currency>/yr\", e.g. \"USD/yr\"".into(),
        Unit::ExchangeRate => "\"<code>/<currency>\", e.g. \"EUR/USD\"".into(),
        Unit::ProductUnitPerYear => "\"<product unit>/yr\", e.g. \"t/yr\"".into(),
        u => format!("{:?}", u.written()),
    }
}

/// Parameters each distribution kind takes.
const KINDS: &[(&str, &[&str])] = &[
    ("fixed", &["value"]),
    ("uniform", &["min", "max"]),
    ("triangular", &["min", "mode", "max"]),
    ("pert", &["min", "mode", "max", "lambda"]),
    ("normal", &["mean", "sd", "min", "max"]),
    ("lognormal", &["median", "p90", "mean", "sd", "sigma"]),
    ("shifted-lognormal", &["shift", "median", "p90", "mean", "sd", "sigma"]),
    ("beta", &["alpha", "beta", "min", "max"]),
    ("discrete", &["values", "weights"]),
    ("bernoulli", &["p"]),
    ("empirical", &["samples", "points"]),
];

fn read_dist(
    node: &Node,
    t: &std::collections::BTreeMap<String, Node>,
    q: &Q,
    product: Option<&str>,
    path: &str,
    d: &mut Diagnostics,
) -> Option<(Dist, bool)> {
    let loc = Some(node.location());
    let kind = match (t.get("dist"), t.get("value")) {
        (Some(k), _) => match k.str() {
            Some(s) => s.to_string(),
            None => {
                d.error(
                    Some(k.location()),
                    format!("{path}.dist"),
                    "expected the name of a distribution (a string)",
                );
                return None;
            }
        },
        (None, Some(_)) => "fixed".to_string(),
        (None, None) => {
            d.error(
                loc,
                path,
                format!(
                    "a quantity table needs `value` or `dist` ({})",
                    describe_unit(q.unit, product)
                ),
            );
            return None;
        }
    };
    let Some((_, params)) = KINDS.iter().find(|(k, _)| *k == kind) else {
        let names: Vec<&str> = KINDS.iter().map(|(k, _)| *k).collect();
        d.error(
            t.get("dist").map(Node::location),
            format!("{path}.dist"),
            format!(
                "unknown distribution {:?}; expected one of {}",
                crate::diag::clip(&kind),
                names.join(", ")
            ),
        );
        return None;
    };
    let mut ok = true;
    for (k, v) in t {
        if k == "dist" || META_KEYS.contains(&k.as_str()) || params.contains(&k.as_str()) {
            continue;
        }
        d.error(
            Some(v.location()),
            format!("{path}.{k}"),
            format!(
                "unknown key {:?} for a {kind} quantity; expected {} or {}",
                crate::diag::clip(k),
                params.join(", "),
                META_KEYS.join(", ")
            ),
        );
        ok = false;
    }
    let num = |k: &str, d: &mut Diagnostics| -> Option<f64> {
        let n = t.get(k)?;
        match n.number() {
            Some(x) => Some(x),
            None => {
                d.error(
                    Some(n.location()),
                    format!("{path}.{k}"),
                    format!("expected a number, found {}", n.kind.type_name()),
                );
                None
            }
        }
    };
    let need = |k: &str, d: &mut Diagnostics| -> Option<f64> {
        match t.get(k) {
            Some(_) => num(k, d),
            None => {
                d.error(loc.clone(), path, format!("a {kind} distribution needs `{k}`"));
                None
            }
        }
    };
    let list = |k: &str, d: &mut Diagnostics| -> Option<Vec<f64>> {
        let n = t.get(k)?;
        let Kind::Array(items) = &n.kind else {
            d.error(
                Some(n.location()),
                format!("{path}.{k}"),
                format!("expected an array of numbers, found {}", n.kind.type_name()),
            );
            return None;
        };
        if items.len() > 100_000 {
            d.error(Some(n.location()), format!("{path}.{k}"), "more than 100,000 entries");
            return None;
        }
        let mut out = Vec::with_capacity(items.len());
        for (i, it) in items.iter().enumerate() {
            match it.number() {
                Some(x) => out.push(x),
                None => {
                    d.error(
                        Some(it.location()),
                        format!("{path}.{k}[{i}]"),
                        format!("expected a number, found {}", it.kind.type_name()),
                    );
                    return None;
                }
            }
        }
        Some(out)
    };
    let lognormal_spec = |d: &mut Diagnostics| -> Option<LognormalSpec> {
        let has = |k: &str| t.contains_key(k);
        if has("median") && has("p90") && !has("mean") && !has("sd") && !has("sigma") {
            Some(LognormalSpec::MedianP90 { median: num("median", d)?, p90: num("p90", d)? })
        } else if has("mean") && has("sd") && !has("median") && !has("p90") && !has("sigma") {
            Some(LognormalSpec::MeanSd { mean: num("mean", d)?, sd: num("sd", d)? })
        } else if has("median") && has("sigma") && !has("p90") && !has("mean") && !has("sd") {
            Some(LognormalSpec::MedianSigma { median: num("median", d)?, sigma: num("sigma", d)? })
        } else {
            d.error(loc.clone(), path, format!("a {kind} distribution takes exactly one of: `median` and `p90`; `mean` and `sd`; `median` and `sigma`"));
            None
        }
    };
    if !ok {
        return None;
    }
    let built = match kind.as_str() {
        "fixed" => Dist::fixed(need("value", d)?),
        "uniform" => Dist::uniform(need("min", d)?, need("max", d)?),
        "triangular" => Dist::triangular(need("min", d)?, need("mode", d)?, need("max", d)?),
        "pert" => {
            let (a, m, b) = (need("min", d)?, need("mode", d)?, need("max", d)?);
            match num("lambda", d) {
                Some(l) => Dist::pert_with_lambda(a, m, b, l),
                None => Dist::pert(a, m, b),
            }
        }
        "normal" => {
            let (m, s) = (need("mean", d)?, need("sd", d)?);
            let (lo, hi) = (num("min", d), num("max", d));
            if lo.is_none() && hi.is_none() {
                Dist::normal(m, s)
            } else {
                Dist::truncated_normal(m, s, lo, hi)
            }
        }
        "lognormal" => Dist::lognormal(lognormal_spec(d)?),
        "shifted-lognormal" => Dist::shifted_lognormal(need("shift", d)?, lognormal_spec(d)?),
        "beta" => {
            let (a, b) = (need("alpha", d)?, need("beta", d)?);
            match (num("min", d), num("max", d)) {
                (None, None) => Dist::beta(a, b),
                (lo, hi) => Dist::beta_scaled(a, b, lo.unwrap_or(0.0), hi.unwrap_or(1.0)),
            }
        }
        "discrete" => {
            let values = list("values", d);
            let weights = list("weights", d);
            match (values, weights) {
                (Some(v), Some(w)) => {
                    if !weights_add_up(&w) {
                        let at = t.get("weights").map(Node::location);
                        let sum: f64 = w.iter().sum();
                        d.error(
                            at,
                            format!("{path}.weights"),
                            format!(
                                "the weights sum to {}, not 1: weights written with fractions are probabilities and must sum to 1 (within {WEIGHT_TOLERANCE:e}); whole-number weights such as [1, 2, 1] are relative frequencies",
                                fmt_num(sum)
                            ),
                        );
                        return None;
                    }
                    Dist::discrete(&v, &w)
                }
                _ => {
                    if !t.contains_key("values") || !t.contains_key("weights") {
                        d.error(
                            loc.clone(),
                            path,
                            "a discrete distribution needs `values` and `weights` arrays",
                        );
                    }
                    return None;
                }
            }
        }
        "bernoulli" => Dist::bernoulli(need("p", d)?),
        "empirical" => match (t.get("samples"), t.get("points")) {
            (Some(_), None) => Dist::empirical_samples(&list("samples", d)?),
            (None, Some(n)) => {
                let pts = read_points(n, path, d)?;
                Dist::empirical_cdf(&pts)
            }
            _ => {
                d.error(
                    loc.clone(),
                    path,
                    "an empirical distribution needs either `samples` or `points`",
                );
                return None;
            }
        },
        _ => return None,
    };
    match built {
        Ok(dist) => Some((dist, kind != "fixed")),
        Err(e) => {
            d.error(loc, path, e.to_string());
            None
        }
    }
}

fn read_points(n: &Node, path: &str, d: &mut Diagnostics) -> Option<Vec<(f64, f64)>> {
    let Kind::Array(items) = &n.kind else {
        d.error(Some(n.location()), format!("{path}.points"), "expected an array of [x, F] pairs");
        return None;
    };
    let mut out = Vec::new();
    for (i, it) in items.iter().enumerate() {
        match &it.kind {
            Kind::Array(p) if p.len() == 2 => match (p[0].number(), p[1].number()) {
                (Some(x), Some(f)) => out.push((x, f)),
                _ => {
                    d.error(
                        Some(it.location()),
                        format!("{path}.points[{i}]"),
                        "expected two numbers [x, F]",
                    );
                    return None;
                }
            },
            _ => {
                d.error(
                    Some(it.location()),
                    format!("{path}.points[{i}]"),
                    "expected a pair [x, F]",
                );
                return None;
            }
        }
    }
    Some(out)
}

/// How far from 1 weights written as probabilities may sum.
const WEIGHT_TOLERANCE: f64 = 1e-9;

/// Whether discrete weights are acceptable as written: whole numbers are relative frequencies (any
/// positive total); weights with a fraction among them are probabilities and must sum to 1.
fn weights_add_up(w: &[f64]) -> bool {
    if w.iter().all(|x| x.fract() == 0.0) {
        return true;
    }
    let sum: f64 = w.iter().sum();
    (sum - 1.0).abs() <= WEIGHT_TOLERANCE
}

/// Tail probability below which a distribution's reach is not checked against a field's bounds.
const TAIL: f64 = 1e-9;

fn check_range(
    qt: &Quantity,
    q: &Q,
    product: Option<&str>,
    path: &str,
    loc: Option<Location>,
    d: &mut Diagnostics,
) {
    if q.unit == Unit::Any {
        return;
    }
    // The range a distribution actually reaches (its 1e-9 and 1 - 1e-9 quantiles): an unbounded tail
    // beyond that is clamped to the field's bounds when sampled.
    let (lo, hi) = if qt.uncertain {
        (qt.dist.quantile(TAIL), qt.dist.quantile(1.0 - TAIL))
    } else {
        qt.dist.support()
    };
    if lo >= q.min && hi <= q.max {
        return;
    }
    let bounds = format!("[{}, {}]", fmt_num(q.min), fmt_num(q.max));
    if !qt.uncertain {
        let v = lo;
        let key = path.rsplit('.').next().unwrap_or(path);
        let fraction = matches!(q.unit, Unit::Fraction | Unit::FractionPerYear);
        let rate = q.unit == Unit::FractionPerYear || key.ends_with("rate");
        let percent = v > 1.0 && v <= 100.0 && q.max <= 1.0;
        let correlation = fraction && q.min == -1.0 && q.max == 1.0;
        let hint = if correlation {
            "; a correlation lies between -1 and 1".to_string()
        } else if fraction && rate && percent {
            // A rate is often written as a percent: 18 for 18%, 1.5 for 1.5%.
            format!(
                "; rates are fractions, not percents: write {} for {}%",
                fmt_num(v / 100.0),
                fmt_num(v)
            )
        } else if fraction && percent {
            // A share or probability above 1 is a percent only when it is well above 1 (50 for 50%).
            let as_percent = if v >= 2.0 {
                format!("; for {}% write {}", fmt_num(v), fmt_num(v / 100.0))
            } else {
                String::new()
            };
            format!("; a share or probability is at most 1 (1 means 100%){as_percent}")
        } else if v < q.min && v < 0.0 && q.min >= 0.0 {
            "; it cannot be negative".to_string()
        } else {
            String::new()
        };
        d.error(
            loc,
            path,
            format!(
                "{} is outside {bounds} ({}){hint}",
                fmt_num(v),
                if correlation {
                    "a rank correlation".to_string()
                } else {
                    describe_unit(q.unit, product)
                }
            ),
        );
    } else {
        d.error(
            loc,
            path,
            format!(
                "the distribution reaches [{}, {}] (its 1e-9 and 1 - 1e-9 quantiles), outside the allowed {bounds} ({}); truncate it or choose a bounded distribution",
                fmt_num(lo),
                fmt_num(hi),
                describe_unit(q.unit, product)
            ),
        );
    }
}

/// A number for messages: plain for ordinary magnitudes, scientific for huge or tiny ones.
pub fn fmt_num(x: f64) -> String {
    if x.is_infinite() {
        return if x > 0.0 { "∞".into() } else { "-∞".into() };
    }
    if x != 0.0 && (x.abs() >= 1e7 || x.abs() < 1e-4) {
        format!("{x:e}")
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}
