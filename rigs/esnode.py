"""Start and stop local Elasticsearch nodes for tests and local work.

The server comes from Maven Central through the Maven project in es/ (see es/pom.xml):
`mvn package` unpacks Elasticsearch and builds our analysis plugin, which is installed here.
Every node runs in its own JVM with its own config, data dir and ports; several nodes form
one cluster. Elasticsearch refuses to run as root, so under root the nodes run as `nobody`.

    python -m rigs.esnode -basePath DIR -numOfNode N -baseHttpPort P
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ES_DIR = ROOT / "es"
ES_VERSION = "8.14.3"
ES_HOME = ES_DIR / "target" / f"elasticsearch-{ES_VERSION}"
PLUGIN_JAR = ES_DIR / "plugin" / "target" / "procradar-analysis-1.jar"
PLUGIN_METADATA = ES_DIR / "plugin" / "src" / "main" / "plugin-metadata"
HEAP = os.environ.get("PROCRADAR_ES_HEAP", "512m")
START_TIMEOUT = 240.0
NOBODY = (65534, 65534)


class EsNodeError(RuntimeError):
    """The node could not be built or started; the message carries the tool's own words."""


def _up_to_date() -> bool:
    if not (ES_HOME / "bin" / "elasticsearch").exists() or not PLUGIN_JAR.exists():
        return False
    built = PLUGIN_JAR.stat().st_mtime
    sources = (ES_DIR / "plugin" / "src").rglob("*.java")
    return all(p.stat().st_mtime <= built for p in sources)


def build(quiet: bool = True) -> None:
    """Fetch Elasticsearch and build the plugin with Maven unless both are up to date."""
    if _up_to_date():
        return
    if shutil.which("mvn") is None:
        raise EsNodeError("Maven (mvn) is not installed; it fetches Elasticsearch")
    cmd = ["mvn", "-B", "-f", str(ES_DIR / "pom.xml"), "package"] + (["-q"] if quiet else [])
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = " | ".join((proc.stdout + proc.stderr).strip().splitlines()[-6:])
        raise EsNodeError(f"`{' '.join(cmd)}` failed: {tail}")


def install_plugin() -> None:
    target = ES_HOME / "plugins" / "procradar-analysis"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(PLUGIN_JAR, target / PLUGIN_JAR.name)
    for meta in PLUGIN_METADATA.iterdir():
        shutil.copy2(meta, target / meta.name)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Node:
    name: str
    home: Path
    http_port: int
    transport_port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def log(self) -> Path:
        return self.home / "logs" / "console.log"


