"""The built wheel works outside the checkout: config data, sample sites, templates and
migrations ship inside it and are found through importlib.resources.

The wheel is installed into a fresh venv in a temp dir. Its dependencies come from the
test venv's site-packages through a .pth line (installing spaCy & co. again from PyPI would
take minutes); that folder's own .pth files are not processed, so the checkout's editable
install stays invisible and only the wheel's copy of procradar can be imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = (
    "procradar/config/settings.yaml",
    "procradar/config/sources.yaml",
    "procradar/config/topics/sv.yaml",
    "procradar/config/gazetteers/se.yaml",
    "procradar/config/search/equivalences.yaml",
    "procradar/sample_sites/inkopsforum/site.yaml",
    "procradar/core/migrations/env.py",
    "search_app/templates/base.html",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
        + ["-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        cwd=out,
        timeout=600,
    )
    (built,) = out.glob("procradar-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("outside")
    env_dir = home / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(purelib)
    deps = sysconfig.get_paths()["purelib"]
    Path(purelib, "test-deps.pth").write_text(deps + "\n", encoding="utf-8")
    yield env_dir


def _run(env_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROCRADAR_", "PYTHONPATH"))}
    return subprocess.run(
        [str(env_dir / "bin" / "python"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=900,
    )


def test_wheel_ships_the_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in SHIPPED if name not in names]
    assert not missing, f"not in the wheel: {missing}"
    assert not any(name.startswith(("rigs/", "tests/")) for name in names)


def test_installed_wheel_runs_demo_and_search_outside_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    where = _run(installed, "-c", "import procradar; print(procradar.__file__)", cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    assert not where.stdout.strip().startswith(str(ROOT)), "imported the checkout, not the wheel"
    data = tmp_path / "data"
    demo = _run(
        installed, "-m", "procradar", "--data-dir", str(data), "demo", "--no-serve", cwd=tmp_path
    )
    assert demo.returncode == 0, demo.stderr[-3000:]
    found = _run(
        installed,
        "-m",
        "procradar",
        "--data-dir",
        str(data),
        "search",
        "klimatkrav",
        "--json",
        cwd=tmp_path,
    )
    assert found.returncode == 0, found.stderr[-3000:]
    assert "klimat" in found.stdout.lower()
    assert found.stdout.count('"url"') >= 5
