"""Spam and abuse checks shared by the HTML form and the JSON endpoint.

- a honeypot text field that people never see (visually hidden, not tabbable);
- a minimum fill time: the form carries a signed timestamp made when it was rendered;
  a submission sooner than DEMO_REQUEST_MIN_FILL_SECONDS, or with a token that was
  tampered with, is rejected and nothing is stored;
- fixed-window rate limits in the cache (Redis) per client IP and per form page,
  counted in the process instead while Redis does not answer (never a refused lead);
- DEMO_REQUEST_CAPTCHA_PROVIDER (default None) is the documented switch for a CAPTCHA;
  no provider is wired yet, so a system check (wagtail_hooks) flags any other value.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

from agency_platform.core.cache import CacheUnavailableError

logger = logging.getLogger(__name__)

HONEYPOT_FIELD = "hp_website"
HONEYPOT_LABEL = "Leave this empty"
TOKEN_FIELD = "form_token"  # noqa: S105 (a form field name)
_SALT = "demo_requests.fill_time"
# A rendered form stays usable for a day; an older page must be reloaded.
TOKEN_MAX_AGE = 60 * 60 * 24

MSG_HONEYPOT = (
    "Your request could not be sent. Please leave the field labelled "
    f"“{HONEYPOT_LABEL}” blank and try again."
)
MSG_TOO_FAST = (
    "That was quicker than we expected. Please check your details and send the form again."
)
MSG_STALE_FORM = "This form has expired or was changed. Please reload the page and try again."
MSG_RATE_LIMITED = (
    "We have received a lot of requests from you in a short time. "
    "Please wait a few minutes and try again, or call us."
)


def min_fill_seconds() -> float:
    return float(getattr(settings, "DEMO_REQUEST_MIN_FILL_SECONDS", 3))


def make_fill_token(page_id: int) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(str(page_id))


def token_is_sound(token: str, page_id: int) -> bool:
    """Signed for this page and not expired (whatever its age otherwise)."""
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return False
    return value == str(page_id)


def fill_time_error(token: object, page_id: int) -> str | None:
    """None when the token is genuine, for this page, and old enough."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return MSG_STALE_FORM
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        value = signer.unsign(token, max_age=TOKEN_MAX_AGE)
        # Verified above; read the signing time from the "value:timestamp" payload.
        signed_at = signing.b62_decode(signing.Signer.unsign(signer, token).rsplit(":", 1)[1])
    except (signing.BadSignature, ValueError, IndexError):  # includes SignatureExpired
        return MSG_STALE_FORM
    if value != str(page_id):
        return MSG_STALE_FORM
    if time.time() - signed_at < min_fill_seconds():
        return MSG_TOO_FAST
    return None


def honeypot_error(value: object) -> str | None:
    return MSG_HONEYPOT if value not in (None, "", []) else None


SUPPORTED_CAPTCHA_PROVIDERS: tuple[str, ...] = ()  # none wired yet


def captcha_provider() -> str | None:
    """The configured CAPTCHA provider; None (the default) is the only supported value."""
    return getattr(settings, "DEMO_REQUEST_CAPTCHA_PROVIDER", None) or None


# --- Rate limits -----------------------------------------------------------------------

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: object) -> tuple[int, int]:
    """ "5/10m" -> (5, 600); also accepts (limit, seconds)."""
    if isinstance(rate, (tuple, list)):
        limit, seconds = rate
        return int(limit), int(seconds)
    count, _, period = str(rate).partition("/")
    period = period.strip() or "1m"
    unit = period[-1] if period[-1] in _UNITS else "s"
    amount = period[:-1] if period[-1] in _UNITS else period
    return int(count), int(amount or 1) * _UNITS[unit]


@dataclass(frozen=True)
class RateLimited:
    scope: str
    retry_after: int


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy
    # rewrites REMOTE_ADDR (configure that in the proxy / WSGI server).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


class ProcessWindows:
    """The fallback when the cache (Redis) does not answer: the same fixed windows,
    counted in this process. With several web processes the effective limit is that
    many times higher while Redis is down; a visitor's lead is never refused for it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[str, int] = {}
        self.expiry: dict[str, float] = {}

    def incr(self, key: str, expires_at: float) -> int:
        with self.lock:
            now = time.time()
            if len(self.counts) > 10_000:  # drop finished windows; bounded memory
                for old in [k for k, at in self.expiry.items() if at <= now]:
                    self.counts.pop(old, None)
                    self.expiry.pop(old, None)
            self.counts[key] = self.counts.get(key, 0) + 1
            self.expiry[key] = expires_at
            return self.counts[key]


process_windows = ProcessWindows()


def _count(full_key: str, window: int, expires_at: float) -> int:
    try:
        cache.add(full_key, 0, timeout=window + 5)
        return cache.incr(full_key)
    except CacheUnavailableError:
        logger.warning("rate limit counted in process: the cache is unavailable")
        return process_windows.incr(full_key, expires_at)
    except ValueError:  # expired between add and incr
        cache.add(full_key, 1, timeout=window + 5)
        return 1


def _hit(key: str, limit: int, window: int) -> int | None:
    """Count one attempt in the current fixed window; seconds to wait when over."""
    now = time.time()
    bucket = int(now // window)
    full_key = f"demo_requests:rl:{key}:{bucket}"
    count = _count(full_key, window, (bucket + 1) * window)
    if count > limit:
        return max(1, int((bucket + 1) * window - now) + 1)
    return None


def check_rate_limits(request: HttpRequest, page_id: int) -> RateLimited | None:
    """Count this submission attempt against the per-IP and per-form limits."""
    checks = (
        ("ip", f"ip:{client_ip(request)}", "DEMO_REQUEST_RATE_LIMIT_PER_IP", "5/10m"),
        ("form", f"form:{page_id}", "DEMO_REQUEST_RATE_LIMIT_PER_FORM", "100/10m"),
    )
    for scope, key, setting, default in checks:
        limit, window = parse_rate(getattr(settings, setting, default))
        retry_after = _hit(key, limit, window)
        if retry_after is not None:
            return RateLimited(scope, retry_after)
    return None
