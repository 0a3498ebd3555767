"""`procradar serve --workers N`: N waitress processes answering on one port.

Python runs one thread at a time per process, so one process uses about one core whatever
its thread count. The workers share one listening socket and take new connections
least-connections first: each worker publishes how many connections it holds in a small
shared table, and only a worker holding no more than any other listens for the next one.
Keep-alive clients (a proxy's connection pool, bench/web.py's 20 clients) stay with the
worker that accepted them, so how they are spread decides the waiting times. Left to the
kernel they are spread unevenly: whichever process wakes first takes a burst from one
shared socket (one of two workers took all 20 clients), and SO_REUSEPORT's hash of the
address split 20 clients 14 to 6 (p95 340 ms where an even split waits about a third
less).

The parent binds the socket before it forks, so a busy port is one clear error; the
workers open the store and the index themselves, after the fork. A worker that dies is
started again on its socket (at most MAX_RESTARTS within RESTART_WINDOW seconds, then the
whole server stops with an error, for the service manager to see); SIGTERM or SIGINT to
the parent stops every worker.
"""

from __future__ import annotations

import contextlib
import gc
import mmap
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
NOT_SERVING = 2**62  # a slot whose worker is starting or gone: never the least loaded


class Loads:
    """Open connections per worker, in memory shared by the forked workers."""

    def __init__(self, workers: int) -> None:
        self._memory = mmap.mmap(-1, 8 * workers)
        self.counts = memoryview(self._memory).cast("q")
        for slot in range(workers):
            self.counts[slot] = NOT_SERVING

    def may_accept(self, slot: int, open_now: int) -> bool:
        """Publish `slot`'s load; True when no other worker holds fewer connections."""
        self.counts[slot] = open_now
        return open_now <= min(self.counts)


def serve_workers(
    settings: Settings,
    host: str,
    port: int,
    workers: int,
    make_app: Callable[[Settings], Any],
    options: dict[str, Any],
) -> None:
    sock = _listen(host, port)
    loads = Loads(workers)
    click.echo(
        f"procradar is serving on http://{host}:{port}/ with {workers} worker processes"
        " (Ctrl-C to stop)"
    )
    sys.stdout.flush()
    sys.stderr.flush()
    worker = _Worker(sock, loads, settings, make_app, options)
    children = {worker.fork(i): i for i in range(workers)}
    try:
        _supervise(children, worker)
    finally:
        sock.close()


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(1024)
        sock.setblocking(False)  # workers that lose the race for a connection must not wait
    except OSError as exc:
        sock.close()
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    return sock


class _Worker:
    """What a worker process is made of; `fork` starts one in a slot."""

    def __init__(
        self,
        sock: socket.socket,
        loads: Loads,
        settings: Settings,
        make_app: Callable[[Settings], Any],
        options: dict[str, Any],
    ) -> None:
        self.sock, self.loads = sock, loads
        self.settings, self.make_app, self.options = settings, make_app, options

    def fork(self, slot: int) -> int:
        self.loads.counts[slot] = NOT_SERVING
        pid = os.fork()
        if pid:
            return pid
        code = 0
        try:  # the worker: never returns
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            self._serve(slot)
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)

    def _serve(self, slot: int) -> None:
        from waitress.server import create_server

        app = self.make_app(self.settings)
        settle_gc()
        # `_quiet` is waitress.serve()'s switch, not an adjustment create_server takes; the
        # parent has already said where it serves.
        adjustments = {k: v for k, v in self.options.items() if k != "_quiet"}
        server = create_server(app, sockets=[self.sock], **adjustments)
        own = server.readable  # waitress's check: maintenance and its connection limit

        def readable() -> bool:
            # The server's map holds its connections plus two fixed entries (the listening
            # socket and a wake-up pipe), the same in every worker.
            return bool(own()) and self.loads.may_accept(slot, len(server._map))

        server.readable = readable
        server.run()


def _supervise(children: dict[int, int], worker: _Worker) -> None:
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
        if slot is not None:
            worker.loads.counts[slot] = NOT_SERVING
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
        children[worker.fork(slot)] = slot
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
