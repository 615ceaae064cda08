"""What keeps a practice's pages fresh: one generation per practice, one for the agency.

Content-addressed entries (rendered Markdown by body hash, renditions, form rows by
revision) never go stale. Everything else kept between requests (the host map, the
site bundle, routed pages, a post's surroundings, listings, whole pages in Redis and
at the edge) is stored with the generation it was computed under, and is used only
while that generation is current:

- one generation per practice, stored under each of its hostnames (the page cache
  must find it before any database query, knowing only the Host header);
- one agency-wide generation, for what every practice shows (post types, products,
  tags, shared authors, the agency's image library).

A request reads both once, with its first kept entry (one MGET), and remembers them.
Each app says what makes pages stale in its own `freshness.py`: a list of `Stale`
rules (signal, sender, targets), connected by `connect()` in its `AppConfig.ready()`.
Targets are practices ({hostname: practice id}) or AGENCY. A bump gives them new
random generations at once and again after commit (a request that rendered the old
rows meanwhile stored them under the new generation), then enqueues the edge purge,
once per transaction. A lost generation (evicted) gets a new random one: old entries
can never match again, it only costs misses.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpRequest
from wagtail.models import Page, Site

logger = logging.getLogger(__name__)
T = TypeVar("T")
Targets = dict[str, int | None]  # hostname -> practice id
Generation = tuple[int, int]  # (agency, practice)
AGENCY = "agency"  # a rule's answer when every practice shows the change
AGENCY_KEY = "fresh:v1:agency"
# Far longer than any entry kept under a generation (an hour): a generation that
# expires costs one round of misses, and unknown hostnames leave nothing for ever.
GENERATION_TIMEOUT = 7 * 24 * 60 * 60


def practice_key(hostname: str) -> str:
    return f"fresh:v1:practice:{hostname}"


@dataclass(frozen=True)
class Stale:
    """When `signal` fires (from `sender`, None for any), `targets(sender=..., **kwargs)`
    names the practices whose pages it changed, AGENCY, or nothing (None, {})."""

    signal: Signal
    targets: Callable[..., Targets | str | None]
    sender: Any = None


def connect(
    app_label: str, rules: Iterable[Stale], copies: Callable[[Page], Iterable[str]] | None = None
) -> None:
    """Connect an app's rules (from its AppConfig.ready(): every process, once).
    `copies(page)`: tree paths of the app's pages that show this page's content."""
    if copies is not None and copies not in _copies_of:
        _copies_of.append(copies)
    for number, rule in enumerate(rules):

        def receiver(sender, _targets=rule.targets, **kwargs) -> None:
            if not _muted.get():
                invalidate(_targets(sender=sender, **kwargs))

        rule.signal.connect(
            receiver, sender=rule.sender, weak=False, dispatch_uid=f"fresh:{app_label}:{number}"
        )


_muted: ContextVar[bool] = ContextVar("freshness_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Rules are not asked inside: for a unit of work that creates a whole practice,
    whose pages no cache can hold yet (its site comes last). Each page's save would
    otherwise look up its aliases, copies and site (about 90 queries per practice, for
    no practice to bump). The caller invalidates what it made once, after the block."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


# --- Reading --------------------------------------------------------------------------

_epoch = 0  # bumped by every invalidation in this process: remembered reads go stale


def read(request: HttpRequest | None, hostname: str, *keys: str) -> tuple[Generation, dict]:
    """The hostname's current generation and these cache entries, in one round trip;
    the generation is read once per request (remembered on it)."""
    known = getattr(request, "freshness", {}).get(hostname)
    if known is not None and known[0] == _epoch:
        return known[1], cache.get_many(list(keys)) if keys else {}
    found = cache.get_many([AGENCY_KEY, practice_key(hostname), *keys])
    agency, practice = found.pop(AGENCY_KEY, None), found.pop(practice_key(hostname), None)
    if agency is None or practice is None:
        cache.add(AGENCY_KEY, secrets.randbits(62), timeout=GENERATION_TIMEOUT)
        cache.add(practice_key(hostname), secrets.randbits(62), timeout=GENERATION_TIMEOUT)
        current = cache.get_many([AGENCY_KEY, practice_key(hostname)])
        agency, practice = current.get(AGENCY_KEY, 0), current.get(practice_key(hostname), 0)
    generation = (agency, practice)
    if request is not None:
        request.freshness = {**getattr(request, "freshness", {}), hostname: (_epoch, generation)}
    return generation, found


def kept(
    request: HttpRequest | None,
    hostname: str,
    key: str,
    compute: Callable[[], T],
    *,
    timeout: int,
    keep: Callable[[T], bool] | None = None,
) -> T:
    """`compute()`, from the cache while the hostname's generation is unchanged.
    `keep(value)` may refuse to store a value."""
    generation, found = read(request, hostname, key)
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    value = compute()
    if keep is None or keep(value):
        cache.set(key, (generation, value), timeout=timeout)
    return value


# --- Time ----------------------------------------------------------------------------

FRESH_FOR_ATTR = "fresh_for_seconds"


def fresh_for(request: HttpRequest | None, seconds: int | None) -> None:
    """What this response shows changes by itself in `seconds` (a live post dated in the
    future becomes due): no publish marks that moment, so no generation bump can, and
    no cache layer (page cache, edge, browser) may keep the response longer."""
    if request is None or seconds is None:
        return
    current = getattr(request, FRESH_FOR_ATTR, None)
    setattr(request, FRESH_FOR_ATTR, seconds if current is None else min(current, seconds))


def fresh_for_of(request: HttpRequest) -> int | None:
    """The shortest `fresh_for()` the response's views declared (None: no limit)."""
    return getattr(request, FRESH_FOR_ATTR, None)


