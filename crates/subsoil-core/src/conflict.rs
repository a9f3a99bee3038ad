//! War and peace on one path: when the war ends, whether a ceasefire holds, what a settlement gives up,
//! and how the front creeps while the fighting lasts.
//!
//! Timeline. The first ceasefire comes `τ = −ln(u)/λ` years after the start (or in a drawn calendar year);
//! a year is at war when the ceasefire comes after its middle (`τ > t + ½`), so in whole years the war lasts
//! `τ` on average. In the first year of peace the ceasefire breaks down with probability `p₁`, later with
//! yearly hazard `h`; war then resumes the next year, and a new ceasefire ends a war year with probability
//! `1 − e^(−λ)`.
//!
//! Control. Each year of war, in every oblast where the front can move, one draw (shared by all the oblast's
//! deposits, so neighbours move together) decides whether the front advances: the oblast's frontline
//! deposits are occupied from the next year. Deposits further back are not brought within reach of the
//! front (the data hold no distances to the line). At the first ceasefire the path's settlement takes its
//! lost oblasts. Occupation is never reversed.

use crate::model::{Control, Model, StartControl};
use crate::param::{Randomness, happens, yearly_probability};
use crate::streams::{K_BREAKDOWN, K_CEASEFIRE, K_FRONT};

/// The conflict on one path.
#[derive(Clone, Debug, Default)]
pub struct ConflictPath {
    /// Whether year `t` is at war.
    pub at_war: Vec<bool>,
    /// Years since the latest ceasefire (0 in its first year of peace); `u32::MAX` at war.
    pub years_of_peace: Vec<u32>,
    /// Index of the first year of peace, if within the horizon.
    pub first_peace: Option<u32>,
    /// Number of times war resumed after a ceasefire.
    pub breakdowns: u32,
    /// Control of deposit `d` in year `t` at `[d * horizon + t]`.
    pub control: Vec<Control>,
    /// Index of the path's settlement outcome.
    pub settlement: Option<usize>,
    /// Scratch: whether the front moved in each oblast this year.
    moved: Vec<bool>,
}

impl ConflictPath {
    /// Control of deposit `d` in year `t`.
    #[inline]
    pub fn control(&self, d: usize, t: u32) -> Control {
        self.control[d * self.at_war.len() + t as usize]
    }

    /// Draws the conflict of a path.
    pub fn draw<R: Randomness>(&mut self, m: &Model, r: &R) {
        let h = m.time.horizon as usize;
        let c = &m.conflict;
        self.at_war.clear();
        self.at_war.resize(h, false);
        self.years_of_peace.clear();
        self.years_of_peace.resize(h, u32::MAX);
        self.first_peace = None;
        self.breakdowns = 0;

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
        for t in 0..h as u32 {
            if war && self.first_peace.is_none() && first_time <= t as f64 + 0.5 {
                // The first ceasefire came before the middle of this year: the year is at peace.
                war = false;
                peace_since = t;
                self.first_peace = Some(t);
            }
            if war {
                self.at_war[t as usize] = true;
                if self.first_peace.is_some()
                    && happens(r.uniform(c.stream, K_CEASEFIRE + t), p_new_ceasefire)
                {
                    war = false;
                    peace_since = t + 1;
                }
            } else {
                let since = t - peace_since;
                self.years_of_peace[t as usize] = since;
                let p = if since == 0 { p1 } else { p_later };
                if happens(r.uniform(c.stream, K_BREAKDOWN + t), p) {
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
        self.control.clear();
        self.control.resize(m.deposits.len() * h, Control::Ukraine);
        self.moved.clear();
        self.moved.resize(m.oblasts.len(), false);
        let creep = yearly_probability(m.conflict.creep_hazard.at(r));
        for (d, dep) in m.deposits.iter().enumerate() {
            self.control[d * h] = match dep.control {
                StartControl::Known(c) => c,
                StartControl::Drawn(p) => match p.at(r).round() as i64 {
                    0 => Control::Ukraine,
                    1 => Control::Frontline,
                    _ => Control::Occupied,
                },
            };
        }
        let lost: &[usize] = match self.settlement {
            Some(s) => &m.conflict.settlements[s].lost_oblasts,
            None => &[],
        };
        if self.first_peace == Some(0) {
            // Peace from the first year: the settlement applies from the start.
            for (d, dep) in m.deposits.iter().enumerate() {
                if lost.contains(&dep.primary_oblast) {
                    self.control[d * h] = Control::Occupied;
                }
            }
        }
        for t in 0..h.saturating_sub(1) {
            // One draw per oblast and war year decides whether the front moves there.
            for (o, ob) in m.oblasts.iter().enumerate() {
                self.moved[o] = self.at_war[t]
                    && ob.front
                    && happens(r.uniform(ob.stream, K_FRONT + t as u32), creep);
            }
            let settles = self.first_peace == Some(t as u32 + 1);
            for (d, dep) in m.deposits.iter().enumerate() {
                let o = dep.primary_oblast;
                let now = self.control[d * h + t];
                let mut next = now;
                if self.moved[o] && now == Control::Frontline {
                    next = Control::Occupied;
                }
                if settles && lost.contains(&o) {
                    next = Control::Occupied;
                }
                self.control[d * h + t + 1] = next;
            }
        }
    }
}
