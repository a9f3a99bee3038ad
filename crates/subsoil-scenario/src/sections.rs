//! The typed sections of a scenario: one struct per table of [the schema](crate::schema), field for field
//! (see [`crate::typed`] for how presence maps to types). Lowering reads these; a field that lowering
//! leaves unread is a compile error (`dead_code` is denied here), unless it says why with an `allow`.

use subsoil_core::{Discounting, Stage, TerminalValue};

use crate::deposits::ControlStatus;
use crate::quantity::Quantity;
use crate::typed::{Entries, Items, Located, table};
use crate::vocab::{
    AfterLockUp, Compounding, DataStage, Decision, Dollars, InvestsIn, ProfileKind, RateBasis,
    ReceiptsName, RegimeKind, RoyaltyBase, TierKind,
};
use crate::walk::Ymd;

table! {
    /// The whole scenario.
    Root {
        metadata: Metadata = "metadata",
        time: Time = "time",
        macro_: Macro = "macro",
        rates: Rates = "rates",
        fiscal: Fiscal = "fiscal",
        /// Named facts: listed with every quantity written (`Scenario::quantities`); no computation uses
        /// them.
        #[allow(dead_code)]
        reference: Entries<Quantity> = "reference",
        products: Entries<Product> = "products",
        correlations: Items<Correlation> = "correlations",
        deposits: Deposits = "deposits",
        conflict: Conflict = "conflict",
        stages: Stages = "stages",
        uncertainty: Uncertainty = "uncertainty",
        licensing_flows: Items<LicensingFlow> = "licensing-flows",
        input_correlations: Items<Correlation> = "input-correlations",
        sensitivity: Sensitivity = "sensitivity",
        leakage: Leakage = "leakage",
        deal: Deal = "deal",
        streams: Entries<Stream> = "streams",
        projects: Entries<Project> = "projects",
        levers: Entries<Lever> = "levers",
        /// Applied by the layers, which take it out of each file before merging; in the schema for the reference.
        #[allow(dead_code)]
        remove: Items<String> = "remove",
        /// Applied by the layers before validation (`layers::apply_overrides`); validated here only.
        #[allow(dead_code)]
        overrides: Items<String> = "overrides",
    }
}

table! {
    /// `[metadata]`.
    Metadata {
        name: Option<String> = "name",
        title: Option<String> = "title",
        description: Option<String> = "description",
    }
}

table! {
    /// `[time]`.
    Time {
        start_year: i32 = "start-year",
        horizon_years: u32 = "horizon-years",
        base_year: Option<i32> = "base-year",
        terminal_value: TerminalValue = "terminal-value",
        discounting: Discounting = "discounting",
    }
}

table! {
    /// `[macro]`.
    Macro {
        currency: String = "currency",
        /// Applied by `money::convert` on the validated tree, before the typed sections are read.
        #[allow(dead_code)]
        exchange_rates: Entries<Quantity> = "exchange-rates",
        inflation: Quantity = "inflation",
        /// Accepted for files written for earlier versions and listed with the quantities written; no
        /// calculation reads it (other currencies are `exchange-rates`).
        #[allow(dead_code)]
        uah_per_usd: Option<Quantity> = "uah-per-usd",
        /// Accepted for files written for earlier versions; no calculation reads it.
        #[allow(dead_code)]
        uah_depreciation: Option<Quantity> = "uah-depreciation",
        gdp: Option<Quantity> = "gdp",
        gdp_real_growth: Quantity = "gdp-real-growth",
    }
}

table! {
    /// `[rates]`.
    Rates {
        investor_base: Option<Quantity> = "investor-base",
        crp_war: Quantity = "country-risk-premium-war",
        crp_postwar: Quantity = "country-risk-premium-postwar",
        crp_peace: Quantity = "country-risk-premium-peace",
        postwar_years: u32 = "postwar-years",
        valuation: Option<Quantity> = "valuation",
        partner_discount: Option<Quantity> = "partner-discount",
    }
}

table! {
    /// `[fiscal]`.
    Fiscal {
        cit_rate: Option<Quantity> = "cit-rate",
        depreciation_years: u32 = "depreciation-years",
        psa_cost_recovery_limit: Option<Quantity> = "psa-cost-recovery-limit",
        psa_state_share: Option<Quantity> = "psa-state-share",
        licence_fee: Quantity = "licence-fee",
        rent_change_hazard: Option<Quantity> = "rent-change-hazard",
        rent_change_factor: Option<Quantity> = "rent-change-factor",
        rent_change_up: Quantity = "rent-change-up",
    }
}

