"""`make test`'s dependency audit: pip-audit over the venv, with a clear verdict.

pip-audit asks the PyPI JSON API (or OSV) about every installed version. Where that API is
not reachable (offline, or a registry mirror that serves packages but not the JSON API),
pip-audit skips each package and still says "No known vulnerabilities found"; this wrapper
says NOT AUDITED instead, and how many packages were skipped. Known vulnerabilities fail
the run unless their id is listed, with a reason, in docs/security.md ("Audit exceptions",
lines of the form `- PYSEC-…: reason`).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXCEPTIONS = re.compile(r"^- ((?:PYSEC|GHSA|CVE|OSV)-[\w-]+):", re.M)


def exceptions() -> set[str]:
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    section = text.split("## Audit exceptions", 1)[-1] if "## Audit exceptions" in text else ""
    return set(EXCEPTIONS.findall(section))


def main() -> int:
    bin_dir = Path(sys.executable).parent
    proc = subprocess.run(
        [str(bin_dir / "pip-audit"), "-l", "--format", "json", "--progress-spinner", "off"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"pip-audit: NOT AUDITED (pip-audit failed: {tail})")
        return 0
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    allowed = exceptions()
    found = [
        (d["name"], d["version"], v["id"])
        for d in deps
        for v in d.get("vulns", [])
        if v["id"] not in allowed and not set(v.get("aliases", [])) & allowed
    ]
    for name, version, vuln in found:
        print(f"pip-audit: {name} {version}: {vuln}")
    if found:
        print(f"pip-audit: {len(found)} known vulnerabilities (see docs/security.md)")
        return 1
    audited = len(deps) - len(skipped)
    if not audited:
        print(
            f"pip-audit: NOT AUDITED: the vulnerability database was unreachable for all"
            f" {len(deps)} packages (offline or a mirror without the PyPI JSON API)"
        )
        return 0
    print(
        f"pip-audit: {audited} packages audited, no known vulnerabilities"
        f" ({len(skipped)} skipped, {len(allowed)} documented exceptions)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
