//! Lowering of `[deal]`: parties, contribution rules, cash, credits, the investment rule and the
//! waterfall, with the cross-references checked (party ids, product ids, one host, tier parameters).

use std::collections::HashMap;

use subsoil_core::Param;
use subsoil_core::deal::{Base, Cash, Contribution, Credit, Deal, Investing, Party, Tier, Which};
use subsoil_core::fund::MAX_PARTIES;

use crate::diag::{Diagnostics, Location, Sources};
use crate::lower::Inputs;
use crate::walk::Values;

/// Counts of the deal's arrays and its party ids, read from the merged tree.
#[derive(Clone, Debug, Default)]
pub struct DealShape {
    /// Party ids in order.
    pub parties: Vec<String>,
    /// Number of `[[deal.contributions]]`.
    pub contributions: usize,
    /// Number of `[[deal.cash]]`.
    pub cash: usize,
    /// Number of `[[deal.credits]]`.
    pub credits: usize,
    /// Number of `[[deal.tiers]]`.
    pub tiers: usize,
}

/// Builds the deal.
pub fn lower_deal(
    v: &Values,
    shape: &DealShape,
    products: &HashMap<String, usize>,
    inputs: &mut Inputs,
    sources: &Sources,
    d: &mut Diagnostics,
) -> Deal {
    // Of the places that make a problem, the user's own (not a built-in file they cannot edit).
    let users = |paths: &mut dyn Iterator<Item = String>| -> Option<Location> {
        let locs: Vec<Location> = paths.filter_map(|p| v.loc(&p)).collect();
        let builtin = |l: &Location| sources.get(l.file).name.starts_with("builtin:");
        locs.iter().find(|l| !builtin(l)).or(locs.first()).cloned()
    };
    let mut deal = Deal {
        name: v.str("deal.name").unwrap_or_default().to_string(),
        lock_up_until: v.count("deal.lock-up-until").map(|y| y as i32),
        ..Deal::default()
    };
    let param = |path: &str, inputs: &mut Inputs| v.q(path).map(|q| inputs.param(q));
    deal.target = param("deal.target", inputs);
    deal.aid_given = param("deal.aid-given", inputs);
    deal.contribution_cap = param("deal.contribution-cap", inputs);

    if shape.parties.len() > MAX_PARTIES {
        d.error(v.loc("deal.parties"), "deal.parties", format!("at most {MAX_PARTIES} parties"));
    }
    for id in shape.parties.iter().take(MAX_PARTIES) {
        deal.parties.push(Party {
            id: id.clone(),
            name: v.str(&format!("deal.parties.{id}.name")).unwrap_or_default().to_string(),
            host: v.bool(&format!("deal.parties.{id}.host")).unwrap_or(false),
        });
    }
    let hosts = deal.parties.iter().filter(|p| p.host).count();
    let has_flows = shape.contributions + shape.cash + shape.credits + shape.tiers > 0;
    if deal.parties.is_empty() {
        if has_flows {
            let flows = ["contributions", "cash", "credits", "tiers"].map(|k| format!("deal.{k}"));
            let at = users(&mut flows.into_iter()).or_else(|| v.loc("deal"));
            d.error(at, "deal.parties", "contributions, cash, credits or tiers need parties: add [deal.parties.<id>] tables");
        }
        return deal;
    }
    if hosts != 1 {
        // Blame a `host` the user wrote: a `false` when there is no host, a `true` when there are two.
        let flags = deal
            .parties
            .iter()
            .filter(|p| p.host == (hosts > 1))
            .map(|p| format!("deal.parties.{}.host", p.id))
            .collect::<Vec<_>>();
        let at = users(&mut flags.into_iter()).or_else(|| v.loc("deal.parties"));
        d.error(
            at,
            "deal.parties",
            format!("exactly one party must be the host state (`host = true`); found {hosts}"),
        );
    }
    let party = |path: &str, d: &mut Diagnostics| -> Option<usize> {
        let id = v.str(path)?;
        let found = deal.parties.iter().position(|p| p.id == id);
        if found.is_none() {
            let ids: Vec<&str> = deal.parties.iter().map(|p| p.id.as_str()).collect();
            d.error(v.loc(path), path, format!("no party {id:?}; parties: {}", ids.join(", ")));
        }
        found
    };
    deal.partner = match v.str("deal.partner") {
        Some(_) => party("deal.partner", d),
        None => deal.parties.iter().position(|p| !p.host),
    };

    for k in 0..shape.contributions {
        let b = format!("deal.contributions[{k}]");
        let base = match v.str(&format!("{b}.stream")) {
            Some("royalty") => Base::Royalty,
            Some("psa-state-share") => Base::PsaStateShare,
            Some("licence-fees") => Base::LicenceFees,
            Some("corporate-tax") => Base::CorporateTax,
            Some("resource-revenue") => Base::ResourceRevenue,
            _ => Base::Infrastructure,
        };
        let which = match v.str(&format!("{b}.receipts")) {
            Some("new") => Which::New,
            Some("existing") => Which::Existing,
            _ => Which::All,
        };
        let from_year = v.count(&format!("{b}.from-year")).map(|y| y as i32);
        let until_year = v.count(&format!("{b}.until-year")).map(|y| y as i32);
        if let (Some(f), Some(u)) = (from_year, until_year)
            && f > u
        {
            d.error(v.loc(&b), b.clone(), format!("from-year {f} is after until-year {u}"));
        }
        deal.contributions.push(Contribution {
            base,
            which,
            share: param(&format!("{b}.share"), inputs).unwrap_or(Param::Fixed(0.0)),
            net_of_operating_expenses: param(&format!("{b}.net-of-operating-expenses"), inputs)
                .unwrap_or(Param::Fixed(0.0)),
            from_year,
            until_year,
            cap: param(&format!("{b}.cap"), inputs),
        });
    }
    for k in 0..shape.cash {
        let b = format!("deal.cash[{k}]");
        let Some(p) = party(&format!("{b}.party"), d) else { continue };
        deal.cash.push(Cash {
            party: p,
            year: v.count(&format!("{b}.year")).unwrap_or(0) as i32,
            amount: param(&format!("{b}.amount"), inputs).unwrap_or(Param::Fixed(0.0)),
        });
    }
    for k in 0..shape.credits {
        let b = format!("deal.credits[{k}]");
        let Some(p) = party(&format!("{b}.party"), d) else { continue };
        let from_year = v.count(&format!("{b}.from-year")).unwrap_or(0) as i32;
        let until_year = v.count(&format!("{b}.until-year")).unwrap_or(0) as i32;
        if from_year > until_year {
            d.error(
                v.loc(&b),
                b.clone(),
                format!("from-year {from_year} is after until-year {until_year}"),
            );
        }
        deal.credits.push(Credit {
            party: p,
            from_year,
            until_year,
            per_year: param(&format!("{b}.per-year"), inputs).unwrap_or(Param::Fixed(0.0)),
        });
    }
    if v.locations.contains_key("deal.fund") {
        let mut wanted = Vec::new();
        for name in v.strings_at("deal.fund.products") {
            match products.get(name) {
                Some(&i) => wanted.push(i),
                None => d.error(
                    v.loc("deal.fund.products"),
                    "deal.fund.products",
                    format!("no product {name:?}"),
                ),
            }
        }
        deal.investing = Some(Investing {
            equity_cap: param("deal.fund.equity-cap", inputs).unwrap_or(Param::Fixed(0.0)),
            reserve: param("deal.fund.reserve", inputs).unwrap_or(Param::Fixed(0.0)),
            rate: param("deal.fund.rate", inputs).unwrap_or(Param::Fixed(0.0)),
            new_only: v.str("deal.fund.invests-in") != Some("all-projects"),
            products: wanted,
        });
    }
    for k in 0..shape.tiers {
        let b = format!("deal.tiers[{k}]");
        let kind = v.str(&format!("{b}.kind")).unwrap_or("");
        let cap = param(&format!("{b}.cap"), inputs);
        let needs_party = |d: &mut Diagnostics| -> Option<usize> {
            if v.str(&format!("{b}.party")).is_none() {
                d.error(
                    v.loc(&b),
                    format!("{b}.party"),
                    format!("a `{kind}` tier needs a `party`"),
                );
                return None;
            }
            party(&format!("{b}.party"), d)
        };
        let tier = match kind {
            "return-capital" => needs_party(d).map(|p| Tier::ReturnCapital {
                party: p,
                hurdle: param(&format!("{b}.hurdle"), inputs).unwrap_or(Param::Fixed(0.0)),
                compound: v.str(&format!("{b}.compounding")) != Some("simple"),
                cap,
            }),
            "pro-rata" => Some(Tier::ProRata { cap }),
            "rest" => needs_party(d).map(|p| Tier::Rest { party: p }),
            _ => None,
        };
        if let Some(t) = tier {
            deal.tiers.push(t);
        }
        if kind == "rest" && k + 1 < shape.tiers {
            d.error(v.loc(&b), b.clone(), "a `rest` tier takes everything: it must be the last");
        }
    }
    deal
}
