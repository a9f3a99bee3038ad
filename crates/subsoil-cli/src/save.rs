//! `--out DIR`: a run's results as files people open in their own tools.
//!
//! The files are written into a hidden sibling of `DIR`, `.DIR.partial-PID`, and that folder is renamed
//! to `DIR` only once every file is complete. A run that is interrupted (Ctrl-C, SIGTERM, SIGKILL, a
//! crash) therefore never leaves `DIR` half-written: it leaves a partial sibling, which the next run
//! into the same parent removes once the process that made it is gone. An existing `DIR` that is not
//! empty is refused unless `--force` is given; with `--force` it is replaced only after the new results
//! are complete.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;
use subsoil_core::BaseCase as Medians;
use subsoil_engine::{BaseCase, Chance, RunResult};
use subsoil_scenario::Scenario;

/// A folder being filled: the partial sibling, and where it goes when complete.
pub struct Staging {
    target: PathBuf,
    partial: PathBuf,
    force: bool,
}

/// Why an output folder cannot be used: bad input (exit status 2), or a failure of the machine (1).
#[derive(Debug)]
pub enum SaveError {
    /// The folder given cannot be used (exists and is not empty, is a file, its parent is missing).
    BadInput(String),
    /// Writing failed (full disk, permissions changed under the run).
    Io(String),
}

impl SaveError {
    /// The message, as printed after `error: `.
    pub fn message(&self) -> &str {
        match self {
            SaveError::BadInput(m) | SaveError::Io(m) => m,
        }
    }
}

impl Staging {
    /// Checks that `dir` can receive the results, removes partial folders left next to it by runs that
    /// are no longer alive, and creates this run's partial folder.
    pub fn begin(dir: &Path, force: bool) -> Result<Staging, SaveError> {
        let shown = dir.display();
        let name = match dir.file_name().and_then(|n| n.to_str()) {
            Some(n) if n != "." && n != ".." => n.to_string(),
            _ => {
                return Err(SaveError::BadInput(format!(
                    "--out {shown}: name a folder to create, such as --out results"
                )));
            }
        };
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !parent.is_dir() {
            return Err(SaveError::BadInput(format!(
                "--out {shown}: the folder {} does not exist",
                parent.display()
            )));
        }
        match fs::symlink_metadata(dir) {
            Ok(m) if m.is_dir() => {
                let empty = fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false);
                if !empty && !force {
                    return Err(SaveError::BadInput(format!(
                        "--out {shown}: the folder exists and is not empty; give --force to replace it"
                    )));
                }
            }
            Ok(_) => {
                return Err(SaveError::BadInput(format!(
                    "--out {shown}: exists and is not a folder"
                )));
            }
            Err(_) => {}
        }
        remove_stale(&parent, &name);
        let partial = parent.join(format!(".{name}.partial-{}", std::process::id()));
        let _ = fs::remove_dir_all(&partial);
        fs::create_dir(&partial).map_err(|e| {
            SaveError::Io(format!("--out {shown}: cannot create {}: {e}", partial.display()))
        })?;
        Ok(Staging { target: dir.to_path_buf(), partial, force })
    }

    /// Where a file called `name` goes while the folder is being filled (for files written as a stream).
    pub fn file(&self, name: &str) -> PathBuf {
        self.partial.join(name)
    }

    /// Writes every file into the partial folder, then renames it to the target. On failure the
    /// partial folder is removed and the target is left as it was.
    pub fn finish(self, files: &[(&str, Vec<u8>)]) -> Result<(), SaveError> {
        // On failure, dropping `self` removes the partial folder.
        self.write_and_rename(files)
    }

    fn write_and_rename(&self, files: &[(&str, Vec<u8>)]) -> Result<(), SaveError> {
        let io = |what: &Path, e: std::io::Error| {
            SaveError::Io(format!("cannot write {}: {e}", what.display()))
        };
        for (name, bytes) in files {
            let path = self.partial.join(name);
            fs::write(&path, bytes).map_err(|e| io(&path, e))?;
        }
        let shown = self.target.display();
        match fs::symlink_metadata(&self.target) {
            Ok(m) if m.is_dir() => {
                let empty =
                    fs::read_dir(&self.target).map(|mut d| d.next().is_none()).unwrap_or(false);
                if !empty && !self.force {
                    return Err(SaveError::BadInput(format!(
                        "--out {shown}: the folder was filled while the run went on; give --force to \
                         replace it"
                    )));
                }
                // Keep the old results until the new ones are in place.
                let old = self.partial.with_file_name(format!(
                    ".{}.old-{}",
                    self.target.file_name().and_then(|n| n.to_str()).unwrap_or("out"),
                    std::process::id()
                ));
                let _ = fs::remove_dir_all(&old);
                fs::rename(&self.target, &old).map_err(|e| io(&self.target, e))?;
                fs::rename(&self.partial, &self.target).map_err(|e| io(&self.target, e))?;
                let _ = fs::remove_dir_all(&old);
            }
            Ok(_) => {
                return Err(SaveError::BadInput(format!(
                    "--out {shown}: exists and is not a folder"
                )));
            }
            Err(_) => fs::rename(&self.partial, &self.target).map_err(|e| io(&self.target, e))?,
        }
        Ok(())
    }
}

