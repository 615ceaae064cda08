"""Gunicorn settings for the production image.

Used by the Dockerfile's default command:

    gunicorn --config infra/gunicorn.conf.py agency_platform.wsgi:application

Deploy-time knobs come from the environment: PORT, WEB_CONCURRENCY, GUNICORN_WORKER_CLASS,
GUNICORN_THREADS, GUNICORN_KEEPALIVE, GUNICORN_MAX_REQUESTS, FORWARDED_ALLOW_IPS,
GUNICORN_PROXY_PROTOCOL and GUNICORN_PROXY_ALLOW_IPS. The defaults suit a 2-core container.
"""

from __future__ import annotations

import math
import os
from pathlib import Path


def _env_int(name: str, default: int) -> int:
    """An integer from the environment; unset or empty means the default."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _available_cpus() -> int:
    """CPUs this container may use.

    os.cpu_count() reports the host's CPUs, not the container's limit: on a 64-core
    host it would start 129 workers and exhaust PostgreSQL's connections. Prefer the
    cgroup v2 CPU quota (`docker run --cpus`, Kubernetes limits), then the CPU set.
    """
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()
        if quota != "max":
            return max(1, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        pass
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# --- Socket ----------------------------------------------------------------------------
# A container must listen on all its interfaces: the published port and other
# containers reach it through the container's own network interface, not loopback.
bind = f"0.0.0.0:{_env_int('PORT', 8000)}"

# --- Processes -------------------------------------------------------------------------
# The classic 2 x cores + 1 (5 on a 2-core machine); WEB_CONCURRENCY, the conventional
# variable for this, replaces it. Every worker opens its own psycopg pool of up to
# DB_POOL_MAX_SIZE connections, so workers x DB_POOL_MAX_SIZE x replicas (plus the
# Celery processes) must stay below PostgreSQL's max_connections (100 by default).
workers = _env_int("WEB_CONCURRENCY", 2 * _available_cpus() + 1)
# Threads overlap the waits on PostgreSQL, Redis and the CRMs inside one process; the
# GIL makes more of them useless for CPU-bound work such as image renditions. Keep
# DB_POOL_MAX_SIZE >= threads, or threads queue for a connection (DB_POOL_TIMEOUT).
# GUNICORN_WORKER_CLASS=sync (with GUNICORN_THREADS=1) is the alternative behind a
# buffering proxy: on the 2-core benchmark machine, with most public pages needing no
# query, sync 6 x 1 and gthread 5 x 4 were within the run-to-run noise (infra/bench).
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "").strip() or "gthread"
threads = _env_int("GUNICORN_THREADS", 4)
# The app is imported in each worker after the fork, never in the master: a psycopg
# pool (its sockets and background threads) must not be shared across a fork.
preload_app = False

# --- Timeouts --------------------------------------------------------------------------
# With gthread this only catches a worker whose main loop is stuck (for example a
# thread holding the GIL); one slow request does not trigger it. Slow work belongs in
# Celery, so 30 s is already generous for anything the web process does.
timeout = 30
# After SIGTERM, in-flight requests get this long to finish. The orchestrator's stop
# grace period must be longer (compose.yaml sets 40 s; Docker's default is only 10 s).
graceful_timeout = 30
# Seconds an idle client connection stays open. 5 s suits a proxy that opens fresh
# upstream connections (nginx's default). A load balancer that reuses them (e.g. an AWS
# ALB, 60 s idle timeout) needs a value above its own, or it sends requests on
# connections gunicorn is closing and answers 502: set GUNICORN_KEEPALIVE=65 there.
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)

# --- Worker recycling ------------------------------------------------------------------
# Restarting a worker after this many requests bounds slow memory growth (image
# libraries, caches in third-party code); the jitter keeps the workers from all
# restarting, and dropping capacity, at the same moment. A restart costs a cold start
# (importing Django and Wagtail: ~1-2 s of CPU, then cold per-process caches), so the
# limit is sized for the page cache: at ~1,000 cached responses/s over 5 workers, 2,000
# would restart a worker every 2 s; 20,000 restarts one about every 20 s at full load.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = max_requests // 10

# The heartbeat file is touched on every loop; on a container's overlay (disk-backed)
# filesystem that can block a worker long enough to be killed. /dev/shm is RAM.
worker_tmp_dir = "/dev/shm"  # noqa: S108

# --- Proxy -----------------------------------------------------------------------------
# Addresses allowed to set X-Forwarded-* headers that gunicorn acts on (scheme, client
# address). Set it to the load balancer's address(es), or "*" only when nothing but the
# load balancer can reach this port. Django's SECURE_PROXY_SSL_HEADER reads
# X-Forwarded-Proto itself, so the load balancer must always overwrite that header.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The visitor's address behind the Varnish edge (infra/edge/backend.vcl sends the PROXY
# protocol): without it REMOTE_ADDR is the edge's address for every visitor, and the
# request form's per-IP rate limit (demo_requests/spam.py reads REMOTE_ADDR only) would
# count all visitors together. GUNICORN_PROXY_PROTOCOL=true ("auto") reads a PROXY v1
# or v2 header at the start of a connection and makes its source address REMOTE_ADDR;
# a connection without one is served as plain HTTP with its own peer address, so the
# health checks and anything else talking to gunicorn directly keep working. Off by
# default: only turn it on together with the edge's .proxy_header (`v1` or `v2` pin a
# version). gunicorn reads the header on a connection's first request only; Varnish
# opens a backend connection per request when it sends one, so every request has it.
proxy_protocol = os.environ.get("GUNICORN_PROXY_PROTOCOL", "").strip() or "off"
# Who may send that header: the edge's address(es) only, since whoever may send it
# chooses the client address the rate limits see. A PROXY header from anywhere else
# is refused (403); plain HTTP from anywhere else is not affected. Defaults to the
# FORWARDED_ALLOW_IPS list (the same trusted proxies). Never "*" while clients can
# reach this port without going through the edge.
proxy_allow_ips = os.environ.get("GUNICORN_PROXY_ALLOW_IPS", "").strip() or forwarded_allow_ips

# --- Logging ---------------------------------------------------------------------------
# Containers log to the standard streams; the platform collects them.
accesslog = "-"
errorlog = "-"
loglevel = "info"
# Combined log format plus the duration in ms and the X-Request-ID the app put on the
# response, to join an access line with the application's log lines for that request.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" '
    "%(M)sms request_id=%({x-request-id}o)s"
)

# --- Misc ------------------------------------------------------------------------------
# No runtime control socket (gunicorn >= 25): a container is scaled and restarted by its
# orchestrator, and the socket would need a writable home directory.
control_socket_disable = True
proc_name = "agency-platform-web"
