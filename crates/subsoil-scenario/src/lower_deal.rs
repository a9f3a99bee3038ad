//! Lowering of `[deal]`: parties, contribution rules, cash, credits, the investment rule, the
//! waterfall and the fund's cash terms (`lower_fund_cash.rs`), with the cross-references checked (party ids, product ids, one host, tier parameters).

use std::collections::HashMap;

use subsoil_core::Time;
use subsoil_core::deal::{
    Base, Cash, Contribution, Credit, Deal, Exogenous, Investing, Party, Tier, Which,
};
use subsoil_core::fund::MAX_PARTIES;
use subsoil_core::series::Series;

use crate::diag::{Diagnostics, Location, Sources};
use crate::inputs::Inputs;
use crate::lower_common::param_or_zero;
use crate::sections;
use crate::typed::{Entries, Located, Site};
use crate::vocab::{Compounding, InvestsIn, ReceiptsName, StreamName, TierKind};

/// Builds the deal.
pub(crate) fn lower_deal(
    s: &sections::Deal,
    streams: &Entries<sections::Stream>,
    time: &Time,
    products: &HashMap<String, usize>,
    inputs: &mut Inputs,
    sources: &Sources,
    d: &mut Diagnostics,
) -> Deal {
    let mut deal = Deal {
        name: s.name.clone().unwrap_or_default(),
        lock_up_until: s.lock_up_until,
        ..Deal::default()
    };
    deal.target = s.target.as_ref().map(|q| inputs.param(q));
    deal.aid_given = s.aid_given.as_ref().map(|q| inputs.param(q));
    deal.contribution_cap = s.contribution_cap.as_ref().map(|q| inputs.param(q));
    deal.parties = parties(s, sources, d);
    if deal.parties.is_empty() {
        return deal;
    }
    let parties = Parties(&deal.parties);
    deal.partner = match &s.partner {
        Some(_) => parties.find(&s.partner, d),
        None => deal.parties.iter().position(|p| !p.host),
    };
    deal.streams = crate::lower_series::streams(streams, &deal.parties, time, inputs, d);
    let (rules, schedules) = contributions(s, &deal.streams, time, inputs, d);
    deal.contributions = rules;
    deal.schedules = schedules;
    deal.cash = cash(s, &parties, inputs, d);
    deal.credits = credits(s, &parties, inputs, d);
    if s.fund.site.given() {
        deal.investing = Some(investing(&s.fund, products, inputs, d));
    }
    deal.tiers = tiers(s, &parties, inputs, d);
    (deal.cash_rate, deal.distribution) =
        crate::lower_fund_cash::fund_cash(&s.fund_cash, inputs, d);
    deal
}

/// Of the places that make a problem, the user's own (not a built-in file they cannot edit).
fn users(sources: &Sources, locs: impl Iterator<Item = Option<Location>>) -> Option<Location> {
    let locs: Vec<Location> = locs.flatten().collect();
    let builtin = |l: &Location| sources.get(l.file).name.starts_with("builtin:");
    locs.iter().find(|l| !builtin(l)).or(locs.first()).cloned()
}

/// `[deal.parties]` (at most [`MAX_PARTIES`]): exactly one host, and parties wherever flows are given.
fn parties(s: &sections::Deal, sources: &Sources, d: &mut Diagnostics) -> Vec<Party> {
    let list = &s.parties;
    if list.entries.len() > MAX_PARTIES {
        d.error(list.site.loc.clone(), &list.site.path, format!("at most {MAX_PARTIES} parties"));
    }
    let given = &list.entries[..list.entries.len().min(MAX_PARTIES)];
    let parties: Vec<Party> = given
        .iter()
        .map(|(id, p)| Party {
            id: id.clone(),
            name: p.name.clone().unwrap_or_default(),
            host: p.host.value,
        })
        .collect();
    if parties.is_empty() {
        let flows = [
            (&s.contributions.site, s.contributions.items.len()),
            (&s.cash.site, s.cash.items.len()),
            (&s.credits.site, s.credits.items.len()),
            (&s.tiers.site, s.tiers.items.len()),
        ];
        if flows.iter().any(|(_, n)| *n > 0) {
            let at = users(sources, flows.iter().map(|(site, _)| site.loc.clone()))
                .or_else(|| s.site.loc.clone());
            d.error(at, &list.site.path, "contributions, cash, credits or tiers need parties: add [deal.parties.<id>] tables");
        }
        return parties;
    }
    let hosts = parties.iter().filter(|p| p.host).count();
    if hosts != 1 {
        // Blame a `host` the user wrote: a `false` when there is no host, a `true` when there are two.
        let flags = given.iter().filter(|(_, p)| p.host.value == (hosts > 1));
        let at = users(sources, flags.map(|(_, p)| p.host.site.loc.clone()))
            .or_else(|| list.site.loc.clone());
        d.error(
            at,
            &list.site.path,
            format!("exactly one party must be the host state (`host = true`); found {hosts}"),
        );
    }
    parties
}

/// The deal's parties, to resolve the ids that flows and tiers name.
struct Parties<'a>(&'a [Party]);

impl Parties<'_> {
    /// The index of the party `id` names, or an error listing the parties.
    fn find(&self, id: &Option<Located<String>>, d: &mut Diagnostics) -> Option<usize> {
        let id = id.as_ref()?;
        let found = self.0.iter().position(|p| p.id == id.value);
        if found.is_none() {
            let ids: Vec<&str> = self.0.iter().map(|p| p.id.as_str()).collect();
            d.error(
                id.site.loc.clone(),
                &id.site.path,
                format!("no party {:?}; parties: {}", id.value, ids.join(", ")),
            );
        }
        found
    }
}

