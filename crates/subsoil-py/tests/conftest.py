"""The CLI these tests compare the package with: SUBSOIL_BIN, or target/release/subsoil of the
repository (build it with `cargo build --release -p subsoil-cli`)."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def cli():
    binary = os.environ.get("SUBSOIL_BIN") or str(ROOT / "target" / "release" / "subsoil")
    if not os.path.exists(binary):
        pytest.fail(f"no subsoil binary at {binary}: cargo build --release -p subsoil-cli")

    def run(*args, cwd=None):
        out = subprocess.run([binary, *args], capture_output=True, text=True, cwd=cwd,
                             env={**os.environ, "NO_COLOR": "1"})
        assert out.returncode == 0, f"subsoil {' '.join(args)}: {out.stderr}"
        return out.stdout

    return run
