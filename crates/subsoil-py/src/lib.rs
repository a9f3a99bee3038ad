//! The native part of the Python package `subsoil`: scenarios, runs, comparisons and shards through the
//! engine, with results handed to Python as the JSON the command line prints (the package's Python code,
//! `python/subsoil/__init__.py`, turns them into pandas and pyarrow objects). Runs release the GIL, and
//! Ctrl-C stops them (`interruptible`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString};
use subsoil_engine::{Flow, RunConfig, SamplerKind, Shard, ShardState};
use subsoil_scenario::Scenario as Loaded;

create_exception!(
    _native,
    ScenarioError,
    PyException,
    "A scenario that cannot be loaded: `errors` lists every problem with its file, line, column, field and message."
);

create_exception!(
    _native,
    RunError,
    PyException,
    "A run that cannot start, or shards that cannot be merged."
);

/// One problem of a scenario, located.
#[pyclass(module = "subsoil._native", frozen, get_all)]
#[derive(Clone)]
struct Problem {
    /// The file (a path as given, or `builtin:…`), or None when the problem has no place in a file.
    file: Option<String>,
    /// 1-based line, or None.
    line: Option<usize>,
    /// 1-based column (in characters), or None.
    column: Option<usize>,
    /// The dotted field path, such as `projects.dobra.capex`.
    field: String,
    /// What is wrong and what was expected.
    message: String,
}

#[pymethods]
impl Problem {
    fn __repr__(&self) -> String {
        let place = match (&self.file, self.line, self.column) {
            (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}: "),
            (Some(f), _, _) => format!("{f}: "),
            _ => String::new(),
        };
        format!("{place}{}: {}", self.field, self.message)
    }
}

/// A loaded, validated scenario.
#[pyclass(module = "subsoil._native", frozen)]
struct Scenario {
    inner: Loaded,
    spec: String,
    sets: Vec<String>,
}

fn sampler(name: &str) -> PyResult<SamplerKind> {
    match name {
        "random" => Ok(SamplerKind::Random),
        "lhs" | "latin-hypercube" => Ok(SamplerKind::LatinHypercube),
        "sobol" => Ok(SamplerKind::Sobol),
        other => Err(PyValueError::new_err(format!(
            "sampler {other:?}: expected \"random\", \"lhs\" or \"sobol\""
        ))),
    }
}

fn config(paths: u64, seed: u64, sampler_name: &str, threads: usize) -> PyResult<RunConfig> {
    // The command line's limits: a run that could not finish, or threads that exhaust the machine, are
    // refused before anything starts.
    if !(1..=subsoil_engine::MAX_PATHS).contains(&paths) {
        return Err(PyValueError::new_err(format!(
            "paths={paths}: expected 1 to {} paths",
            subsoil_engine::MAX_PATHS
        )));
    }
    subsoil_engine::thread_limit(threads)
        .map_err(|e| PyValueError::new_err(format!("threads={threads}: {e}")))?;
    Ok(RunConfig {
        paths,
        seed,
        threads,
        sampler: sampler(sampler_name)?,
        block_size: subsoil_engine::DEFAULT_BLOCK_SIZE,
    })
}

/// How often a waiting run looks for a signal (Ctrl-C).
const SIGNAL_POLL: Duration = Duration::from_millis(50);

/// Runs `work` on a thread of its own, with the GIL released, while this thread looks for a signal
/// every [`SIGNAL_POLL`]. The engine's loop never returns to Python, so without this a Ctrl-C would
/// wait for the whole run. On a signal (`KeyboardInterrupt`, or whatever the handler raises) it sets the
/// flag `work` was given, so the engine's workers stop within a chunk of paths, waits for them and
/// raises the handler's exception; no partial result is returned. A panic in `work` is passed on.
fn interruptible<T: Send>(
    py: Python<'_>,
    work: impl FnOnce(&AtomicBool) -> T + Send,
) -> PyResult<T> {
    let cancel = AtomicBool::new(false);
    let waiter = std::thread::current();
    std::thread::scope(|s| {
        let handle = s.spawn(|| {
            let out = work(&cancel);
            waiter.unpark();
            out
        });
        loop {
            py.detach(|| {
                if !handle.is_finished() {
                    std::thread::park_timeout(SIGNAL_POLL);
                }
            });
            if handle.is_finished() {
                return handle.join().map_err(|panic| std::panic::resume_unwind(panic));
            }
            if let Err(signal) = py.check_signals() {
                cancel.store(true, Ordering::Relaxed);
                // Wait for the workers (within a chunk of paths) so that nothing runs on after the raise.
                let _ = py.detach(|| handle.join());
                return Err(signal);
            }
        }
    })
}

