//! Lowering of `[deal]`: parties, contribution rules, cash, credits, the investment rule and the
//! waterfall, with the cross-references checked (party ids, product ids, one host, tier parameters).

use std::collections::HashMap;

use subsoil_core::deal::{Base, Cash, Contribution, Credit, Deal, Investing, Party, Tier, Which};
use subsoil_core::fund::MAX_PARTIES;

use crate::diag::{Diagnostics, Location, Sources};
use crate::inputs::Inputs;
use crate::lower_common::param_or_zero;
use crate::sections;
use crate::typed::Located;
use crate::vocab::{Compounding, InvestsIn, ReceiptsName, StreamName, TierKind};

/// Builds the deal.
pub(crate) fn lower_deal(
    s: &sections::Deal,
    products: &HashMap<String, usize>,
    inputs: &mut Inputs,
    sources: &Sources,
    d: &mut Diagnostics,
) -> Deal {
    // Of the places that make a problem, the user's own (not a built-in file they cannot edit).
    let users = |locs: &mut dyn Iterator<Item = Option<Location>>| -> Option<Location> {
        let locs: Vec<Location> = locs.flatten().collect();
        let builtin = |l: &Location| sources.get(l.file).name.starts_with("builtin:");
        locs.iter().find(|l| !builtin(l)).or(locs.first()).cloned()
    };
    let mut deal = Deal {
        name: s.name.clone().unwrap_or_default(),
        lock_up_until: s.lock_up_until,
        ..Deal::default()
    };
    deal.target = s.target.as_ref().map(|q| inputs.param(q));
    deal.aid_given = s.aid_given.as_ref().map(|q| inputs.param(q));
    deal.contribution_cap = s.contribution_cap.as_ref().map(|q| inputs.param(q));

    let parties = &s.parties;
    if parties.entries.len() > MAX_PARTIES {
        d.error(
            parties.site.loc.clone(),
            &parties.site.path,
            format!("at most {MAX_PARTIES} parties"),
        );
    }
    for (id, p) in parties.entries.iter().take(MAX_PARTIES) {
        deal.parties.push(Party {
            id: id.clone(),
            name: p.name.clone().unwrap_or_default(),
            host: p.host.value,
        });
    }
    let hosts = deal.parties.iter().filter(|p| p.host).count();
    let flows = [&s.contributions.site, &s.cash.site, &s.credits.site, &s.tiers.site];
    let has_flows = s.contributions.items.len()
        + s.cash.items.len()
        + s.credits.items.len()
        + s.tiers.items.len()
        > 0;
    if deal.parties.is_empty() {
        if has_flows {
            let at = users(&mut flows.iter().map(|f| f.loc.clone())).or_else(|| s.site.loc.clone());
            d.error(at, parties.site.path.as_str(), "contributions, cash, credits or tiers need parties: add [deal.parties.<id>] tables");
        }
        return deal;
    }
    if hosts != 1 {
        // Blame a `host` the user wrote: a `false` when there is no host, a `true` when there are two.
        let flags = parties
            .entries
            .iter()
            .take(MAX_PARTIES)
            .filter(|(_, p)| p.host.value == (hosts > 1))
            .map(|(_, p)| p.host.site.loc.clone());
        let at = users(&mut flags.into_iter()).or_else(|| parties.site.loc.clone());
        d.error(
            at,
            parties.site.path.as_str(),
            format!("exactly one party must be the host state (`host = true`); found {hosts}"),
        );
    }
    let party = |id: &Option<Located<String>>, d: &mut Diagnostics| -> Option<usize> {
        let id = id.as_ref()?;
        let found = deal.parties.iter().position(|p| p.id == id.value);
        if found.is_none() {
            let ids: Vec<&str> = deal.parties.iter().map(|p| p.id.as_str()).collect();
            d.error(
                id.site.loc.clone(),
                &id.site.path,
                format!("no party {:?}; parties: {}", id.value, ids.join(", ")),
            );
        }
        found
    };
    deal.partner = match &s.partner {
        Some(_) => party(&s.partner, d),
        None => deal.parties.iter().position(|p| !p.host),
    };

    // The entry of `[[deal.contributions]]` each rule comes from.
    let mut entries = Vec::new();
    for c in &s.contributions.items {
        if let (Some(f), Some(u)) = (c.from_year, c.until_year)
            && f > u
        {
            d.error(
                c.site.loc.clone(),
                &c.site.path,
                format!("from-year {f} is after until-year {u}"),
            );
        }
        // A stream or receipts that validation refused leaves the rule out.
        let (Some(stream), Some(receipts)) = (c.stream, c.receipts) else { continue };
        deal.contributions.push(Contribution {
            base: stream.base(),
            which: receipts.which(),
            share: param_or_zero(inputs, &c.share),
            net_of_operating_expenses: inputs.param(&c.net_of_operating_expenses),
            from_year: c.from_year,
            until_year: c.until_year,
            cap: c.cap.as_ref().map(|q| inputs.param(q)),
        });
        entries.push(c);
    }
    if !s.allow_shares_above_one {
        check_shares(&entries, &deal.contributions, d);
    }
    for c in &s.cash.items {
        let Some(p) = party(&c.party, d) else { continue };
        deal.cash.push(Cash {
            party: p,
            year: c.year.unwrap_or_default(),
            amount: param_or_zero(inputs, &c.amount),
        });
    }
    for c in &s.credits.items {
        let Some(p) = party(&c.party, d) else { continue };
        if let (Some(f), Some(u)) = (c.from_year, c.until_year)
            && f > u
        {
            d.error(
                c.site.loc.clone(),
                &c.site.path,
                format!("from-year {f} is after until-year {u}"),
            );
        }
        deal.credits.push(Credit {
            party: p,
            from_year: c.from_year.unwrap_or_default(),
            until_year: c.until_year.unwrap_or_default(),
            per_year: param_or_zero(inputs, &c.per_year),
        });
    }
    if s.fund.site.given() {
        deal.investing = Some(investing(&s.fund, products, inputs, d));
    }
    let last = s.tiers.items.len();
    for (k, t) in s.tiers.items.iter().enumerate() {
        let cap = t.cap.as_ref().map(|q| inputs.param(q));
        let Some(kind) = t.kind else { continue };
        let needs_party = |d: &mut Diagnostics| -> Option<usize> {
            if t.party.is_none() {
                d.error(
                    t.site.loc.clone(),
                    t.site.join("party"),
                    format!("a `{}` tier needs a `party`", kind.name()),
                );
                return None;
            }
            party(&t.party, d)
        };
        let tier = match kind {
            TierKind::ReturnCapital => needs_party(d).map(|p| Tier::ReturnCapital {
                party: p,
                hurdle: inputs.param(&t.hurdle),
                compound: t.compounding == Compounding::Compound,
                cap,
            }),
            TierKind::ProRata => Some(Tier::ProRata { cap }),
            TierKind::Rest => needs_party(d).map(|p| Tier::Rest { party: p }),
        };
        if let Some(t) = tier {
            deal.tiers.push(t);
        }
        if kind == TierKind::Rest && k + 1 < last {
            d.error(
                t.site.loc.clone(),
                &t.site.path,
                "a `rest` tier takes everything: it must be the last",
            );
        }
    }
    deal
}

