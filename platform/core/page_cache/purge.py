"""CDN purge client: one POST per invalidation to CDN_PURGE_URL.

Body: {"keys": ["practice-12"], "hosts": ["riverside.example.com"]}, JSON, with
"Authorization: Bearer <CDN_PURGE_TOKEN>" when a token is set. The same keys are sent
space-separated in a "Surrogate-Key" header: Fastly's batch purge contract, which our
Varnish edge (infra/edge/varnish.vcl, POST /.edge/purge) implements, since VCL cannot
read a JSON body. Most CDNs purge by surrogate key / cache tag (the pages carry the
same keys in Surrogate-Key and Cache-Tag); a small adapter in front of a CDN whose API
differs maps this request.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.conf import settings


class PurgeError(Exception):
    """The purge endpoint failed; retrying may succeed."""


class PurgeRejectedError(Exception):
    """The purge endpoint refused the request (4xx): retrying will not help."""


def purge(keys: list[str], hosts: list[str]) -> int | None:
    """POST the purge request; the HTTP status, or None when no URL is configured."""
    url = settings.CDN_PURGE_URL
    if not url:
        return None
    body = json.dumps({"keys": keys, "hosts": hosts}).encode()
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 (configured URL)
    request.add_header("Content-Type", "application/json")
    request.add_header("Surrogate-Key", " ".join(keys))
    if settings.CDN_PURGE_TOKEN:
        request.add_header("Authorization", f"Bearer {settings.CDN_PURGE_TOKEN}")
    try:
        with urllib.request.urlopen(request, timeout=settings.CDN_PURGE_TIMEOUT_SECONDS) as reply:  # noqa: S310
            return reply.status
    except urllib.error.HTTPError as error:
        if 400 <= error.code < 500 and error.code not in (408, 429):
            raise PurgeRejectedError(f"CDN purge refused: HTTP {error.code}") from None
        raise PurgeError(f"CDN purge failed: HTTP {error.code}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise PurgeError(f"CDN purge failed: {error}") from None