table! {
    /// `[products.<id>.dominant-producer]`.
    Dominant {
        flood_probability: Quantity = "flood-probability",
        flood_drop: Quantity = "flood-drop",
        flood_years: Quantity = "flood-years",
        export_control_probability: Quantity = "export-control-probability",
        export_control_jump: Quantity = "export-control-jump",
        export_control_years: Quantity = "export-control-years",
        cut_threshold: Quantity = "cut-threshold",
        cut_probability: Quantity = "cut-probability",
        cut_size: Quantity = "cut-size",
        cut_years: Quantity = "cut-years",
    }
}

table! {
    /// `[products.<id>]`.
    Product {
        /// Shown by `subsoil data products`, which reads it from the layers (`provenance::list`); the
        /// model needs only the id.
        #[allow(dead_code)]
        name: Option<String> = "name",
        unit: Option<String> = "unit",
        price: Option<Quantity> = "price",
        long_run: Option<Quantity> = "long-run",
        volatility: Quantity = "volatility",
        half_life: Quantity = "half-life",
        long_run_p95_p5_max: Option<Quantity> = "long-run-p95-p5-max",
        royalty_rate: Option<Quantity> = "royalty-rate",
        world_supply: Option<Quantity> = "world-supply",
        /// Documented context for `world-supply`; no mechanism of the model uses it yet.
        #[allow(dead_code)]
        dominant_producer_share: Option<Quantity> = "dominant-producer-share",
        dominant_producer: Dominant = "dominant-producer",
    }
}

table! {
    /// `[[correlations]]` and `[[input-correlations]]`: two names and a rank correlation.
    Correlation {
        a: Option<Located<String>> = "a",
        b: Option<Located<String>> = "b",
        rho: Option<Quantity> = "rho",
    }
}

table! {
    /// `[deposits.sites.<id>]`.
    InlineDeposit {
        name: Option<String> = "name",
        commodities: Items<String> = "commodities",
        region: String = "region",
        stage: DataStage = "stage",
        control: ControlStatus = "control",
        lat: Option<Quantity> = "lat",
        lon: Option<Quantity> = "lon",
        licence_holder: Option<String> = "licence-holder",
        source: Option<String> = "source",
    }
}

table! {
    /// `[deposits]`.
    Deposits {
        file: Option<Located<String>> = "file",
        sites: Entries<InlineDeposit> = "sites",
        events_file: Option<Located<String>> = "events-file",
        boundaries: Option<Located<String>> = "boundaries",
        boundaries_source: Option<String> = "boundaries-source",
    }
}

table! {
    /// `[conflict.unknown-control]`.
    UnknownControl {
        operable: Quantity = "operable",
        contested: Quantity = "contested",
        occupied: Quantity = "occupied",
    }
}

table! {
    /// `[[conflict.settlements]]`.
    Settlement {
        name: Option<String> = "name",
        probability: Option<Quantity> = "probability",
        lost_oblasts: Items<String> = "lost-oblasts",
    }
}

table! {
    /// `[conflict]`.
    Conflict {
        ceasefire_hazard: Option<Quantity> = "ceasefire-hazard",
        ceasefire_year: Option<Quantity> = "ceasefire-year",
        breakdown_first_year: Quantity = "breakdown-first-year",
        renewed_war_hazard: Quantity = "renewed-war-hazard",
        unknown_control: UnknownControl = "unknown-control",
        front_oblasts: Items<String> = "front-oblasts",
        creep_hazard: Quantity = "creep-hazard",
        exposed_oblasts: Items<String> = "exposed-oblasts",
        damage_hazard_exposed: Quantity = "damage-hazard-exposed",
        damage_hazard_other: Quantity = "damage-hazard-other",
        damage_repair: Quantity = "damage-repair",
        settlements: Items<Settlement> = "settlements",
    }
}

table! {
    /// `[leakage]`.
    Leakage {
        receipts: Quantity = "receipts",
        capex_excess: Quantity = "capex-excess",
    }
}

table! {
    /// `[sensitivity]`.
    Sensitivity {
        groups: Entries<Items<Located<String>>> = "groups",
    }
}

table! {
    /// `[stages.<stage>]`.
    StageRule {
        duration: Option<Quantity> = "duration",
        abandon: Quantity = "abandon",
    }
}

table! {
    /// `[stages]`.
    Stages {
        identified: StageRule = "identified",
        explored: StageRule = "explored",
        tender: StageRule = "tender",
        licensed: StageRule = "licensed",
        war_licensing_slowdown: Quantity = "war-licensing-slowdown",
    }
}

