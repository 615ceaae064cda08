"""Running the project's migrations to a point and back, for data-migration tests."""

from __future__ import annotations

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets: list[tuple[str, str]]) -> Apps:
    """Migrate to `targets`; the historical models there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest_leaf(app_label: str) -> list[tuple[str, str]]:
    """The app's newest migration (to hand the database back as the suite expects)."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes(app_label)
