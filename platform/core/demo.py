"""Demo content: each app registers an idempotent loader (`register_loader` from its
`AppConfig.ready`); `run_demo` runs them by their order."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

# order -> dotted path of a module with `load(write)`; imported only when the demo
# runs (demo modules carry content and are not needed otherwise).
_LOADERS: dict[int, str] = {}
ADMIN_USERNAME = "admin"


def admin_password_file() -> Path:
    return Path(settings.BASE_DIR) / "var" / "demo-admin-password.txt"


@transaction.atomic
def ensure_demo_admin() -> tuple[str, str]:
    """The agency superuser of the demo; its password is made once and kept in var/."""
    path = admin_password_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    password = path.read_text().strip()
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username=ADMIN_USERNAME,
        defaults={"email": "admin@agency.localhost", "is_staff": True, "is_superuser": True},
    )
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return ADMIN_USERNAME, password


def register_loader(order: int, module: str) -> None:
    """Run ``module.load(write)`` in the demo, after every loader of a lower order."""
    registered = _LOADERS.setdefault(order, module)
    if registered != module:
        raise ValueError(f"demo loader order {order} is taken by {registered}")


def load_all(write: Callable[[str], None]) -> None:
    ensure_demo_admin()  # loaders reuse its password for the demo's practice editors
    for _, dotted in sorted(_LOADERS.items()):
        import_module(dotted).load(write)


def site_urls(port: str) -> list[str]:
    """Public URL of every site in the demo, for the start-up banner."""
    from wagtail.models import Site

    return [
        f"  http://{site.hostname}:{port}/  {site.site_name or site.root_page.title}"
        for site in Site.objects.select_related("root_page").order_by("hostname")
    ]
