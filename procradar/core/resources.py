"""Where the data shipped with the package lives: config/ (settings table, sources,
lexicons, gazetteers, search lists) and the demo's sample sites.

Found through importlib.resources, so the same code works in a checkout, an editable
install and a wheel installed anywhere. procradar is installed as plain files (never from
a zip), so the resources are real directories and can be handed out as Paths.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def package_path(*parts: str) -> Path:
    return Path(str(files("procradar").joinpath(*parts)))


CONFIG_DIR = package_path("config")
SAMPLE_SITES_DIR = package_path("sample_sites")
