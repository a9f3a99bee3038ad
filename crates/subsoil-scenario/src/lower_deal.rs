//! Lowering of `[deal]`: parties, contribution rules, cash, credits, the investment rule, the
//! waterfall and the fund's cash terms (`lower_fund_cash.rs`), with the cross-references checked (party ids, product ids, one host, tier parameters).

use std::collections::HashMap;

use subsoil_core::Time;
use subsoil_core::deal::{
    Above, Base, Cash, Contribution, Credit, Deal, Dividends, Exogenous, Investing, Party,
    PriceLink, Tier, Which,
};
use subsoil_core::fund::MAX_PARTIES;
use subsoil_core::model::Project;
use subsoil_core::series::Series;

use crate::diag::{Diagnostics, Location, Sources};
use crate::inputs::Inputs;
use crate::lower_common::param_or_zero;
use crate::sections;
use crate::typed::{Entries, Located, Site};
use crate::vocab::{Compounding, InvestsIn, ReceiptsName, StreamName, TierKind};

/// Builds the deal.
#[allow(clippy::too_many_arguments)]
pub(crate) fn lower_deal(
    s: &sections::Deal,
    streams: &Entries<sections::Stream>,
    time: &Time,
    products: &HashMap<String, usize>,
    projects: &[Project],
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
    let refs = Refs { parties: &parties, products, projects };
    let mut extra = Extra::default();
    let (rules, schedules) = contributions(s, &deal.streams, time, &refs, &mut extra, inputs, d);
    deal.contributions = rules;
    deal.schedules = schedules;
    deal.cash = cash(s, &parties, inputs, d);
    deal.credits = credits(s, &refs, &mut extra, inputs, d);
    deal.dividends = extra.dividends;
    deal.price_links = extra.price_links;
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
    refs: &Refs<'_>,
    extra: &mut Extra,
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
        let dividends = stream.value == DIVIDENDS;
        if !dividends {
            refuse_dividend_fields(c, d);
        }
        let found = if dividends {
            dividends_base(c, refs, extra, inputs, d).map(|b| (b, Which::All))
        } else {
            base_and_receipts(c, stream, streams, d)
        };
        let price_link = price_link(&c.price_link, refs, extra, d);
        let paid_to = match &c.paid_to {
            Some(_) => refs.parties.find(&c.paid_to, d),
            None => None,
        };
        let Some((base, which)) = found else { continue };
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
            price_link,
            paid_to,
        });
        entries.push(c);
    }
    if !s.allow_shares_above_one {
        check_shares(&entries, &rules, streams, d);
    }
    (rules, schedules)
}

/// The stream name of a holder's dividends.
const DIVIDENDS: &str = "dividends";

/// What contribution rules and credits name: parties, products and projects.
struct Refs<'a> {
    parties: &'a Parties<'a>,
    products: &'a HashMap<String, usize>,
    projects: &'a [Project],
}

impl Refs<'_> {
    /// The index of the product `id` names, or an error listing none.
    fn product(&self, id: &Option<Located<String>>, d: &mut Diagnostics) -> Option<usize> {
        let id = id.as_ref()?;
        let found = self.products.get(&id.value).copied();
        if found.is_none() {
            let mut ids: Vec<&str> = self.products.keys().map(String::as_str).collect();
            ids.sort_unstable();
            d.error(
                id.site.loc.clone(),
                &id.site.path,
                format!(
                    "no product {:?}; products: {}",
                    crate::diag::clip(&id.value),
                    ids.join(", ")
                ),
            );
        }
        found
    }
}

/// The dividend bases and price links the rules and credits build, indexed from them.
#[derive(Default)]
struct Extra {
    dividends: Vec<Dividends>,
    price_links: Vec<PriceLink>,
}

/// Errors for the fields only a `dividends` rule takes, on another stream.
fn refuse_dividend_fields(c: &sections::Contribution, d: &mut Diagnostics) {
    let refuse = |key: &str, loc: Option<Location>, d: &mut Diagnostics| {
        d.error(
            loc.or_else(|| c.site.loc.clone()),
            c.site.join(key),
            format!("`{key}` is for `stream = \"{DIVIDENDS}\"` only"),
        );
    };
    if c.projects.site.given() {
        refuse("projects", c.projects.site.loc.clone(), d);
    }
    if let Some(h) = &c.holder {
        refuse("holder", h.site.loc.clone(), d);
    }
    if let Some(q) = &c.equity_share {
        refuse("equity-share", q.location.clone(), d);
    }
    if c.above_price.site.given() {
        refuse("above-price", c.above_price.site.loc.clone(), d);
    }
}