impl Drop for Staging {
    /// A run that gives up (an error, not a signal) removes its partial folder; after a successful
    /// [`Staging::finish`] there is none left to remove.
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.partial);
    }
}

/// Removes `.NAME.partial-PID` and `.NAME.old-PID` folders in `parent` whose process is gone.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    let prefixes = [format!(".{name}.partial-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(file) = file.to_str() else { continue };
        let Some(pid) = prefixes.iter().find_map(|p| file.strip_prefix(p.as_str())) else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        if pid != std::process::id() && !alive(pid) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether process `pid` is running. Where there is no `/proc` to ask, every process counts as alive,
/// so that nothing is removed that might still be written.
fn alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}

// ----- what goes into the files -----

/// What the saved `summary.json` adds to a run's manifest: the command that reproduces the run, the
/// deal's target and aid given, and every uncertain input with its distribution and source.
#[derive(Clone, Debug, Serialize)]
pub struct Record {
    /// A command that reproduces the run (without `--out` and `--threads`, on which nothing depends).
    pub command: String,
    /// The deal's partner, target and aid given, when the deal has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deal: Option<DealTerms>,
    /// Every uncertain input.
    pub inputs: Vec<InputRow>,
    /// The boundaries and deposits the report's map draws (Monte Carlo runs with a map).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub map: Option<crate::map::Map>,
}

/// The deal's terms a report marks on its charts (medians, when they are uncertain).
#[derive(Clone, Debug, Serialize)]
pub struct DealTerms {
    /// The deal's name.
    pub name: String,
    /// The partner's display name.
    pub partner: Option<String>,
    /// The deal's target for the partner's cumulative nominal receipts.
    pub target_nominal: Option<f64>,
    /// The aid the partner gave, nominal.
    pub aid_given_nominal: Option<f64>,
}

/// One uncertain input, as `subsoil inputs` lists it.
#[derive(Clone, Debug, Serialize)]
pub struct InputRow {
    /// Name (what `--set` and `[[input-correlations]]` use).
    pub name: String,
    /// Kind of distribution.
    pub distribution: &'static str,
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub median: f64,
    /// Mean.
    pub mean: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Unit as written in the scenario.
    pub unit: String,
    /// The field `--set` changes (`null` for an input derived from other fields).
    pub field: Option<String>,
    /// `source`, `derived`, `assumption`, `unsourced` or `default`.
    pub provenance: &'static str,
    /// The source or the reason.
    pub source: String,
}

/// Every uncertain input of `s`.
pub fn input_rows(s: &Scenario) -> Vec<InputRow> {
    s.inputs
        .list
        .iter()
        .map(|i| InputRow {
            name: i.name.clone(),
            distribution: i.dist.kind(),
            p5: i.dist.quantile(0.05),
            median: i.dist.median(),
            mean: i.dist.mean(),
            p95: i.dist.quantile(0.95),
            unit: i.unit.clone(),
            field: i.field.clone(),
            provenance: i.about.kind(),
            source: i.about.text(),
        })
        .collect()
}

/// The record of a run of `s` made by `command`.
pub fn record(s: &Scenario, command: String) -> Record {
    let d = &s.model.deal;
    let deal = d.active().then(|| {
        let medians = s.inputs.medians();
        let at = |p: subsoil_core::Param| p.at(&Medians { scalars: &medians });
        DealTerms {
            name: d.name.clone(),
            partner: d.partner.map(|p| d.parties[p].name.clone()),
            target_nominal: d.target.map(at),
            aid_given_nominal: d.aid_given.map(at),
        }
    });
    Record { command, deal, inputs: input_rows(s), map: None }
}

/// `arg` as a shell reads it: unchanged when it is plain, else in single quotes.
pub fn shell_word(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain { arg.to_string() } else { format!("'{}'", arg.replace('\'', r"'\''")) }
}

