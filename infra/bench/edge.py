"""The Varnish edge (infra/edge/varnish.vcl) in front of the benchmark's gunicorn, for
run.py's `edge` mode; and its hit/miss/pass counters (varnishstat) around a load run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from harness import ROOT, BenchError, Server, Target, wait_ready

EDGE_DIR = ROOT / "infra" / "edge"
VARNISHD = "/usr/sbin/varnishd"


def ensure_varnish() -> None:
    """Debian's varnish when missing (as the Makefile's `edge` target does)."""
    if Path(VARNISHD).exists():
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print("Installing varnish with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "varnish"], check=True, env=env)


def start_varnish(*, port: int, backend_port: int, workdir: Path, health: Target) -> Server:
    """varnishd with the repository's VCL on `port`, its backend 127.0.0.1:`backend_port`."""
    root = workdir / "varnish"
    shutil.rmtree(root, ignore_errors=True)  # a fresh cache and work directory per run
    conf = root / "conf"
    conf.mkdir(parents=True)
    # varnishd (as root) drops to its own users, which must read the VCL and the work dir.
    for path in (workdir, root, conf):
        path.chmod(0o755)
    # Found before infra/edge/backend.vcl (compose's `web`) on vcl_path.
    (conf / "backend.vcl").write_text(
        f'backend default {{ .host = "127.0.0.1"; .port = "{backend_port}"; }}\n'
    )
    log = root / "varnishd.log"
    command = [
        VARNISHD, "-F", "-n", str(root / "n"), "-a", f"127.0.0.1:{port}",
        "-f", str(EDGE_DIR / "varnish.vcl"), "-p", f"vcl_path={conf}:{EDGE_DIR}",
        "-s", "malloc,256m",
    ]  # fmt: skip
    with log.open("w") as handle:
        process = subprocess.Popen(
            command, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server("varnish", process, log)
    try:
        wait_ready(port, health.host, health.path, process, log)
    except BaseException:
        server.stop()
        raise
    return server


def counters(workdir: Path) -> dict[str, int]:
    """Varnish's hit, miss and pass counters so far."""
    fields = ("MAIN.cache_hit", "MAIN.cache_miss", "MAIN.s_pass")
    command = ["varnishstat", "-n", str(workdir / "varnish" / "n"), "-1", "-j"]
    for field in fields:
        command += ["-f", field]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BenchError(f"varnishstat failed: {result.stderr}")
    data = json.loads(result.stdout)
    values = data.get("counters", data)  # 7.x nests them under "counters"
    return {field.split(".")[1]: int(values[field]["value"]) for field in fields}


def hit_note(before: dict[str, int], after: dict[str, int]) -> tuple[float, str]:
    """The share of edge hits during a run, and a table note."""
    delta = {name: after[name] - before[name] for name in after}
    total = sum(delta.values()) or 1
    ratio = delta["cache_hit"] / total
    note = f"edge hits {ratio:.1%} (miss {delta['cache_miss']}, pass {delta['s_pass']})"
    return ratio, note
