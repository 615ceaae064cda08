"""Flat cost from few to many practices (issue 9): one command, two databases, one verdict.

    .venv/bin/python infra/bench/flat.py                      # 10 and 1,000 practices
    .venv/bin/python infra/bench/flat.py --skip-build --rounds 7 --json flat.json

Builds (or reuses) one database per size (`agency_bench_<n>`, work files in
`<workdir>/<n>`), then measures each page type two ways:

1. **Interleaved load.** Both sizes' servers run side by side (own port, own Redis
   database). Per round and page, wrk loads one then the other (the order alternates per
   round) for `--duration` seconds. Requests/s of two runs minutes apart moved by up to
   44 % on this shared machine; two runs seconds apart drift far less, so the verdict
   uses the median over rounds of each round's ratio, and the table shows its spread.
2. **Instructions per view** (callgrind, instructions.py), unaffected by the machine's
   load, plus the PostgreSQL buffers the page's queries touch.

Exits 1 when a page's median load ratio, or its instruction ratio, is more than
`--tolerance` (default 10 %) from 1.
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import instructions
import modes
import run
from harness import (
    BenchError,
    Target,
    count_queries,
    ensure_tools,
    run_wrk,
    start_gunicorn,
    warm,
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10,1000", help="Two practice counts, small then large.")
    p.add_argument("--pages", default=",".join(run.PAGES), help="Comma-separated page types.")
    p.add_argument("--modes", default="warm", help="Of modes.py: cold, warm, page-cache.")
    p.add_argument("--count-mode", default="warm", help="Mode of the instruction counts.")
    p.add_argument("--rounds", type=int, default=5, help="Interleaved load rounds.")
    p.add_argument("--duration", type=int, default=5, help="Seconds of load per run.")
    p.add_argument("--connections", type=int, default=20)
    p.add_argument("--urls", type=int, default=200, help="Distinct URLs per page type.")
    p.add_argument("--requests", type=int, default=40, help="Views counted per page (callgrind).")
    p.add_argument("--count-urls", type=int, default=20, help="URLs per page for callgrind.")
    p.add_argument("--no-load", action="store_true", help="Instruction counts only.")
    p.add_argument("--no-instructions", action="store_true", help="Load only.")
    p.add_argument("--skip-build", action="store_true")
    p.add_argument("--tolerance", type=float, default=10.0, help="Percent.")
    p.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    p.add_argument("--db-prefix", default="agency_bench", help="Databases <prefix>_<size>.")
    p.add_argument("--redis", default="redis://127.0.0.1:6379", help="Databases 1 and 2 used.")
    p.add_argument("--port", type=int, default=18100, help="Ports port and port+10 used.")
    p.add_argument("--workdir", type=Path, default=Path("/tmp/bench-flat"))  # noqa: S108
    p.add_argument("--json", type=Path)
    return p.parse_args(argv)


def size_args(args: argparse.Namespace, practices: int, index: int) -> argparse.Namespace:
    """run.py's arguments for one size: its own database, Redis database, port, workdir."""
    return run.parse_args([
        "--practices", str(practices), "--db-name", f"{args.db_prefix}_{practices}",
        "--workdir", str(args.workdir / str(practices)), "--postgres", args.postgres,
        "--redis-url", f"{args.redis}/{index + 1}", "--port", str(args.port + 10 * index),
        "--urls", str(args.urls), "--pages", args.pages,
        # The same URLs per page type at both sizes: capped at what the smaller one holds.
        "--url-floor", str(min(int(n) for n in args.sizes.split(","))),
        *(["--skip-build"] if args.skip_build else []),
    ])  # fmt: skip


def load_rounds(args: argparse.Namespace, sizes: list[argparse.Namespace], mode: str) -> dict:
    """{page: {practices: [req/s per round]}, ...} with both servers up side by side."""
    env = modes.MODES[mode].env
    pages = [p for p in args.pages.split(",") if p]
    servers, plans = [], {}
    try:
        for size in sizes:
            run.flush_redis(size.redis_url)
            servers.append(start_gunicorn(
                name=f"flat-{size.practices}-{mode}", python=run.PROJECT_PYTHON, cwd=run.ROOT,
                port=size.port, env={**run.app_env(size), **env},
                wsgi_target="agency_platform.wsgi:application", workdir=size.workdir,
                health=Target("127.0.0.1", "/healthz"),
            ))  # fmt: skip
            plans[size.practices] = {p: run.targets(size, p) for p in pages}
            every = [t for targets in plans[size.practices].values() for t in targets]
            if failures := warm(size.port, every):
                raise BenchError(f"{size.practices} practices: {failures[:3]} not 200")
        result: dict = {p: {"rps": {s.practices: [] for s in sizes}, "queries": {}} for p in pages}
        for page in pages:
            for size in sizes:
                probe = count_queries(size.port, plans[size.practices][page][:5])
                result[page]["queries"][size.practices] = probe["queries_max"]
        for round_number in range(args.rounds):
            order = sizes if round_number % 2 == 0 else sizes[::-1]
            for page in pages:
                for size in order:
                    measured = run_wrk(
                        port=size.port, targets=plans[size.practices][page],
                        duration=args.duration, connections=args.connections, threads=2,
                        workdir=size.workdir, label=f"flat-{mode}-{page}",
                    )  # fmt: skip
                    result[page]["rps"][size.practices].append(measured["rps"])
            print(f"[{mode}] round {round_number + 1}/{args.rounds} done", flush=True)
        return result
    finally:
        for server in servers:
            server.stop()