/// `[deal.fund]`: how the fund co-invests, and in projects of which products.
fn investing(
    f: &sections::Fund,
    products: &HashMap<String, usize>,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) -> Investing {
    let mut wanted = Vec::new();
    for name in &f.products.items {
        match products.get(name) {
            Some(&i) => wanted.push(i),
            None => d.error(
                f.products.site.loc.clone(),
                &f.products.site.path,
                format!("no product {name:?}"),
            ),
        }
    }
    Investing {
        equity_cap: param_or_zero(inputs, &f.equity_cap),
        reserve: inputs.param(&f.reserve),
        rate: param_or_zero(inputs, &f.rate),
        new_only: f.invests_in == InvestsIn::NewProjects,
        products: wanted,
    }
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
    }
}

/// Largest (`hi`) or smallest value a quantity can take: its distribution's support, clamped to the
/// field's bounds as draws are.
fn reach(q: &crate::quantity::Quantity, hi: bool) -> f64 {
    let (lo_s, hi_s) = q.dist.support();
    if hi { hi_s.min(q.bounds.1) } else { lo_s.max(q.bounds.0) }
}

/// The most of its stream a rule can take: its share at the top of its range, net of the least operating
/// expenses it may deduct.
fn most_taken(c: &sections::Contribution) -> f64 {
    let share = c.share.as_ref().map_or(0.0, |q| reach(q, true));
    let net = reach(&c.net_of_operating_expenses, false);
    share * (1.0 - net.clamp(0.0, 1.0))
}

/// Contribution rules must not take more than all of any single stream, for new or existing receipts, in
/// any year: for each stream and receipts the shares of the rules in force together (each at the top of
/// its range) are summed at the first year of each rule, where the sum can only rise. One error per set
/// of rules, at the last of them, naming them all.
fn check_shares(entries: &[&sections::Contribution], rules: &[Contribution], d: &mut Diagnostics) {
    let taken: Vec<f64> = entries.iter().map(|c| most_taken(c)).collect();
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
                    format!(
                        "{} ({} on {} receipts, up to {})",
                        entries[k].site.path,
                        StreamName::of(r.base).name(),
                        ReceiptsName::of(r.which).name(),
                        pct(taken[k])
                    )
                })
                .collect();
            let when = if y == i32::MIN { String::new() } else { format!(" from {y}") };
            let which = if which == Which::New { "new" } else { "existing" };
            let last = *set.last().expect("a set over 1 is not empty");
            let at = &entries[last].site;
            d.error(
                at.loc.clone(),
                &at.path,
                format!(
                    "contribution rules together take up to {} of the {} on {which} receipts{when}: {}; \
                     shares on one stream must not add up past 1 (100%): lower them, give the rules \
                     disjoint years, or set `deal.allow-shares-above-one = true` if the fund is meant \
                     to be paid more than the host receives",
                    pct(sum),
                    StreamName::of(stream).name(),
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