impl Stages {
    /// The rules of the stages before an investment decision, in the order of `Stage::PRE_DECISION`.
    pub fn pre_decision(&self) -> [(Stage, &StageRule); 4] {
        [
            (Stage::Identified, &self.identified),
            (Stage::Explored, &self.explored),
            (Stage::Tender, &self.tender),
            (Stage::Licensed, &self.licensed),
        ]
    }
}

table! {
    /// `[uncertainty]`.
    Uncertainty {
        capex_overrun: Quantity = "capex-overrun",
        opex_multiplier: Quantity = "opex-multiplier",
        production_factor: Quantity = "production-factor",
        schedule_slip: Quantity = "schedule-slip",
    }
}

table! {
    /// `[deal.parties.<id>]`.
    Party {
        name: Option<String> = "name",
        host: Located<bool> = "host",
    }
}

table! {
    /// `[[deal.contributions]]`.
    Contribution {
        stream: Option<Located<String>> = "stream",
        receipts: Option<Located<ReceiptsName>> = "receipts",
        share: Option<Quantity> = "share",
        net_of_operating_expenses: Quantity = "net-of-operating-expenses",
        from_year: Option<i32> = "from-year",
        until_year: Option<i32> = "until-year",
        cap: Option<Quantity> = "cap",
        projects: Items<Located<String>> = "projects",
        holder: Option<Located<String>> = "holder",
        equity_share: Option<Quantity> = "equity-share",
        above_price: AbovePrice = "above-price",
        price_link: PriceLink = "price-link",
        paid_to: Option<Located<String>> = "paid-to",
    }
}

table! {
    /// `above-price` of a contribution.
    AbovePrice {
        product: Option<Located<String>> = "product",
        price: Option<Quantity> = "price",
    }
}

table! {
    /// `price-link` of a contribution or credit.
    PriceLink {
        product: Option<Located<String>> = "product",
        points: Items<PricePoint> = "points",
    }
}

table! {
    /// A point of a `price-link`.
    PricePoint {
        price: Option<Quantity> = "price",
        value: Option<Quantity> = "value",
    }
}

table! {
    /// `[streams.<id>]`.
    Stream {
        /// Shown nowhere yet: the stream is named by its id.
        #[allow(dead_code)]
        name: Option<String> = "name",
        amount: Option<Quantity> = "amount",
        growth: Quantity = "growth",
        dollars: Dollars = "dollars",
        receiver: Option<Located<String>> = "receiver",
    }
}

table! {
    /// `[[deal.cash]]`.
    Cash {
        party: Option<Located<String>> = "party",
        year: Option<i32> = "year",
        amount: Option<Quantity> = "amount",
    }
}

table! {
    /// `[[deal.credits]]`.
    Credit {
        party: Option<Located<String>> = "party",
        from_year: Option<i32> = "from-year",
        until_year: Option<i32> = "until-year",
        per_year: Option<Quantity> = "per-year",
        price_link: PriceLink = "price-link",
        /// A label for readers of the file; the model's credit has none.
        #[allow(dead_code)]
        what: Option<String> = "what",
    }
}

table! {
    /// `[deal.fund]`.
    Fund {
        invests_in: InvestsIn = "invests-in",
        products: Items<String> = "products",
        equity_cap: Option<Quantity> = "equity-cap",
        reserve: Quantity = "reserve",
        rate: Option<Quantity> = "rate",
    }
}

table! {
    /// `[deal.fund-cash]`.
    FundCash {
        interest_rate: Quantity = "interest-rate",
        interest_basis: RateBasis = "interest-basis",
        after_lock_up: Located<AfterLockUp> = "after-lock-up",
        retain_up_to: Option<Quantity> = "retain-up-to",
    }
}

table! {
    /// `[[deal.tiers]]`.
    Tier {
        kind: Option<TierKind> = "kind",
        party: Option<Located<String>> = "party",
        hurdle: Quantity = "hurdle",
        compounding: Compounding = "compounding",
        cap: Option<Quantity> = "cap",
    }
}

table! {
    /// `[deal]`.
    Deal {
        name: Option<String> = "name",
        effective_date: Option<Ymd> = "effective-date",
        renewals_count_as_new: bool = "renewals-count-as-new",
        unexploited_count_as_new: bool = "unexploited-count-as-new",
        restarts_count_as_new: bool = "restarts-count-as-new",
        parties: Entries<Party> = "parties",
        partner: Option<Located<String>> = "partner",
        contributions: Items<Contribution> = "contributions",
        contribution_cap: Option<Quantity> = "contribution-cap",
        allow_shares_above_one: bool = "allow-shares-above-one",
        cash: Items<Cash> = "cash",
        credits: Items<Credit> = "credits",
        fund: Fund = "fund",
        fund_cash: FundCash = "fund-cash",
        lock_up_until: Option<i32> = "lock-up-until",
        tiers: Items<Tier> = "tiers",
        target: Option<Quantity> = "target",
        aid_given: Option<Quantity> = "aid-given",
    }
}

