"""The labelled evaluation set stays well-formed (eval/validate.py exits non-zero on any error)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_eval_documents_validate() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "eval/validate.py")], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
