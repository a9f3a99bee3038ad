//! The project's own charts, drawn as SVG text: line and fan charts (with step curves for probabilities
//! by year) and histograms, with axes, units, labels and a legend. Colours come from the Okabe–Ito
//! palette, which readers with any common colour-vision deficiency can tell apart; lines also differ by
//! dash where a chart has many.
//!
//! Every plotted point carries its value in data attributes (`data-x`, `data-value`; bars `data-lo`,
//! `data-hi`, `data-value`) written as the shortest text that reads back as the same number, so tests
//! and readers can check a picture against the numbers it came from. Output depends only on the input:
//! the same chart is the same bytes.

use std::fmt::Write as _;

use crate::format::{esc, money, pct, plain};

/// The Okabe–Ito palette, most distinct colours first (blue, orange, bluish green, vermillion,
/// reddish purple, sky blue, yellow, black).
pub const PALETTE: [&str; 8] =
    ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];

/// How an axis writes its numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Calendar years: `2030`.
    Year,
    /// US dollars: `$1.2bn`.
    Money,
    /// Fractions as percentages: `40%`.
    Percent,
    /// Plain numbers: `12`.
    Plain,
}

impl Scale {
    fn label(self, x: f64) -> String {
        match self {
            Scale::Year => format!("{}", x.round()),
            Scale::Money => money(x),
            Scale::Percent => pct(x),
            Scale::Plain => plain(x),
        }
    }
}

/// Something drawn in a chart.
#[derive(Clone, Debug)]
pub enum Layer {
    /// A line through `(x, y)` points; `step` draws it as a staircase (the value holds until the next
    /// point), as for P(event by year).
    Line {
        /// Legend entry (and `data-series`).
        name: String,
        /// The points, in order of x.
        points: Vec<(f64, f64)>,
        /// Index into [`PALETTE`].
        colour: usize,
        /// Dashed rather than solid.
        dashed: bool,
        /// Drawn as a staircase.
        step: bool,
    },
    /// A shaded band between `lo` and `hi` at each x (a fan chart's interval).
    Band {
        /// Legend entry.
        name: String,
        /// `(x, lo, hi)`, in order of x.
        points: Vec<(f64, f64, f64)>,
        /// Index into [`PALETTE`].
        colour: usize,
        /// Opacity of the fill.
        opacity: f64,
    },
}

/// A reference line across the chart at a value, with its label (a target, the aid given).
#[derive(Clone, Debug)]
pub struct Rule {
    /// Vertical (at an x value) rather than horizontal (at a y value).
    pub vertical: bool,
    /// Where.
    pub value: f64,
    /// Label written next to it.
    pub label: String,
}

/// A line or fan chart.
#[derive(Clone, Debug)]
pub struct Chart {
    /// Identifier, written as `data-chart` and used for element ids.
    pub id: String,
    /// Title (also the SVG's accessible name).
    pub title: String,
    /// Label of the x axis, with its unit.
    pub x_label: String,
    /// Label of the y axis, with its unit.
    pub y_label: String,
    /// How the x axis writes numbers.
    pub x_scale: Scale,
    /// How the y axis writes numbers.
    pub y_scale: Scale,
    /// Layers, drawn in order (bands first, as a rule).
    pub layers: Vec<Layer>,
    /// Reference lines.
    pub rules: Vec<Rule>,
    /// Fixed range of the y axis, else from the data (including 0).
    pub y_range: Option<(f64, f64)>,
}

const W: f64 = 720.0;
const H: f64 = 360.0;
const LEFT: f64 = 78.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 16.0;
const PLOT_BOTTOM: f64 = 300.0;

