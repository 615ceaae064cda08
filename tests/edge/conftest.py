"""The Varnish edge (infra/edge/varnish.vcl) in front of the Django live server, and a
Celery worker of its own whose purge client points at it.

Varnish listens twice: `port` for ordinary clients, and `proxy_port` with the PROXY
protocol, on which a test can claim any client address (that is how a load balancer
in front passes the visitor's address), so the purge ACL is tested for real.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import REPO_ROOT, subprocess_env
from tests.factories import PracticeFactory
from tests.processes import stop_process

EDGE_DIR = REPO_ROOT / "infra" / "edge"
PURGE_TOKEN = "edge-purge-secret-for-tests"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def varnishd_binary() -> str:
    found = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin")
    if not found:
        pytest.fail("varnishd is missing: `make test` installs Debian's varnish (`make edge`)")
    return found


@dataclass
class Edge:
    port: int
    proxy_port: int
    workdir: Path
    process: subprocess.Popen
    log_path: Path

    @property
    def purge_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/.edge/purge"

    def admin(self, *command: str) -> str:
        """A varnishadm command (management interface of this instance)."""
        result = subprocess.run(
            [shutil.which("varnishadm") or "/usr/bin/varnishadm", "-n", str(self.workdir / "n"),
             *command],
            capture_output=True, text=True, timeout=20, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise AssertionError(f"varnishadm {' '.join(command)}: {result.stdout}{result.stderr}")
        return result.stdout

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def _wait_listening(edge: Edge, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if edge.process.poll() is not None:
            pytest.fail(f"varnishd exited with {edge.process.returncode}:\n{edge.log()}")
        try:
            socket.create_connection(("127.0.0.1", edge.port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"varnishd did not listen in {timeout} s:\n{edge.log()}")


@contextmanager
def running_varnishd(backend_vcl: str, label: str, storage: str = "malloc,64m") -> Iterator[Edge]:
    """varnishd with the repository's VCL and the given backend.vcl (found before
    infra/edge/backend.vcl, compose's `web`, on vcl_path), listening on a plain and a
    PROXY-protocol port; stopped and cleaned up on exit."""
    binary = varnishd_binary()
    # Not pytest's tmp_path: run as root, varnishd drops to its own users (the unix
    # jail), which must read the VCL and write the work directory. The repository's
    # VCL is copied there too: a checkout under a private folder (mktemp -d) is not
    # readable by varnishd's users.
    workdir = Path(tempfile.mkdtemp(prefix=f"{label}-test-"))
    workdir.chmod(0o755)
    conf = workdir / "conf"
    conf.mkdir(mode=0o755)
    for vcl in EDGE_DIR.glob("*.vcl"):
        if vcl.name != "backend.vcl":  # the test's own backend replaces compose's
            shutil.copyfile(vcl, conf / vcl.name)
    (conf / "backend.vcl").write_text(backend_vcl)
    for vcl in conf.iterdir():
        vcl.chmod(0o644)
    port, proxy_port = _free_port(), _free_port()
    log_path = REPO_ROOT / "var" / f"test-{label}-{os.getpid()}.log"
    log_path.parent.mkdir(exist_ok=True)
    command = [
        binary, "-F", "-n", str(workdir / "n"),
        "-a", f"127.0.0.1:{port}", "-a", f"127.0.0.1:{proxy_port},PROXY",
        "-f", str(conf / "varnish.vcl"), "-p", f"vcl_path={conf}",
        "-s", storage,
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            env={**os.environ, "EDGE_PURGE_TOKEN": PURGE_TOKEN},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    instance = Edge(port, proxy_port, workdir, process, log_path)
    try:
        _wait_listening(instance)
        yield instance
    finally:
        stop_process(process)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def edge(live_server) -> Iterator[Edge]:
    """varnishd with the repository's VCL, its backend the live server."""
    backend_port = urlsplit(live_server.url).port
    backend = f'backend default {{ .host = "127.0.0.1"; .port = "{backend_port}"; }}\n'
    with running_varnishd(backend, "varnishd") as instance:
        yield instance


