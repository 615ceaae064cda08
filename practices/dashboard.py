"""The agency's practices dashboard: a registry of figure columns.

The dashboard (practices.viewsets) lists practices with figures that belong to
feature apps (posts from blog, leads from demo_requests); practices imports none of
them. Each app registers its columns from its AppConfig.ready():

    register_column(DashboardColumn("leads_failed", "Failed delivery", leads_failed, order=60))

`annotation()` returns the expression annotated on each Practice row under the
column's name; the column is sortable by that name. It is evaluated for every
practice when the list is sorted on it, so it must be cheap per practice: a
correlated subquery on an indexed foreign key, or on the practice's page-tree range
(`in_practice_tree`), which PostgreSQL answers from the path index without reading
other practices' pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import (
    Expression,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat

# Above every character of a treebeard path ("0"-"9", "A"-"Z") in the path column's
# "C" collation: a practice's pages are the paths in [root, root + "~").
_PATH_END = "~"


@dataclass(frozen=True)
class DashboardColumn:
    name: str
    label: str
    annotation: Callable[[], Expression]
    order: int = 100
    is_date: bool = False


_columns: dict[str, DashboardColumn] = {}


def register_column(column: DashboardColumn) -> None:
    """Add (or replace, by name) a figure column of the practices dashboard."""
    _columns[column.name] = column


def registered_columns() -> list[DashboardColumn]:
    return sorted(_columns.values(), key=lambda column: (column.order, column.name))


def in_practice_tree(prefix: str = "") -> Q:
    """Pages (or, with `prefix` such as "page__", rows pointing at pages) in the tree of
    the practice of the outer query: an index range on the path, not `LIKE root%`
    (which PostgreSQL cannot answer from the index when the root comes from the outer
    row, so it read every page of the install once per practice)."""
    root = OuterRef("site__root_page__path")
    return Q(
        **{
            f"{prefix}path__gte": root,
            f"{prefix}path__lt": Concat(root, Value(_PATH_END)),
        }
    )


def count_of(queryset: QuerySet) -> Coalesce:
    """COUNT(1) of a correlated subquery, 0 when empty. COUNT(1), not COUNT(id): no
    column needed, so PostgreSQL may count from the index alone (index-only scan)."""
    counted = queryset.order_by().annotate(n=Func(Value(1), function="COUNT")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def annotate_columns(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        **{column.name: column.annotation() for column in registered_columns()}
    )
