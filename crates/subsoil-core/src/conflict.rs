//! War and peace on one path: when the war ends, whether a ceasefire holds, what a settlement gives up,
//! and how the front creeps while the fighting lasts.
//!
//! Timeline. The first ceasefire comes `τ = −ln(u)/λ` years after the start (or in a drawn calendar year);
//! a year is at war when the ceasefire comes after its middle (`τ > t + ½`), so in whole years the war lasts
//! `τ` on average. In the first year of peace the ceasefire breaks down with probability `p₁`, later with
//! yearly hazard `h`; war then resumes the next year, and a new ceasefire ends a war year with probability
//! `1 − e^(−λ)`.
//!
//! A scenario without `[conflict]` ([`crate::model::Conflict::at_peace`]) is at lasting peace: no year is
//! at war, no ceasefire comes (none is reported) and no year is post-war, so investors' hurdle carries the
//! peace premium from the first year.
//!
//! Control. Each year of war, in every oblast where the front can move, one draw (shared by all the oblast's
//! deposits, so neighbours move together) decides whether the front advances: the oblast's frontline
//! deposits are occupied from the next year. Deposits further back are not brought within reach of the
//! front (the data hold no distances to the line). At the first ceasefire the path's settlement takes its
//! lost oblasts. Occupation is never reversed.

use crate::model::{Control, Model, StartControl};
use crate::param::{Randomness, happens, yearly_probability};
use crate::streams::{K_BREAKDOWN, K_CEASEFIRE, K_FRONT};

/// `ConflictPath::years_of_peace` of every year of a scenario without a conflict: more years than any
/// post-war period (`rates.postwar-years` is at most 100), and not `u32::MAX`, which means war.
pub const LASTING_PEACE: u32 = u32::MAX - 1;

/// The conflict on one path.
#[derive(Clone, Debug, Default)]
pub struct ConflictPath {
    /// Whether year `t` is at war.
    pub at_war: Vec<bool>,
    /// Years since the latest ceasefire (0 in its first year of peace); `u32::MAX` at war;
    /// [`LASTING_PEACE`] in a country that is not at war at all.
    pub years_of_peace: Vec<u32>,
    /// Index of the first year of peace, if within the horizon (0 for a ceasefire before the start).
    pub first_peace: Option<u32>,
    /// For a ceasefire before the start year (`conflict.ceasefire-year` is a calendar year), how many
    /// years before the start its first year of peace was; 0 otherwise. Its post-war years count from
    /// that year, not from the start.
    pub peace_before_start: u32,
    /// Number of times war resumed after a ceasefire.
    pub breakdowns: u32,
    /// Control of deposit `d` at the start: it keeps it until `occupied_from[d]`.
    pub start_control: Vec<Control>,
    /// The first year index in which deposit `d` is occupied (occupation is never reversed); the
    /// horizon or later when it is not occupied after its start.
    pub occupied_from: Vec<u32>,
    /// Index of the path's settlement outcome.
    pub settlement: Option<usize>,
    /// Scratch: the first war year in which the front moves in each oblast (`Some(None)`: never), once
    /// a frontline deposit there asked.
    front_moves: Vec<Option<Option<u32>>>,
}

impl ConflictPath {
    /// Control of deposit `d` in year `t`.
    #[inline]
    pub fn control(&self, d: usize, t: u32) -> Control {
        if t >= self.occupied_from[d] { Control::Occupied } else { self.start_control[d] }
    }

