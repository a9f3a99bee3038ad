//! Per-path rows describe exactly the paths of the run: in path order, one value per input and output,
//! and the mean of an output over the rows is the run's mean.

use subsoil_engine::{PathColumns, Rows, RunConfig, SamplerKind, per_path, run};

#[test]
fn rows_come_in_path_order_and_average_to_the_runs_means() {
    let scenario = subsoil_scenario::load("ukraine-final-2025", &[]).expect("built-in loads");
    let config =
        RunConfig { threads: 2, sampler: SamplerKind::LatinHypercube, ..RunConfig::new(5000, 9) };
    let result = run(&scenario, &config).expect("runs");
    let columns = PathColumns::of(&scenario);
    assert_eq!(columns.inputs.len(), scenario.inputs.list.len());
    let names: Vec<&str> = result.metrics.iter().map(|m| m.name).collect();
    assert_eq!(columns.outputs, names, "outputs named and ordered as the run's metrics");

    let mut next = 0u64;
    let mut sums = vec![0.0; columns.width()];
    let mut sink = |rows: &Rows| -> Result<(), String> {
        if rows.first != next {
            return Err(format!("rows from path {} after path {next}", rows.first));
        }
        assert_eq!(rows.values.len(), rows.paths * columns.width());
        for row in rows.values.chunks_exact(columns.width()) {
            for (s, v) in sums.iter_mut().zip(row) {
                *s += v;
            }
        }
        next += rows.paths as u64;
        Ok(())
    };
    per_path(&scenario, &config, &mut sink).expect("starts").expect("in order");
    assert_eq!(next, 5000);
    for (i, m) in result.metrics.iter().enumerate() {
        let mean = sums[columns.inputs.len() + i] / 5000.0;
        let want = m.stats.mean;
        assert!((mean - want).abs() <= 1e-9 * want.abs().max(1.0), "{}: {mean} vs {want}", m.name);
    }

    // A sink's error stops the hand-over and comes back.
    let mut calls = 0;
    let mut failing = |_: &Rows| -> Result<(), &str> {
        calls += 1;
        Err("disk full")
    };
    assert_eq!(per_path(&scenario, &config, &mut failing).expect("starts"), Err("disk full"));
    assert_eq!(calls, 1);
}
