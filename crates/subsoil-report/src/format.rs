//! Numbers as people read them: `$1.2bn`, `$340m`, `12%`, `< 0.04%`.

std::thread_local! {
    /// The ISO 4217 code of the currency money is written in while a report is drawn (empty: US dollars).
    static CURRENCY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Runs `f` with money written in the currency `code` (`USD` or empty: `$`; any other: `EUR 1.2bn`), and
/// "US dollars" in `f`'s text replaced by the code. The page of a scenario in another currency than the
/// dollar says so wherever it names money.
pub fn in_currency(code: &str, f: impl FnOnce() -> String) -> String {
    let code = if code == "USD" { "" } else { code };
    let before = CURRENCY.with(|c| c.replace(code.to_string()));
    let text = f();
    CURRENCY.with(|c| *c.borrow_mut() = before);
    if code.is_empty() { text } else { text.replace("US dollars", code) }
}

/// The sign money is written with: `$`, or the currency's code and a space.
fn symbol() -> String {
    CURRENCY.with(|c| {
        let c = c.borrow();
        if c.is_empty() { "$".to_string() } else { format!("{c} ") }
    })
}

/// Money in dollars (or the currency of [`in_currency`]), rounded to what a reader takes in: `$1.2bn`,
/// `$12bn`, `$340m`, `$4.5m`, `$12k`, `$0`; negative amounts with a minus sign (`−$3.1m`); `—` when not
/// finite.
pub fn money(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let abs = money_abs(x.abs());
    let sign = if x < 0.0 && abs != format!("{}0", symbol()) { "−" } else { "" };
    format!("{sign}{abs}")
}

fn money_abs(a: f64) -> String {
    let s = symbol();
    let scaled = |v: f64, suffix: &str| {
        if v < 9.95 {
            format!("{s}{}{suffix}", trim(&format!("{v:.1}")))
        } else {
            format!("{s}{}{suffix}", group(v.round()))
        }
    };
    if a >= 999.5e9 {
        scaled(a / 1e12, "tn")
    } else if a >= 999.5e6 {
        scaled(a / 1e9, "bn")
    } else if a >= 999.5e3 {
        scaled(a / 1e6, "m")
    } else if a >= 999.5 {
        scaled(a / 1e3, "k")
    } else if a >= 0.5 {
        format!("{s}{}", a.round())
    } else {
        format!("{s}0")
    }
}

/// A whole number with thousands separators.
fn group(v: f64) -> String {
    let digits = format!("{v:.0}");
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// `1.0` → `1`, `2.50` → `2.5`.
fn trim(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.into()
    }
}

/// A fraction as a percentage with two significant digits at most: `12%`, `4.3%`, `0.25%`, `100%`.
pub fn pct(p: f64) -> String {
    if !p.is_finite() {
        return "—".into();
    }
    let v = p * 100.0;
    if v == 0.0 {
        "0%".into()
    } else if v.abs() >= 9.95 {
        format!("{}%", v.round())
    } else if v.abs() >= 0.995 {
        format!("{}%", trim(&format!("{v:.1}")))
    } else if v.abs() >= 0.001 {
        let digits = (1.0 - v.abs().log10().floor()) as usize;
        format!("{}%", trim(&format!("{v:.digits$}")))
    } else {
        format!("{}%", trim(&format!("{v:.1e}")))
    }
}

/// A probability estimated from `hits` of `n` paths, in words a reader can act on: `below 0.04%` when
/// no path had the event (the upper end `hi` of its 95% interval), `above 99.96%` when every path did,
/// else the percentage.
pub fn chance(hits: u64, n: u64, p: f64, lo: f64, hi: f64) -> String {
    if n > 0 && hits == 0 {
        format!("below {}", pct(hi))
    } else if n > 0 && hits == n {
        format!("above {}", pct_below(lo))
    } else {
        pct(p)
    }
}

/// A fraction as a percentage rounded down, with as many decimals as it takes to show how far it is
/// below 100%:
/// `0.99923` → `99.92%`.
fn pct_below(p: f64) -> String {
    let v = p * 100.0;
    if !(v > 0.0 && v < 100.0) {
        return pct(p);
    }
    let d = (-(100.0 - v).log10().floor()).clamp(0.0, 6.0) as i32;
    let scale = 10f64.powi(d);
    let down = (v * scale).floor() / scale;
    format!("{}%", trim(&format!("{down:.prec$}", prec = d as usize)))
}

/// A plain number for an axis: `0`, `2.5`, `12`, `1,200`.
pub fn plain(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    if x.abs() >= 1000.0 {
        let s = group(x.abs().round());
        if x < 0.0 { format!("−{s}") } else { s }
    } else {
        let s = trim(&format!("{x:.2}"));
        s.replace('-', "−")
    }
}

/// Text safe inside HTML and SVG, in element content and in quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_as_people_write_it() {
        assert_eq!(money(1_234_567_890.0), "$1.2bn");
        assert_eq!(money(12_340_000_000.0), "$12bn");
        assert_eq!(money(174_200_000_000.0), "$174bn");
        assert_eq!(money(340_000_000.0), "$340m");
        assert_eq!(money(4_520_000.0), "$4.5m");
        assert_eq!(money(999_600_000.0), "$1bn");
        assert_eq!(money(12_000.0), "$12k");
        assert_eq!(money(0.0), "$0");
        assert_eq!(money(-3_100_000.0), "−$3.1m");
        assert_eq!(money(2.5e12), "$2.5tn");
        assert_eq!(money(f64::NAN), "—");
    }

    #[test]
    fn percentages_keep_two_significant_digits() {
        assert_eq!(pct(0.123), "12%");
        assert_eq!(pct(0.043), "4.3%");
        assert_eq!(pct(0.0025), "0.25%");
        assert_eq!(pct(0.000_383), "0.038%");
        assert_eq!(pct(1.0), "100%");
        assert_eq!(pct(0.0), "0%");
        assert_eq!(chance(0, 10_000, 0.0, 0.0, 0.000_383), "below 0.038%");
        assert_eq!(chance(5, 10, 0.5, 0.2, 0.8), "50%");
        assert_eq!(chance(5000, 5000, 1.0, 0.999_23, 1.0), "above 99.92%");
        assert_eq!(chance(10, 10, 1.0, 0.72, 1.0), "above 72%");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(plain(1234.0), "1,234");
        assert_eq!(plain(-2.5), "−2.5");
    }
}