    /// Draws the conflict of a path.
    pub fn draw<R: Randomness>(&mut self, m: &Model, r: &R) {
        let h = m.time.horizon as usize;
        let c = &m.conflict;
        self.at_war.clear();
        self.at_war.resize(h, false);
        self.years_of_peace.clear();
        self.first_peace = None;
        self.peace_before_start = 0;
        self.breakdowns = 0;
        if c.at_peace {
            // No war to end: no ceasefire, no post-war years, no settlement and nothing to draw.
            self.years_of_peace.resize(h, LASTING_PEACE);
            self.settlement = None;
            self.draw_control(m, r);
            return;
        }
        self.years_of_peace.resize(h, u32::MAX);

        let hazard = c.ceasefire_hazard.at(r).max(0.0);
        let first_time = match c.ceasefire_year {
            Some(y) => y.at(r) - m.time.start_year as f64,
            None => {
                let u = c.ceasefire_u.at(r).clamp(f64::MIN_POSITIVE, 1.0);
                if hazard > 0.0 { -u.ln() / hazard } else { f64::INFINITY }
            }
        };
        let p_new_ceasefire = yearly_probability(hazard);
        let p1 = c.breakdown_first_year.at(r);
        let p_later = yearly_probability(c.renewed_war_hazard.at(r));
        let mut war = true;
        let mut peace_since = 0u32;
        // Years of peace before the start in the current spell of peace (only the first one can have any).
        let mut before = 0u32;
        for t in 0..h as u32 {
            if war && self.first_peace.is_none() && first_time <= t as f64 + 0.5 {
                // The first ceasefire came before the middle of this year: the year is at peace. One
                // before the start made the year whose middle it preceded the first year of peace.
                war = false;
                peace_since = t;
                self.first_peace = Some(t);
                if t == 0 {
                    before = (0.5 - first_time).floor().clamp(0.0, f64::from(u16::MAX)) as u32;
                    self.peace_before_start = before;
                }
            }
            if war {
                self.at_war[t as usize] = true;
                // A probability that is not positive never happens (see `happens`), so its uniform is
                // not drawn; no other draw depends on it (see `Randomness`).
                if self.first_peace.is_some()
                    && p_new_ceasefire > 0.0
                    && happens(r.uniform(c.stream, K_CEASEFIRE + t), p_new_ceasefire)
                {
                    war = false;
                    peace_since = t + 1;
                    before = 0;
                }
            } else {
                let since = t - peace_since + before;
                self.years_of_peace[t as usize] = since;
                let p = if since == 0 { p1 } else { p_later };
                if p > 0.0 && happens(r.uniform(c.stream, K_BREAKDOWN + t), p) {
                    war = true;
                    self.breakdowns += 1;
                }
            }
        }
        // A path whose war never ends has no settlement.
        self.settlement = self.first_peace.and_then(|_| {
            (!c.settlements.is_empty()).then(|| {
                (c.settlement.at(r).round().max(0.0) as usize).min(c.settlements.len() - 1)
            })
        });
        self.draw_control(m, r);
    }

    fn draw_control<R: Randomness>(&mut self, m: &Model, r: &R) {
        let h = self.at_war.len();
        self.start_control.clear();
        self.occupied_from.clear();
        self.front_moves.clear();
        self.front_moves.resize(m.oblasts.len(), None);
        let creep = yearly_probability(m.conflict.creep_hazard.at(r));
        let lost: &[usize] = match self.settlement {
            Some(s) => &m.conflict.settlements[s].lost_oblasts,
            None => &[],
        };
        for dep in &m.deposits {
            let mut start = match dep.control {
                StartControl::Known(c) => c,
                StartControl::Drawn(p) => match p.at(r).round() as i64 {
                    0 => Control::Operable,
                    1 => Control::Contested,
                    _ => Control::Occupied,
                },
            };
            let o = dep.primary_oblast;
            let settled_lost = lost.contains(&o);
            if self.first_peace == Some(0) && settled_lost {
                // Peace from the first year: the settlement applies from the start.
                start = Control::Occupied;
            }
            let mut from = u32::MAX;
            if start == Control::Contested {
                // A frontline deposit is occupied from the year after the front first moves in its
                // oblast (one draw per oblast and war year decides whether it moves there).
                let ob = &m.oblasts[o];
                let at_war = &self.at_war;
                let first_move = *self.front_moves[o].get_or_insert_with(|| {
                    (0..h.saturating_sub(1) as u32).find(|&t| {
                        at_war[t as usize]
                            && ob.front
                            && creep > 0.0
                            && happens(r.uniform(ob.stream, K_FRONT + t), creep)
                    })
                });
                if let Some(t) = first_move {
                    from = t + 1;
                }
            }
            if start != Control::Occupied && settled_lost {
                // At the first ceasefire (after the first year) the settlement takes its lost oblasts.
                if let Some(p) = self.first_peace.filter(|&p| p >= 1 && (p as usize) < h) {
                    from = from.min(p);
                }
            }
            if start == Control::Occupied {
                from = 0;
            }
            self.start_control.push(start);
            self.occupied_from.push(from);
        }
    }
}
