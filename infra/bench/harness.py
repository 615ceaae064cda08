"""Servers (gunicorn, nginx) and load (warm-up pass, query probes, wrk runs) for run.py."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parents[1]
GUNICORN_CONF = ROOT / "infra" / "gunicorn.conf.py"


class BenchError(Exception):
    """A step failed; run.py prints it and exits non-zero."""


def ensure_tools(*commands: str) -> None:
    """Install Debian's wrk / nginx when missing (as the Makefile does for chromium)."""
    packages = {"wrk": "wrk", "nginx": "nginx-light"}
    missing = [c for c in commands if not shutil.which(c) and not Path(f"/usr/sbin/{c}").exists()]
    if not missing:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print(f"Installing {', '.join(missing)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", *(packages[c] for c in missing)],
        check=True,
        env=env,
    )


def nginx_binary() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


# --- HTTP helpers ------------------------------------------------------------------------
@dataclass
class Target:
    host: str
    path: str


def fetch(port: int, target: Target, headers: dict[str, str] | None = None, timeout: float = 30):
    """(status, headers dict lower-cased, body bytes) for one GET."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", target.path, headers={"Host": target.host, **(headers or {})})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def wait_ready(port: int, host: str, path: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"server exited with {process.returncode}; see {log}")
        try:
            status, _, _ = fetch(port, Target(host, path), timeout=2)
            if status < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise BenchError(f"server on port {port} not ready after 60 s; see {log}")


# --- Processes ---------------------------------------------------------------------------
@dataclass
class Server:
    name: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def worker_rss_mb(server: Server) -> float | None:
    """The largest resident memory (MB) among the server's worker processes, from /proc
    (gunicorn's master forks the workers: they are its children)."""
    pid = server.process.pid
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return None
    sizes = []
    for child in children:
        try:
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue  # a worker recycled meanwhile
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return round(max(sizes), 1) if sizes else None


def start_gunicorn(
    *, name: str, python: Path, cwd: Path, port: int, env: dict[str, str], wsgi_target: str,
    workdir: Path, health: Target,
) -> Server:  # fmt: skip
    """gunicorn with infra/gunicorn.conf.py, bound to loopback, serving `wsgi_target`."""
    log = workdir / f"gunicorn-{name}.log"
    gunicorn = python.parent / "gunicorn"
    command = [
        str(gunicorn),
        "--config", str(GUNICORN_CONF),
        "--bind", f"127.0.0.1:{port}",
        "--pythonpath", str(BENCH_DIR),
        "--access-logfile", str(workdir / f"access-{name}.log"),
        "bench_wsgi:application",
    ]  # fmt: skip
    full_env = {**env, "BENCH_WSGI_TARGET": wsgi_target}
    with log.open("w") as handle:
        process = subprocess.Popen(
            command, cwd=cwd, env=full_env, stdout=handle, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    server = Server(name, process, log)
    try:
        wait_ready(port, health.host, health.path, process, log)
    except BaseException:
        server.stop()
        raise
    return server


def start_nginx(*, port: int, workdir: Path, body: bytes) -> Server:
    """nginx serving one static file of the given body (a page's size) on `port`."""
    root = workdir / "nginx"
    (root / "html").mkdir(parents=True, exist_ok=True)
    (root / "logs").mkdir(exist_ok=True)
    (root / "spool").mkdir(exist_ok=True)
    (root / "html" / "page.html").write_bytes(body)
    conf = root / "nginx.conf"
    conf.write_text(
        f"""daemon off;
worker_processes auto;
pid {root}/nginx.pid;
error_log {root}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 100000;
    client_body_temp_path {root}/spool;
    proxy_temp_path {root}/spool;
    fastcgi_temp_path {root}/spool;
    uwsgi_temp_path {root}/spool;
    scgi_temp_path {root}/spool;
    types {{ text/html html; }}
    server {{
        listen 127.0.0.1:{port};
        root {root}/html;
    }}
}}
"""
    )
    log = root / "logs" / "stdout.log"
    with log.open("w") as handle:
        process = subprocess.Popen(
            [nginx_binary(), "-c", str(conf), "-p", str(root)],
            stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    server = Server("nginx", process, log)
    try:
        wait_ready(port, "localhost", "/page.html", process, log)
    except BaseException:
        server.stop()
        raise
    return server


# --- Load ----------------------------------------------------------------------------------
def warm(port: int, targets: list[Target], *, workers: int = 8) -> list[str]:
    """GET every target once (fills caches, renditions); returns the failures."""

    def one(target: Target) -> str | None:
        try:
            status, _, _ = fetch(port, target)
        except OSError as exc:
            return f"{target.host}{target.path}: {exc}"
        return None if status == 200 else f"{target.host}{target.path}: HTTP {status}"

    with ThreadPoolExecutor(workers) as pool:
        return [failure for failure in pool.map(one, targets) if failure]


def count_queries(port: int, targets: list[Target]) -> dict:
    """Queries per request on a warm server (each target fetched twice, second counted)."""
    counts, cache_headers, sizes = [], {}, []
    for target in targets:
        fetch(port, target)
        _, headers, body = fetch(port, target, {"X-Bench-Count-Queries": "1"})
        if "x-bench-queries" in headers:
            counts.append(int(headers["x-bench-queries"]))
        sizes.append(len(body))
        for name in ("x-cache", "x-page-cache", "age", "cache-control"):
            if name in headers:
                cache_headers[name] = headers[name]
    return {
        "queries_max": max(counts) if counts else None,
        "queries_min": min(counts) if counts else None,
        "bytes": int(sum(sizes) / len(sizes)) if sizes else 0,
        "cache_headers": cache_headers,
    }


LUA_TEMPLATE = """
local targets = {%s}
local index = 0
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
end
function init(args)
  index = (offset or 0) %% #targets
end
function request()
  index = index %% #targets + 1
  local t = targets[index]
  return wrk.format("GET", t[2], {["Host"] = t[1]})
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%%d,"duration_us":%%d,"bytes":%%d,"p50_us":%%d,"p90_us":%%d,' ..
    '"p99_us":%%d,"mean_us":%%.1f,"errors":{"connect":%%d,"read":%%d,"write":%%d,' ..
    '"status":%%d,"timeout":%%d}}\\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal here


def run_wrk(
    *, port: int, targets: list[Target], duration: int, connections: int, threads: int,
    workdir: Path, label: str,
) -> dict:  # fmt: skip
    """One wrk run rotating over `targets`; requests/s, latency percentiles (ms), errors."""
    entries = ",".join(f"{{{_lua_string(t.host)},{_lua_string(t.path)}}}" for t in targets)
    script = workdir / f"wrk-{label}.lua"
    script.write_text(LUA_TEMPLATE % entries)
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s",
        "-s", str(script), f"http://127.0.0.1:{port}/",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    line = next((x for x in result.stdout.splitlines() if x.startswith("BENCHJSON ")), None)
    if result.returncode != 0 or line is None:
        raise BenchError(f"wrk failed for {label}: {result.stderr or result.stdout}")
    raw = json.loads(line.removeprefix("BENCHJSON "))
    seconds = raw["duration_us"] / 1e6
    errors = {k: v for k, v in raw["errors"].items() if v}
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "mean_ms": round(raw["mean_us"] / 1000, 2),
        "errors": errors,
    }


@dataclass
class Row:
    site: str
    page: str
    mode: str
    result: dict = field(default_factory=dict)


def print_table(rows: list[Row], out=sys.stdout) -> None:
    header = f"{'site':<10} {'page':<14} {'mode':<9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
    header += f"{'queries':>8} {'KB':>6}  notes"
    print(header, file=out)
    print("-" * len(header), file=out)
    for row in rows:
        r = row.result
        queries = r.get("queries_max")
        notes = ", ".join(r.get("notes", []))
        if r.get("errors"):
            notes = f"errors {r['errors']} " + notes
        print(
            f"{row.site:<10} {row.page:<14} {row.mode:<9} {r.get('rps', 0):>9.1f} "
            f"{r.get('p50_ms', 0):>8.2f} {r.get('p99_ms', 0):>8.2f} "
            f"{'-' if queries is None else queries:>8} {r.get('bytes', 0) / 1024:>6.1f}  {notes}",
            file=out,
        )
