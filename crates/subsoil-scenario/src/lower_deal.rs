//! Lowering of `[deal]`: parties, contribution rules, cash, credits, the investment rule and the
//! waterfall, with the cross-references checked (party ids, product ids, one host, tier parameters).

use std::collections::HashMap;

use subsoil_core::Param;
use subsoil_core::deal::{Base, Cash, Contribution, Credit, Deal, Investing, Party, Tier, Which};
use subsoil_core::fund::MAX_PARTIES;

use crate::diag::{Diagnostics, Location, Sources};
use crate::inputs::Inputs;
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
            Some(name) => crate::lower_series::base_of(v, name),
            None => Base::Infrastructure,
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
            schedule: None,
            from_year,
            until_year,
            cap: param(&format!("{b}.cap"), inputs),
        });
    }
    if !v.bool("deal.allow-shares-above-one").unwrap_or(false) {
        check_shares(v, &deal.contributions, d);
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

/// The single streams a rule on `base` takes a share of (`resource-revenue` is three of them).
fn streams(base: Base) -> &'static [Base] {
    match base {
        Base::ResourceRevenue => &[Base::Royalty, Base::PsaStateShare, Base::LicenceFees],
        Base::Royalty => &[Base::Royalty],
        Base::PsaStateShare => &[Base::PsaStateShare],
        Base::LicenceFees => &[Base::LicenceFees],
        Base::CorporateTax => &[Base::CorporateTax],
        Base::Infrastructure => &[Base::Infrastructure],
        Base::Exogenous(_) => &[],
    }
}

fn stream_name(base: Base) -> &'static str {
    match base {
        Base::Royalty => "royalty",
        Base::PsaStateShare => "psa-state-share",
        Base::LicenceFees => "licence-fees",
        Base::CorporateTax => "corporate-tax",
        Base::ResourceRevenue => "resource-revenue",
        Base::Infrastructure => "infrastructure",
        Base::Exogenous(_) => "an exogenous stream",
    }
}

/// Largest (`hi`) or smallest value a quantity can take: its distribution's support, clamped to the
/// field's bounds as draws are.
fn reach(v: &Values, path: &str, hi: bool) -> Option<f64> {
    let q = v.q(path)?;
    let (lo_s, hi_s) = q.dist.support();
    Some(if hi { hi_s.min(q.bounds.1) } else { lo_s.max(q.bounds.0) })
}

/// The most of its stream a rule can take: its share at the top of its range, net of the least operating
/// expenses it may deduct.
fn most_taken(v: &Values, k: usize) -> f64 {
    let b = format!("deal.contributions[{k}]");
    let share = reach(v, &format!("{b}.share"), true).unwrap_or(0.0)
        * crate::lower_series::series_top(v, &format!("{b}.share"));
    let net = reach(v, &format!("{b}.net-of-operating-expenses"), false).unwrap_or(0.0);
    share * (1.0 - net.clamp(0.0, 1.0))
}

/// Contribution rules must not take more than all of any single stream, for new or existing receipts, in
/// any year: for each stream and receipts the shares of the rules in force together (each at the top of
/// its range) are summed at the first year of each rule, where the sum can only rise. One error per set
/// of rules, at the last of them, naming them all.
fn check_shares(v: &Values, rules: &[Contribution], d: &mut Diagnostics) {
    let taken: Vec<f64> = (0..rules.len()).map(|k| most_taken(v, k)).collect();
    let in_force = |r: &Contribution, y: i32| {
        r.from_year.is_none_or(|f| y >= f) && r.until_year.is_none_or(|u| y <= u)
    };
    let mut reported: Vec<Vec<usize>> = Vec::new();
    for stream in [
        Base::Royalty,
        Base::PsaStateShare,
        Base::LicenceFees,
        Base::CorporateTax,
        Base::Infrastructure,
    ] {
        for which in [Which::New, Which::Existing] {
            // Infrastructure revenue is an existing asset's income: its new receipts are nothing.
            if stream == Base::Infrastructure && which == Which::New {
                continue;
            }
            let on: Vec<usize> = (0..rules.len())
                .filter(|&k| {
                    streams(rules[k].base).contains(&stream)
                        && (rules[k].which == which || rules[k].which == Which::All)
                })
                .collect();
            // The sum of the rules in force is a step function of the year that rises only where a rule
            // starts: the first year of each rule (or the beginning of time) covers every maximum.
            let mut starts: Vec<i32> =
                on.iter().map(|&k| rules[k].from_year.unwrap_or(i32::MIN)).collect();
            starts.sort_unstable();
            starts.dedup();
            let mut worst: Option<(f64, i32, Vec<usize>)> = None;
            for &y in &starts {
                let set: Vec<usize> =
                    on.iter().copied().filter(|&k| in_force(&rules[k], y)).collect();
                let sum: f64 = set.iter().map(|&k| taken[k]).sum();
                if sum > 1.0 + 1e-9 && worst.as_ref().is_none_or(|w| sum > w.0) {
                    worst = Some((sum, y, set));
                }
            }
            let Some((sum, y, set)) = worst else { continue };
            if reported.contains(&set) {
                continue;
            }
            let names: Vec<String> = set
                .iter()
                .map(|&k| {
                    let r = &rules[k];
                    let which = match r.which {
                        Which::New => "new",
                        Which::Existing => "existing",
                        Which::All => "all",
                    };
                    format!(
                        "deal.contributions[{k}] ({} on {which} receipts, up to {})",
                        stream_name(r.base),
                        pct(taken[k])
                    )
                })
                .collect();
            let when = if y == i32::MIN { String::new() } else { format!(" from {y}") };
            let which = if which == Which::New { "new" } else { "existing" };
            let last = *set.last().expect("a set over 1 is not empty");
            let b = format!("deal.contributions[{last}]");
            d.error(
                v.loc(&b),
                b.clone(),
                format!(
                    "contribution rules together take up to {} of the {} on {which} receipts{when}: {}; \
                     shares on one stream must not add up past 1 (100%): lower them, give the rules \
                     disjoint years, or set `deal.allow-shares-above-one = true` if the fund is meant \
                     to be paid more than the host receives",
                    pct(sum),
                    stream_name(stream),
                    names.join(" and ")
                ),
            );
            reported.push(set);
        }
    }
}

fn pct(x: f64) -> String {
    let p = x * 100.0;
    if (p - p.round()).abs() < 1e-9 { format!("{p:.0}%") } else { format!("{p:.1}%") }
}
