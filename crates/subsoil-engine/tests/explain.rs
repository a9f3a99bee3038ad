//! `explain`: the difference between two scenarios shared among the terms in which they differ (exact
//! Shapley values over every mixture, on common random numbers). Two terms whose effects add up get
//! exactly their own effects; the contributions always add up to the difference; a mixture that is not
//! a valid scenario is an error with its location. Every run has a fixed seed, so each check is
//! deterministic; tolerances are for floating-point rounding only.

use subsoil_engine::{Explanation, RunConfig, compare, explain};
use subsoil_scenario::Scenario;
use subsoil_scenario::mix::{MixError, Mixer};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/explain");

fn mixer(a: &str, b: &str, sets: &[&str]) -> Mixer {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    Mixer::new(a, b, &sets).unwrap_or_else(|e| panic!("{e}"))
}

fn mixtures(m: &Mixer) -> Vec<Scenario> {
    (0..1u32 << m.terms().len())
        .map(|mask| m.scenario(mask).unwrap_or_else(|e| panic!("mixture {mask}: {}", e.render())))
        .collect()
}

fn run(mixtures: &[Scenario], config: &RunConfig) -> Explanation {
    let refs: Vec<&Scenario> = mixtures.iter().collect();
    explain(&refs, config).unwrap_or_else(|e| panic!("{e}"))
}

/// Rounding allowance for sums of `n` terms of size up to `scale`.
fn close(a: f64, b: f64, scale: f64) -> bool {
    (a - b).abs() <= 1e-9 * scale.abs().max(1.0)
}

#[test]
fn two_additive_terms_get_exactly_their_own_effects() {
    let (a, b) = (format!("{DIR}/a.toml"), format!("{DIR}/b.toml"));
    let m = mixer(&a, &b, &[]);
    let names: Vec<&str> = m.terms().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["deal.cash", "deal.credits"]);
    let all = mixtures(&m);
    let config = RunConfig { threads: 2, ..RunConfig::new(500, 3) };
    let r = run(&all, &config);
    // The partner's capital account at the horizon (nominal, no inflation here) is its cash plus its
    // credits: $100m of cash in 2027, and two uniform(0, $200m) credits. Each term's contribution is its
    // own effect: exactly $100m (the same on every path, so with no error) for the cash, and the mean
    // credit for the credits, which a direct comparison of A with A + credits measures.
    let capital = r.output("partner-capital").expect("explained");
    assert!(close(capital.terms[0].mean, 100e6, 1e9), "{:?}", capital.terms[0]);
    assert!(capital.terms[0].se < 1e-6, "{:?}", capital.terms[0]);
    let credits_only = compare(&[&all[0], &all[2]], &config).expect("compare");
    let direct = credits_only.differences[0].metric("partner-capital").expect("both");
    assert!(close(capital.terms[1].mean, direct.mean, 1e9), "{:?} vs {direct:?}", capital.terms[1]);
    assert!(close(capital.terms[1].se, direct.se_paired, 1e9));
    // Two uniform(0, 200) draws average 200 (a loose check on the plumbing: 500 paths give an error of
    // about 200/sqrt(6·500) ≈ 3.7, and 6 of them is far outside any seed's reach).
    assert!((capital.terms[1].mean / 1e6 - 200.0).abs() < 22.0, "{:?}", capital.terms[1]);
    assert!(close(capital.total.mean, 100e6 + capital.terms[1].mean, 1e9));
    // The partner's receipts are not additive in the two (the pro-rata split depends on both capital
    // accounts), yet the shares still add up to the difference.
    let receipts = r.output("partner-receipts").expect("explained");
    let sum: f64 = receipts.terms.iter().map(|t| t.mean).sum();
    assert!(close(sum, receipts.total.mean, 1e9), "{sum} vs {:?}", receipts.total);
    // The ends are the two scenarios as runs of them report them.
    let b_run = subsoil_engine::run(&all[3], &config).expect("run");
    assert_eq!(
        r.last.metric("partner-capital").map(|m| m.stats.mean),
        b_run.metric("partner-capital").map(|m| m.stats.mean)
    );
}

