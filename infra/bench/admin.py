"""Benchmark of the admin pages (issue 18): server time and queries per page.

Builds (or reuses) the benchmark database of `--practices` practices (build_dataset.py),
adds what the public-pages dataset lacks for the admin (`--leads` leads per practice, an
agency library practice with a published post, a syndication job to every practice,
an Agency staff user and one practice's editor), then opens every admin page in-process
with Django's test Client under the production settings (DEBUG off): `--warmups` (2)
unmeasured requests, then the median of `--rounds` (3) timed ones, every SQL statement
counted. Prints the table with the target (`--target-ms`, 300) beside each figure and
writes JSON with `--json`. Exit status 1 when a page misses the target or answers other
than 200.

    .venv/bin/python infra/bench/admin.py --practices 1000 --json admin.json
    .venv/bin/python infra/bench/admin.py --practices 10 --skip-build
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PYTHON = ROOT / ".venv" / "bin" / "python"
CHILD_FLAG = "--in-process"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--practices", type=int, default=1000)
    p.add_argument("--posts", type=int, default=50)
    p.add_argument("--members", type=int, default=10)
    p.add_argument("--leads", type=int, default=20, help="Leads per practice.")
    p.add_argument("--db-name", help="Default: agency_bench_<practices>.")
    p.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    p.add_argument("--workdir", type=Path, default=Path("/tmp/bench-admin"))  # noqa: S108 (as run.py)
    p.add_argument("--skip-build", action="store_true", help="Do not build the dataset.")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--warmups", type=int, default=2)
    p.add_argument("--target-ms", type=float, default=300.0)
    p.add_argument("--only", default="", help="Run only pages whose label contains this.")
    p.add_argument("--json", type=Path)
    p.add_argument(CHILD_FLAG, action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.db_name = args.db_name or f"agency_bench_{args.practices}"
    return args


def child_env(args: argparse.Namespace) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VIRTUAL_ENV"))}
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "agency_platform.settings.production",
        "SECRET_KEY": "bench-" + "s" * 60,
        "ALLOWED_HOSTS": ".bench.test,127.0.0.1,localhost,testserver",
        "DATABASE_URL": f"{args.postgres}/{args.db_name}",
        "REDIS_URL": args.redis_url,
        "CELERY_BROKER_URL": args.redis_url,
        "CELERY_RESULT_BACKEND": args.redis_url,
        "SECURE_SSL_REDIRECT": "false",
        "MEDIA_ROOT": str(args.workdir / "media"),
        "STATIC_ROOT": str(args.workdir / "static"),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
    }


def prepare(args: argparse.Namespace, env: dict[str, str]) -> None:
    """Database, migrations and static files every run (quick when nothing changed);
    the dataset unless --skip-build."""
    import psycopg

    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.db_name])
        if found.fetchone() is None:
            conn.execute(f'CREATE DATABASE "{args.db_name}"')
    python = str(PROJECT_PYTHON)
    commands = [
        [python, "manage.py", "migrate", "--noinput", "-v0"],
        [python, "manage.py", "collectstatic", "--noinput", "-v0"],
    ]
    if not args.skip_build:
        commands.append(
            [python, "infra/bench/build_dataset.py", "--practices", str(args.practices),
             "--posts", str(args.posts), "--members", str(args.members)]
        )  # fmt: skip
    for command in commands:
        subprocess.run(command, cwd=ROOT, env=env, check=True)


def main() -> int:
    args = parse_args()
    if getattr(args, CHILD_FLAG.lstrip("-").replace("-", "_")):
        # This checkout's apps, not whichever one the virtualenv was installed from.
        sys.path[:0] = [str(ROOT), str(ROOT / "infra" / "bench")]
        from admin_pages import measure

        return measure(args)
    env = child_env(args)
    args.workdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    prepare(args, env)
    print(f"prepare: {time.monotonic() - started:.1f} s")
    child = [str(PROJECT_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:], CHILD_FLAG]
    return subprocess.run(child, cwd=ROOT, env=env).returncode


def report(args: argparse.Namespace, rows: list[dict]) -> int:
    """Print the table; write JSON; 1 when any page misses the target or fails."""
    target = args.target_ms
    header = f"{'admin page':<52} {'user':<7} {'ms':>7} {'target':>7} {'SQL ms':>7} {'queries':>7}"
    print(header)
    print("-" * len(header))
    failed = 0
    for row in rows:
        flag = ""
        if row["status"] != row["expected"]:
            flag = f"  HTTP {row['status']}"
        elif row["median_ms"] > target:
            flag = "  OVER TARGET"
        failed += bool(flag)
        print(
            f"{row['page']:<52} {row['user']:<7} {row['median_ms']:>7.0f} {target:>7.0f} "
            f"{row['sql_ms']:>7.0f} {row['queries']:>7}{flag}"
        )
    print(f"ADMIN pages={len(rows)} over_target_or_failed={failed} practices={args.practices}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "practices": args.practices,
                    "target_ms": target,
                    "rounds": args.rounds,
                    "warmups": args.warmups,
                    "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                    "commit": _commit(),
                    "rows": rows,
                },
                indent=2,
            )
        )
    return 1 if failed else 0


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip()


def timed_median(samples: list[float]) -> float:
    return round(statistics.median(samples), 1)


if __name__ == "__main__":
    sys.exit(main())
