"""Benchmark of provisioning from CSV (issue 18, item 5): does a practice cost the same
to create at the 1,000th as at the 1st?

Not a test: it creates a database (`--db-name`), migrates it, writes a CSV of
`--practices` rows and runs the real command, `manage.py create_practice --from-csv`,
with production settings. The command prints one line per row when not on a terminal;
each line is timestamped as it arrives, which gives the time of every hundred rows.
Then it runs the same CSV again (every row must come back `unchanged`).

    .venv/bin/python infra/bench/provisioning.py --db-name agency_prov_issue18b \\
        --practices 1000 --json prov.json

One process: rows cannot be provisioned side by side, as every new practice adds a
child to the same two tree nodes (the page root and the collection root), and
treebeard updates the parent's child count in the row's transaction, which holds that
row's lock until the practice commits.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import itertools
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ROOT
from run import PROJECT_PYTHON, ensure_database

TEMPLATES = ["general", "family-medicine", "dermatology", "dentistry", "pediatrics"]
TARGET_TOTAL_SECONDS = 600
BATCH = 100


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--practices", type=int, default=1000)
    parser.add_argument("--db-name", default="agency_prov")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument("--keep", action="store_true", help="keep the database (no drop first)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench-provisioning"))  # noqa: S108
    parser.add_argument("--json", type=Path, help="write the figures here")
    return parser.parse_args(argv)


def app_env(args: argparse.Namespace) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VIRTUAL_ENV"))}
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "agency_platform.settings.production",
        "SECRET_KEY": "bench-" + "s" * 60,
        "ALLOWED_HOSTS": ".bench.test,127.0.0.1,localhost",
        "DATABASE_URL": f"{args.postgres}/{args.db_name}",
        "REDIS_URL": args.redis_url,
        "CELERY_BROKER_URL": args.redis_url,
        "CELERY_RESULT_BACKEND": args.redis_url,
        "SECURE_SSL_REDIRECT": "false",
        "MEDIA_ROOT": str(args.workdir / "media"),
        "STATIC_ROOT": str(args.workdir / "static"),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",  # one line per row, as it happens
    }


def write_csv(path: Path, count: int, start: int = 1) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "slug", "hostname", "owner_email", "template"])
        for number in range(start, start + count):
            slug = f"prov-{number:04d}"
            writer.writerow([
                f"Practice {number:04d}",
                slug,
                f"{slug}.bench.test",
                f"owner@{slug}.bench.test",
                TEMPLATES[number % len(TEMPLATES)],
            ])  # fmt: skip


def run_csv(args: argparse.Namespace, env: dict[str, str], path: Path) -> tuple[float, list[float]]:
    """(total seconds, seconds at which each created row's line arrived)."""
    command = [str(PROJECT_PYTHON), "manage.py", "create_practice", "--from-csv", str(path)]
    started = time.monotonic()
    arrivals: list[float] = []
    with subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=sys.stderr, text=True
    ) as process:
        for line in process.stdout:
            if line.startswith(f"{path}:"):
                if line.rstrip().endswith(": created"):  # with --keep, old rows are not
                    arrivals.append(time.monotonic() - started)
            else:
                print(line.rstrip())
    total = time.monotonic() - started
    if process.returncode:
        raise SystemExit(f"create_practice exited {process.returncode}")
    return total, arrivals


def per_hundred(arrivals: list[float]) -> list[float]:
    marks = [0.0, *arrivals[BATCH - 1 :: BATCH]]
    return [round(later - earlier, 2) for earlier, later in itertools.pairwise(marks)]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    env = app_env(args)
    ensure_database(args.postgres, args.db_name, drop=not args.keep)
    subprocess.run([str(PROJECT_PYTHON), "manage.py", "migrate", "--noinput", "-v0"],
                   cwd=ROOT, env=env, check=True)  # fmt: skip
    path = args.workdir / "practices.csv"
    write_csv(path, args.practices)
    total, arrivals = run_csv(args, env, path)
    hundreds = per_hundred(arrivals)
    rerun_total, _ = run_csv(args, env, path)
    result = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} ({os.cpu_count()} cores)",
        "practices": args.practices,
        "total_seconds": round(total, 1),
        "target_total_seconds": TARGET_TOTAL_SECONDS,
        "seconds_per_hundred": hundreds,
        "first_to_last_hundred_ratio": round(hundreds[-1] / hundreds[0], 2) if hundreds else None,
        "rerun_seconds": round(rerun_total, 1),
    }
    print(f"{'hundred':>8} {'seconds':>8} {'s/practice':>10}")
    for number, seconds in enumerate(hundreds, start=1):
        print(f"{number:>8} {seconds:>8.1f} {seconds / BATCH:>10.3f}")
    verdict = "OK" if total < TARGET_TOTAL_SECONDS else "OVER"
    target = f"target < {TARGET_TOTAL_SECONDS} s: {verdict}"
    print(f"total: {total:.1f} s for {args.practices} ({target})")
    print(f"last/first hundred: {result['first_to_last_hundred_ratio']}")
    print(f"re-run (all unchanged): {rerun_total:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if total < TARGET_TOTAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
