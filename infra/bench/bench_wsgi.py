"""WSGI entry point for benchmark servers: the real application plus an opt-in query count.

gunicorn serves `bench_wsgi:application`; BENCH_WSGI_TARGET names the real application
("agency_platform.wsgi:application" or the reference site's). A request carrying
`X-Bench-Count-Queries: 1` gets an `X-Bench-Queries` header with the number of SQL
statements run while it was handled (every middleware included, the page cache too).
Requests without that header, i.e. all load-test traffic, go straight to the application:
one dictionary lookup is the only cost. Counting on the live server, rather than with the
test client in-process, measures the production settings, warm caches and all.
"""

from __future__ import annotations

import importlib
import os
from contextlib import ExitStack

_module, _, _attr = os.environ["BENCH_WSGI_TARGET"].partition(":")
_app = getattr(importlib.import_module(_module), _attr or "application")


def application(environ, start_response):
    if environ.get("HTTP_X_BENCH_COUNT_QUERIES") != "1":
        return _app(environ, start_response)
    from django.db import connections

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    def counting_start_response(status, headers, exc_info=None):
        # Django calls start_response once the response is built, after its queries.
        return start_response(status, [*headers, ("X-Bench-Queries", str(count))], exc_info)

    with ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(counter))
        return _app(environ, counting_start_response)
