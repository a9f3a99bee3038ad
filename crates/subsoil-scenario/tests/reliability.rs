//! What a hostile or careless file can do to the loader: `extends` that explode, device files and FIFOs
//! in place of files, weights that do not add up, floods of errors and huge echoed text. Each must end
//! quickly with a located error, or load as documented.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use subsoil_scenario::layers::{MAX_FILE_BYTES, MAX_LAYERS, MAX_TOTAL_BYTES};
use subsoil_scenario::{LoadError, Scenario, load};

/// An empty scratch folder for one test, unique to this process.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("subsoil-scenario-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

fn path(p: &Path) -> String {
    p.to_str().expect("utf-8 path").to_string()
}

/// Loads `spec` with `sets` on another thread; fails the test if that takes longer than `limit`.
fn load_within(spec: &str, sets: &[&str], limit: Duration) -> Result<Scenario, LoadError> {
    let (tx, rx) = mpsc::channel();
    let spec = spec.to_string();
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    std::thread::spawn(move || {
        let _ = tx.send(load(&spec, &sets));
    });
    match rx.recv_timeout(limit) {
        Ok(r) => r,
        Err(_) => panic!("loading took longer than {limit:?}"),
    }
}

fn errors(r: Result<Scenario, LoadError>) -> String {
    match r {
        Ok(_) => panic!("expected errors, the scenario loaded"),
        Err(e) => e.render(),
    }
}

const SECONDS: Duration = Duration::from_secs(10);

// ------------------------------------------------------------------------------------------- extends

#[test]
fn a_layer_listed_twice_in_one_extends_is_refused_at_the_second_entry() {
    let dir = scratch("dup");
    write(&dir, "l1.toml", "format-version = 1\nextends = \"ukraine-final-2025\"\n");
    let s = write(
        &dir,
        "s.toml",
        "format-version = 1\nextends = [\"l1.toml\", \"l1.toml\"]\n[metadata]\nname = \"x\"\n",
    );
    let err = errors(load_within(&path(&s), &[], SECONDS));
    assert!(err.contains("s.toml:2:23: extends:"), "{err}");
    assert!(err.contains("\"l1.toml\" is listed twice"), "{err}");
    assert!(err.contains("1 error found"), "{err}");
}

#[test]
fn the_doubling_extends_chain_of_the_issue_ends_at_once() {
    // s extends [l1, l1], l_i extends [l_{i+1}, l_{i+1}]: 2^25 loads before the fix.
    let dir = scratch("bomb");
    let n = 25;
    write(
        &dir,
        "s.toml",
        "format-version = 1\nextends = [\"l1.toml\", \"l1.toml\"]\n[metadata]\nname = \"x\"\n",
    );
    for i in 1..n {
        let next = i + 1;
        write(
            &dir,
            &format!("l{i}.toml"),
            &format!("format-version = 1\nextends = [\"l{next}.toml\", \"l{next}.toml\"]\n"),
        );
    }
    write(&dir, &format!("l{n}.toml"), "format-version = 1\n[deal]\nlock-up-until = 2030\n");
    let start = Instant::now();
    let err = errors(load_within(&path(&dir.join("s.toml")), &[], SECONDS));
    assert!(err.contains("listed twice"), "{err}");
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_built_in_listed_twenty_thousand_times_is_refused_at_once() {
    let dir = scratch("wide");
    let list = vec!["\"ukraine-final-2025\""; 20_000].join(", ");
    let s = write(&dir, "wide.toml", &format!("format-version = 1\nextends = [{list}]\n"));
    let start = Instant::now();
    let err = errors(load_within(&path(&s), &[], SECONDS));
    assert!(
        err.contains("wide.toml:2:34: extends: \"ukraine-final-2025\" is listed 20000 times"),
        "{err}"
    );
    assert!(err.contains("1 error found"), "{err}");
    assert!(start.elapsed() < Duration::from_secs(5));
}

/// `top` extends [a1, b1]; a_i and b_i extend d_i; d_i extends [a_{i+1}, b_{i+1}]; the last d extends
/// the final agreement. Merged once per layer this is quick; merged once per path to it, 2^13 times.
#[test]
fn a_chain_of_diamonds_is_merged_once_per_layer() {
    let dir = scratch("diamonds");
    let n = 13;
    write(&dir, "top.toml", "format-version = 1\nextends = [\"a1.toml\", \"b1.toml\"]\n");
    for i in 1..=n {
        write(
            &dir,
            &format!("a{i}.toml"),
            &format!("format-version = 1\nextends = \"d{i}.toml\"\n"),
        );
        write(
            &dir,
            &format!("b{i}.toml"),
            &format!("format-version = 1\nextends = \"d{i}.toml\"\n"),
        );
        let ext = if i == n {
            "\"ukraine-final-2025\"".to_string()
        } else {
            format!("[\"a{}.toml\", \"b{}.toml\"]", i + 1, i + 1)
        };
        write(&dir, &format!("d{i}.toml"), &format!("format-version = 1\nextends = {ext}\n"));
    }
    let s = match load_within(&path(&dir.join("top.toml")), &[], Duration::from_secs(20)) {
        Ok(s) => s,
        Err(e) => panic!("{}", e.render()),
    };
    // Each layer once: 3 per level, the top, and the final agreement's five.
    assert_eq!(s.layers.len(), 3 * n + 1 + 5, "{:?}", s.layers);
    let mut unique = s.layers.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), s.layers.len(), "a layer was applied twice: {:?}", s.layers);
}

