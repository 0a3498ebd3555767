"""The `procradar` command line. Each module in this package adds its commands to `main`."""

import importlib
import pkgutil

from procradar.cli.base import main

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["main"]