@dataclass
class EsCluster:
    """N local nodes under `base_path`; `start()` returns when the cluster answers."""

    base_path: Path
    nodes_wanted: int = 1
    base_http_port: int | None = None
    cluster_name: str = "procradar-test"
    nodes: list[Node] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.nodes[0].url

    @property
    def urls(self) -> list[str]:
        return [n.url for n in self.nodes]

    def start(self) -> EsCluster:
        build()
        install_plugin()
        self.base_path.mkdir(parents=True, exist_ok=True)
        for i in range(self.nodes_wanted):
            http = self.base_http_port + i if self.base_http_port else free_port()
            self.nodes.append(
                Node(f"node-{i + 1}", self.base_path / f"node-{i + 1}", http, free_port())
            )
        for node in self.nodes:
            self._configure(node)
            self._launch(node)
        self._wait_healthy(len(self.nodes))
        return self

    def _configure(self, node: Node) -> None:
        config = node.home / "config"
        if config.exists():
            shutil.rmtree(config)
        shutil.copytree(ES_HOME / "config", config)
        for sub in ("data", "logs", "tmp"):
            (node.home / sub).mkdir(parents=True, exist_ok=True)
        settings = {
            "cluster.name": self.cluster_name,
            "node.name": node.name,
            "path.data": str(node.home / "data"),
            "path.logs": str(node.home / "logs"),
            "network.host": "127.0.0.1",
            "http.port": node.http_port,
            "transport.port": node.transport_port,
            "xpack.security.enabled": False,
            "cluster.routing.allocation.disk.threshold_enabled": False,
            "action.destructive_requires_name": False,
        }
        if len(self.nodes) == 1:
            settings["discovery.type"] = "single-node"
        else:
            settings["discovery.seed_hosts"] = [f"127.0.0.1:{n.transport_port}" for n in self.nodes]
            settings["cluster.initial_master_nodes"] = [n.name for n in self.nodes]
        (config / "elasticsearch.yml").write_text(
            "".join(f"{k}: {json.dumps(v)}\n" for k, v in settings.items()), encoding="utf-8"
        )
        # The launcher runs from ES_HOME, which `nobody` cannot write: make its paths ours.
        options = (config / "jvm.options").read_text(encoding="utf-8")
        for relative in ("logs/", "data"):
            options = options.replace(f"={relative}", f"={node.home}/{relative}")
            options = options.replace(f":file={relative}", f":file={node.home}/{relative}")
        (config / "jvm.options").write_text(options, encoding="utf-8")
        jvm = config / "jvm.options.d"
        jvm.mkdir(exist_ok=True)
        (jvm / "heap.options").write_text(f"-Xms{HEAP}\n-Xmx{HEAP}\n", encoding="utf-8")
        if os.geteuid() == 0:
            _chown_tree(node.home, *NOBODY)

    def _launch(self, node: Node) -> None:
        env = {
            **os.environ,
            "ES_PATH_CONF": str(node.home / "config"),
            "ES_TMPDIR": str(node.home / "tmp"),
            "ES_JAVA_HOME": os.environ.get("ES_JAVA_HOME") or _java_home(),
        }
        env.pop("JAVA_TOOL_OPTIONS", None)
        cmd = [str(ES_HOME / "bin" / "elasticsearch")]
        if os.geteuid() == 0:
            cmd = [
                "setpriv",
                f"--reuid={NOBODY[0]}",
                f"--regid={NOBODY[1]}",
                "--clear-groups",
                *cmd,
            ]
        log = node.log.open("ab")
        node.process = subprocess.Popen(
            cmd,
            env=env,
            cwd=node.home,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()

    def _wait_healthy(self, nodes: int) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            for node in self.nodes:
                if node.process is not None and node.process.poll() is not None:
                    raise EsNodeError(f"{node.name} exited: {_tail(node.log)}")
            health = self.health()
            if health and health.get("number_of_nodes") == nodes and health["status"] != "red":
                return
            time.sleep(1.0)
        raise EsNodeError(f"cluster not up in {START_TIMEOUT:.0f} s: {_tail(self.nodes[0].log)}")

    def health(self, node: Node | None = None) -> dict[str, object] | None:
        for candidate in [node] if node else self.running():
            try:
                url = f"{candidate.url}/_cluster/health?timeout=1s"
                with urllib.request.urlopen(url, timeout=3) as response:
                    return dict(json.load(response))
            except OSError:
                continue
        return None

    def running(self) -> list[Node]:
        return [n for n in self.nodes if n.process is not None and n.process.poll() is None]

    def stop_node(self, node: Node, timeout: float = 60.0) -> None:
        if node.process is None or node.process.poll() is not None:
            return
        os.killpg(node.process.pid, signal.SIGTERM)
        try:
            node.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(node.process.pid, signal.SIGKILL)
            node.process.wait(10)

    def stop(self) -> None:
        for node in self.nodes:
            self.stop_node(node)


def _java_home() -> str:
    java = shutil.which("java")
    if java is None:
        raise EsNodeError("no Java found (set ES_JAVA_HOME or install a JDK 17+)")
    return str(Path(os.path.realpath(java)).parent.parent)


def _chown_tree(path: Path, uid: int, gid: int) -> None:
    os.chown(path, uid, gid)
    for parent, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(parent, name), uid, gid)


def _tail(log: Path, lines: int = 8) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return "(no log)"
    return " | ".join(text[-lines:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "-basePath", default="es_home", type=Path, help="data and logs, one folder per node"
    )
    parser.add_argument("-numOfNode", default=1, type=int, help="nodes in the cluster (default 1)")
    parser.add_argument(
        "-baseHttpPort", default=9200, type=int, help="HTTP port of node 1; node n gets +n-1"
    )
    parser.add_argument(
        "-build-only",
        dest="build_only",
        action="store_true",
        help="only fetch Elasticsearch and build the plugin",
    )
    args = parser.parse_args(argv)
    # SIGTERM (kill, a service manager) must stop the nodes too, not orphan them.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    cluster = EsCluster(args.basePath, args.numOfNode, args.baseHttpPort)
    try:
        if args.build_only:
            build()
            return 0
        cluster.start()
        print(f"Elasticsearch {ES_VERSION} up: {', '.join(cluster.urls)} (Ctrl-C stops it)")
        sys.stdout.flush()
        while cluster.running():
            time.sleep(1)
    except EsNodeError as exc:
        print(f"es-node: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
