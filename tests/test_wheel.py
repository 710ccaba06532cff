"""The wheel carries the ontology, shapes, queries and data: installed elsewhere, it still works."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
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
    # A venv that sees neither the base interpreter's packages nor this checkout: the
    # dependencies come from the environment running the tests (where `pip install -e
    # '.[test]'` put them), added by a .pth line; the package itself from the wheel. An
    # editable install of ipskg in that environment is not picked up: .pth files inside a
    # directory added by a .pth line are not processed, and the venv's own site-packages,
    # which holds the wheel, comes first on sys.path.
    venv.EnvBuilder(system_site_packages=False, with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    deps = sysconfig.get_paths()["purelib"]
    Path(site, "ipskg-test-deps.pth").write_text(deps + "\n")
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
        [
            str(python),
            "-c",
            "import ipskg, ipskg.model.resources as r; print(ipskg.__file__, r.artifact_root())",
        ],
        cwd=elsewhere,
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    assert "_artifacts" in probe.stdout, "the installed package must use its bundled artifacts"
    assert probe.stdout.startswith(str(env_dir)), "ipskg must come from the wheel: " + probe.stdout
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
        [str(ipskg), "build", "--out-dir", "out", "--no-validate"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
    )
    assert built.returncode == 0, built.stderr
    assert "studies" in built.stderr and (elsewhere / "out" / "ipskg.ttl").is_file()
