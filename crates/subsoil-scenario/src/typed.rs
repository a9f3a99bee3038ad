//! The typed view of a validated scenario: one Rust struct per schema table ([`crate::sections`]),
//! read from the [`Valid`] tree that validation produced, so that lowering reads `s.time.start_year`
//! rather than looking fields up by dotted path.
//!
//! How a schema field's presence maps to its Rust type (checked by [`fit`], and so by the test that
//! every schema field has a typed home):
//! - a field with a default (`Req::Num`, `Req::Text`) is a plain `T`: validation filled the default in, so
//!   lowering never restates one;
//! - a required or optional field is an `Option<T>`: `None` when it is not given (for a required field,
//!   only after validation reported it missing or invalid);
//! - a table is its struct, a table not given holding its defaults; a map is [`Entries`], an array
//!   [`Items`] (empty when not given).
//!
//! Every enum of the schema is read by `FromStr` from the schema's own list of names (`Ty::Enum(&X::NAMES)`),
//! and [`fit`] checks that the list a field declares is the list its Rust type parses.

use std::str::FromStr;

use subsoil_core::{Discounting, Stage, TerminalValue};

use crate::deposits::ControlStatus;
use crate::diag::Location;
use crate::quantity::Quantity;
use crate::schema::{Field, Req, Ty};
use crate::vocab::{
    AfterLockUp, Compounding, DataStage, Decision, Dollars, InvestsIn, ProfileKind, RateBasis,
    ReceiptsName, RegimeKind, RoyaltyBase, StreamName, TierKind,
};
use crate::walk::{Val, Valid, Ymd};

/// Where a typed value is: its dotted path and, when it was written in a file, its location.
#[derive(Clone, Debug)]
pub(crate) struct Site {
    /// Dotted path.
    pub path: String,
    /// Location in a file; `None` for a default or a table not given.
    pub loc: Option<Location>,
}

impl Site {
    fn of(v: Option<&Valid>, path: &str) -> Site {
        match v {
            Some(v) => Site { path: v.path.clone(), loc: v.loc.clone() },
            None => Site { path: path.to_string(), loc: None },
        }
    }

    /// Whether the value was written in a file (rather than defaulted or absent).
    pub fn given(&self) -> bool {
        self.loc.is_some()
    }

    /// The path of field `key` of this table (for a message about a field absent or defaulted).
    pub fn join(&self, key: &str) -> String {
        if self.path.is_empty() { key.to_string() } else { format!("{}.{key}", self.path) }
    }
}

/// A value with its site, for a field whose location lowering names in a cross-field message.
#[derive(Clone, Debug)]
pub(crate) struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it is.
    pub site: Site,
}

/// An array's items with the array's site.
#[derive(Clone, Debug)]
pub(crate) struct Items<T> {
    /// The array (empty when not given).
    pub site: Site,
    /// Its items, in order.
    pub items: Vec<T>,
}

/// A map's entries (`[products.<id>]`) with the map's site, in key order.
#[derive(Clone, Debug)]
pub(crate) struct Entries<T> {
    /// The map (empty when not given).
    pub site: Site,
    /// Its entries: (id, value).
    pub entries: Vec<(String, T)>,
}

impl<T> Entries<T> {
    /// The ids, in order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }
}

/// How a typed field's presence relates to its schema field's `Req`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(test), allow(dead_code))] // The fit is checked by the tests only.
pub(crate) enum Presence {
    /// A plain `T`: the field must have a default.
    Defaulted,
    /// An `Option<T>`: the field must be required or optional, without a default.
    Maybe,
    /// A table, map or array: always there (a table with its defaults, a map or array empty).
    Always,
}

/// A type that a validated value is read into.
pub(crate) trait Typed: Sized {
    /// How its presence must be declared in the schema.
    #[cfg_attr(not(test), allow(dead_code))]
    const PRESENCE: Presence;
    /// Reads the value at `path` (`None`: not in the validated tree).
    fn read(v: Option<&Valid>, path: &str) -> Self;
    /// Problems fitting this type to the schema type `ty` at `path`, pushed to `out`.
    #[cfg_attr(not(test), allow(dead_code))]
    fn fit_ty(ty: &Ty, path: &str, out: &mut Vec<String>);
}

