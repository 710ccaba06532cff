"""The wheel carries the ontology, shapes, queries and data: installed elsewhere, it still works."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installed_in_fresh_venv_runs_from_another_directory(tmp_path):
    dist = tmp_path / "dist"
    wheel_build = subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    assert wheel_build.returncode == 0, wheel_build.stdout[-2000:] + wheel_build.stderr[-2000:]
    wheel = next(dist.glob("ipskg-*.whl"))
    env_dir = tmp_path / "venv"
    # Dependencies come from this interpreter's site-packages; the package itself from the wheel.
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
        check=True,
        capture_output=True,
        text=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    probe = subprocess.run(
        [str(python), "-c", "import ipskg.model.resources as r; print(r.artifact_root())"],
        cwd=elsewhere,
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    assert "_artifacts" in probe.stdout, "the installed package must use its bundled artifacts"
    ipskg = env_dir / "bin" / "ipskg"
    out = subprocess.run(
        [str(ipskg), "ontology", "-o", "onto.ttl"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    assert (elsewhere / "onto.ttl").stat().st_size > 10_000
    built = subprocess.run(
        [str(ipskg), "build", "-o", "out", "--no-validate"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
    )
    assert built.returncode == 0, built.stderr
    assert "studies" in built.stderr and (elsewhere / "out" / "ipskg.ttl").is_file()
