"""The team showcase's contribution to a new practice: its (empty) team index."""

from __future__ import annotations

from practices.models import PATIENTS, TeamIndexPage
from practices.starter_pages import StarterContext, StarterPage, register_starter_page


def _team_index(context: StarterContext) -> TeamIndexPage:
    return TeamIndexPage(title="Our team", slug="team", intro=f"Meet the people of {context.name}.")


def register() -> None:
    register_starter_page(
        # A clinic's team; the agency's marketing site has none.
        StarterPage(
            key="team",
            position=10,
            build=_team_index,
            show_in_menus=True,
            audiences=frozenset({PATIENTS}),
        )
    )