/// A leaf value: a quantity, number, string, flag, date or enum choice.
pub(crate) trait Leaf: Sized {
    /// The value, if `v` holds one of this type.
    fn from_val(v: &Val) -> Option<Self>;
    /// What stands in when a defaulted value is missing; never used, as validation fills every default.
    fn placeholder(path: &str) -> Self;
    /// Whether the schema type `ty` holds values of this type.
    #[cfg_attr(not(test), allow(dead_code))]
    fn fits(ty: &Ty) -> bool;
}

impl Leaf for Quantity {
    fn from_val(v: &Val) -> Option<Self> {
        match v {
            Val::Quantity(q) => Some((**q).clone()),
            _ => None,
        }
    }
    fn placeholder(path: &str) -> Self {
        Quantity::default_value(path.to_string(), 0.0).expect("0 is finite")
    }
    fn fits(ty: &Ty) -> bool {
        matches!(ty, Ty::Quantity(_))
    }
}

impl Leaf for String {
    fn from_val(v: &Val) -> Option<Self> {
        match v {
            Val::Str(s) => Some(s.clone()),
            _ => None,
        }
    }
    fn placeholder(_: &str) -> Self {
        String::new()
    }
    fn fits(ty: &Ty) -> bool {
        matches!(ty, Ty::Str)
    }
}

impl Leaf for bool {
    fn from_val(v: &Val) -> Option<Self> {
        match v {
            Val::Bool(b) => Some(*b),
            _ => None,
        }
    }
    fn placeholder(_: &str) -> Self {
        false
    }
    fn fits(ty: &Ty) -> bool {
        matches!(ty, Ty::Bool)
    }
}

impl Leaf for Ymd {
    fn from_val(v: &Val) -> Option<Self> {
        match v {
            Val::Date(d) => Some(*d),
            _ => None,
        }
    }
    fn placeholder(_: &str) -> Self {
        (1970, 1, 1)
    }
    fn fits(ty: &Ty) -> bool {
        matches!(ty, Ty::Date)
    }
}

macro_rules! count_leaf {
    ($($t:ty),*) => {$(
        impl Leaf for $t {
            fn from_val(v: &Val) -> Option<Self> {
                match v {
                    // The schema's bounds keep every count within the type.
                    Val::Count(i) => <$t>::try_from(*i).ok(),
                    _ => None,
                }
            }
            fn placeholder(_: &str) -> Self {
                0
            }
            fn fits(ty: &Ty) -> bool {
                matches!(ty, Ty::Count { min, max } if <$t>::try_from(*min).is_ok() && <$t>::try_from(*max).is_ok())
            }
        }
    )*};
}
count_leaf!(i32, u32);

/// An enum of the schema: its names as files write them, parsed by `FromStr`.
pub(crate) trait Choice: FromStr + Copy {
    /// Every name, in the order the schema lists them.
    const CHOICES: &'static [&'static str];
}

macro_rules! choice_leaf {
    ($($t:ty => $names:expr),* $(,)?) => {$(
        impl Choice for $t {
            const CHOICES: &'static [&'static str] = &$names;
        }
        impl Leaf for $t {
            fn from_val(v: &Val) -> Option<Self> {
                match v {
                    Val::Str(s) => s.parse().ok(),
                    _ => None,
                }
            }
            fn placeholder(_: &str) -> Self {
                <$t>::from_str(<$t as Choice>::CHOICES[0]).ok().expect("the first name parses")
            }
            fn fits(ty: &Ty) -> bool {
                matches!(ty, Ty::Enum(names) if *names == <$t as Choice>::CHOICES)
            }
        }
        leaf_typed!($t);
    )*};
}

macro_rules! leaf_typed {
    ($($t:ty),*) => {$(
        impl Typed for $t {
            const PRESENCE: Presence = Presence::Defaulted;
            fn read(v: Option<&Valid>, path: &str) -> Self {
                v.and_then(|v| <$t as Leaf>::from_val(&v.val)).unwrap_or_else(|| <$t as Leaf>::placeholder(path))
            }
            fn fit_ty(ty: &Ty, path: &str, out: &mut Vec<String>) {
                leaf_fit::<$t>(ty, path, out)
            }
        }
        impl Typed for Option<$t> {
            const PRESENCE: Presence = Presence::Maybe;
            fn read(v: Option<&Valid>, _: &str) -> Self {
                v.and_then(|v| <$t as Leaf>::from_val(&v.val))
            }
            fn fit_ty(ty: &Ty, path: &str, out: &mut Vec<String>) {
                leaf_fit::<$t>(ty, path, out)
            }
        }
    )*};
}