/// A result with the run's `header` first, then its statistics, each map in report order.
#[derive(serde::Serialize)]
struct WithHeader<'a, H, R> {
    header: &'a H,
    #[serde(flatten)]
    result: &'a R,
}

fn json<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| RunError::new_err(e.to_string()))
}

/// A run's result as JSON: its `header` (paths, seed, sampler, blocks, standard-error method, years),
/// then the statistics as `subsoil run --format json` prints them, in the same order.
fn result_json(r: &subsoil_engine::RunResult) -> PyResult<String> {
    json(&WithHeader { header: &r.header, result: r })
}

fn run_error(e: subsoil_engine::RunError) -> PyErr {
    RunError::new_err(e.to_string())
}

#[pymethods]
impl Scenario {
    /// The scenario's name.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// Its title (may be empty).
    #[getter]
    fn title(&self) -> &str {
        &self.inner.title
    }

    /// The hash of the merged scenario and its data files.
    #[getter]
    fn hash(&self) -> &str {
        &self.inner.hash
    }

    /// The name or path it was loaded from.
    #[getter]
    fn spec(&self) -> &str {
        &self.spec
    }

    /// The `--set` overrides it was loaded with, as `path=value`.
    #[getter]
    fn sets(&self) -> Vec<String> {
        self.sets.clone()
    }

    /// The uncertain inputs, as JSON rows: the columns of `subsoil inputs --format json`.
    fn inputs_json(&self) -> PyResult<String> {
        let rows: Vec<serde_json::Value> = self
            .inner
            .inputs
            .list
            .iter()
            .map(|i| {
                serde_json::json!({
                    "name": i.name,
                    "distribution": i.dist.kind(),
                    "p5": i.dist.quantile(0.05),
                    "median": i.dist.median(),
                    "mean": i.dist.mean(),
                    "p95": i.dist.quantile(0.95),
                    "unit": i.unit,
                    "field": i.field,
                    "provenance": i.about.kind(),
                    "source": i.about.text(),
                })
            })
            .collect();
        json(&rows)
    }

    /// The base case (every input at its median) as JSON.
    fn base_case_json(&self, py: Python<'_>) -> PyResult<String> {
        let (bc, _) = py.detach(|| subsoil_engine::base_case(&self.inner));
        json(&bc)
    }

    /// A Monte Carlo run as JSON (the result part of `subsoil run --format json`).
    #[pyo3(signature = (paths, seed, sampler, threads))]
    fn run_json(
        &self,
        py: Python<'_>,
        paths: u64,
        seed: u64,
        sampler: &str,
        threads: usize,
    ) -> PyResult<String> {
        let c = config(paths, seed, sampler, threads)?;
        let inner = &self.inner;
        let r = interruptible(py, |cancel| {
            subsoil_engine::run_progressive(inner, &c, cancel, &|_| Flow::Continue)
        })?
        .map_err(run_error)?;
        result_json(&r)
    }