/// A `dividends` rule's base: the holder, its equity share, the projects, and the threshold price of
/// `above-price`. `receipts` is refused (dividends have no licences).
fn dividends_base(
    c: &sections::Contribution,
    refs: &Refs<'_>,
    extra: &mut Extra,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) -> Option<Base> {
    if let Some(receipts) = &c.receipts {
        d.error(
            receipts.site.loc.clone(),
            &receipts.site.path,
            "dividends have no licences, so leave out `receipts`",
        );
    }
    let missing = |key: &str, d: &mut Diagnostics| {
        if !d.reported(&c.site.join(key)) {
            d.error(
                c.site.loc.clone(),
                c.site.join(key),
                format!("missing required field `{key}` for `stream = \"{DIVIDENDS}\"`"),
            );
        }
    };
    if c.holder.is_none() {
        missing("holder", d);
    }
    if c.equity_share.is_none() {
        missing("equity-share", d);
    }
    if c.projects.items.is_empty() {
        if c.projects.site.given() {
            d.error(
                c.projects.site.loc.clone(),
                &c.projects.site.path,
                "name at least one project",
            );
        } else {
            missing("projects", d);
        }
    }
    let holder = refs.parties.find(&c.holder, d);
    let mut projects = Vec::new();
    for id in &c.projects.items {
        match refs.projects.iter().position(|p| p.id == id.value) {
            Some(i) if projects.contains(&i) => d.error(
                id.site.loc.clone(),
                &id.site.path,
                format!("project {:?} is named twice", id.value),
            ),
            Some(i) => projects.push(i),
            None => d.error(
                id.site.loc.clone(),
                &id.site.path,
                format!("no project {:?} in the scenario", crate::diag::clip(&id.value)),
            ),
        }
    }
    let above = if c.above_price.site.given() {
        let a = &c.above_price;
        let product = refs.product(&a.product, d);
        let price = a.price.as_ref().map(|q| inputs.param(q));
        match (product, price) {
            (Some(k), Some(price)) => {
                let slots: Vec<Option<usize>> = projects
                    .iter()
                    .map(|&i| refs.projects[i].products.iter().position(|pp| pp.product == k))
                    .collect();
                if let Some(id) = &a.product
                    && !projects.is_empty()
                    && slots.iter().all(Option::is_none)
                {
                    d.error(
                        id.site.loc.clone(),
                        &id.site.path,
                        format!("none of the rule's projects produces {:?}", id.value),
                    );
                }
                Some(Above { product: k, price, slots })
            }
            _ => None,
        }
    } else {
        None
    };
    let equity = param_or_zero(inputs, &c.equity_share);
    let holder = holder?;
    if projects.is_empty() {
        return None;
    }
    extra.dividends.push(Dividends { projects, equity, holder, above });
    Some(Base::Dividends(extra.dividends.len() - 1))
}