@pytest.fixture
def clean_edge(edge: Edge, settings) -> Edge:
    """The edge with nothing cached, the page cache on (its Cache-Control and
    Surrogate-Key are what the edge keeps). Every test reuses the same hostnames for
    new practices, so whatever an earlier test left is banned."""
    settings.PAGE_CACHE_ENABLED = True
    edge.admin("ban", "obj.status", "!=", "0")
    return edge


@dataclass
class EdgeWorker:
    process: subprocess.Popen
    hostname: str
    log_path: Path

    def wait_idle(self, timeout: float = 60) -> None:
        """Until nothing queued or running is left: purges of practices made by the
        test's setup must not land after it warmed the edge. Retries scheduled for
        later (earlier tests' purges of practices long gone, whose peers no longer
        answer: backoff up to ten minutes) are revoked rather than waited for; they
        cannot name this test's practices, whose first purge reaches the edge."""
        from agency_platform.celery_app import app

        app.control.purge()
        inspect = app.control.inspect(destination=[self.hostname], timeout=1)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            scheduled = (inspect.scheduled() or {}).get(self.hostname, [])
            if scheduled:
                stale = [entry["request"]["id"] for entry in scheduled]
                app.control.revoke(stale, destination=[self.hostname])
            active, reserved = inspect.active(), inspect.reserved()
            if (
                active is not None
                and reserved is not None
                and not active.get(self.hostname)
                and not reserved.get(self.hostname)
            ):
                return
            time.sleep(0.2)
        pytest.fail(f"edge Celery worker still busy after {timeout} s; see {self.log_path}")


@pytest.fixture(scope="module")
def edge_worker(edge: Edge, django_db_setup) -> Iterator[EdgeWorker]:
    """A real Celery worker whose CDN_PURGE_URL is the edge.

    The session's shared worker (tests/conftest.py) takes its CDN_PURGE_URL from the
    environment at start, which tests/page_cache points at its own peer. Two workers
    on the default queue would split the purge tasks between them, so the shared one,
    if running, stops consuming that queue while this one runs (Celery's remote
    control), and resumes afterwards.
    """
    from agency_platform.celery_app import app

    queue = app.conf.task_default_queue
    # This session's shared worker only (named test-<pid>@<host> by tests/conftest.py).
    active = app.control.inspect(timeout=1).active_queues() or {}
    paused = [
        name
        for name, queues in active.items()
        if name.startswith(f"test-{os.getpid()}@") and any(q["name"] == queue for q in queues)
    ]
    if paused:
        app.control.cancel_consumer(queue, destination=paused, reply=True)
    hostname = f"edge-{os.getpid()}-{time.monotonic_ns()}@test"
    log_path = REPO_ROOT / "var" / f"test-edge-worker-{os.getpid()}.log"
    command = [
        sys.executable, "-m", "celery", "-A", "agency_platform.celery_app", "worker",
        "--pool", "solo", "--loglevel", "INFO", "-Q", queue, "-n", hostname,
        "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    env = subprocess_env(CDN_PURGE_URL=edge.purge_url, CDN_PURGE_TOKEN=PURGE_TOKEN)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[hostname], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"edge Celery worker did not start; see {log_path}")
        yield EdgeWorker(process, hostname, log_path)
    finally:
        stop_process(process)
        if paused:
            app.control.add_consumer(queue, destination=paused, reply=True)


# The tests are transactional (the live server and the worker see their data).
ALPHA = "alpha.example.test"
BRAVO = "bravo.example.test"


@pytest.fixture
def alpha():
    return PracticeFactory(name="Alpha Family Care", slug="alpha", hostname=ALPHA)


@pytest.fixture
def bravo():
    return PracticeFactory(name="Bravo Dermatology", slug="bravo", hostname=BRAVO)
