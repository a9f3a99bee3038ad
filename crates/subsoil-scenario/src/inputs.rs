//! The registry of uncertain inputs: one slot per named input, each with its distribution, random stream,
//! bounds, unit, provenance and the field that sets it. Lowering fills it; the engine draws from it.

use std::collections::HashMap;

use subsoil_core::Param;
use subsoil_risk::{Dist, stream_id};

use crate::quantity::{Provenance, Quantity};

/// An uncertain input: one uniform per path feeds its distribution.
#[derive(Clone, Debug)]
pub struct Input {
    /// Name (the dotted path of the field, or of the per-project copy of a default).
    pub name: String,
    /// Distribution.
    pub dist: Dist,
    /// Random stream of the input: a hash of its name (of its former name, for a field the format renamed),
    /// so scenarios sharing a name share its draws.
    pub stream: u64,
    /// Draws are clamped to this range (the field's bounds; only unbounded tails can reach them).
    pub bounds: (f64, f64),
    /// Unit as written in the scenario (empty when none is written or the input is not a field).
    pub unit: String,
    /// Where the input comes from: the field's provenance, or what the engine derives it from.
    pub about: Provenance,
    /// The scenario field that sets it (what `--set` changes): the name itself when the schema has that
    /// field, a shared default of which this input is one project's copy, or `None` for an input derived
    /// from other fields.
    pub field: Option<String>,
}

/// A named stream of yearly random numbers (price shocks, a project's events, the conflict's events):
/// the model reads `uniform(id, k)` and `normal(id, k)` from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedStream {
    /// Name (`products.lithium-carbonate.shock`, `projects.dobra-lithium.events`, `conflict.events`, …).
    pub name: String,
    /// Its id: a hash of the name, so scenarios sharing a name share its draws.
    pub id: u64,
}

/// A factor of the variance-based sensitivity indices, declared in `[sensitivity.groups]` or on the
/// command line: every input and stream whose name matches one of the patterns ([`glob_match`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FactorGroup {
    /// The group's name.
    pub name: String,
    /// Its patterns.
    pub patterns: Vec<String>,
}

/// The registry of uncertain inputs, indexed by slot, and of the named yearly random streams.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// Inputs by slot.
    pub list: Vec<Input>,
    /// Every named stream the model reads yearly random numbers from, in the order lowering met them.
    pub streams: Vec<NamedStream>,
    by_name: HashMap<String, u32>,
}

impl Inputs {
    /// The model parameter for a quantity: fixed, or a slot named after its path.
    pub fn param(&mut self, q: &Quantity) -> Param {
        self.param_named(&q.path, q)
    }

    /// The model parameter for a quantity, drawn under `name` (used to give each project its own draw of
    /// a shared default).
    pub fn param_named(&mut self, name: &str, q: &Quantity) -> Param {
        if !q.uncertain {
            return Param::Fixed(q.median());
        }
        let unit = q.unit.clone().unwrap_or_default();
        // The input's own name when `--set` can write it; else the shared default it is a copy of.
        let field = Some(if crate::schema::field_at(name).is_some() {
            name.to_string()
        } else {
            q.path.clone()
        });
        self.slot_bounded(name, q.dist.clone(), q.bounds, unit, q.provenance.clone(), field)
    }

    /// A slot for an uncertain input with the given distribution, drawn over its whole support; `about`
    /// says what it is derived from.
    pub fn slot(&mut self, name: &str, dist: Dist, about: &str) -> Param {
        let bounds = dist.support();
        let about = Provenance::Source { source: about.to_string(), derivation: None };
        self.slot_bounded(name, dist, bounds, String::new(), about, None)
    }

    fn slot_bounded(
        &mut self,
        name: &str,
        dist: Dist,
        bounds: (f64, f64),
        unit: String,
        about: Provenance,
        field: Option<String>,
    ) -> Param {
        if let Some(&s) = self.by_name.get(name) {
            return Param::Slot(s);
        }
        let s = self.list.len() as u32;
        // A renamed field's input keeps the stream of its former name: a seed draws what it drew before.
        let stream = stream_id(crate::renamed::former(name).unwrap_or(name));
        self.list.push(Input { name: name.to_string(), dist, stream, bounds, unit, about, field });
        self.by_name.insert(name.to_string(), s);
        Param::Slot(s)
    }

    /// The id of the yearly random stream called `name`, registered on first use.
    pub fn stream(&mut self, name: &str) -> u64 {
        let id = stream_id(name);
        if !self.streams.iter().any(|s| s.id == id) {
            self.streams.push(NamedStream { name: name.to_string(), id });
        }
        id
    }

    /// Whether `pattern` matches the name of an input or of a stream.
    pub fn matches_any(&self, pattern: &str) -> bool {
        self.list.iter().any(|i| glob_match(pattern, &i.name))
            || self.streams.iter().any(|s| glob_match(pattern, &s.name))
    }

    /// Slot of the input called `name` (or by a renamed field's former name), if registered.
    pub fn slot_of(&self, name: &str) -> Option<u32> {
        self.by_name.get(&*crate::renamed::current(name)).copied()
    }

    /// Median of every input, by slot: the deterministic base case.
    pub fn medians(&self) -> Vec<f64> {
        self.list.iter().map(|i| i.dist.median()).collect()
    }
}

/// Whether `name` matches `pattern`, in which `*` stands for any run of characters (dots included) and
/// every other character for itself. A pattern that starts with a renamed field's former path stands for
/// its current one (`macro.us-inflation` matches `macro.inflation`).
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let pattern = crate::renamed::current(pattern);
    let (p, n) = (pattern.as_bytes(), name.as_bytes());
    // The last `*` seen and where in `name` it began to match, to backtrack to.
    let (mut i, mut j, mut star) = (0, 0, None::<(usize, usize)>);
    while j < n.len() {
        if i < p.len() && p[i] == b'*' {
            star = Some((i, j));
            i += 1;
        } else if i < p.len() && p[i] == n[j] {
            i += 1;
            j += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn stars_match_any_run_of_characters_dots_included() {
        assert!(glob_match("conflict.*", "conflict.events"));
        assert!(glob_match("projects.*.capex-overrun", "projects.dobra.capex-overrun"));
        assert!(glob_match("projects.*.capex-overrun", "projects.a.b.capex-overrun"));
        assert!(!glob_match("projects.*.capex-overrun", "projects.dobra.opex-multiplier"));
        assert!(glob_match("*", "anything"));
        assert!(glob_match("macro.inflation", "macro.inflation"));
        assert!(!glob_match("macro.in", "macro.inflation"));
        assert!(glob_match("macro.us-inflation", "macro.inflation"));
        assert!(glob_match("*lithium*", "products.lithium-carbonate.shock"));
        assert!(!glob_match("a*b*c", "acb"));
    }
}