    /// Every path's inputs and scalar outputs: `(inputs, outputs, values)` with `values` the row-major
    /// matrix of little-endian f64, one row per path, inputs then outputs.
    #[pyo3(signature = (paths, seed, sampler, threads))]
    fn per_path<'py>(
        &self,
        py: Python<'py>,
        paths: u64,
        seed: u64,
        sampler: &str,
        threads: usize,
    ) -> PyResult<(Vec<String>, Vec<String>, Bound<'py, PyBytes>)> {
        let c = config(paths, seed, sampler, threads)?;
        let columns = subsoil_engine::PathColumns::of(&self.inner);
        let width = columns.width();
        let mut values: Vec<u8> = Vec::new();
        let inner = &self.inner;
        let outcome = interruptible(py, |cancel| {
            let mut sink = |rows: &subsoil_engine::Rows| -> Result<(), String> {
                if rows.values.len() != rows.paths * width {
                    return Err("rows of an unexpected width".into());
                }
                values.reserve(rows.values.len() * 8);
                for v in &rows.values {
                    values.extend_from_slice(&v.to_le_bytes());
                }
                Ok(())
            };
            subsoil_engine::per_path_cancellable(inner, &c, cancel, &mut sink)
        })?;
        outcome.map_err(run_error)?.map_err(RunError::new_err)?;
        let outputs = columns.outputs.iter().map(|s| s.to_string()).collect();
        Ok((columns.inputs, outputs, PyBytes::new(py, &values)))
    }

    /// Shard `index` of `count` of a run, as the JSON state that `merge_json` takes.
    #[pyo3(signature = (paths, seed, sampler, threads, index, count))]
    #[allow(clippy::too_many_arguments)]
    fn run_shard_json(
        &self,
        py: Python<'_>,
        paths: u64,
        seed: u64,
        sampler: &str,
        threads: usize,
        index: u64,
        count: u64,
    ) -> PyResult<String> {
        if count == 0 || index >= count {
            return Err(PyValueError::new_err(format!(
                "shard {index} of {count}: expected 0 <= index < count"
            )));
        }
        let c = config(paths, seed, sampler, threads)?;
        let shard = Shard { index, count };
        let inner = &self.inner;
        let state = interruptible(py, |cancel| {
            subsoil_engine::run_shard_cancellable(inner, &c, shard, &|_| {}, cancel)
        })?
        .map_err(run_error)?;
        json(&state)
    }

    /// Merges shard states (JSON, in any order) into the whole run's result JSON.
    fn merge_json(&self, py: Python<'_>, states: Vec<String>) -> PyResult<String> {
        let mut parsed: Vec<ShardState> = Vec::with_capacity(states.len());
        for (i, s) in states.iter().enumerate() {
            parsed.push(
                serde_json::from_str(s)
                    .map_err(|e| RunError::new_err(format!("shard state {i}: {e}")))?,
            );
        }
        let r = py
            .detach(|| subsoil_engine::merge(&self.inner, parsed))
            .map_err(|e| RunError::new_err(e.to_string()))?;
        result_json(&r)
    }
}

/// The `path=value` text of one `set` entry.
fn set_entry(key: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    let text = if value.is_instance_of::<PyBool>() {
        if value.extract::<bool>()? { "true".into() } else { "false".into() }
    } else if value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>() {
        value.repr()?.to_string()
    } else if value.is_instance_of::<PyString>() {
        value.extract::<String>()?
    } else {
        return Err(PyTypeError::new_err(format!(
            "set[{key:?}]: expected a number, a bool or a string (TOML text), not {}",
            value.get_type().name()?
        )));
    };
    Ok(format!("{key}={text}"))
}

/// Loads a scenario: a built-in name or a path to a `.toml` file, with `set` overrides
/// (`{"rates.valuation": 0.1}`).
#[pyfunction]
#[pyo3(signature = (name_or_path, set = None))]
fn load(py: Python<'_>, name_or_path: &str, set: Option<&Bound<'_, PyDict>>) -> PyResult<Scenario> {
    let mut sets = Vec::new();
    if let Some(d) = set {
        for (k, v) in d.iter() {
            let key: String = k
                .extract()
                .map_err(|_| PyTypeError::new_err("set: keys are field paths (strings)"))?;
            sets.push(set_entry(&key, &v)?);
        }
    }
    let loaded = py.detach(|| subsoil_scenario::load(name_or_path, &sets));
    match loaded {
        Ok(inner) => Ok(Scenario { inner, spec: name_or_path.to_string(), sets }),
        Err(e) => {
            let problems: Vec<Problem> = e
                .diagnostics
                .items
                .iter()
                .map(|d| {
                    let file = d.location.as_ref().map(|l| e.sources.get(l.file));
                    let at = d
                        .location
                        .as_ref()
                        .and_then(|l| l.span.as_ref().map(|s| s.start))
                        .zip(file)
                        .map(|(offset, f)| f.line_col(offset));
                    Problem {
                        file: file.map(|f| f.name.clone()),
                        line: at.map(|(l, _)| l),
                        column: at.map(|(_, c)| c),
                        field: d.path.clone(),
                        message: d.message.clone(),
                    }
                })
                .collect();
            let err = ScenarioError::new_err(e.render());
            let value = err.value(py);
            value.setattr("errors", PyList::new(py, problems)?)?;
            Err(err)
        }
    }
}

