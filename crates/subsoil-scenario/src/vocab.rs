//! The scenario files' names for the choices the model makes (regime, decision rule, profile, the deal's
//! streams and tiers …): one enum each, whose list of names the schema declares (`Ty::Enum(&X::NAMES)`)
//! and whose `FromStr` reads them, so the two cannot disagree. Each maps onto the model's type by an
//! exhaustive match.

use subsoil_core::deal::{Base, Which};
use subsoil_core::{DecisionRule, Stage};

use crate::deposits::ControlStatus;

/// A name that is none of an enum's names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownName(pub String);

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown name {:?}", self.0)
    }
}

impl std::error::Error for UnknownName {}

/// Declares an enum of names as written in files: `NAMES`, `name()` and `FromStr`.
macro_rules! names {
    ($(#[$m:meta])* $name:ident { $( $(#[$vm:meta])* $variant:ident = $text:literal ),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $( $(#[$vm])* $variant, )*
        }

        impl $name {
            /// Every name, as files write them.
            pub const NAMES: [&'static str; [$($text),*].len()] = [$($text),*];

            /// Name as written.
            pub const fn name(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )*
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, UnknownName> {
                match s {
                    $( $text => Ok($name::$variant), )*
                    _ => Err(UnknownName(s.to_string())),
                }
            }
        }
    };
}

names! {
    /// `projects.<id>.regime`.
    RegimeKind {
        /// Royalty and tax.
        Royalty = "royalty",
        /// A production-sharing agreement.
        Psa = "psa",
    }
}

names! {
    /// `projects.<id>.decision`.
    Decision {
        /// Build when the NPV is positive.
        Npv = "npv",
        /// Build as soon as ready.
        Always = "always",
        /// Never build.
        Never = "never",
    }
}

impl Decision {
    /// The model's rule.
    pub fn rule(self) -> DecisionRule {
        match self {
            Decision::Npv => DecisionRule::Npv,
            Decision::Always => DecisionRule::Always,
            Decision::Never => DecisionRule::Never,
        }
    }
}

names! {
    /// `projects.<id>.profile.kind`.
    ProfileKind {
        /// Ramp to a plateau (mines).
        RampPlateau = "ramp-plateau",
        /// Exponential decline (gas and oil fields).
        Decline = "decline",
    }
}

names! {
    /// `deal.contributions[].stream`.
    StreamName {
        /// Royalty.
        Royalty = "royalty",
        /// PSA state share.
        PsaStateShare = "psa-state-share",
        /// Licence fees.
        LicenceFees = "licence-fees",
        /// Corporate income tax.
        CorporateTax = "corporate-tax",
        /// Royalty + PSA state share + licence fees.
        ResourceRevenue = "resource-revenue",
    }
}

impl StreamName {
    /// The deal's base.
    pub fn base(self) -> Base {
        match self {
            StreamName::Royalty => Base::Royalty,
            StreamName::PsaStateShare => Base::PsaStateShare,
            StreamName::LicenceFees => Base::LicenceFees,
            StreamName::CorporateTax => Base::CorporateTax,
            StreamName::ResourceRevenue => Base::ResourceRevenue,
        }
    }

    /// The name of a base of the state's receipts; `None` for an exogenous stream (named by its id).
    pub fn of(base: Base) -> Option<StreamName> {
        Some(match base {
            Base::Royalty => StreamName::Royalty,
            Base::PsaStateShare => StreamName::PsaStateShare,
            Base::LicenceFees => StreamName::LicenceFees,
            Base::CorporateTax => StreamName::CorporateTax,
            Base::ResourceRevenue => StreamName::ResourceRevenue,
            Base::Exogenous(_) | Base::Dividends(_) => return None,
        })
    }
}

names! {
    /// `streams.<id>.dollars`.
    Dollars {
        /// Nominal dollars of each year.
        Nominal = "nominal",
        /// Real base-year dollars.
        Real = "real",
    }
}

names! {
    /// `projects.<id>.products.<product>.royalty-base`.
    RoyaltyBase {
        /// The gross value of the output.
        Gross = "gross",
        /// The net smelter return.
        Nsr = "nsr",
    }
}

names! {
    /// `deal.contributions[].receipts`.
    ReceiptsName {
        /// New licences' receipts.
        New = "new",
        /// Existing licences' receipts.
        Existing = "existing",
        /// All receipts.
        All = "all",
    }
}

impl ReceiptsName {
    /// The deal's choice.
    pub fn which(self) -> Which {
        match self {
            ReceiptsName::New => Which::New,
            ReceiptsName::Existing => Which::Existing,
            ReceiptsName::All => Which::All,
        }
    }

    /// The name of a choice.
    pub fn of(which: Which) -> ReceiptsName {
        match which {
            Which::New => ReceiptsName::New,
            Which::Existing => ReceiptsName::Existing,
            Which::All => ReceiptsName::All,
        }
    }
}

names! {
    /// `deal.fund.invests-in`.
    InvestsIn {
        /// Projects whose receipts are new.
        NewProjects = "new-projects",
        /// Any project.
        AllProjects = "all-projects",
    }
}

names! {
    /// `deal.tiers[].kind`.
    TierKind {
        /// All to a party until its capital and hurdle are returned.
        ReturnCapital = "return-capital",
        /// Split by capital accounts.
        ProRata = "pro-rata",
        /// Everything left to a party.
        Rest = "rest",
    }
}

names! {
    /// `deal.fund-cash.interest-basis`.
    RateBasis {
        /// A nominal rate.
        Nominal = "nominal",
        /// A real rate: the cash also keeps pace with the path's inflation.
        Real = "real",
    }
}

names! {
    /// `deal.fund-cash.after-lock-up`.
    AfterLockUp {
        /// All cash above the reserve and the commitments is paid out every year.
        AllAboveReserve = "all-above-reserve",
        /// Cash is kept for co-investment (up to `retain-up-to`, or all of it).
        Retain = "retain",
    }
}

names! {
    /// `deal.tiers[].compounding`.
    Compounding {
        /// The hurdle compounds.
        Compound = "compound",
        /// Simple interest.
        Simple = "simple",
    }
}

/// A stage the data may record a deposit at: every stage but `idle` ([`crate::deposits::data_stage`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataStage(pub Stage);

impl DataStage {
    /// Names of the stages the data may record, in order.
    pub const NAMES: [&'static str; 7] = {
        let mut names = [""; 7];
        let (mut i, mut k) = (0, 0);
        while i < Stage::ALL.len() {
            if !matches!(Stage::ALL[i], Stage::Ready) {
                names[k] = Stage::ALL[i].name();
                k += 1;
            }
            i += 1;
        }
        names
    };
}

impl std::str::FromStr for DataStage {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        match s.parse::<Stage>() {
            Ok(st) if crate::deposits::data_stage(st) => Ok(DataStage(st)),
            _ => Err(UnknownName(s.to_string())),
        }
    }
}

impl std::str::FromStr for ControlStatus {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        match s {
            "" => Err(UnknownName(String::new())),
            _ => ControlStatus::parse(s).ok_or_else(|| UnknownName(s.to_string())),
        }
    }
}