/// The contributions of every output add up to its difference, for several pairs of scenarios.
#[test]
fn contributions_always_add_up_to_the_difference() {
    let (a, b) = (format!("{DIR}/a.toml"), format!("{DIR}/b.toml"));
    let cases: Vec<(String, String, Vec<&str>, u64)> = vec![
        (a.clone(), b.clone(), vec![], 300),
        // A third term: the lock-up.
        (a.clone(), b.clone(), vec!["deal.lock-up-until=2030"], 300),
        ("ukraine-feb-2025-framework".into(), "ukraine-mar-2025-draft".into(), vec![], 24),
        ("ukraine-mar-2025-draft".into(), "ukraine-final-2025".into(), vec![], 12),
    ];
    for (a, b, sets, paths) in cases {
        let m = if sets.is_empty() {
            mixer(&a, &b, &[])
        } else {
            // The sets apply to both; to make the lock-up a term, put it in B only, through a file.
            let dir = std::env::temp_dir().join(format!("subsoil-explain-{}", std::process::id()));
            std::fs::create_dir_all(&dir).expect("temp dir");
            let file = dir.join("b-locked.toml");
            let text = format!(
                "format-version = 1\nextends = {b:?}\n[metadata]\nname = \"b-locked\"\n[deal]\nlock-up-until = 2030\n"
            );
            std::fs::write(&file, text).expect("write");
            mixer(&a, file.to_str().expect("utf-8"), &[])
        };
        assert!(!m.terms().is_empty(), "{a} vs {b}");
        let all = mixtures(&m);
        let r = run(&all, &RunConfig { threads: 2, ..RunConfig::new(paths, 11) });
        assert_eq!(r.terms, m.terms().len());
        for o in &r.outputs {
            let sum: f64 = o.terms.iter().map(|t| t.mean).sum();
            let scale = o.terms.iter().map(|t| t.mean.abs()).sum::<f64>() + o.total.mean.abs();
            assert!(
                close(sum, o.total.mean, scale),
                "{a} → {b}, {}: {sum} vs {:?}",
                o.name,
                o.total
            );
        }
    }
}

#[test]
fn a_mixture_that_is_not_a_scenario_is_reported_with_its_location() {
    // B's tier pays a party that only B declares: A with B's tiers but its own parties is invalid.
    let dir = std::env::temp_dir().join(format!("subsoil-explain-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let b = dir.join("eu.toml");
    let text = format!(
        "format-version = 1\nextends = {:?}\n[metadata]\nname = \"eu\"\n[deal.parties.eu]\nname = \"EU\"\n[[deal.tiers]]\nkind = \"rest\"\nparty = \"eu\"\n",
        format!("{DIR}/a.toml")
    );
    std::fs::write(&b, text).expect("write");
    let m = mixer(&format!("{DIR}/a.toml"), b.to_str().expect("utf-8"), &[]);
    let names: Vec<&str> = m.terms().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["deal.parties", "deal.tiers"]);
    assert!(m.scenario(0b01).is_ok(), "a party more is a valid scenario");
    let err = m.scenario(0b10).expect_err("a tier paying an unknown party").render();
    assert!(err.contains("eu.toml"), "{err}");
    assert!(err.contains("deal.tiers"), "{err}");
}

#[test]
fn more_than_ten_terms_is_an_error_naming_them() {
    let dir = std::env::temp_dir().join(format!("subsoil-explain-many-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let b = dir.join("far.toml");
    // Eleven terms: the ten in which the February draft and the final agreement differ, and the
    // valuation rate outside the deal.
    let text = "format-version = 1\nextends = \"ukraine-final-2025\"\n[metadata]\nname = \"far\"\n\
                [rates]\nvaluation = 0.07\n";
    std::fs::write(&b, text).expect("write");
    let sets: Vec<String> = vec![];
    match Mixer::new("ukraine-feb-2025-draft", b.to_str().expect("utf-8"), &sets) {
        Err(MixError::TooManyTerms(names)) => {
            assert!(names.len() > 10, "{names:?}");
            let msg = MixError::TooManyTerms(names.clone()).to_string();
            for n in &names {
                assert!(msg.contains(n.as_str()), "{msg}");
            }
        }
        Err(e) => panic!("{e}"),
        Ok(m) => panic!("{} terms accepted", m.terms().len()),
    }
}