/// The built-in scenarios: `(name, what it is)`.
#[pyfunction]
fn scenarios() -> Vec<(String, String)> {
    subsoil_scenario::builtin::SCENARIOS
        .iter()
        .map(|(n, w)| (n.to_string(), w.to_string()))
        .collect()
}

/// Several scenarios on common random numbers, as JSON (`subsoil compare --format json`'s result part).
#[pyfunction]
#[pyo3(signature = (scenarios, paths, seed, sampler, threads))]
fn compare_json(
    py: Python<'_>,
    scenarios: Vec<PyRef<'_, Scenario>>,
    paths: u64,
    seed: u64,
    sampler: &str,
    threads: usize,
) -> PyResult<String> {
    let c = config(paths, seed, sampler, threads)?;
    let loaded: Vec<&Loaded> = scenarios.iter().map(|s| &s.inner).collect();
    let r = interruptible(py, |cancel| subsoil_engine::compare_cancellable(&loaded, &c, cancel))?
        .map_err(run_error)?;
    comparison_json(&r)
}

/// A comparison's result as JSON: `header`, `runs` (each as `subsoil run --format json` would print it),
/// `differences`, each map in report order.
fn comparison_json(r: &subsoil_engine::CompareResult) -> PyResult<String> {
    #[derive(serde::Serialize)]
    struct Comparison<'a> {
        header: &'a subsoil_engine::RunHeader,
        runs: &'a [subsoil_engine::RunResult],
        differences: &'a [subsoil_engine::Differences],
    }
    json(&Comparison { header: &r.header, runs: &r.runs, differences: &r.differences })
}

/// Shard `index` of `count` of a comparison, as the JSON state that `merge_compare_json` takes.
#[pyfunction]
#[pyo3(signature = (scenarios, paths, seed, sampler, threads, index, count))]
#[allow(clippy::too_many_arguments)]
fn compare_shard_json(
    py: Python<'_>,
    scenarios: Vec<PyRef<'_, Scenario>>,
    paths: u64,
    seed: u64,
    sampler: &str,
    threads: usize,
    index: u64,
    count: u64,
) -> PyResult<String> {
    if count == 0 || index >= count {
        return Err(PyValueError::new_err(format!(
            "shard {index} of {count}: expected 0 <= index < count"
        )));
    }
    let c = config(paths, seed, sampler, threads)?;
    let loaded: Vec<&Loaded> = scenarios.iter().map(|s| &s.inner).collect();
    let shard = Shard { index, count };
    let state = interruptible(py, |cancel| {
        subsoil_engine::compare_shard_cancellable(&loaded, &c, shard, &|_| {}, cancel)
    })?
    .map_err(run_error)?;
    json(&state)
}

/// Merges a comparison's shard states (JSON, in any order) into the whole comparison's JSON.
#[pyfunction]
fn merge_compare_json(
    py: Python<'_>,
    scenarios: Vec<PyRef<'_, Scenario>>,
    states: Vec<String>,
) -> PyResult<String> {
    let mut parsed: Vec<subsoil_engine::CompareShardState> = Vec::with_capacity(states.len());
    for (i, s) in states.iter().enumerate() {
        parsed.push(
            serde_json::from_str(s)
                .map_err(|e| RunError::new_err(format!("shard state {i}: {e}")))?,
        );
    }
    let loaded: Vec<&Loaded> = scenarios.iter().map(|s| &s.inner).collect();
    let r = py
        .detach(|| subsoil_engine::merge_compare(&loaded, parsed))
        .map_err(|e| RunError::new_err(e.to_string()))?;
    comparison_json(&r)
}

/// The subsoil version of this build.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Scenario>()?;
    m.add_class::<Problem>()?;
    m.add("ScenarioError", m.py().get_type::<ScenarioError>())?;
    m.add("RunError", m.py().get_type::<RunError>())?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(scenarios, m)?)?;
    m.add_function(wrap_pyfunction!(compare_json, m)?)?;
    m.add_function(wrap_pyfunction!(compare_shard_json, m)?)?;
    m.add_function(wrap_pyfunction!(merge_compare_json, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    Ok(())
}