/// A step of 1, 2, 2.5 or 5 times a power of ten that cuts `range` into about `target` parts.
fn nice_step(range: f64, target: f64) -> f64 {
    if range <= 0.0 || !range.is_finite() {
        return 1.0;
    }
    let raw = range / target;
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// The axis range widened to whole steps, and its ticks.
fn ticks(lo: f64, hi: f64, target: f64, whole: bool) -> (f64, f64, Vec<f64>) {
    let (lo, hi) = if hi > lo { (lo, hi) } else { (lo - 0.5, lo + 0.5) };
    let mut step = nice_step(hi - lo, target);
    if whole {
        step = step.max(1.0).round();
    }
    let first = (lo / step).floor() * step;
    let last = (hi / step).ceil() * step;
    let n = ((last - first) / step).round() as usize;
    let ticks = (0..=n).map(|i| first + i as f64 * step).collect();
    (first, last, ticks)
}

/// Coordinates with one decimal: enough for the eye, short in the file.
fn c(v: f64) -> String {
    format!("{v:.1}")
}

/// A number in a data attribute: the shortest text that reads back as the same number.
fn data(v: f64) -> String {
    if v.is_finite() { format!("{v}") } else { "null".into() }
}

/// Maps data to the plot area.
struct Frame {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    bottom: f64,
}

impl Frame {
    fn x(&self, v: f64) -> f64 {
        LEFT + (v - self.x0) / (self.x1 - self.x0) * (W - LEFT - RIGHT)
    }
    fn y(&self, v: f64) -> f64 {
        self.bottom - (v - self.y0) / (self.y1 - self.y0) * (self.bottom - TOP)
    }
}

/// Opens an SVG chart: the element, its title and description.
fn open(out: &mut String, id: &str, title: &str, height: f64) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"{id}\" viewBox=\"0 0 {W} {height}\" \
         role=\"img\" aria-labelledby=\"{id}-title\"><title id=\"{id}-title\">{}</title>",
        esc(title)
    );
}

/// The axes, grid and tick labels of a frame.
fn axes(out: &mut String, f: &Frame, xt: &[f64], yt: &[f64], chart: (&str, &str, Scale, Scale)) {
    let (x_label, y_label, xs, ys) = chart;
    out.push_str("<g class=\"grid\">");
    for &t in yt {
        let y = f.y(t);
        let _ = write!(
            out,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/><text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            c(LEFT),
            c(W - RIGHT),
            c(y),
            c(y),
            c(LEFT - 6.0),
            c(y + 4.0),
            esc(&ys.label(t))
        );
    }
    for &t in xt {
        let x = f.x(t);
        let _ = write!(
            out,
            "<line class=\"xtick\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/><text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            c(x),
            c(x),
            c(f.bottom),
            c(f.bottom + 5.0),
            c(x),
            c(f.bottom + 18.0),
            esc(&xs.label(t))
        );
    }
    out.push_str("</g>");
    let _ = write!(
        out,
        "<line class=\"axis\" x1=\"{l}\" x2=\"{r}\" y1=\"{b}\" y2=\"{b}\"/><line class=\"axis\" x1=\"{l}\" x2=\"{l}\" y1=\"{t}\" y2=\"{b}\"/>\
         <text class=\"axis-label\" x=\"{mx}\" y=\"{xy}\" text-anchor=\"middle\">{xl}</text>\
         <text class=\"axis-label\" transform=\"translate(14 {my}) rotate(-90)\" text-anchor=\"middle\">{yl}</text>",
        l = c(LEFT),
        r = c(W - RIGHT),
        b = c(f.bottom),
        t = c(TOP),
        mx = c((LEFT + W - RIGHT) / 2.0),
        xy = c(f.bottom + 38.0),
        my = c((TOP + f.bottom) / 2.0),
        xl = esc(x_label),
        yl = esc(y_label),
    );
}

/// About how wide a character of a legend's text is, in the chart's units.
const LEGEND_CHAR: f64 = 6.5;

/// How wide `name` is in a legend, about.
fn legend_text_width(name: &str) -> f64 {
    LEGEND_CHAR * name.chars().count() as f64
}