def summarise_load(result: dict, small: int, large: int) -> dict:
    rows = {}
    for page, data in result.items():
        a, b = data["rps"][small], data["rps"][large]
        ratios = [y / x for x, y in zip(a, b, strict=True) if x]
        rows[page] = {
            "rps_small_median": round(statistics.median(a), 1),
            "rps_large_median": round(statistics.median(b), 1),
            "ratio_median": round(statistics.median(ratios), 3),
            "ratio_min": round(min(ratios), 3),
            "ratio_max": round(max(ratios), 3),
            "rounds": {"small": a, "large": b},
            "queries": data["queries"],
        }
    return rows


def count_instructions(args: argparse.Namespace, sizes: list[argparse.Namespace]) -> dict:
    """Both sizes at once: one core each, and counts do not depend on the other's load."""
    instructions.ensure_valgrind()

    def one(size: argparse.Namespace) -> dict:
        count_args = argparse.Namespace(**{**vars(size), "urls": args.count_urls})
        targets = {
            p: [(t.host, t.path) for t in run.targets(count_args, p)]
            for p in args.pages.split(",") if p
        }  # fmt: skip
        run.flush_redis(size.redis_url)
        return instructions.measure(
            env={**run.app_env(size), **modes.MODES[args.count_mode].env}, targets=targets,
            workdir=size.workdir, requests=args.requests, label=f"flat-{size.practices}",
        )  # fmt: skip

    with ThreadPoolExecutor(len(sizes)) as pool:
        counted = list(pool.map(one, sizes))
    return {size.practices: data for size, data in zip(sizes, counted, strict=True)}


def print_report(report: dict, small: int, large: int, tolerance: float) -> bool:
    within = True
    for mode, rows in report.get("load", {}).items():
        print(f"\nInterleaved load, {mode}: req/s medians over {report['rounds']} rounds")
        print(f"{'page':<14} {small:>9} {large:>9} {'ratio':>7} {'spread':>15} {'queries':>9}")
        for page, r in rows.items():
            ok = abs(r["ratio_median"] - 1) * 100 <= tolerance
            within &= ok
            queries = f"{r['queries'].get(small)}/{r['queries'].get(large)}"
            print(f"{page:<14} {r['rps_small_median']:>9.1f} {r['rps_large_median']:>9.1f} "
                  f"{r['ratio_median']:>7.3f} {r['ratio_min']:>7.3f}-{r['ratio_max']:<7.3f} "
                  f"{queries:>9}{'' if ok else '  OUTSIDE'}")  # fmt: skip
    if counts := report.get("instructions"):
        print("\nPer view, page cache off: instructions (callgrind) and PostgreSQL buffers")
        print(f"{'page':<14} {'Minstr ' + str(small):>13} {'Minstr ' + str(large):>14} "
              f"{'ratio':>7} {'buffers':>15}")  # fmt: skip
        for page, a in counts[small].items():
            b = counts[large][page]
            ratio = b["instructions_per_view"] / a["instructions_per_view"]
            ok = abs(ratio - 1) * 100 <= tolerance
            within &= ok
            buffers = f"{a['db_buffers_per_view']:.0f}/{b['db_buffers_per_view']:.0f}"
            print(f"{page:<14} {a['instructions_per_view'] / 1e6:>13.2f} "
                  f"{b['instructions_per_view'] / 1e6:>14.2f} {ratio:>7.3f} {buffers:>15}"
                  f"{'' if ok else '  OUTSIDE'}")  # fmt: skip
    verdict = "within" if within else "OUTSIDE"
    print(f"\n{verdict} {tolerance:.0f}% from {small} to {large} practices")
    return within


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    small, large = (int(n) for n in args.sizes.split(","))
    if "edge" in modes.parse(args.modes) or args.count_mode not in modes.MODES:
        raise BenchError("--modes: cold, warm or page-cache; --count-mode: a mode of modes.py")
    sizes = [size_args(args, n, i) for i, n in enumerate((small, large))]
    report: dict = {
        "started_at": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "args": {k: str(v) for k, v in vars(args).items()},
        "rounds": args.rounds,
    }
    for size in sizes:
        size.workdir.mkdir(parents=True, exist_ok=True)
        env = run.app_env(size)
        run.prepare(size, env)
        if not args.skip_build:
            run.build(size, env)
    if not args.no_load:
        ensure_tools("wrk")
        report["load"] = {
            mode: summarise_load(load_rounds(args, sizes, mode), small, large)
            for mode in modes.parse(args.modes)
        }  # fmt: skip
    if not args.no_instructions:
        report["instructions"] = count_instructions(args, sizes)
    within = print_report(report, small, large, args.tolerance)
    report["within_tolerance"] = within
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))
        print(f"JSON written to {args.json}")
    return 0 if within else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (BenchError, subprocess.CalledProcessError) as exc:
        print(f"flat: {exc}", file=sys.stderr)
        sys.exit(1)