/// A `price-link` table, checked (a product, at least one point, prices strictly increasing); its
/// index in [`Extra::price_links`].
fn price_link(
    l: &sections::PriceLink,
    refs: &Refs<'_>,
    extra: &mut Extra,
    d: &mut Diagnostics,
) -> Option<usize> {
    if !l.site.given() {
        return None;
    }
    let product = refs.product(&l.product, d);
    if l.points.items.is_empty() {
        if !d.reported(&l.site.join("points")) {
            let at = if l.points.site.given() { &l.points.site } else { &l.site };
            d.error(
                at.loc.clone(),
                l.site.join("points"),
                "give at least one point { price, value }",
            );
        }
        return None;
    }
    let mut points = Vec::new();
    for pt in &l.points.items {
        let (Some(p), Some(v)) = (&pt.price, &pt.value) else { return None };
        let (p, v) = (p.median(), v.median());
        if let Some(&(before, _)) = points.last()
            && p <= before
        {
            d.error(
                pt.price.as_ref().and_then(|q| q.location.clone()).or_else(|| pt.site.loc.clone()),
                pt.site.join("price"),
                format!(
                    "prices must increase from point to point: {} after {}",
                    crate::quantity::fmt_num(p),
                    crate::quantity::fmt_num(before)
                ),
            );
            return None;
        }
        points.push((p, v));
    }
    let product = product?;
    extra.price_links.push(PriceLink { product, points });
    Some(extra.price_links.len() - 1)
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
        known.push(DIVIDENDS.to_string());
        known.extend(streams.iter().map(|s| format!("{} (from [streams])", s.id)));
        // The state's infrastructure revenue was a stream of its own before exogenous streams carried it.
        let advice = if name == "infrastructure" {
            "; infrastructure revenue is no longer a stream of the model's own: declare it as an \
             exogenous stream `[streams.<id>]` (or take one already declared) and name its id here, \
             without `receipts`"
        } else {
            ""
        };
        d.error(
            stream.site.loc.clone(),
            &stream.site.path,
            format!(
                "no stream {:?}{advice}; expected one of {}",
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
    refs: &Refs<'_>,
    extra: &mut Extra,
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) -> Vec<Credit> {
    let mut out = Vec::new();
    for c in &s.credits.items {
        let price_link = price_link(&c.price_link, refs, extra, d);
        let Some(p) = refs.parties.find(&c.party, d) else { continue };
        check_years(&c.site, c.from_year, c.until_year, d);
        out.push(Credit {
            party: p,
            from_year: c.from_year.unwrap_or_default(),
            until_year: c.until_year.unwrap_or_default(),
            per_year: param_or_zero(inputs, &c.per_year),
            price_link,
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

/// Whether a rule on `base` takes a share of the single stream `stream` (`resource-revenue` is three of
/// them; a holder's dividends are no single stream).
fn covers(base: Base, stream: Base) -> bool {
    match base {
        Base::ResourceRevenue => {
            matches!(stream, Base::Royalty | Base::PsaStateShare | Base::LicenceFees)
        }
        Base::Dividends(_) => false,
        b => b == stream,
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

/// Contribution rules must not take more than all of any single stream (for new or existing receipts of
/// the state's, all of an exogenous stream) in any year: for each stream and receipts the shares of the
/// rules in force together (each at the top of its range) are summed at the first year of each rule,
/// where the sum can only rise. One error per set of rules, at the last of them, naming them all.
fn check_shares(
    entries: &[&sections::Contribution],
    rules: &[Contribution],
    exogenous: &[Exogenous],
    d: &mut Diagnostics,
) {
    let taken: Vec<f64> = entries.iter().map(|c| most_taken(c)).collect();
    let in_force = |r: &Contribution, y: i32| {
        r.from_year.is_none_or(|f| y >= f) && r.until_year.is_none_or(|u| y <= u)
    };
    let mut reported: Vec<Vec<usize>> = Vec::new();
    let state = [Base::Royalty, Base::PsaStateShare, Base::LicenceFees, Base::CorporateTax];
    let state = state.into_iter().flat_map(|b| [(b, Which::New), (b, Which::Existing)]);
    // An exogenous stream has no licences: its rules take all of it.
    let outside = (0..exogenous.len()).map(|i| (Base::Exogenous(i), Which::All));
    for (stream, which) in state.chain(outside) {
        let on: Vec<usize> = (0..rules.len())
            .filter(|&k| {
                covers(rules[k].base, stream)
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
            let set: Vec<usize> = on.iter().copied().filter(|&k| in_force(&rules[k], y)).collect();
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
                    "{} ({}, up to {})",
                    entries[k].site.path,
                    stream_words(r.base, r.which, exogenous),
                    pct(taken[k])
                )
            })
            .collect();
        let when = if y == i32::MIN { String::new() } else { format!(" from {y}") };
        let last = *set.last().expect("a set over 1 is not empty");
        let at = &entries[last].site;
        d.error(
            at.loc.clone(),
            &at.path,
            format!(
                "contribution rules together take up to {} of the {}{when}: {}; \
                 shares on one stream must not add up past 1 (100%): lower them, give the rules \
                 disjoint years, or set `deal.allow-shares-above-one = true` if the fund is meant \
                 to be paid more than the host receives",
                pct(sum),
                stream_words(stream, which, exogenous),
                names.join(" and ")
            ),
        );
        reported.push(set);
    }
}

/// A stream as an error names it: a stream of the state's receipts with the receipts a rule takes of it
/// (`royalty on new receipts`), an exogenous stream by its id.
fn stream_words(base: Base, which: Which, exogenous: &[Exogenous]) -> String {
    match (base, StreamName::of(base)) {
        (_, Some(name)) => {
            format!("{} on {} receipts", name.name(), ReceiptsName::of(which).name())
        }
        (Base::Exogenous(i), None) => format!("stream {:?}", exogenous[i].id),
        _ => "a holder's dividends".to_string(),
    }
}

fn pct(x: f64) -> String {
    let p = x * 100.0;
    if (p - p.round()).abs() < 1e-9 { format!("{p:.0}%") } else { format!("{p:.1}%") }
}
