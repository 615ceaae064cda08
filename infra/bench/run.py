"""Benchmark of the public pages under the production server (issue 9). See README.md.

    .venv/bin/python infra/bench/run.py --practices 100 --reference /path/to/bakerydemo

Builds (or reuses) the agency_bench PostgreSQL database, starts gunicorn with the
production settings and infra/gunicorn.conf.py on 127.0.0.1, drives wrk against every
page type over many practices in each mode of modes.py (cold: no application cache;
warm: application caches warm, page cache off; page-cache; edge: Varnish in front),
then an nginx static-file baseline and, with --reference, bakerydemo under the same
server and database connection settings; prints a table and writes JSON.
Exits non-zero when a step fails or a page does not answer 200.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import edge
import modes
import reference
from harness import (
    ROOT,
    BenchError,
    Row,
    Target,
    count_queries,
    ensure_tools,
    print_table,
    run_wrk,
    start_gunicorn,
    start_nginx,
    warm,
    worker_rss_mb,
)
from reference import versions

PROJECT_PYTHON = ROOT / ".venv" / "bin" / "python"
# bakerydemo has no page cache and no fragment caches: served as shipped, its Redis
# (renditions, Wagtail's site root paths) warm after the warm-up pass.
REFERENCE_MODE = "as-shipped"
TAGS = 10  # build_dataset.TAGS: topic-1 .. topic-10

# page type -> path for (practice number, item number); item ranges are set in targets().
PAGES = {
    "home": lambda k: "/",
    "blog_index": lambda k: "/blog/",
    "blog_post": lambda k: f"/blog/post-{k:02d}/",
    "tag": lambda k: f"/blog/tag/topic-{k}/",
    "feed": lambda k: "/blog/feed/rss/",
    "team_index": lambda k: "/team/",
    "team_member": lambda k: f"/team/member-{k:02d}/",
    "demo_request": lambda k: "/contact/",
    "sitemap": lambda k: "/sitemap.xml",
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--practices", type=int, default=100, help="Practices in the dataset.")
    p.add_argument("--posts", type=int, default=50, help="Blog posts per practice.")
    p.add_argument("--members", type=int, default=10, help="Team members per practice.")
    p.add_argument("--duration", type=int, default=15, help="Seconds of load per page and mode.")
    p.add_argument("--connections", type=int, default=20, help="wrk connections.")
    p.add_argument("--wrk-threads", type=int, default=2, help="wrk threads.")
    p.add_argument("--urls", type=int, default=200, help="Most distinct URLs per page type.")
    p.add_argument(
        "--url-floor", type=int, default=10,
        help="URLs per page type are capped at what this many practices hold, so every "
        "dataset of at least this size loads the same number (default 10).",
    )  # fmt: skip
    p.add_argument("--pages", default=",".join(PAGES), help="Comma-separated page types.")
    p.add_argument("--modes", default=modes.DEFAULT, help="Comma-separated, of modes.py.")
    p.add_argument(
        "--mode-env", action="append", default=None, metavar="MODE:KEY=VALUE",
        help="Add or override one variable of a mode's server environment.",
    )  # fmt: skip
    p.add_argument("--skip-build", action="store_true", help="Reuse the databases as they are.")
    p.add_argument("--fresh", action="store_true", help="Drop and rebuild agency_bench first.")
    p.add_argument("--no-nginx", action="store_true", help="Skip the nginx static baseline.")
    p.add_argument("--reference", type=Path, help="A wagtail/bakerydemo checkout to compare.")
    p.add_argument("--reference-python", help="Python 3.12+ for bakerydemo (default: found).")
    p.add_argument("--reference-workdir", type=Path, default=Path("/tmp/bench-reference"))  # noqa: S108
    p.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="Server URL.")
    p.add_argument("--db-name", default="agency_bench")
    p.add_argument("--reference-db-name", default="bakery_bench")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/0", help="Flushed per run!")
    p.add_argument("--port", type=int, default=18000, help="First of four ports used.")
    p.add_argument("--workdir", type=Path, default=Path("/tmp/bench-run"))  # noqa: S108
    p.add_argument("--json", type=Path, help="Write the results here as JSON.")
    return p.parse_args(argv)


# --- Databases -----------------------------------------------------------------------------
def ensure_database(server_url: str, name: str, *, drop: bool = False) -> bool:
    """Create the database when missing; True when it was (re)created."""
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        if drop:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
        return not exists


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


# --- Our site --------------------------------------------------------------------------------
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
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
    }


def build(args: argparse.Namespace, env: dict[str, str]) -> dict:
    timings: dict = {}

    def step(name: str, command: list[str]) -> None:
        started = time.monotonic()
        subprocess.run(command, cwd=ROOT, env=env, check=True)
        timings[f"{name}_seconds"] = round(time.monotonic() - started, 1)
        print(f"{name}: {timings[f'{name}_seconds']} s")

    python = str(PROJECT_PYTHON)
    step("dataset", [python, "infra/bench/build_dataset.py", "--practices", str(args.practices),
                     "--posts", str(args.posts), "--members", str(args.members)])  # fmt: skip
    analyze(args)
    return timings


def analyze(args: argparse.Namespace) -> None:
    """Fresh planner statistics after the bulk load. Autovacuum would get there in
    production; measured right after a bulk insert, PostgreSQL picks plans for empty
    tables (the related-posts EXISTS probe went from 0.3 ms to 23 ms per post page)."""
    import psycopg

    with psycopg.connect(f"{args.postgres}/{args.db_name}", autocommit=True) as conn:
        conn.execute("ANALYZE")


def prepare(args: argparse.Namespace, env: dict[str, str]) -> None:
    """Every run, --skip-build too: the code may bring migrations, STATIC_ROOT follows
    --workdir and templates change; both are quick when there is nothing to do."""
    ensure_database(args.postgres, args.db_name, drop=args.fresh and not args.skip_build)
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([str(PROJECT_PYTHON), "manage.py", *command], cwd=ROOT, env=env, check=True)


def targets(args: argparse.Namespace, page: str) -> list[Target]:
    """A fixed sample of the page type's URLs over every practice. Its size is the same
    at every dataset size: --urls, capped at what --url-floor practices hold (home: 10,
    member: 100, post: 200 with the defaults), so a page type with one URL per practice
    is not loaded over 10 URLs at 10 practices and 200 at 1,000."""
    items = {"blog_post": args.posts, "team_member": args.members, "tag": TAGS}.get(page, 1)
    combos = [(n, k) for n in range(1, args.practices + 1) for k in range(1, items + 1)]
    count = min(args.urls, items * getattr(args, "url_floor", 10), len(combos))
    rng = random.Random(f"{page}-{args.practices}")  # noqa: S311 (a fixed, repeatable sample)
    chosen = rng.sample(combos, count)
    return [Target(f"bench-{n:04d}.bench.test", PAGES[page](k)) for n, k in chosen]


def bench_site(
    *, args: argparse.Namespace, site: str, mode: str, python: Path, cwd: Path, env: dict,
    wsgi: str, port: int, pages: dict[str, list[Target]], edge_port: int | None = None,
) -> list[Row]:  # fmt: skip
    """Start the server, warm every URL, count queries, load each page type, stop. With
    `edge_port`, Varnish runs there in front of the server and takes the load."""
    flush_redis(args.redis_url)
    health = Target("127.0.0.1", "/healthz") if site == "agency" else pages["home"][0]
    server = start_gunicorn(
        name=f"{site}-{mode}", python=python, cwd=cwd, port=port, env=env, wsgi_target=wsgi,
        workdir=args.workdir, health=health,
    )  # fmt: skip
    front = None
    rows = []
    try:
        if edge_port is not None:
            front = edge.start_varnish(
                port=edge_port, backend_port=port, workdir=args.workdir, health=health
            )
            port = edge_port  # warm-up, probes and load all go through the edge
        all_targets = [t for page_targets in pages.values() for t in page_targets]
        started = time.monotonic()
        failures = warm(port, all_targets)
        print(f"[{site}/{mode}] warmed {len(all_targets)} URLs in "
              f"{time.monotonic() - started:.1f} s")  # fmt: skip
        if failures:
            raise BenchError(
                f"{site}/{mode}: {len(failures)} URLs did not answer 200, e.g. "
                + "; ".join(failures[:5])
            )
        for page, page_targets in pages.items():
            probe = count_queries(port, page_targets[:5])
            before = edge.counters(args.workdir) if front else None
            result = run_wrk(
                port=port, targets=page_targets, duration=args.duration,
                connections=args.connections, threads=args.wrk_threads,
                workdir=args.workdir, label=f"{site}-{mode}-{page}",
            )  # fmt: skip
            # After this page's load: one worker's memory as the run goes on.
            result.update(probe, urls=len(page_targets), notes=[], rss_mb=worker_rss_mb(server))
            if before is not None:
                ratio, note = edge.hit_note(before, edge.counters(args.workdir))
                result["edge_hit_ratio"] = round(ratio, 4)
                result["notes"].append(note if ratio >= 0.99 else f"EDGE CACHE MISSED: {note}")
            rows.append(Row(site, page, mode, result))
            print(f"[{site}/{mode}] {page}: {result['rps']} req/s, p50 {result['p50_ms']} ms, "
                  f"p99 {result['p99_ms']} ms, {probe['queries_max']} queries, "
                  f"worker RSS {result['rss_mb']} MB")  # fmt: skip
    finally:
        if front:
            front.stop()
        server.stop()
    return rows


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    ensure_tools("wrk", *([] if args.no_nginx else ["nginx"]))
    mode_names = modes.parse(args.modes)
    if "edge" in mode_names:
        edge.ensure_varnish()
    env = app_env(args)
    report = {
        "started_at": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "args": {k: str(v) for k, v in vars(args).items()},
        "server": {
            "config": "infra/gunicorn.conf.py",
            "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "(config default)"),
            "GUNICORN_THREADS": os.environ.get("GUNICORN_THREADS", "(config default)"),
        },
    }
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True, check=False)  # fmt: skip
    report["commit"] = commit.stdout.strip()
    prepare(args, env)
    if not args.skip_build:
        report["build"] = build(args, env)
    page_names = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = set(page_names) - set(PAGES)
    if unknown:
        raise BenchError(f"--pages: unknown page type(s) {', '.join(sorted(unknown))}.")
    pages = {page: targets(args, page) for page in page_names}
    if args.practices < args.url_floor:
        print(f"note: {args.practices} practices < --url-floor {args.url_floor}: fewer URLs "
              "per page type than a larger dataset loads")  # fmt: skip
    report["urls_per_page"] = {page: len(page_targets) for page, page_targets in pages.items()}
    envs = modes.environments(mode_names, args.mode_env)
    report["mode_env"] = envs
    report["versions"] = {"agency": versions(PROJECT_PYTHON, ROOT, env)}
    rows: list[Row] = []
    for mode in mode_names:
        edge_port = args.port + 3 if modes.MODES[mode].edge else None
        rows += bench_site(
            args=args, site="agency", mode=mode, python=PROJECT_PYTHON, cwd=ROOT,
            env={**env, **envs[mode]}, wsgi="agency_platform.wsgi:application",
            port=args.port, pages=pages, edge_port=edge_port,
        )  # fmt: skip
    modes.check(rows)
    if not args.no_nginx:
        rows.append(nginx_baseline(args, rows))
    if args.reference:
        reference_rows, report["versions"]["bakerydemo"] = bench_reference(args)
        rows += reference_rows
    report["results"] = [{"site": r.site, "page": r.page, "mode": r.mode, **r.result} for r in rows]
    report["summary"] = modes.summarise(rows, REFERENCE_MODE)
    report["finished_at"] = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    print()
    print_table(rows)
    print()
    modes.print_queries(rows)
    print()
    for site, found in report["versions"].items():
        print(f"{site}: " + ", ".join(f"{k} {v}" for k, v in found.items()))
    print(json.dumps({k: v for k, v in report["summary"].items() if k != "queries_per_view"},
                     indent=2))  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
        print(f"JSON written to {args.json}")
    return 0


def nginx_baseline(args: argparse.Namespace, rows: list[Row]) -> Row:
    """A static file the size of a blog post page, served by nginx on the same machine."""
    size = next((r.result["bytes"] for r in rows if r.page == "blog_post"), 0) or 30_000
    body = (b"<!doctype html><p>" + b"x" * size)[:size]
    server = start_nginx(port=args.port + 1, workdir=args.workdir, body=body)
    try:
        result = run_wrk(
            port=args.port + 1, targets=[Target("localhost", "/page.html")],
            duration=args.duration, connections=args.connections, threads=args.wrk_threads,
            workdir=args.workdir, label="nginx",
        )  # fmt: skip
    finally:
        server.stop()
    result.update(bytes=size, queries_max=None, notes=[])
    print(f"[nginx] static file of {size} bytes: {result['rps']} req/s")
    return Row("nginx", "static_file", "static", result)


def bench_reference(args: argparse.Namespace) -> tuple[list[Row], dict[str, str]]:
    checkout = args.reference.resolve()
    workdir = args.reference_workdir
    python = reference.setup(checkout, workdir, args.reference_python)
    env = reference.environment(
        workdir, f"{args.postgres}/{args.reference_db_name}", args.redis_url
    )
    if not args.skip_build or ensure_database(args.postgres, args.reference_db_name):
        ensure_database(args.postgres, args.reference_db_name)
        reference.load_data(python, checkout, env)
    posts = reference.blog_post_paths(python, checkout, env)
    pages = {
        "home": [Target("localhost", "/")],
        "blog_index": [Target("localhost", "/blog/")],
        "blog_post": [Target("localhost", path) for path in posts],
    }
    # Same server settings: the same gunicorn.conf.py, WEB_CONCURRENCY and GUNICORN_THREADS;
    # same database connections (psycopg's pool, reference.SETTINGS_OVERRIDE).
    rows = bench_site(
        args=args, site="bakerydemo", mode=REFERENCE_MODE, python=python, cwd=checkout,
        env=env, wsgi="bakerydemo.wsgi:application", port=args.port + 2, pages=pages,
    )  # fmt: skip
    return rows, versions(python, checkout, env)


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(f"bench: stopped by signal {signum}")  # runs the servers' stop()


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminate)
    try:
        sys.exit(main())
    except (BenchError, subprocess.CalledProcessError) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        sys.exit(1)