table! {
    /// `[projects.<id>.products.<product-id>]`.
    ProjectProduct {
        capacity: Option<Quantity> = "capacity",
        opex: Quantity = "opex",
        royalty_rate: Option<Quantity> = "royalty-rate",
        payable: Quantity = "payable",
        selling_costs: Quantity = "selling-costs",
        royalty_base: Located<RoyaltyBase> = "royalty-base",
    }
}

table! {
    /// `[projects.<id>.profile]`.
    Profile {
        kind: ProfileKind = "kind",
        ramp_years: u32 = "ramp-years",
        start_age: Option<u32> = "start-age",
        ramp_start: Quantity = "ramp-start",
        decline_rate: Quantity = "decline-rate",
    }
}

table! {
    /// `[projects.<id>.psa]`.
    Psa {
        cost_recovery_limit: Option<Quantity> = "cost-recovery-limit",
        state_share: Option<Quantity> = "state-share",
    }
}

table! {
    /// `[projects.<id>]`.
    Project {
        deposit: Option<Located<String>> = "deposit",
        name: Option<String> = "name",
        stage: Option<Stage> = "stage",
        regime: Located<RegimeKind> = "regime",
        stabilised: bool = "stabilised",
        decision: Decision = "decision",
        construction_years: Option<Quantity> = "construction-years",
        life_years: Option<Quantity> = "life-years",
        capex: Option<Quantity> = "capex",
        capex_phasing: Items<Quantity> = "capex-phasing",
        sustaining_capex: Quantity = "sustaining-capex",
        closure_cost: Quantity = "closure-cost",
        licence_fee: Option<Quantity> = "licence-fee",
        tax_book_value: Quantity = "tax-book-value",
        products: Entries<ProjectProduct> = "products",
        profile: Profile = "profile",
        psa: Psa = "psa",
        capex_overrun: Option<Quantity> = "capex-overrun",
        opex_multiplier: Option<Quantity> = "opex-multiplier",
        production_factor: Option<Quantity> = "production-factor",
        schedule_slip: Option<Quantity> = "schedule-slip",
        analog: Option<String> = "analog",
    }
}

table! {
    /// `[[licensing-flows]]`.
    LicensingFlow {
        id: Option<Located<String>> = "id",
        name: Option<String> = "name",
        region: Option<Located<String>> = "region",
        first_year: Option<i32> = "first-year",
        last_year: Option<Located<i32>> = "last-year",
        permits_per_year: Option<Quantity> = "permits-per-year",
        peace_multiplier: Quantity = "peace-multiplier",
        max_permits_per_year: Option<Located<u32>> = "max-permits-per-year",
        fee: Option<Quantity> = "fee",
        production_probability: Option<Quantity> = "production-probability",
        max_projects_per_year: Option<Located<u32>> = "max-projects-per-year",
        lag: Option<Quantity> = "lag",
        project: FlowProject = "project",
    }
}

table! {
    /// `[licensing-flows.project]`.
    FlowProject {
        regime: Located<RegimeKind> = "regime",
        decision: Decision = "decision",
        construction_years: Option<Quantity> = "construction-years",
        life_years: Option<Quantity> = "life-years",
        capex: Option<Quantity> = "capex",
        sustaining_capex: Quantity = "sustaining-capex",
        closure_cost: Quantity = "closure-cost",
        products: Entries<ProjectProduct> = "products",
        profile: Profile = "profile",
        psa: Psa = "psa",
        /// Where the figures come from; no computation reads it.
        #[allow(dead_code)]
        analog: Option<String> = "analog",
    }
}

table! {
    /// `[levers.<id>]`.
    Lever {
        label: Option<String> = "label",
        group: Option<String> = "group",
        set: Items<String> = "set",
    }
}

#[cfg(test)]
mod tests {
    use super::Root;
    use crate::schema::ROOT;
    use crate::typed::fit;

    /// Every schema field has a typed home of a fitting type and presence, and every typed field a
    /// schema field: with `dead_code` denied in this module, a schema field that lowering does not read
    /// fails the build, and one that has no typed field fails here.
    #[test]
    fn every_schema_field_has_a_typed_home() {
        let problems = fit::<Root>(ROOT);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
