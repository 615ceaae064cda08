"""Instructions per page view, counted by valgrind's callgrind (used by flat.py).

Requests per second on a shared 2-core machine moved by -33 % to +44 % between
identical runs, more than the 10 % that "flat cost" allows. Instruction counts do not
depend on what else the machine is doing: the same binary, data and inputs give the same
count. They are taken in-process (instructions_driver.py, the real WSGI application
with the production settings), so they cover our code, Django, Wagtail, the templates
and the PostgreSQL and Redis clients; the database server's share is reported as the
shared buffers the page's queries touch.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from harness import ROOT, BenchError

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_PYTHON = ROOT / ".venv" / "bin" / "python"

HELPER_SOURCE = """
#include <valgrind/callgrind.h>
void bench_start(void) { CALLGRIND_START_INSTRUMENTATION; }
void bench_stop(void) { CALLGRIND_STOP_INSTRUMENTATION; }
void bench_zero(void) { CALLGRIND_ZERO_STATS; }
void bench_dump(const char *name) { CALLGRIND_DUMP_STATS_AT(name); }
"""


def ensure_valgrind() -> None:
    """Debian's valgrind brings callgrind and its client-request header."""
    if shutil.which("valgrind") and Path("/usr/include/valgrind/callgrind.h").exists():
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("Installing valgrind with apt-get")
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "valgrind"], check=True, env=env)


def build_helper(workdir: Path) -> Path:
    """A tiny shared library issuing callgrind's client requests (no-ops natively)."""
    source = workdir / "callgrind_ctl.c"
    library = workdir / "callgrind_ctl.so"
    source.write_text(HELPER_SOURCE)
    subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "-o", str(library), str(source)], check=True)
    return library


_DESC = re.compile(r"^desc: Trigger: Client Request: (?P<name>.+)$")
_TOTAL = re.compile(r"^(?:summary|totals): (?P<ir>\d+)")


def read_dumps(prefix: Path) -> dict[str, int]:
    """{dump name: instructions} from callgrind's `<prefix>.<n>` dump files."""
    counts: dict[str, int] = {}
    for dump in sorted(prefix.parent.glob(prefix.name + ".*")):
        name = total = None
        for line in dump.read_text(errors="replace").splitlines():
            if match := _DESC.match(line):
                name = match["name"].strip()
            elif match := _TOTAL.match(line):
                total = int(match["ir"])
        if name is not None and total is not None:
            counts[name] = total
    return counts


def measure(
    *, env: dict[str, str], targets: dict[str, list[tuple[str, str]]], workdir: Path,
    requests: int, label: str, valgrind: bool = True,
) -> dict[str, dict]:  # fmt: skip
    """{page: {instructions_per_view, queries, db_buffers_per_view}} for one database.

    `valgrind=False` runs the driver natively: a quick check, buffers but no counts."""
    workdir.mkdir(parents=True, exist_ok=True)
    helper = build_helper(workdir)
    targets_file = workdir / f"targets-{label}.json"
    targets_file.write_text(json.dumps(targets))
    buffers_file = workdir / f"buffers-{label}.json"
    prefix = workdir / f"callgrind-{label}.out"
    for old in workdir.glob(prefix.name + "*"):
        old.unlink()
    command = [
        str(PROJECT_PYTHON), str(BENCH_DIR / "instructions_driver.py"),
        "--targets", str(targets_file), "--requests", str(requests),
        "--helper", str(helper), "--buffers-out", str(buffers_file),
    ]  # fmt: skip
    if valgrind:
        command = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no", "--quiet",
            f"--callgrind-out-file={prefix}", *command,
        ]  # fmt: skip
    # A fixed hash seed: set and dict iteration orders (and so the work done) repeat.
    run_env = {**env, "PYTHONHASHSEED": "0"}
    log = workdir / f"instructions-{label}.log"
    with log.open("w") as handle:
        done = subprocess.run(command, cwd=ROOT, env=run_env, stdout=handle, stderr=handle)
    if done.returncode != 0:
        raise BenchError(f"instruction count for {label} failed; see {log}")
    buffers = json.loads(buffers_file.read_text())
    counts = read_dumps(prefix) if valgrind else {}
    if valgrind and set(counts) != set(targets):
        raise BenchError(f"{label}: callgrind dumps {sorted(counts)}, expected {sorted(targets)}")
    return {
        page: {
            "instructions_per_view": round(counts[page] / requests) if valgrind else None,
            "queries": buffers[page]["queries"],
            "db_buffers_per_view": buffers[page]["buffers"],
        }
        for page in targets
    }


def main(argv: list[str] | None = None) -> int:
    """One database on its own: `instructions.py --db-name agency_bench_10 --practices 10`."""
    import run

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40)
    known, rest = parser.parse_known_args(argv)
    args = run.parse_args(rest)
    ensure_valgrind()
    env = {**run.app_env(args), "PAGE_CACHE_ENABLED": "false"}
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    targets = {p: [(t.host, t.path) for t in run.targets(args, p)] for p in pages}
    result = measure(env=env, targets=targets, workdir=args.workdir, requests=known.requests,
                     label=args.db_name)  # fmt: skip
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(BENCH_DIR))
    sys.exit(main())