leaf_typed!(Quantity, String, bool, Ymd, i32, u32);

choice_leaf!(
    Stage => Stage::NAMES,
    Discounting => Discounting::NAMES,
    TerminalValue => TerminalValue::NAMES,
    RegimeKind => RegimeKind::NAMES,
    Decision => Decision::NAMES,
    ProfileKind => ProfileKind::NAMES,
    StreamName => StreamName::NAMES,
    ReceiptsName => ReceiptsName::NAMES,
    InvestsIn => InvestsIn::NAMES,
    TierKind => TierKind::NAMES,
    Compounding => Compounding::NAMES,
    DataStage => DataStage::NAMES,
    ControlStatus => ControlStatus::NAMES,
    Dollars => Dollars::NAMES,
    RoyaltyBase => RoyaltyBase::NAMES,
    RateBasis => RateBasis::NAMES,
    AfterLockUp => AfterLockUp::NAMES,
);

#[cfg_attr(not(test), allow(dead_code))] // The fit is checked by the tests only.
fn leaf_fit<T: Leaf>(ty: &Ty, path: &str, out: &mut Vec<String>) {
    if !T::fits(ty) {
        out.push(format!(
            "{path}: the schema's {ty:?} is not read as {}",
            std::any::type_name::<T>()
        ));
    }
}

impl<T: Leaf> Typed for Located<T> {
    const PRESENCE: Presence = Presence::Defaulted;
    fn read(v: Option<&Valid>, path: &str) -> Self {
        match v.and_then(|v| T::from_val(&v.val)) {
            Some(value) => Located { value, site: Site::of(v, path) },
            None => Located { value: T::placeholder(path), site: Site::of(None, path) },
        }
    }
    fn fit_ty(ty: &Ty, path: &str, out: &mut Vec<String>) {
        leaf_fit::<T>(ty, path, out)
    }
}

impl<T: Leaf> Typed for Option<Located<T>> {
    const PRESENCE: Presence = Presence::Maybe;
    fn read(v: Option<&Valid>, path: &str) -> Self {
        let value = T::from_val(&v?.val)?;
        Some(Located { value, site: Site::of(v, path) })
    }
    fn fit_ty(ty: &Ty, path: &str, out: &mut Vec<String>) {
        leaf_fit::<T>(ty, path, out)
    }
}

impl<T: Typed> Typed for Items<T> {
    const PRESENCE: Presence = Presence::Always;
    fn read(v: Option<&Valid>, path: &str) -> Self {
        let items = match v.map(|v| &v.val) {
            Some(Val::Array(a)) => a.iter().map(|it| T::read(Some(it), &it.path)).collect(),
            _ => Vec::new(),
        };
        Items { site: Site::of(v, path), items }
    }
    fn fit_ty(ty: &Ty, path: &str, out: &mut Vec<String>) {
        match ty {
            Ty::Array(inner) => T::fit_ty(inner, &format!("{path}[]"), out),
            _ => out.push(format!("{path}: the schema's {ty:?} is not read as an array")),
        }
    }
}

impl<T: Typed> Typed for Entries<T> {
    const PRESENCE: Presence = Presence::Always;
    fn read(v: Option<&Valid>, path: &str) -> Self {
        let entries = match v.map(|v| &v.val) {
            Some(Val::Map(m)) => {
                m.iter().map(|(k, e)| (k.clone(), T::read(Some(e), &e.path))).collect()
            }
            _ => Vec::new(),
        };
        Entries { site: Site::of(v, path), entries }
    }
    fn fit_ty(ty: &Ty, path: &str, out: &mut Vec<String>) {
        match ty {
            Ty::Map { value, key } => T::fit_ty(value, &format!("{path}.{key}"), out),
            _ => out.push(format!("{path}: the schema's {ty:?} is not read as a map")),
        }
    }
}