/// A number as written in the CSV files: the shortest text that reads back as the same number, empty
/// when not finite.
fn num(x: f64) -> String {
    if x.is_finite() { x.to_string() } else { String::new() }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
pub fn csv(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `inputs.csv`: every uncertain input with its distribution and source.
pub fn inputs_csv(rows: &[InputRow]) -> String {
    let mut out = String::from(INPUTS_HEADER);
    inputs_csv_rows(&mut out, rows, None);
    out
}

/// The column names of `inputs.csv`.
pub const INPUTS_HEADER: &str =
    "name,distribution,p5,median,mean,p95,unit,field,provenance,source\n";

/// Appends the rows of `inputs.csv` to `out`, each preceded by `scenario` as a first column when given.
pub fn inputs_csv_rows(out: &mut String, rows: &[InputRow], scenario: Option<&str>) {
    for r in rows {
        if let Some(s) = scenario {
            out.push_str(&csv(s));
            out.push(',');
        }
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{}",
            csv(&r.name),
            r.distribution,
            num(r.p5),
            num(r.median),
            num(r.mean),
            num(r.p95),
            csv(&r.unit),
            csv(r.field.as_deref().unwrap_or("")),
            r.provenance,
            csv(&r.source)
        );
    }
}

/// `series.csv`: the yearly fan statistics as a tidy table, one row per series, year and statistic.
pub fn series_csv(r: &RunResult) -> String {
    let mut out = String::from("series,unit,year,statistic,value\n");
    for fan in &r.series {
        for y in &fan.years {
            let stats = [
                ("mean", y.mean),
                ("se", y.se),
                ("p5", y.p5),
                ("p10", y.p10),
                ("p25", y.p25),
                ("p50", y.p50),
                ("p75", y.p75),
                ("p90", y.p90),
                ("p95", y.p95),
            ];
            for (stat, v) in stats {
                let _ = writeln!(
                    out,
                    "{},{},{},{stat},{}",
                    fan.name,
                    csv(fan.unit.name()),
                    y.year,
                    num(v)
                );
            }
        }
    }
    out
}

/// `projects.csv` of a Monte Carlo run: one row per project.
pub fn projects_csv(r: &RunResult) -> String {
    let years: Vec<i32> =
        r.projects.first().map(|p| p.built_by.iter().map(|b| b.year).collect()).unwrap_or_default();
    let mut out = String::from("id,name,deposit,start_stage");
    for y in &years {
        let _ = write!(out, ",p_producing_by_{y}");
    }
    out.push_str(
        ",first_production_median_year,npv_mean,npv_se,npv_p10,npv_p50,npv_p90,receipts_mean,p_occupied,p_abandoned\n",
    );
    let p = |c: &Chance| num(c.p);
    for pr in &r.projects {
        let _ = write!(
            out,
            "{},{},{},{}",
            csv(&pr.id),
            csv(&pr.name),
            csv(&pr.deposit),
            pr.start_stage
        );
        for b in &pr.built_by {
            let _ = write!(out, ",{}", p(&b.chance));
        }
        let _ = writeln!(
            out,
            ",{},{},{},{},{},{},{},{},{}",
            pr.first_production.median_year.map_or(String::new(), |y| y.to_string()),
            num(pr.npv.mean),
            num(pr.npv.se),
            num(pr.npv.p10),
            num(pr.npv.p50),
            num(pr.npv.p90),
            num(pr.receipts_mean),
            p(&pr.occupied),
            p(&pr.abandoned)
        );
    }
    out
}

/// `projects.csv` of the base case: one row per project.
pub fn base_case_projects_csv(bc: &BaseCase) -> String {
    let mut out = String::from(
        "id,name,deposit,start_stage,status,decision_year,first_production,capex,npv,irr,revenue,royalty,\
         receipts_new,receipts_existing\n",
    );
    let year = |y: Option<i32>| y.map_or(String::new(), |y| y.to_string());
    for p in &bc.projects {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            csv(&p.id),
            csv(&p.name),
            csv(&p.deposit),
            csv(&p.start_stage),
            csv(&p.status),
            year(p.decision_year),
            year(p.first_production),
            num(p.capex),
            num(p.npv),
            p.irr.map_or(String::new(), num),
            num(p.revenue),
            num(p.royalty),
            num(p.receipts_new),
            num(p.receipts_existing)
        );
    }
    out
}

/// Pretty JSON with a final line break, as `--format json` prints it.
pub fn json<T: Serialize>(value: &T) -> Result<Vec<u8>, SaveError> {
    let mut s = serde_json::to_string_pretty(value)
        .map_err(|e| SaveError::Io(format!("cannot write JSON: {e}")))?;
    s.push('\n');
    Ok(s.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("rates.valuation=0.1"), "rates.valuation=0.1");
        assert_eq!(shell_word("my file.toml"), "'my file.toml'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv("plain"), "plain");
        assert_eq!(csv("a, b"), "\"a, b\"");
        assert_eq!(csv("say \"x\""), "\"say \"\"x\"\"\"");
    }
}