# --- Targets -------------------------------------------------------------------------

# Pages that show another page's content (Wagtail aliases here; apps add theirs with
# connect(copies=...)): their practices are stale when it changes.
_copies_of: list[Callable[[Page], Iterable[str]]] = [
    lambda page: Page.objects.filter(alias_of_id=page.pk).values_list("path", flat=True)
]


def sites_holding(paths: Iterable[str]) -> Targets:
    """The practices whose tree contains any of these page paths."""
    step = Page.steplen
    ancestors = {path[:end] for path in paths for end in range(step, len(path) + 1, step)}
    if not ancestors:
        return {}
    return dict(
        Site.objects.filter(root_page__path__in=ancestors).values_list("hostname", "practice__id")
    )


def for_page(page: Page) -> Targets:
    """The practices showing this page: its own, and those of its copies."""
    paths = {page.path}
    for paths_of_copies in _copies_of:
        paths.update(paths_of_copies(page))
    return sites_holding(paths)


def for_sites(site_ids: Iterable[int]) -> Targets:
    return dict(Site.objects.filter(pk__in=set(site_ids)).values_list("hostname", "practice__id"))


def for_practices(practice_ids: Iterable[int]) -> Targets:
    """These practices, under their canonical and alias hostnames (the host map)."""
    ids = set(practice_ids)
    sites = Site.objects.filter(practice__id__in=ids).values_list("hostname", "practice__id")
    aliases = Site.objects.filter(practice__id__in=ids).values_list(
        "practice__aliases__hostname", "practice__id"
    )
    return {host: pid for host, pid in [*sites, *aliases] if host}


# --- Bumping -------------------------------------------------------------------------

_local = threading.local()


def invalidate(targets: Targets | str | None) -> None:
    """Make these practices (or AGENCY: all) stale now and after commit; purge the edge."""
    if not targets:
        return
    targets = {AGENCY: None} if targets == AGENCY else targets
    _bump(targets)
    if not transaction.get_connection().in_atomic_block:
        _enqueue_purge(targets)
        return
    pending = _local.__dict__.setdefault("pending", {})
    pending.update(targets)
    # One callback per change; the first to run takes everything pending (a rolled
    # back transaction's targets are bumped by the next commit: harmless).
    transaction.on_commit(_flush)


def after_cache_outage() -> None:
    """The cache answers again: any bump this process made while it was unreachable
    was skipped (the fail-open backend, core.cache), so pages kept before the outage
    could come back stale. Every practice is made stale, and the edge purged."""
    logger.warning("cache back after an outage: every practice made stale")
    invalidate(AGENCY)


def _flush() -> None:
    targets = _local.__dict__.pop("pending", {})
    if targets:
        _bump(targets)
        _enqueue_purge(targets)


def _bump(targets: Targets) -> None:
    global _epoch
    _epoch += 1
    keys = [AGENCY_KEY if host == AGENCY else practice_key(host) for host in targets]
    cache.set_many({key: secrets.randbits(62) for key in keys}, timeout=GENERATION_TIMEOUT)


def edge_keys(practice_id: int | None, hostname: str) -> list[str]:
    """A page's purge keys at the edge (Surrogate-Key / Cache-Tag)."""
    return [f"practice-{practice_id}" if practice_id else f"host-{hostname}", AGENCY]


def _enqueue_purge(targets: Targets) -> None:
    if not settings.CDN_PURGE_URL:
        return
    from agency_platform.core.tasks import purge_cdn

    if AGENCY in targets:
        keys, hosts = [AGENCY], []
    else:
        keys = sorted({edge_keys(pid, host)[0] for host, pid in targets.items()})
        hosts = sorted(targets)
    try:
        purge_cdn.delay(keys, hosts)
    except Exception:  # the broker is down: the edge keeps pages until s-maxage
        logger.exception("Edge purge could not be enqueued: keys=%s", keys)
