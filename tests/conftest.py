"""Shared fixtures: temporary data dirs and settings. Servers are started by the tests that
need them and stopped by the same fixtures."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from procradar.core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent

# Property tests draw the same examples on every run, so CI cannot fail at random; set
# HYPOTHESIS_PROFILE=explore to search fresh examples (and add what it finds as @example).
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings({"data_dir": str(tmp_path / "data")})


CliRun = Callable[..., subprocess.CompletedProcess[str]]


def hit_paths(index: Any, query: str, base: str, **kwargs: Any) -> list[str]:
    """The hits' URLs of a search, without the common `base` (a test corpus's site)."""
    from procradar.core.index.base import SearchRequest

    result = index.search(SearchRequest(query=query, **kwargs))
    return [h.url.removeprefix(base) for h in result.hits]


TEST_SITE = "https://example.test/"


def short_article(key: str, lang: str, title: str, text: str) -> Any:
    """A minimal article at TEST_SITE + key, for search tests over a few written texts."""
    from procradar.core.models import Article

    return Article(url=TEST_SITE + key, title=title, language=lang, text=text, source="t")


def run_cli(
    *args: str, data_dir: Path, check: bool = True, stdin: str | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run the real `procradar` command line in a child process."""
    env = {**os.environ, "PROCRADAR_DATA_DIR": str(data_dir), "PYTHONHASHSEED": "0"}
    env.pop("PROCRADAR_CONFIG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "procradar", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        input=stdin,
        timeout=timeout,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"procradar {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        )
    return proc


@pytest.fixture
def cli(tmp_path: Path) -> CliRun:
    data_dir = tmp_path / "data"

    def _run(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, data_dir=data_dir, **kwargs)  # type: ignore[arg-type]

    return _run


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say which Elasticsearch the ES tests ran on."""
    from rigs.esnode import ES_VERSION

    if os.environ.get("PROCRADAR_ES_URL"):
        node = f"the cluster at PROCRADAR_ES_URL={os.environ['PROCRADAR_ES_URL']}"
    else:
        node = f"Elastic's integ-test distribution {ES_VERSION} + es/plugin (es/pom.xml)"
    terminalreporter.write_sep("-", "Elasticsearch")
    terminalreporter.write_line(f"ES tests ran on: {node}")
