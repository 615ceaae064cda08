"""Runs under `valgrind --tool=callgrind --instr-atstart=no`, started by instructions.py.

Loads the real WSGI application with the production settings (environment from run.py),
then for each page type: GETs every URL twice with instrumentation off (fills the route,
fragment and rendition caches, as a live server's first visitors do), switches
instrumentation on, zeroes the counters, serves `--requests` views rotating over the URLs
and dumps the counters under the page's name. Instructions are counted for the Python
process only (application, template rendering, psycopg and Redis clients); PostgreSQL's
side is measured separately as shared buffers touched by the page's queries (EXPLAIN
ANALYZE BUFFERS), written as JSON to `--buffers-out`.

The client requests compiled into the helper library are no-ops outside valgrind, so the
driver also runs natively, as a quick check of the URLs and the environment.
"""

from __future__ import annotations

import argparse
import ctypes
import io
import json
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parents[1]))


def _environ(host: str, path: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "HTTP_ACCEPT": "text/html",
        "HTTP_ACCEPT_ENCODING": "gzip",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def get(application, host: str, path: str) -> tuple[str, int]:
    """One GET through the WSGI application, as gunicorn makes it; (status, body size)."""
    status = ""

    def start_response(value, headers, exc_info=None):
        nonlocal status
        status = value

    response = application(_environ(host, path), start_response)
    try:
        size = sum(len(chunk) for chunk in response)
    finally:
        if hasattr(response, "close"):
            response.close()
    return status, size


def page_buffers(application, host: str, path: str) -> dict:
    """Shared buffers PostgreSQL touches for one warm view: every SELECT the view runs,
    re-run under EXPLAIN (ANALYZE, BUFFERS). Deterministic, unlike timings."""
    from django.db import connection

    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        get(application, host, path)
    buffers = 0
    with connection.cursor() as cursor:
        for sql, params in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            top = plan[0]
            buffers += sum(
                part.get(f"Shared {kind} Blocks", 0)
                for part in (top["Plan"], top.get("Planning", {}))
                for kind in ("Hit", "Read")
            )
    return {"queries": len(statements), "buffers": buffers}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--targets", type=Path, required=True, help="JSON {page: [[host, path]]}")
    parser.add_argument("--requests", type=int, default=40, help="Measured views per page.")
    parser.add_argument("--helper", type=Path, required=True, help="callgrind_ctl.so")
    parser.add_argument("--buffers-out", type=Path, required=True)
    args = parser.parse_args()

    helper = ctypes.CDLL(str(args.helper))
    helper.bench_dump.argtypes = [ctypes.c_char_p]
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    pages = json.loads(args.targets.read_text())
    buffers = {}
    for page, targets in pages.items():
        for _ in range(2):
            for host, path in targets:
                status, _size = get(application, host, path)
                if not status.startswith("200"):
                    print(f"{page}: {host}{path} answered {status}", file=sys.stderr)
                    return 1
        helper.bench_start()
        helper.bench_zero()
        for n in range(args.requests):
            host, path = targets[n % len(targets)]
            get(application, host, path)
        helper.bench_dump(page.encode())
        helper.bench_stop()
        samples = [page_buffers(application, host, path) for host, path in targets[:5]]
        buffers[page] = {
            "queries": max(s["queries"] for s in samples),
            "buffers": sum(s["buffers"] for s in samples) / len(samples),
        }
        print(f"{page}: measured {args.requests} views", file=sys.stderr)
    args.buffers_out.write_text(json.dumps(buffers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