/// An error at `at` when a rule's first year comes after its last.
fn check_years(at: &Site, from: Option<i32>, until: Option<i32>, d: &mut Diagnostics) {
    if let (Some(f), Some(u)) = (from, until)
        && f > u
    {
        d.error(at.loc.clone(), &at.path, format!("from-year {f} is after until-year {u}"));
    }
}

/// `[[deal.contributions]]`, with their shares on each stream checked unless allowed above one, and the
/// schedules of the shares given by year.
fn contributions(
    s: &sections::Deal,
    streams: &[Exogenous],
    time: &Time,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) -> (Vec<Contribution>, Vec<Series>) {
    let mut rules = Vec::new();
    let mut schedules = Vec::new();
    // The entry of `[[deal.contributions]]` each rule comes from.
    let mut entries = Vec::new();
    for c in &s.contributions.items {
        check_years(&c.site, c.from_year, c.until_year, d);
        // A stream that validation refused or that names nothing leaves the rule out.
        let Some(stream) = &c.stream else { continue };
        let Some((base, which)) = base_and_receipts(c, stream, streams, d) else { continue };
        let share = param_or_zero(inputs, &c.share);
        let mut schedule = None;
        if let Some(q) = &c.share
            && let Some(series) = &q.series
        {
            let from = c.from_year.map_or(time.start_year, |y| y.max(time.start_year));
            let to = c.until_year.map_or(time.end_year(), |y| y.min(time.end_year()));
            crate::lower_series::check_covers(q, series, from, to, "the rule applies in", d);
            schedule = Some(schedules.len());
            schedules.push(series.to_model());
        }
        rules.push(Contribution {
            base,
            which,
            share,
            net_of_operating_expenses: inputs.param(&c.net_of_operating_expenses),
            schedule,
            from_year: c.from_year,
            until_year: c.until_year,
            cap: c.cap.as_ref().map(|q| inputs.param(q)),
        });
        entries.push(c);
    }
    if !s.allow_shares_above_one {
        check_shares(&entries, &rules, d);
    }
    (rules, schedules)
}

/// A rule's base and receipts: one of the state's receipt streams, which needs `receipts`, or the id of an
/// exogenous stream, which has no licences and so takes none (all of it).
fn base_and_receipts(
    c: &sections::Contribution,
    stream: &Located<String>,
    streams: &[Exogenous],
    d: &mut Diagnostics,
) -> Option<(Base, Which)> {
    let name = stream.value.as_str();
    if let Ok(named) = name.parse::<StreamName>() {
        let Some(receipts) = &c.receipts else {
            if d.reported(&c.site.join("receipts")) {
                return None;
            }
            d.error(
                c.site.loc.clone(),
                c.site.join("receipts"),
                "missing required field `receipts`: receipts from new licences, existing ones, or all (\"new\", \"existing\", \"all\")",
            );
            return None;
        };
        return Some((named.base(), receipts.value.which()));
    }
    let Some(i) = streams.iter().position(|s| s.id == name) else {
        let mut known: Vec<String> = StreamName::NAMES.iter().map(|s| s.to_string()).collect();
        known.extend(streams.iter().map(|s| format!("{} (from [streams])", s.id)));
        d.error(
            stream.site.loc.clone(),
            &stream.site.path,
            format!(
                "no stream {:?}; expected one of {}",
                crate::diag::clip(name),
                known.join(", ")
            ),
        );
        return None;
    };
    if let Some(receipts) = &c.receipts {
        d.error(
            receipts.site.loc.clone(),
            &receipts.site.path,
            format!("stream {name:?} is exogenous: it has no licences, so leave out `receipts`"),
        );
    }
    Some((Base::Exogenous(i), Which::All))
}

/// `[[deal.cash]]`.
fn cash(
    s: &sections::Deal,
    parties: &Parties<'_>,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) -> Vec<Cash> {
    let mut out = Vec::new();
    for c in &s.cash.items {
        let Some(p) = parties.find(&c.party, d) else { continue };
        out.push(Cash {
            party: p,
            year: c.year.unwrap_or_default(),
            amount: param_or_zero(inputs, &c.amount),
        });
    }
    out
}

/// `[[deal.credits]]`.
fn credits(
    s: &sections::Deal,
    parties: &Parties<'_>,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) -> Vec<Credit> {
    let mut out = Vec::new();
    for c in &s.credits.items {
        let Some(p) = parties.find(&c.party, d) else { continue };
        check_years(&c.site, c.from_year, c.until_year, d);
        out.push(Credit {
            party: p,
            from_year: c.from_year.unwrap_or_default(),
            until_year: c.until_year.unwrap_or_default(),
            per_year: param_or_zero(inputs, &c.per_year),
        });
    }
    out
}

/// `[[deal.tiers]]`: the waterfall, a `rest` tier last.
fn tiers(
    s: &sections::Deal,
    parties: &Parties<'_>,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) -> Vec<Tier> {
    let mut out = Vec::new();
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
            parties.find(&t.party, d)
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
        out.extend(tier);
        if kind == TierKind::Rest && k + 1 < last {
            d.error(
                t.site.loc.clone(),
                &t.site.path,
                "a `rest` tier takes everything: it must be the last",
            );
        }
    }
    out
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
        Base::Exogenous(_) => &[],
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
    let share =
        c.share.as_ref().map_or(0.0, |q| reach(q, true) * crate::lower_series::series_top(q));
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
                        StreamName::of(r.base).map_or("an exogenous stream", StreamName::name),
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
                    StreamName::of(stream).map_or("an exogenous stream", StreamName::name),
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
