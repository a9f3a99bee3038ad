//! `subsoil serve`: the local web page and JSON API (crate `subsoil-web`), answering with this binary's
//! JSON.

use std::process::ExitCode;

use clap::Args;

use crate::{EXIT_BAD_INPUT, output};

/// Arguments of `subsoil serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on; the default answers this machine only.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port to listen on; 0 picks a free one (printed on start).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Most paths one request runs (a comparison: paths times scenarios).
    #[arg(long, value_name = "N", default_value_t = 200_000, value_parser = clap::value_parser!(u64).range(1..=crate::run::MAX_PATHS))]
    pub max_paths: u64,
    /// Runs under way at once; further requests wait, then are refused (429).
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub max_runs: u64,
    /// Longest a run may take, in seconds, before it is stopped (408).
    #[arg(long, value_name = "S", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub max_seconds: u64,
}

/// Runs `subsoil serve` until the process is stopped.
pub fn run(args: &ServeArgs) -> ExitCode {
    let limits = subsoil_web::Limits {
        max_paths: args.max_paths,
        concurrent_runs: args.max_runs as usize,
        wall_time: std::time::Duration::from_secs(args.max_seconds),
        ..subsoil_web::Limits::default()
    };
    let render = subsoil_web::Render {
        run: crate::run::monte_carlo_json,
        summary: crate::run::monte_carlo_summary,
        compare: crate::compare::compare_json,
        inputs: |s| serde_json::to_value(crate::save::input_rows(s)).unwrap_or_default(),
    };
    let state = subsoil_web::State::new(limits, render);
    let served = subsoil_web::run(&args.host, args.port, state, |addr| {
        let shown = match addr {
            std::net::SocketAddr::V6(a) => format!("[{}]:{}", a.ip(), a.port()),
            std::net::SocketAddr::V4(a) => a.to_string(),
        };
        let _ = output::stdout(&format!(
            "subsoil serve: listening on http://{shown}/ (API described at /api/openapi.json; Ctrl-C stops)\n"
        ));
        if !addr.ip().is_loopback() {
            output::stderr(&format!(
                "warning: {} is not a loopback address: other machines can reach this server and run simulations on it\n",
                addr.ip()
            ));
        }
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            output::stderr(&format!("error: cannot serve on {}:{}: {e}\n", args.host, args.port));
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}
