"""The one door through which platform code asks who owns a collection.

Media (keys, the document-serving rule, the audit) needs to know which practice a
Wagtail collection belongs to, but `platform/` imports no app. `practices/` answers
by registering a `TenancyDirectory` from its `AppConfig.ready`; until one is
registered (a project without practices) every collection belongs to the agency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from wagtail.models import Collection


@dataclass(frozen=True)
class CollectionOwner:
    practice_id: int
    slug: str


class TenancyDirectory(Protocol):
    def owner_of_collection(self, collection: Collection) -> CollectionOwner | None:
        """The practice owning ``collection`` or its nearest ancestor; None: the agency's."""
        ...

    def has_practice(self, slug: str) -> bool: ...


class _AgencyOnly:
    def owner_of_collection(self, collection: Collection) -> CollectionOwner | None:
        return None

    def has_practice(self, slug: str) -> bool:
        return False


_directory: TenancyDirectory = _AgencyOnly()


def register_directory(directory: TenancyDirectory) -> None:
    global _directory
    _directory = directory


def owner_of_collection(collection: Collection | None) -> CollectionOwner | None:
    return None if collection is None else _directory.owner_of_collection(collection)


def has_practice(slug: str) -> bool:
    return _directory.has_practice(slug)
