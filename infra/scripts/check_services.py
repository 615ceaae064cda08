#!/usr/bin/env python3
"""Fails fast, with the command that fixes it, when PostgreSQL or Redis is not reachable."""

from __future__ import annotations

import os
import socket
import sys
from urllib.parse import urlsplit

SERVICES = {
    "PostgreSQL": (
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/agency_platform"),
        5432,
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    ),
    "Redis": (
        os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
        6379,
        'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" '
        "--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log",
    ),
}


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=3):
            return True
    except OSError:
        return False


def main() -> int:
    failed = False
    for name, (url, default_port, start_command) in SERVICES.items():
        parts = urlsplit(url)
        host, port = parts.hostname or "127.0.0.1", parts.port or default_port
        if reachable(host, port):
            print(f"{name}: reachable at {host}:{port}")
        else:
            failed = True
            print(f"{name}: NOT reachable at {host}:{port}. Start it with:\n    {start_command}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
