"""Install Wagtail's reference demo site (wagtail/bakerydemo) for a side-by-side run.

The checkout given with --reference is only read: the virtualenv, settings override,
static and media files live in the work folder (default /tmp/bench-reference), which is
kept so that --skip-build reuses it. bakerydemo's own production settings are used
(DEBUG off, whitenoise CompressedManifest) with three overrides: PostgreSQL from
DATABASE_URL through psycopg's pool sized as ours (DB_POOL_MIN_SIZE / DB_POOL_MAX_SIZE,
instead of its persistent connections, CONN_MAX_AGE=500), and its Redis caches on our
one Redis database under their own key prefixes (its settings would take /0 and /1).
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from harness import BenchError

SETTINGS_OVERRIDE = '''"""bakerydemo production settings + benchmark overrides."""
import os

from bakerydemo.settings.production import *  # noqa: F403

CACHES = {
    name: {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["BENCH_REDIS_URL"],
        "KEY_PREFIX": f"bakerybench-{name}",
    }
    for name in ("default", "renditions")
}
# The project's database connections (settings.base.database_from_env): psycopg's pool
# with the same sizes instead of bakerydemo's persistent connections (CONN_MAX_AGE=500).
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405 (Django requires 0 with a pool)
DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {  # noqa: F405
    "min_size": int(os.environ.get("DB_POOL_MIN_SIZE", "2")),
    "max_size": int(os.environ.get("DB_POOL_MAX_SIZE", "10")),
    "timeout": int(os.environ.get("DB_POOL_TIMEOUT", "10")),
}
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
MEDIA_ROOT = os.environ["BENCH_MEDIA_ROOT"]
'''

# Only what its production settings import when no cloud variables are set; uwsgi,
# elasticsearch and the cloud SDKs from requirements/production.txt are not needed.
EXTRA_REQUIREMENTS = ["psycopg[binary,pool]>=3.3,<3.4", "whitenoise>=6.11,<7", "django-redis>=6,<7"]


def find_python(explicit: str | None) -> Path:
    """python3.12+ from --reference-python, PATH or pyenv (bakerydemo main needs 3.12)."""
    candidates = [explicit] if explicit else []
    candidates += [shutil.which(f"python3.{minor}") for minor in (14, 13, 12)]
    candidates += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[2-9]*/bin/python3")))
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [candidate, "-c", "import sys; print(sys.version_info >= (3, 12))"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if probe.stdout.strip() == "True":
            return Path(candidate)
    raise BenchError("reference: no Python 3.12+ found; pass --reference-python PATH.")


def versions(python: Path, cwd: Path, env: dict[str, str]) -> dict[str, str]:
    """Python, Django and Wagtail versions of a stack, as its own interpreter imports them."""
    code = (
        "import platform, django, wagtail; "
        "print(platform.python_version(), django.get_version(), wagtail.__version__)"
    )
    result = subprocess.run(
        [str(python), "-c", code], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    found = result.stdout.split()
    return dict(zip(("python", "django", "wagtail"), found, strict=True))


def gunicorn_version() -> str:
    from importlib.metadata import version

    return version("gunicorn")


def setup(checkout: Path, workdir: Path, python_hint: str | None) -> Path:
    """Create (or reuse) the virtualenv; returns its python."""
    requirements = checkout / "requirements" / "base.txt"
    if not (checkout / "manage.py").exists() or not requirements.exists():
        raise BenchError(f"--reference: {checkout} is not a bakerydemo checkout.")
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "bench_reference_settings.py").write_text(SETTINGS_OVERRIDE)
    venv = workdir / "venv"
    python = venv / "bin" / "python"
    wanted = [*EXTRA_REQUIREMENTS, f"gunicorn=={gunicorn_version()}"]
    digest = hashlib.sha256((requirements.read_text() + "".join(wanted)).encode()).hexdigest()
    marker = venv / ".bench-installed"
    if marker.exists() and marker.read_text() == digest:
        return python
    base_python = find_python(python_hint)
    print(f"reference: creating {venv} with {base_python}")
    subprocess.run([str(base_python), "-m", "venv", "--clear", str(venv)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "-r", str(requirements), *wanted],
        check=True,
    )
    marker.write_text(digest)
    return python


def environment(workdir: Path, database_url: str, redis_url: str) -> dict[str, str]:
    path = os.pathsep.join([str(workdir), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VIRTUAL_ENV"))},
        "PYTHONPATH": path,
        "DJANGO_SETTINGS_MODULE": "bench_reference_settings",
        "DJANGO_SECRET_KEY": "bench-" + "r" * 60,
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DATABASE_URL": database_url,
        "BENCH_REDIS_URL": redis_url,
        "BENCH_STATIC_ROOT": str(workdir / "static"),
        "BENCH_MEDIA_ROOT": str(workdir / "media"),
        "SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def load_data(python: Path, checkout: Path, env: dict[str, str]) -> None:
    """migrate + load_initial_data (once per database) + collectstatic."""

    def manage(*args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(python), "manage.py", *args], cwd=checkout, env=env, check=True, **kwargs
        )

    manage("migrate", "--noinput", "-v0")
    probe = manage(
        "shell", "-c", "from wagtail.models import Page; print(Page.objects.count())",
        capture_output=True, text=True,
    )  # fmt: skip
    if int(probe.stdout.strip().splitlines()[-1]) < 5:  # only Wagtail's two default pages
        manage("load_initial_data")
    manage("collectstatic", "--noinput", "-v0")


def blog_post_paths(python: Path, checkout: Path, env: dict[str, str]) -> list[str]:
    """Public paths of the live blog posts (its blog index is /blog/ under the home page)."""
    code = (
        "from bakerydemo.blog.models import BlogPage\n"
        "for p in BlogPage.objects.live(): print('PATH', p.get_url())"
    )
    result = subprocess.run(
        [str(python), "manage.py", "shell", "-c", code], cwd=checkout, env=env,
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    paths = [line.split(" ", 1)[1] for line in result.stdout.splitlines() if line[:5] == "PATH "]
    if not paths:
        print(result.stderr, file=sys.stderr)
        raise BenchError("reference: no live blog posts after load_initial_data.")
    return paths