/// One typed field of a table struct, for [`fit_table`]: (key, presence, check of its type).
#[cfg_attr(not(test), allow(dead_code))] // The fit is checked by the tests only.
pub(crate) type FieldFit = (&'static str, Presence, fn(&Ty, &str, &mut Vec<String>));

/// Problems fitting a table struct's fields to the schema table `fields`: a schema field with no typed
/// field, a typed field with no schema field, a presence that does not match the field's `Req`, or a
/// type that does not hold the field's values.
#[cfg_attr(not(test), allow(dead_code))] // The fit is checked by the tests only.
pub(crate) fn fit_table(fields: &[Field], typed: &[FieldFit], path: &str, out: &mut Vec<String>) {
    let join = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    for f in fields {
        let p = join(f.key);
        let Some((_, presence, fit)) = typed.iter().find(|(k, _, _)| *k == f.key) else {
            out.push(format!("{p}: no typed field reads it"));
            continue;
        };
        let ok = match (presence, f.req) {
            (Presence::Always, _) => true,
            (Presence::Defaulted, req) => matches!(req, Req::Num(_) | Req::Text(_)),
            (Presence::Maybe, req) => matches!(req, Req::Required | Req::Optional),
        };
        if !ok {
            out.push(format!("{p}: typed as {presence:?} but the schema says {:?}", f.req));
        }
        fit(&f.ty, &p, out);
    }
    for (k, _, _) in typed {
        if !fields.iter().any(|f| f.key == *k) {
            out.push(format!("{}: typed but not in the schema", join(k)));
        }
    }
}

/// Declares the struct of one schema table: its fields with the keys they are written as, read from the
/// validated tree by [`Typed::read`] and checked against the schema by [`Typed::fit_ty`].
macro_rules! table {
    (
        $(#[$m:meta])*
        $name:ident { $( $(#[$fm:meta])* $field:ident : $ty:ty = $key:literal ),* $(,)? }
    ) => {
        $(#[$m])*
        #[derive(Clone, Debug)]
        pub(crate) struct $name {
            /// Where the table is (not a schema field: lowering reads it only to locate messages).
            #[allow(dead_code)]
            pub site: $crate::typed::Site,
            $( $(#[$fm])* pub $field: $ty, )*
        }

        impl $crate::typed::Typed for $name {
            const PRESENCE: $crate::typed::Presence = $crate::typed::Presence::Always;
            fn read(v: Option<&$crate::walk::Valid>, path: &str) -> Self {
                let site = $crate::typed::site_of(v, path);
                $name {
                    $( $field: <$ty as $crate::typed::Typed>::read(
                        v.and_then(|v| v.field($key)),
                        &site.join($key),
                    ), )*
                    site,
                }
            }
            fn fit_ty(ty: &$crate::schema::Ty, path: &str, out: &mut Vec<String>) {
                match ty {
                    $crate::schema::Ty::Table(fields) => $crate::typed::fit_table(
                        fields,
                        &[$( (
                            $key,
                            <$ty as $crate::typed::Typed>::PRESENCE,
                            <$ty as $crate::typed::Typed>::fit_ty,
                        ) ),*],
                        path,
                        out,
                    ),
                    _ => out.push(format!("{path}: the schema's {ty:?} is not read as a table")),
                }
            }
        }
    };
}
pub(crate) use table;

/// The site of a table at `path` (for [`table!`]).
pub(crate) fn site_of(v: Option<&Valid>, path: &str) -> Site {
    Site::of(v, path)
}

/// Problems fitting the typed root to the schema's root (empty when every schema field has a typed
/// home of a fitting type, and every typed field a schema field).
#[cfg_attr(not(test), allow(dead_code))] // The fit is checked by the tests only.
pub(crate) fn fit<T: Typed>(fields: &'static [Field]) -> Vec<String> {
    let mut out = Vec::new();
    T::fit_ty(&Ty::Table(fields), "", &mut out);
    out
}

// The structs here are only fitted to their tables, never lowered.
#[allow(dead_code)]
#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Q, Unit};

    const INNER: &[Field] = &[
        Field { key: "kind", ty: Ty::Enum(&RegimeKind::NAMES), req: Req::Text("royalty"), doc: "" },
        Field {
            key: "rate",
            ty: Ty::Quantity(Q {
                unit: Unit::Fraction,
                min: 0.0,
                max: 1.0,
                uncertain: true,
                series: false,
                by_age: false,
            }),
            req: Req::Num(0.0),
            doc: "",
        },
    ];
    const OUTER: &[Field] = &[
        Field { key: "name", ty: Ty::Str, req: Req::Required, doc: "" },
        Field { key: "years", ty: Ty::Count { min: 1, max: 9 }, req: Req::Num(3.0), doc: "" },
        Field { key: "inner", ty: Ty::Table(INNER), req: Req::Optional, doc: "" },
        Field { key: "choice", ty: Ty::Enum(&["a", "b"]), req: Req::Text("a"), doc: "" },
    ];

    table! {
        /// Fits `INNER`.
        Inner { kind: RegimeKind = "kind", rate: Quantity = "rate" }
    }
    table! {
        /// Misfits `OUTER`: `name` a plain string though required, `years` missing, `choice` read as an
        /// enum of other names, `extra` not in the schema, `inner` misses `rate` through `Partial`.
        Outer {
            name: String = "name",
            inner: Partial = "inner",
            choice: Compounding = "choice",
            extra: Option<String> = "extra",
        }
    }
    table! {
        /// Reads only `kind` of `INNER`.
        Partial { kind: RegimeKind = "kind" }
    }

    #[test]
    fn a_struct_that_fits_its_table_has_no_problems() {
        let mut out = Vec::new();
        Inner::fit_ty(&Ty::Table(INNER), "t", &mut out);
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn every_misfit_is_reported() {
        let mut out = Vec::new();
        Outer::fit_ty(&Ty::Table(OUTER), "", &mut out);
        let has = |s: &str| out.iter().any(|o| o.contains(s));
        assert!(has("name: typed as Defaulted but the schema says Required"), "{out:?}");
        assert!(has("years: no typed field reads it"), "{out:?}");
        assert!(has("inner.rate: no typed field reads it"), "{out:?}");
        assert!(has("choice: the schema's Enum([\"a\", \"b\"])"), "{out:?}");
        assert!(has("extra: typed but not in the schema"), "{out:?}");
        assert_eq!(out.len(), 5, "{out:?}");
    }

    /// Validates `text` against `OUTER` and reads it as `Outer`-shaped `Read`.
    fn read(text: &str) -> (Read, crate::diag::Diagnostics) {
        let parsed = toml::de::DeTable::parse(text).expect("valid TOML");
        let mut d = crate::diag::Diagnostics::default();
        let node = crate::tree::Node::from_toml(crate::diag::FileId(0), &parsed, &mut d);
        let tree = crate::walk::validate(&node, READ, &mut d);
        (Read::read(Some(&tree), ""), d)
    }

    const READ: &[Field] = &[
        Field { key: "name", ty: Ty::Str, req: Req::Optional, doc: "" },
        Field { key: "years", ty: Ty::Count { min: 1, max: 9 }, req: Req::Num(3.0), doc: "" },
        Field { key: "inner", ty: Ty::Table(INNER), req: Req::Optional, doc: "" },
    ];

    table! {
        /// Fits `READ`.
        Read { name: Option<String> = "name", years: u32 = "years", inner: Inner = "inner" }
    }

    #[test]
    fn defaults_fill_absent_fields_and_tables_and_stand_in_for_refused_values() {
        let (r, d) = read("");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!((r.name, r.years), (None, 3));
        assert!(!r.inner.site.given());
        assert_eq!(r.inner.kind, RegimeKind::Royalty);
        assert_eq!((r.inner.rate.median(), r.inner.rate.location.is_some()), (0.0, false));

        let (r, d) = read("name = \"x\"\nyears = 12\n[inner]\nkind = \"psa\"\nrate = 0.25\n");
        // 12 is out of range: reported, and the default stands in for it.
        assert_eq!(d.items.len(), 1, "{d:?}");
        assert_eq!(d.items[0].path, "years");
        assert_eq!((r.name.as_deref(), r.years), (Some("x"), 3));
        assert!(r.inner.site.given());
        assert_eq!(r.inner.kind, RegimeKind::Psa);
        assert_eq!((r.inner.rate.median(), r.inner.rate.path.as_str()), (0.25, "inner.rate"));
        let mut out = Vec::new();
        Read::fit_ty(&Ty::Table(READ), "", &mut out);
        assert!(out.is_empty(), "{out:?}");
    }
}
