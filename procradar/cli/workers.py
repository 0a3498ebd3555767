"""`procradar serve --workers N`: N waitress processes answering on one port.

Python runs one thread at a time per process, so one process uses about one core whatever
its thread count. Each worker gets its own listening socket bound with SO_REUSEPORT, and
the kernel spreads new connections over them. (One socket shared by all workers lets
whichever process wakes first take a burst of connections: in bench/web.py one of two
workers took all 20 keep-alive clients and the other sat idle.)

The parent binds every socket before it forks, so a busy port is one clear error; the
workers open the store and the index themselves, after the fork. A worker that dies is
started again on its socket (at most MAX_RESTARTS within RESTART_WINDOW seconds, then the
whole server stops with an error, for the service manager to see); SIGTERM or SIGINT to
the parent stops every worker.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

import click

from procradar.core.settings import Settings

MAX_RESTARTS = 5
RESTART_WINDOW = 60.0
GC_YOUNG = 20_000  # new objects between young collections (Python's default: 700)


def serve_workers(
    settings: Settings,
    host: str,
    port: int,
    workers: int,
    make_app: Callable[[Settings], Any],
    options: dict[str, Any],
) -> None:
    sockets = _listen(host, port, workers)
    click.echo(
        f"procradar is serving on http://{host}:{port}/ with {workers} worker processes"
        " (Ctrl-C to stop)"
    )
    sys.stdout.flush()
    sys.stderr.flush()
    children = {_fork(i, sockets, settings, make_app, options): i for i in range(workers)}
    try:
        _supervise(children, sockets, settings, make_app, options)
    finally:
        for sock in sockets:
            sock.close()


def _listen(host: str, port: int, workers: int) -> list[socket.socket]:
    if not hasattr(socket, "SO_REUSEPORT"):
        raise click.ClickException(
            "--workers needs SO_REUSEPORT (Linux); run one process per port behind a proxy"
        )
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sockets: list[socket.socket] = []
    try:
        for _ in range(workers):
            sock = socket.socket(family, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port))
            sock.listen(1024)
    except OSError as exc:
        for sock in sockets:
            sock.close()
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    return sockets


def _fork(
    slot: int,
    sockets: list[socket.socket],
    settings: Settings,
    make_app: Callable[[Settings], Any],
    options: dict[str, Any],
) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:  # the worker: never returns
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for i, other in enumerate(sockets):
            if i != slot:
                other.close()
        from waitress import serve

        app = make_app(settings)
        settle_gc()
        serve(app, sockets=[sockets[slot]], **options)
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _supervise(
    children: dict[int, int],
    sockets: list[socket.socket],
    settings: Settings,
    make_app: Callable[[Settings], Any],
    options: dict[str, Any],
) -> None:
    stopping = False
    restarts: list[float] = []

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    failed = False
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        slot = children.pop(pid, None)
        if stopping or slot is None:
            continue
        now = time.monotonic()
        restarts = [t for t in restarts if now - t < RESTART_WINDOW] + [now]
        click.echo(f"worker {pid} stopped ({_describe(status)})", err=True)
        if len(restarts) > MAX_RESTARTS:
            click.echo(
                f"workers stopped {len(restarts)} times in {RESTART_WINDOW:.0f} s; giving up",
                err=True,
            )
            failed = True
            stop()
            continue
        children[_fork(slot, sockets, settings, make_app, options)] = slot
    if failed:
        raise SystemExit(1)


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


def settle_gc() -> None:
    """Tune the garbage collector for a serving process, once its app is built. Python's
    default (a collection every 700 new objects, scanning every long-lived object now and
    then) took 1.2 ms of a request's ~19 ms of CPU on a 100k results page; with what the
    app loaded frozen out of the scans and young collections 30 times rarer, 0.2 ms."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG, 20, 20)