/// Where each legend entry goes: rows under the plot, wrapped at the chart's width. Returns the
/// positions `(x, y)` and the height the legend needs.
fn legend_layout(
    entries: &[(String, usize, &'static str, f64)],
    top: f64,
) -> (Vec<(f64, f64)>, f64) {
    let mut x = LEFT;
    let mut y = top;
    let mut at = Vec::new();
    for (name, ..) in entries {
        let width = 24.0 + legend_text_width(name) + 18.0;
        if x > LEFT && x + width > W - RIGHT {
            x = LEFT;
            y += 18.0;
        }
        at.push((x, y));
        x += width;
    }
    (at, if entries.is_empty() { 0.0 } else { y - top + 18.0 })
}

/// The legend under the plot: a swatch (line, dashed line or band) and the name of each entry.
fn legend(out: &mut String, entries: &[(String, usize, &'static str, f64)], at: &[(f64, f64)]) {
    out.push_str("<g class=\"legend\">");
    for ((name, colour, kind, opacity), &(x, y)) in entries.iter().zip(at) {
        let col = PALETTE[*colour % PALETTE.len()];
        match *kind {
            "band" => {
                let _ = write!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"18\" height=\"10\" fill=\"{col}\" fill-opacity=\"{opacity}\"/>",
                    c(x),
                    c(y - 9.0)
                );
            }
            dash => {
                let _ = write!(
                    out,
                    "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"{col}\" stroke-width=\"2.5\"{}/>",
                    c(x),
                    c(x + 18.0),
                    c(y - 4.0),
                    c(y - 4.0),
                    if dash == "dashed" { " stroke-dasharray=\"6 3\"" } else { "" }
                );
            }
        }
        // A name longer than the room left on its row (a row holds one such entry) is squeezed into
        // that room rather than cut off at the chart's edge.
        let room = W - RIGHT - (x + 24.0);
        let squeeze = if legend_text_width(name) > room {
            format!(" textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\"", c(room))
        } else {
            String::new()
        };
        let _ =
            write!(out, "<text x=\"{}\" y=\"{}\"{squeeze}>{}</text>", c(x + 24.0), c(y), esc(name));
    }
    out.push_str("</g>");
}

impl Chart {
    /// The chart as an SVG element.
    pub fn render(&self) -> String {
        let mut xs: Vec<f64> = Vec::new();
        let mut ys: Vec<f64> = Vec::new();
        for l in &self.layers {
            match l {
                Layer::Line { points, .. } => {
                    xs.extend(points.iter().map(|p| p.0));
                    ys.extend(points.iter().map(|p| p.1));
                }
                Layer::Band { points, .. } => {
                    xs.extend(points.iter().map(|p| p.0));
                    ys.extend(points.iter().flat_map(|p| [p.1, p.2]));
                }
            }
        }
        for r in &self.rules {
            if r.vertical { xs.push(r.value) } else { ys.push(r.value) }
        }
        let finite = |v: &Vec<f64>, f: fn(f64, f64) -> f64, start: f64| {
            v.iter().copied().filter(|x| x.is_finite()).fold(start, f)
        };
        let (x_lo, x_hi) =
            (finite(&xs, f64::min, f64::INFINITY), finite(&xs, f64::max, f64::NEG_INFINITY));
        let (x_lo, x_hi) = if x_lo.is_finite() { (x_lo, x_hi) } else { (0.0, 1.0) };
        let (y0, y1, yt) = match self.y_range {
            Some((a, b)) => {
                let step = nice_step(b - a, 5.0);
                let n = ((b - a) / step).round() as usize;
                (a, b, (0..=n).map(|i| a + i as f64 * step).collect())
            }
            None => {
                let lo = finite(&ys, f64::min, 0.0);
                let hi = finite(&ys, f64::max, 0.0);
                ticks(lo, hi, 5.0, false)
            }
        };
        let (xt_lo, xt_hi, xt) = ticks(x_lo, x_hi, 8.0, self.x_scale == Scale::Year);
        let (x0, x1) =
            if self.x_scale == Scale::Year { (x_lo, x_hi.max(x_lo + 1.0)) } else { (xt_lo, xt_hi) };
        let xt: Vec<f64> = xt.into_iter().filter(|t| *t >= x0 - 1e-9 && *t <= x1 + 1e-9).collect();
        let f = Frame { x0, x1, y0, y1, bottom: PLOT_BOTTOM };

        let mut out = String::new();
        axes(&mut out, &f, &xt, &yt, (&self.x_label, &self.y_label, self.x_scale, self.y_scale));
        let mut entries = Vec::new();
        for l in &self.layers {
            match l {
                Layer::Band { name, points, colour, opacity } => {
                    let col = PALETTE[*colour % PALETTE.len()];
                    let pts: Vec<&(f64, f64, f64)> =
                        points.iter().filter(|p| p.1.is_finite() && p.2.is_finite()).collect();
                    if pts.is_empty() {
                        continue;
                    }
                    let mut d = String::new();
                    for (i, p) in pts.iter().enumerate() {
                        let _ = write!(
                            d,
                            "{}{} {}",
                            if i == 0 { "M" } else { "L" },
                            c(f.x(p.0)),
                            c(f.y(p.2))
                        );
                    }
                    for p in pts.iter().rev() {
                        let _ = write!(d, "L{} {}", c(f.x(p.0)), c(f.y(p.1)));
                    }
                    d.push('Z');
                    let _ = write!(
                        out,
                        "<path class=\"band\" data-series=\"{}\" d=\"{d}\" fill=\"{col}\" fill-opacity=\"{opacity}\"/>",
                        esc(name)
                    );
                    entries.push((name.clone(), *colour, "band", *opacity));
                }
                Layer::Line { name, points, colour, dashed, step } => {
                    let col = PALETTE[*colour % PALETTE.len()];
                    let pts: Vec<&(f64, f64)> = points.iter().filter(|p| p.1.is_finite()).collect();
                    if pts.is_empty() {
                        continue;
                    }
                    let mut d = String::new();
                    for (i, p) in pts.iter().enumerate() {
                        let (x, y) = (c(f.x(p.0)), c(f.y(p.1)));
                        if i == 0 {
                            let _ = write!(d, "M{x} {y}");
                        } else if *step {
                            let _ = write!(d, "H{x}V{y}");
                        } else {
                            let _ = write!(d, "L{x} {y}");
                        }
                    }
                    let _ = write!(
                        out,
                        "<g class=\"series\" data-series=\"{}\"><path d=\"{d}\" fill=\"none\" stroke=\"{col}\" stroke-width=\"2.5\"{}/>",
                        esc(name),
                        if *dashed { " stroke-dasharray=\"6 3\"" } else { "" }
                    );
                    for p in &pts {
                        let _ = write!(
                            out,
                            "<circle cx=\"{}\" cy=\"{}\" r=\"2\" fill=\"{col}\" data-x=\"{}\" data-value=\"{}\"><title>{}: {}</title></circle>",
                            c(f.x(p.0)),
                            c(f.y(p.1)),
                            data(p.0),
                            data(p.1),
                            esc(&self.x_scale.label(p.0)),
                            esc(&self.y_scale.label(p.1))
                        );
                    }
                    out.push_str("</g>");
                    entries.push((
                        name.clone(),
                        *colour,
                        if *dashed { "dashed" } else { "solid" },
                        1.0,
                    ));
                }
            }
        }
        for r in &self.rules {
            let (x1, x2, y1, y2, tx, ty, anchor) = if r.vertical {
                let x = f.x(r.value);
                (x, x, TOP, f.bottom, x - 4.0, TOP + 12.0, "end")
            } else {
                let y = f.y(r.value);
                (LEFT, W - RIGHT, y, y, W - RIGHT - 4.0, y - 5.0, "end")
            };
            let _ = write!(
                out,
                "<line class=\"rule\" data-value=\"{}\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/><text class=\"rule-label\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
                data(r.value),
                c(x1),
                c(x2),
                c(y1),
                c(y2),
                c(tx),
                c(ty),
                esc(&r.label)
            );
        }
        let (at, height) = legend_layout(&entries, PLOT_BOTTOM + 62.0);
        legend(&mut out, &entries, &at);
        out.push_str("</svg>");
        let mut svg = String::new();
        open(&mut svg, &self.id, &self.title, PLOT_BOTTOM + 50.0 + height);
        svg.push_str(&out);
        svg
    }
}

/// One bar of a histogram: from `lo` to `hi`, holding the share `mass` of the paths.
#[derive(Clone, Copy, Debug)]
pub struct Bar {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
    /// Share of the paths between the ends.
    pub mass: f64,
}

/// A histogram whose bars may have different widths: each bar's area is its share of the paths, so its
/// height is a density (share per unit of x) and the y axis carries no numbers; each bar is labelled
/// with its share.
pub fn histogram(id: &str, title: &str, x_label: &str, x_scale: Scale, bars: &[Bar]) -> String {
    let bars: Vec<&Bar> =
        bars.iter().filter(|b| b.hi > b.lo && b.lo.is_finite() && b.hi.is_finite()).collect();
    let mut out = String::new();
    let height = H - 20.0;
    open(&mut out, id, title, height);
    let lo = bars.iter().map(|b| b.lo).fold(f64::INFINITY, f64::min);
    let hi = bars.iter().map(|b| b.hi).fold(f64::NEG_INFINITY, f64::max);
    let density = |b: &Bar| b.mass / (b.hi - b.lo);
    let top = bars.iter().map(|b| density(b)).fold(0.0, f64::max);
    if bars.is_empty() || top <= 0.0 {
        out.push_str("<text x=\"20\" y=\"40\">every path has nearly the same value: nothing to draw</text></svg>");
        return out;
    }
    let (x0, x1, xt) = ticks(lo, hi, 6.0, false);
    let f = Frame { x0, x1, y0: 0.0, y1: top * 1.15, bottom: PLOT_BOTTOM };
    axes(
        &mut out,
        &f,
        &xt,
        &[],
        (x_label, "share of paths per unit width (area = share)", x_scale, Scale::Plain),
    );
    for b in &bars {
        let (xa, xb, y) = (f.x(b.lo), f.x(b.hi), f.y(density(b)));
        let _ = write!(
            out,
            "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" data-lo=\"{}\" data-hi=\"{}\" data-value=\"{}\"><title>{} to {}: {} of paths</title></rect>",
            c(xa),
            c(y),
            c((xb - xa).max(0.5)),
            c(f.bottom - y),
            PALETTE[0],
            data(b.lo),
            data(b.hi),
            data(b.mass),
            esc(&x_scale.label(b.lo)),
            esc(&x_scale.label(b.hi)),
            pct(b.mass)
        );
        if xb - xa >= 24.0 {
            let _ = write!(
                out,
                "<text class=\"bar-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                c((xa + xb) / 2.0),
                c(y - 4.0),
                pct(b.mass)
            );
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_legend_name_too_long_for_the_chart_is_squeezed_into_it() {
        let long = "DRC–China Sicomines: 2008 convention as revised in 2009 ($3bn of infrastructure repaid from JV profit)".to_string();
        let entries = vec![(long, 0, "line", 1.0), ("short".to_string(), 1, "dashed", 1.0)];
        let (at, _) = legend_layout(&entries, 300.0);
        let mut out = String::new();
        legend(&mut out, &entries, &at);
        // The long name (101 characters, about 657 units against 594 of room) gets the room left on
        // its row, from its text's start to the chart's right margin; the short one is as it is.
        let room = W - RIGHT - (LEFT + 24.0);
        assert!(out.contains(&format!("textLength=\"{}\"", c(room))), "{out}");
        assert_eq!(out.matches("textLength").count(), 1, "{out}");
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(10.0, 5.0), 2.0);
        assert_eq!(nice_step(1.0, 4.0), 0.25);
        assert_eq!(nice_step(3.2e9, 5.0), 1e9);
        let (lo, hi, t) = ticks(0.0, 3.3e9, 5.0, false);
        assert_eq!((lo, hi), (0.0, 4e9));
        assert_eq!(t.len(), 5);
    }

    #[test]
    fn charts_carry_their_data_and_are_deterministic() {
        let chart = Chart {
            id: "t".into(),
            title: "A <test>".into(),
            x_label: "year".into(),
            y_label: "P".into(),
            x_scale: Scale::Year,
            y_scale: Scale::Percent,
            layers: vec![Layer::Line {
                name: "event".into(),
                points: vec![(2026.0, 0.0), (2027.0, 0.1), (2028.0, 0.30000000000000004)],
                colour: 0,
                dashed: false,
                step: true,
            }],
            rules: vec![],
            y_range: Some((0.0, 1.0)),
        };
        let svg = chart.render();
        assert!(svg.contains("data-value=\"0.30000000000000004\""), "{svg}");
        assert!(svg.contains("A &lt;test&gt;"));
        assert_eq!(svg, chart.render());
        let h = histogram(
            "h",
            "H",
            "x",
            Scale::Money,
            &[Bar { lo: 0.0, hi: 1e9, mass: 0.5 }, Bar { lo: 1e9, hi: 3e9, mass: 0.5 }],
        );
        assert!(h.contains("data-value=\"0.5\""), "{h}");
    }
}

/// A point on a map: a deposit.
#[derive(Clone, Debug)]
pub struct Spot {
    /// Identifier (`data-id`).
    pub id: String,
    /// Name, shown on hover.
    pub name: String,
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// The probability that colours it (`None`: grey, nothing to colour by).
    pub p: Option<f64>,
    /// The amount that sizes it (area proportional), with how it is written.
    pub size: f64,
    /// Placed roughly (drawn with a dashed outline).
    pub approximate: bool,
}

/// Classes of probability on a map and their colours (a sequential scale from the viridis palette,
/// readable with colour-vision deficiencies and in grey): upper bounds, inclusive.
pub const MAP_CLASSES: [(f64, &str, &str); 5] = [
    (0.0, "#fde725", "0%"),
    (0.01, "#5ec962", "up to 1%"),
    (0.1, "#21918c", "1–10%"),
    (0.5, "#3b528b", "10–50%"),
    (1.0, "#440154", "over 50%"),
];

fn class_colour(p: f64) -> &'static str {
    MAP_CLASSES.iter().find(|(hi, ..)| p <= *hi).map_or(MAP_CLASSES[4].1, |c| c.1)
}

/// A map of `areas` (rings of `[lon, lat]`) with `spots` coloured by their probability and sized by
/// their amount (circle area proportional to it), in an equirectangular projection true to scale at
/// the middle latitude. `p_label` names the probability in the legend, `size_label` the amount.
pub fn map(
    id: &str,
    title: &str,
    areas: &[Vec<Vec<[f64; 2]>>],
    spots: &[Spot],
    p_label: &str,
    size_label: &str,
) -> String {
    let points = areas.iter().flatten().flatten();
    let (mut lo_x, mut hi_x, mut lo_y, mut hi_y) =
        (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for p in points {
        lo_x = lo_x.min(p[0]);
        hi_x = hi_x.max(p[0]);
        lo_y = lo_y.min(p[1]);
        hi_y = hi_y.max(p[1]);
    }
    let mut out = String::new();
    if !lo_x.is_finite() || hi_x <= lo_x || hi_y <= lo_y {
        open(&mut out, id, title, 60.0);
        out.push_str("<text x=\"20\" y=\"30\">no boundaries to draw</text></svg>");
        return out;
    }
    let squeeze = ((lo_y + hi_y) / 2.0).to_radians().cos();
    let (width, pad) = (W, 12.0);
    let k = (width - 2.0 * pad) / ((hi_x - lo_x) * squeeze);
    let plot_h = (hi_y - lo_y) * k;
    let x = |lon: f64| pad + (lon - lo_x) * squeeze * k;
    let y = |lat: f64| pad + (hi_y - lat) * k;
    let legend_top = pad + plot_h + 26.0;
    let height = legend_top + 46.0;
    open(&mut out, id, title, height);
    out.push_str("<g class=\"areas\">");
    for rings in areas {
        let mut d = String::new();
        for ring in rings {
            for (i, p) in ring.iter().enumerate() {
                let _ =
                    write!(d, "{}{} {}", if i == 0 { "M" } else { "L" }, c(x(p[0])), c(y(p[1])));
            }
            d.push('Z');
        }
        let _ = write!(out, "<path d=\"{d}\" fill-rule=\"evenodd\"/>");
    }
    out.push_str("</g>");
    let largest = spots.iter().map(|s| s.size).fold(0.0, f64::max);
    let radius =
        |v: f64| if largest > 0.0 && v > 0.0 { 3.0 + 15.0 * (v / largest).sqrt() } else { 3.0 };
    // Largest first, so that small circles stay visible on top.
    let mut order: Vec<&Spot> = spots.iter().collect();
    order.sort_by(|a, b| b.size.total_cmp(&a.size).then_with(|| a.id.cmp(&b.id)));
    out.push_str("<g class=\"spots\">");
    for s in order {
        let fill = s.p.map_or("#bbbbbb", class_colour);
        let _ = write!(
            out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\" data-id=\"{}\" data-value=\"{}\" data-size=\"{}\"{}><title>{}: {}; {}</title></circle>",
            c(x(s.lon)),
            c(y(s.lat)),
            c(radius(s.size)),
            esc(&s.id),
            s.p.map_or("null".into(), data),
            data(s.size),
            if s.approximate { " class=\"approximate\"" } else { "" },
            esc(&s.name),
            s.p.map_or("no project".into(), pct),
            money(s.size)
        );
    }
    out.push_str("</g><g class=\"legend\">");
    let _ = write!(out, "<text x=\"{}\" y=\"{}\">{}</text>", c(pad), c(legend_top), esc(p_label));
    let mut lx = pad;
    for (_, colour, label) in MAP_CLASSES {
        let _ = write!(
            out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"{colour}\"/><text x=\"{}\" y=\"{}\">{label}</text>",
            c(lx + 6.0),
            c(legend_top + 16.0),
            c(lx + 16.0),
            c(legend_top + 20.0)
        );
        lx += 30.0 + 7.0 * label.chars().count() as f64;
    }
    let _ = write!(
        out,
        "<circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"#bbbbbb\"/><text x=\"{}\" y=\"{}\">no project</text>\
         <circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"none\" class=\"approximate\"/><text x=\"{}\" y=\"{}\">dashed: placed roughly</text>\
         <text x=\"{}\" y=\"{}\">{}</text>",
        c(lx + 6.0),
        c(legend_top + 16.0),
        c(lx + 16.0),
        c(legend_top + 20.0),
        c(lx + 100.0),
        c(legend_top + 16.0),
        c(lx + 110.0),
        c(legend_top + 20.0),
        c(pad),
        c(legend_top + 40.0),
        esc(size_label)
    );
    out.push_str("</g></svg>");
    out
}
