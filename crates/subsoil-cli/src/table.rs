//! Plain-text tables for the terminal: columns sized to their contents, numbers right-aligned.

/// Alignment of a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Text.
    Left,
    /// Numbers.
    Right,
}

/// A table being built.
#[derive(Debug, Default)]
pub struct Table {
    header: Vec<(String, Align)>,
    rows: Vec<Vec<String>>,
    rules: Vec<usize>,
}

impl Table {
    /// A table with these columns.
    pub fn new(columns: &[(&str, Align)]) -> Table {
        Table {
            header: columns.iter().map(|(h, a)| (h.to_string(), *a)).collect(),
            ..Table::default()
        }
    }
    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }
    /// Draws a horizontal rule before the next row.
    pub fn rule(&mut self) {
        self.rules.push(self.rows.len());
    }
    /// Renders the table.
    pub fn render(&self) -> String {
        let n = self.header.len();
        let mut w: Vec<usize> = self.header.iter().map(|(h, _)| width(h)).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate().take(n) {
                w[i] = w[i].max(width(c));
            }
        }
        let line = |cells: &[String]| -> String {
            let mut s = String::new();
            for (i, (_, a)) in self.header.iter().enumerate() {
                let c = cells.get(i).map_or("", String::as_str);
                let pad = w[i].saturating_sub(width(c));
                if i > 0 {
                    s.push_str("  ");
                }
                match a {
                    Align::Left => {
                        s.push_str(c);
                        if i + 1 < n {
                            s.push_str(&" ".repeat(pad));
                        }
                    }
                    Align::Right => {
                        s.push_str(&" ".repeat(pad));
                        s.push_str(c);
                    }
                }
            }
            s.trim_end().to_string() + "\n"
        };
        let total: usize = w.iter().sum::<usize>() + 2 * n.saturating_sub(1);
        let mut out = line(&self.header.iter().map(|(h, _)| h.clone()).collect::<Vec<_>>());
        out.push_str(&"─".repeat(total));
        out.push('\n');
        for (i, r) in self.rows.iter().enumerate() {
            if self.rules.contains(&i) {
                out.push_str(&"─".repeat(total));
                out.push('\n');
            }
            out.push_str(&line(r));
        }
        out
    }
}

fn width(s: &str) -> usize {
    s.chars().count()
}

/// Millions of dollars with thousands separators and one decimal, e.g. `1,234.5`.
pub fn musd(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let m = x / 1e6;
    let s = format!("{:.1}", m.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "0"));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if m < 0.0 && s != "0.0" { "-" } else { "" };
    format!("{sign}{grouped}.{frac}")
}

/// A rate as a percentage with one decimal, or `—`.
pub fn pct(x: Option<f64>) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{:.1}%", v * 100.0),
        _ => "—".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_grouped_in_millions() {
        assert_eq!(musd(1_234_567_890.0), "1,234.6");
        assert_eq!(musd(-5_500_000.0), "-5.5");
        assert_eq!(musd(0.0), "0.0");
        assert_eq!(musd(-1.0), "0.0");
    }

    #[test]
    fn columns_align() {
        let mut t = Table::new(&[("name", Align::Left), ("value", Align::Right)]);
        t.row(vec!["a".into(), "1.0".into()]);
        t.row(vec!["long name".into(), "100.0".into()]);
        let s = t.render();
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[2], "a            1.0");
        assert_eq!(lines[3], "long name  100.0");
    }
}
