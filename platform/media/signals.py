"""Signal receivers of the media app (background work enqueued on commit)."""

from . import receivers  # noqa: F401 - connecting them is the import (issue 8)