/// In a diamond (top extends [b, c], both extend d), d is applied once, before b and c: a value b sets
/// over d stays b's even though c, listed after b, also extends d.
#[test]
fn a_diamond_applies_the_shared_layer_once_before_both_sides() {
    let dir = scratch("diamond");
    write(
        &dir,
        "d.toml",
        "format-version = 1\nextends = \"ukraine-final-2025\"\n[deal]\nlock-up-until = 2030\n",
    );
    write(
        &dir,
        "b.toml",
        "format-version = 1\nextends = \"d.toml\"\n[deal]\nlock-up-until = 2031\n",
    );
    write(
        &dir,
        "c.toml",
        "format-version = 1\nextends = \"d.toml\"\n[fiscal]\ncit-rate = { value = 0.2, unit = \"fraction\", assumption = \"test\" }\n",
    );
    let top = write(&dir, "top.toml", "format-version = 1\nextends = [\"b.toml\", \"c.toml\"]\n");
    let s = match load_within(&path(&top), &[], SECONDS) {
        Ok(s) => s,
        Err(e) => panic!("{}", e.render()),
    };
    let names: Vec<&str> =
        s.layers.iter().map(|l| l.rsplit('/').next().unwrap_or(l.as_str())).collect();
    let at = |n: &str| names.iter().position(|x| *x == n).unwrap_or(usize::MAX);
    assert_eq!(names.iter().filter(|n| **n == "d.toml").count(), 1, "{names:?}");
    assert!(at("ukraine-final-2025.toml") < at("d.toml"), "{names:?}");
    assert!(at("d.toml") < at("b.toml") && at("b.toml") < at("c.toml"), "{names:?}");
    assert!(at("c.toml") < at("top.toml"), "{names:?}");
    // The lock-up of b (2031) survives c, which does not set it: with d re-applied after b it was 2030.
    let with_b = match load(&path(&top), &[]) {
        Ok(s) => s.hash,
        Err(e) => panic!("{}", e.render()),
    };
    let set_2031 = match load(&path(&top), &["deal.lock-up-until=2031".to_string()]) {
        Ok(s) => s.hash,
        Err(e) => panic!("{}", e.render()),
    };
    let set_2030 = match load(&path(&top), &["deal.lock-up-until=2030".to_string()]) {
        Ok(s) => s.hash,
        Err(e) => panic!("{}", e.render()),
    };
    assert_ne!(set_2031, set_2030);
    assert_eq!(with_b, set_2031, "b's lock-up-until = 2031 must win over d's 2030");
}

#[test]
fn the_number_of_layers_is_bounded() {
    let dir = scratch("many-layers");
    let mut names = Vec::new();
    for i in 0..=MAX_LAYERS {
        write(&dir, &format!("p{i}.toml"), "format-version = 1\n[metadata]\ndescription = \"x\"\n");
        names.push(format!("\"p{i}.toml\""));
    }
    let top =
        write(&dir, "top.toml", &format!("format-version = 1\nextends = [{}]\n", names.join(", ")));
    let err = errors(load_within(&path(&top), &[], SECONDS));
    assert!(err.contains(&format!("more than {MAX_LAYERS} layers")), "{err}");
    assert!(err.contains("top.toml:2:"), "{err}");
}

