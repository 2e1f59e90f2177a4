"""Helpers for tests against real SPARQL servers on loopback: Oxigraph server and Virtuoso.

Not tests themselves. Each server gets free ports on 127.0.0.1 and a data directory of its own,
is waited for until it answers a query, and can be stopped (gracefully or with SIGKILL) and
started again on the same directory, which the failure tests need.

* Oxigraph: the ``oxigraph`` CLI from ``pip install oxigraph``.
* Virtuoso Open Source 7: ``apt-get install -y virtuoso-opensource`` (Debian). Its service does not
  start by itself here, so ``virtuoso-t +foreground +configfile INI`` runs with an ini written into
  the data directory (database files there, SQL and HTTP ports bound to 127.0.0.1). A fresh database
  has the user ``dba`` with password ``dba``; updates go to ``/sparql-auth`` with HTTP Digest.
"""
from __future__ import annotations

import configparser
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
VIRTUOSO_APT = "apt-get install -y virtuoso-opensource"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_http(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    """Until ``url`` answers an ASK query (any HTTP answer below 500 counts)."""
    deadline = time.monotonic() + timeout
    query = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(query, timeout=2) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server at {url} not ready after {timeout} s: {log.read_text(errors='replace')[-2000:]}")


@dataclass
class Server:
    """A running (or stopped) SPARQL server: its URLs, its options for ``SparqlEndpointStore``."""

    name: str
    data_dir: Path
    endpoint: str
    update_endpoint: str
    store_options: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None

    def store_kwargs(self) -> dict:
        return {"endpoint": self.endpoint, "update_endpoint": self.update_endpoint, **self.store_options}

    def start(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def kill(self) -> None:
        """SIGKILL: the server dies as in a crash, without flushing or checkpointing."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


class OxigraphServer(Server):
    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        base = f"http://127.0.0.1:{self.port}"
        super().__init__("oxigraph", data_dir, base + "/query", base + "/update",
                         {"graph_store_endpoint": base + "/store"})

    def start(self) -> None:
        # the CLI comes with the test extras, beside this interpreter (the venv need not be on PATH)
        exe = shutil.which("oxigraph", path=os.pathsep.join([str(Path(sys.executable).parent),
                                                             os.environ.get("PATH", "")]))
        if exe is None:
            raise RuntimeError("the oxigraph CLI is missing: pip install oxigraph")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.data_dir.parent / f"{self.data_dir.name}.log"
        self.process = subprocess.Popen(
            [exe, "serve", "--location", str(self.data_dir), "--bind", f"127.0.0.1:{self.port}"],
            stdout=log.open("ab"), stderr=subprocess.STDOUT)
        _wait_http(self.endpoint, self.process, log, 30)


def virtuoso_available() -> bool:
    return shutil.which("virtuoso-t") is not None and VIRTUOSO_INI.exists()


class VirtuosoServer(Server):
    def __init__(self, data_dir: Path, user: str = "dba", password: str = "dba") -> None:
        self.sql_port, self.http_port = free_port(), free_port()
        base = f"http://127.0.0.1:{self.http_port}"
        super().__init__("virtuoso", data_dir, base + "/sparql", base + "/sparql-auth",
                         {"user": user, "password": password, "auth": "digest"})

    def write_ini(self) -> Path:
        ini = configparser.ConfigParser(strict=False, interpolation=None, comment_prefixes=(";", "#"),
                                        inline_comment_prefixes=(";",))
        ini.optionxform = str  # keep the keys' case
        ini.read(VIRTUOSO_INI)
        d = self.data_dir
        ini["Database"].update(DatabaseFile=str(d / "virtuoso.db"), ErrorLogFile=str(d / "virtuoso.log"),
                               LockFile=str(d / "virtuoso.lck"), TransactionFile=str(d / "virtuoso.trx"),
                               xa_persistent_file=str(d / "virtuoso.pxa"))
        ini["TempDatabase"].update(DatabaseFile=str(d / "virtuoso-temp.db"),
                                   TransactionFile=str(d / "virtuoso-temp.trx"))
        ini["Parameters"].update(ServerPort=f"127.0.0.1:{self.sql_port}",
                                 DirsAllowed=f"., /usr/share/virtuoso-opensource-7/vad, {d}",
                                 NumberOfBuffers="10000", MaxDirtyBuffers="6000")
        ini["HTTPServer"].update(ServerPort=f"127.0.0.1:{self.http_port}")
        ini["URIQA"]["DefaultHost"] = f"127.0.0.1:{self.http_port}"
        # MaxQueryCostEstimationTime: Virtuoso refuses a query whose *estimated* cost exceeds it, and its
        # estimates for multi-join rule updates are wildly off (trivial rules were refused): 0 turns it off
        ini["SPARQL"].update(ResultSetMaxRows="1000000", MaxQueryExecutionTime="120", MaxQueryCostEstimationTime="0")
        if ini.has_section("Plugins"):  # the wiki plug-ins are not needed and only slow the start
            ini.remove_section("Plugins")
        path = d / "virtuoso.ini"
        with path.open("w") as fh:
            ini.write(fh)
        return path

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        ini = self.write_ini()
        log = self.data_dir / "stdout.log"
        self.process = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(ini)],
                                        cwd=self.data_dir, stdout=log.open("ab"), stderr=subprocess.STDOUT)
        _wait_http(self.endpoint, self.process, log, 120)

    def isql(self, command: str) -> str:
        result = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={command}"],
                                capture_output=True, text=True, timeout=60)
        return result.stdout + result.stderr


def stop_all(*servers: Server) -> None:
    for server in servers:
        server.stop()


__all__ = ["OxigraphServer", "VirtuosoServer", "Server", "free_port", "virtuoso_available", "VIRTUOSO_APT",
           "stop_all", "os"]
