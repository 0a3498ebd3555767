"""Child processes die with their parent: a killed `crawl`, `run` or `demo` must not leave a
crawler, the enrichment fork server or its workers running."""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int | None = None) -> None:
    """Ask Linux to SIGKILL this process when its parent dies (even by SIGKILL). `parent`:
    the pid the caller expects as parent, to catch a parent that died before the call.
    Elsewhere than Linux this does nothing; pipes breaking stop the children there."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)