#[test]
fn the_total_size_of_the_layers_is_bounded() {
    let dir = scratch("big-layers");
    // Each file under the per-file limit, together over the total.
    let each = (MAX_FILE_BYTES - 1024) as usize;
    let count = (MAX_TOTAL_BYTES as usize).div_ceil(each) + 1;
    let line = format!("# {}\n", "x".repeat(1000));
    let body = format!("format-version = 1\n{}", line.repeat(each / line.len()));
    assert!(body.len() as u64 <= MAX_FILE_BYTES);
    let mut names = Vec::new();
    for i in 0..count {
        write(&dir, &format!("big{i}.toml"), &body);
        names.push(format!("\"big{i}.toml\""));
    }
    let top =
        write(&dir, "top.toml", &format!("format-version = 1\nextends = [{}]\n", names.join(", ")));
    let err = errors(load_within(&path(&top), &[], Duration::from_secs(60)));
    assert!(err.contains(&format!("{MAX_TOTAL_BYTES} bytes in all")), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

// ------------------------------------------------------------------------------ device files and FIFOs

fn overlay(dir: &Path, name: &str, body: &str) -> String {
    path(&write(
        dir,
        name,
        &format!("format-version = 1\nextends = \"ukraine-final-2025\"\n{body}"),
    ))
}

#[test]
fn device_files_are_refused_as_layers_and_data_files() {
    let dir = scratch("devices");
    for dev in ["/dev/zero", "/dev/urandom", "/dev/null"] {
        if !Path::new(dev).exists() {
            continue;
        }
        let ext = write(&dir, "ext.toml", &format!("format-version = 1\nextends = \"{dev}\"\n"));
        let err = errors(load_within(&path(&ext), &[], SECONDS));
        assert!(err.contains(&format!("{dev} is not a regular file")), "{err}");
        assert!(err.contains("ext.toml:2:11: extends"), "{err}");
        let dep = overlay(&dir, "dep.toml", &format!("[deposits]\nfile = \"{dev}\"\n"));
        let err = errors(load_within(&dep, &[], SECONDS));
        assert!(err.contains(&format!("{dev} is not a regular file")), "{err}");
        assert!(err.contains("dep.toml:4:8: deposits.file"), "{err}");
        assert!(err.contains("1 error found"), "no error per licence event: {err}");
    }
}

#[cfg(unix)]
#[test]
fn a_link_to_a_device_is_refused_like_the_device() {
    let dir = scratch("link");
    let link = dir.join("zero.toml");
    if std::os::unix::fs::symlink("/dev/zero", &link).is_err() || !Path::new("/dev/zero").exists() {
        return;
    }
    let ext = write(&dir, "ext.toml", "format-version = 1\nextends = \"zero.toml\"\n");
    let err = errors(load_within(&path(&ext), &[], SECONDS));
    assert!(err.contains("zero.toml is not a regular file"), "{err}");
}

#[test]
fn a_fifo_is_refused_without_waiting_for_a_writer() {
    let dir = scratch("fifo");
    let fifo = dir.join("pipe.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return;
    }
    let ext = write(&dir, "ext.toml", "format-version = 1\nextends = \"pipe.toml\"\n");
    let err = errors(load_within(&path(&ext), &[], SECONDS));
    assert!(err.contains("is not a regular file"), "{err}");
    let err = errors(load_within(&path(&fifo), &[], SECONDS));
    assert!(err.contains("is not a regular file"), "{err}");
    let csv = dir.join("deposits.csv");
    let _ = std::process::Command::new("mkfifo").arg(&csv).status();
    let dep = overlay(&dir, "dep.toml", "[deposits]\nfile = \"deposits.csv\"\n");
    let err = errors(load_within(&dep, &[], SECONDS));
    assert!(err.contains("is not a regular file"), "{err}");
}

// ----------------------------------------------------------------------------------------- weights

#[test]
fn discrete_weights_written_as_probabilities_must_sum_to_one() {
    let dir = scratch("weights");
    let bad = overlay(
        &dir,
        "bad.toml",
        "[stages.identified]\nabandon = { dist = \"discrete\", values = [0.5, 0.6], weights = [0.5, 0.3], unit = \"fraction\", assumption = \"x\" }\n",
    );
    let err = errors(load_within(&bad, &[], SECONDS));
    assert!(err.contains("bad.toml:4:"), "{err}");
    assert!(err.contains("stages.identified.abandon.weights"), "{err}");
    assert!(err.contains("sum to 0.8") && err.contains("1e-9"), "{err}");
    // Probabilities that add up, and whole-number relative weights, are fine.
    for (name, weights) in [("ok.toml", "[0.5, 0.5]"), ("counts.toml", "[3, 1]")] {
        let ok = overlay(
            &dir,
            name,
            &format!(
                "[stages.identified]\nabandon = {{ dist = \"discrete\", values = [0.5, 0.6], weights = {weights}, unit = \"fraction\", assumption = \"x\" }}\n"
            ),
        );
        if let Err(e) = load(&ok, &[]) {
            panic!("{weights}: {}", e.render());
        }
    }
}

// ------------------------------------------------------------------------------------ error floods

#[test]
fn a_flood_of_unknown_keys_prints_a_bounded_report() {
    let dir = scratch("flood");
    let mut body = String::from("[fiscal]\n");
    for i in 0..100_000 {
        body.push_str(&format!("bogus{i} = 1\n"));
    }
    let f = overlay(&dir, "flood.toml", &body);
    let err = errors(load_within(&f, &[], Duration::from_secs(30)));
    assert!(err.len() < 100_000, "{} bytes of errors", err.len());
    assert!(err.contains("100000 errors found"), "{}", &err[err.len().saturating_sub(300)..]);
    assert!(err.contains("and 99950 more errors"), "{}", &err[err.len().saturating_sub(300)..]);
}

#[test]
fn a_huge_key_is_not_echoed_in_full() {
    let dir = scratch("hugekey");
    let key = "k".repeat(1 << 20);
    let f = overlay(&dir, "key.toml", &format!("[fiscal]\n{key} = 1\n"));
    let err = errors(load_within(&f, &[], SECONDS));
    assert!(err.len() < 4_000, "{} bytes of errors", err.len());
    assert!(err.contains("unknown key") && err.contains('…'), "{err}");
    let f = overlay(
        &dir,
        "value.toml",
        &format!("[metadata]\ntitle = 1\nname = \"{key}\"\nbogus = \"{key}\"\n"),
    );
    let err = errors(load_within(&f, &[], SECONDS));
    assert!(err.len() < 4_000, "{} bytes of errors", err.len());
}

#[test]
fn huge_and_tiny_numbers_are_written_compactly_in_messages() {
    let err = errors(load(
        "ukraine-final-2025",
        &["deal.contributions[0].share={dist=\"pert\",min=0.1,mode=0.2,max=0.3,lambda=1e300}"
            .to_string()],
    ));
    assert!(err.contains("lambda = 1e300"), "{err}");
    assert!(!err.contains("00000000000"), "{err}");
}

#[test]
fn out_of_range_shares_and_correlations_get_hints_that_fit_them() {
    let share =
        errors(load("ukraine-final-2025", &["deal.contributions[0].share=1.5".to_string()]));
    assert!(!share.contains("0.015"), "{share}");
    assert!(share.contains("a share or probability is at most 1"), "{share}");
    let rho = errors(load("ukraine-final-2025", &["correlations[0].rho=1.5".to_string()]));
    assert!(!rho.contains("0.015"), "{rho}");
    assert!(rho.contains("a correlation lies between -1 and 1"), "{rho}");
    assert!(!rho.contains("18%"), "a correlation is not a percent: {rho}");
    assert!(rho.contains("1 error found"), "no second error about the matrix: {rho}");
    let rho = errors(load("ukraine-final-2025", &["correlations[0].rho=-1.5".to_string()]));
    assert!(!rho.contains("cannot be negative"), "{rho}");
    assert!(rho.contains("a correlation lies between -1 and 1"), "{rho}");
    // A share well above 1 may be a percent.
    let share = errors(load("ukraine-final-2025", &["deal.contributions[0].share=50".to_string()]));
    assert!(share.contains("at most 1 (1 means 100%); for 50% write 0.5"), "{share}");
    // A rate written as a percent keeps its hint.
    let rate = errors(load("ukraine-final-2025", &["rates.valuation=1.5".to_string()]));
    assert!(rate.contains("write 0.015 for 1.5%"), "{rate}");
    let rate = errors(load("ukraine-final-2025", &["fiscal.cit-rate=18".to_string()]));
    assert!(rate.contains("write 0.18 for 18%"), "{rate}");
}

// ------------------------------------------------------------------ errors in the user's own lines

#[test]
fn probabilities_that_do_not_add_up_are_blamed_on_the_users_line() {
    let dir = scratch("unknown-control");
    let f = overlay(
        &dir,
        "uc.toml",
        "[conflict.unknown-control]\noperable = { value = 1.0, unit = \"fraction\", assumption = \"x\" }\n",
    );
    let err = errors(load_within(&f, &[], SECONDS));
    assert!(err.contains("uc.toml:4:12: conflict.unknown-control.operable"), "{err}");
    assert!(err.contains("sum to 1.5"), "{err}");
    assert!(
        err.contains("contested = 0.3") && err.contains("occupied = 0.2"),
        "the message names the values it combines with: {err}"
    );
    assert!(err.contains("builtin:scenarios/ukraine-base.toml:53"), "{err}");
    // Through --set, the command line is blamed.
    let err =
        errors(load("ukraine-final-2025", &["conflict.unknown-control.operable=0.9".to_string()]));
    assert!(err.contains("--set:1:"), "{err}");
    // The same for the settlements' probabilities.
    let err = errors(load(
        "ukraine-final-2025",
        &["conflict.settlements[0].probability=0.9".to_string()],
    ));
    assert!(err.contains("--set:1:37: conflict.settlements[0].probability"), "{err}");
    assert!(err.contains("sum to 1.3"), "{err}");
    assert!(
        err.contains("[1].probability = 0.3 (builtin:scenarios/ukraine-base.toml:43)"),
        "{err}"
    );
}

// ------------------------------------------------------------- shares of one stream that exceed it

fn rule(stream: &str, receipts: &str, extra: &str) -> String {
    format!("[[deal.contributions]]\nstream = \"{stream}\"\nreceipts = \"{receipts}\"\n{extra}\n")
}

#[test]
fn two_rules_taking_seventy_percent_of_one_stream_are_refused_naming_both() {
    let dir = scratch("shares-twice");
    let body = format!(
        "{}{}",
        rule("resource-revenue", "new", "share = 0.7"),
        rule("resource-revenue", "new", "share = 0.7")
    );
    let f = overlay(&dir, "twice.toml", &body);
    let err = errors(load_within(&f, &[], SECONDS));
    assert!(err.contains("twice.toml:7:1: deal.contributions[1]"), "{err}");
    assert!(err.contains("take up to 140% of the royalty on new receipts"), "{err}");
    assert!(
        err.contains("deal.contributions[0] (resource-revenue on new receipts, up to 70%)")
            && err.contains("deal.contributions[1] (resource-revenue on new receipts, up to 70%)"),
        "{err}"
    );
    assert!(err.contains("deal.allow-shares-above-one = true"), "{err}");
    // One error for the pair, not one per stream it covers.
    assert!(err.contains("1 error found"), "{err}");
    // The documented flag accepts them.
    let flagged =
        overlay(&dir, "flagged.toml", &format!("{body}[deal]\nallow-shares-above-one = true\n"));
    assert!(load_within(&flagged, &[], SECONDS).is_ok());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn royalty_on_top_of_resource_revenue_is_refused_but_corporate_tax_is_its_own_stream() {
    let dir = scratch("shares-overlap");
    let body = format!(
        "{}{}{}",
        rule("resource-revenue", "new", "share = 1.0"),
        rule("royalty", "new", "share = 1.0"),
        rule("corporate-tax", "new", "share = 1.0")
    );
    let err = errors(load_within(&overlay(&dir, "o.toml", &body), &[], SECONDS));
    assert!(err.contains("take up to 200% of the royalty on new receipts"), "{err}");
    assert!(
        err.contains("deal.contributions[0]") && err.contains("deal.contributions[1]"),
        "{err}"
    );
    assert!(!err.contains("deal.contributions[2]"), "corporate tax alone is 100%: {err}");
    // `all` covers new receipts: 70% of all plus 70% of new is too much.
    let body = format!(
        "{}{}",
        rule("royalty", "all", "share = 0.7"),
        rule("royalty", "new", "share = 0.7")
    );
    let err = errors(load_within(&overlay(&dir, "a.toml", &body), &[], SECONDS));
    assert!(err.contains("140% of the royalty on new receipts"), "{err}");
    // New and existing receipts are different money.
    let body = format!(
        "{}{}",
        rule("royalty", "existing", "share = 0.7"),
        rule("royalty", "new", "share = 0.7")
    );
    assert!(load_within(&overlay(&dir, "ne.toml", &body), &[], SECONDS).is_ok());
    // An exogenous stream (the built-in data's port dividends) has no licences: rules take all of it,
    // so 70% twice is too much, while 70% of it beside 70% of the royalty is not.
    let exogenous = "[[deal.contributions]]\nstream = \"port-dividends\"\nshare = 0.7\n";
    let body = format!("{exogenous}{}", rule("royalty", "all", "share = 0.7"));
    assert!(load_within(&overlay(&dir, "ports-one.toml", &body), &[], SECONDS).is_ok());
    let body = format!("{exogenous}{exogenous}");
    let err = errors(load_within(&overlay(&dir, "ports.toml", &body), &[], SECONDS));
    assert!(err.contains("140% of the stream \"port-dividends\""), "{err}");
    assert!(
        err.contains("deal.contributions[0] (stream \"port-dividends\", up to 70%)")
            && err.contains("deal.contributions[1]"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn shares_are_checked_at_the_top_of_their_range_and_within_their_years() {
    let dir = scratch("shares-range");
    // A share drawn up to 0.6 with a fixed 0.5: up to 110%.
    let body = format!(
        "{}{}",
        rule("royalty", "new", "share = { dist = \"uniform\", min = 0.2, max = 0.6 }"),
        rule("royalty", "new", "share = 0.5")
    );
    let err = errors(load_within(&overlay(&dir, "u.toml", &body), &[], SECONDS));
    assert!(err.contains("take up to 110% of the royalty"), "{err}");
    assert!(err.contains("up to 60%"), "{err}");
    // Net of operating expenses of at least half, two 70% shares take at most 70%.
    let body = format!(
        "{}{}",
        rule("royalty", "new", "share = 0.7\nnet-of-operating-expenses = 0.5"),
        rule("royalty", "new", "share = 0.7\nnet-of-operating-expenses = 0.5")
    );
    assert!(load_within(&overlay(&dir, "net.toml", &body), &[], SECONDS).is_ok());
    // In disjoint years they do not add up.
    let body = format!(
        "{}{}",
        rule("royalty", "new", "share = 0.7\nuntil-year = 2030"),
        rule("royalty", "new", "share = 0.7\nfrom-year = 2031")
    );
    assert!(load_within(&overlay(&dir, "disjoint.toml", &body), &[], SECONDS).is_ok());
    // Overlapping in 2030, they do; the error says from when.
    let body = format!(
        "{}{}",
        rule("royalty", "new", "share = 0.7\nuntil-year = 2030"),
        rule("royalty", "new", "share = 0.7\nfrom-year = 2030")
    );
    let err = errors(load_within(&overlay(&dir, "overlap.toml", &body), &[], SECONDS));
    assert!(err.contains("140% of the royalty on new receipts from 2030"), "{err}");
    // Exactly 100% is allowed.
    let body = format!(
        "{}{}",
        rule("royalty", "new", "share = 0.5"),
        rule("royalty", "new", "share = 0.5")
    );
    assert!(load_within(&overlay(&dir, "full.toml", &body), &[], SECONDS).is_ok());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_built_in_deal_versions_take_at_most_all_of_each_stream() {
    for name in [
        "ukraine-feb-2025-draft",
        "ukraine-feb-2025-framework",
        "ukraine-mar-2025-draft",
        "ukraine-final-2025",
    ] {
        if let Err(e) = load(name, &[]) {
            panic!("{name}: {}", e.render());
        }
    }
}
