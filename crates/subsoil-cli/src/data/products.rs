//! `subsoil data products`: each product's price, long-run level, volatility, half-life, royalty rate
//! and the dominant producer's share, each with its provenance kind.

use serde::Serialize;
use subsoil_scenario::{Quantity, Scenario, provenance};

use super::format::{heading, kind, mark, note, num, percent};
use super::{DataArgs, Listing, normalise};
use crate::table::{Align, Table};

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

/// The products shown, in file order.
#[derive(Serialize)]
pub struct Products {
    units: &'static str,
    products: Vec<ProductOut>,
}

/// The products of `s` whose id or name mentions the commodity of `args`, or the message when none
/// does.
pub fn listing(s: &Scenario, args: &DataArgs) -> Result<Products, String> {
    let listing = provenance::list(&args.scenario).map_err(|e| e.render())?;
    let q = |id: &str, field: &str| {
        let path = format!("products.{id}.{field}");
        s.quantities.iter().find(|q| q.path == path)
    };
    let wanted = args.commodity.as_deref().map(normalise);
    let products: Vec<ProductOut> = listing
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
    if products.is_empty() && wanted.is_some() {
        let ids: Vec<&str> = listing.products.iter().map(|p| p.id.as_str()).collect();
        return Err(format!(
            "error: no product matches {:?}; products: {}\n",
            args.commodity.as_deref().unwrap_or_default(),
            ids.join(", ")
        ));
    }
    Ok(Products {
        units: "real base-year US dollars per product unit; rates and shares as fractions; volatility in log/sqrt(yr); half-life in years",
        products,
    })
}

impl Listing for Products {
    const CSV_HEADER: &'static [&'static str] = &[
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
    ];

    fn csv_records(&self) -> Vec<Vec<String>> {
        let v = |x: &Option<Valued>| x.as_ref().map_or(String::new(), |x| x.value.to_string());
        let k = |x: &Option<Valued>| x.as_ref().map_or("", |x| x.kind).to_string();
        self.products
            .iter()
            .map(|p| {
                let lr = |f: fn(&Level) -> String| p.long_run.as_ref().map_or(String::new(), f);
                vec![
                    p.id.clone(),
                    p.name.clone(),
                    p.unit.clone(),
                    v(&p.price),
                    p.price.as_ref().and_then(|x| x.as_of.clone()).unwrap_or_default(),
                    k(&p.price),
                    lr(|l| l.median.to_string()),
                    lr(|l| l.min.to_string()),
                    lr(|l| l.max.to_string()),
                    lr(|l| l.kind.to_string()),
                    v(&p.volatility),
                    k(&p.volatility),
                    v(&p.half_life),
                    k(&p.half_life),
                    v(&p.royalty_rate),
                    k(&p.royalty_rate),
                    v(&p.dominant_producer_share),
                    k(&p.dominant_producer_share),
                ]
            })
            .collect()
    }

    fn table(&self, s: &Scenario) -> String {
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
        for p in &self.products {
            t.row(vec![
                p.id.clone(),
                p.unit.clone(),
                cell(&p.price, num),
                p.price.as_ref().and_then(|x| x.as_of.clone()).unwrap_or_default(),
                p.long_run.as_ref().map_or("—".into(), |l| {
                    format!("{} ({}–{}) {}", num(l.median), num(l.min), num(l.max), mark(l.kind))
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
        out.push_str(&note(
            "Provenance: s sourced, d derived from sources, a assumption (judgment), u unsourced. \
             `subsoil data sources` lists the sources; --format json gives each value's source or reason.",
        ));
        out
    }
}
