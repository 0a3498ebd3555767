"""The package graph runs one way: import-linter's contracts (pyproject.toml) pass on the
tree, and an import against the arrows fails them with a message naming the import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("procradar", "crawlers", "enrichment", "search_app", "digests", "rigs")
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
        timeout=300,
    )


def _copy_tree(target: Path) -> None:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            target / package,
            ignore=shutil.ignore_patterns("__pycache__", "sample_sites", "config", "*.html"),
        )
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")


def test_contracts_hold_on_the_tree() -> None:
    proc = _lint(ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "BROKEN" not in proc.stdout


def test_an_import_against_the_arrows_is_named(tmp_path: Path) -> None:
    _copy_tree(tmp_path)
    probe = tmp_path / "crawlers" / "layer_probe.py"
    probe.write_text('"""Breaks the one-way rule on purpose."""\n\nimport search_app  # noqa\n')
    core = tmp_path / "procradar" / "core" / "layer_probe.py"
    core.write_text('"""The core must not know the parts."""\n\nimport enrichment  # noqa\n')
    proc = _lint(tmp_path)
    assert proc.returncode != 0
    assert "crawlers.layer_probe -> search_app" in proc.stdout
    assert "procradar.core.layer_probe -> enrichment" in proc.stdout
