"""A page-builder block may point only at its own practice's pages, images,
documents and snippets.

The choosers already offer nothing else (practices.isolation scopes their views), but
a chooser's value is an id in the POSTed form: this check refuses, on save, any block
whose references (Wagtail's `extract_references`, the same walk the reference index
does) name an object outside the practice whose tree the page is in, with a message
naming the block. Deny by default: a referenced model without an ownership rule here
is refused too, so a new chooser cannot open a hole unnoticed.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import StreamBlockValidationError
from wagtail.models import CollectionMember, Page


def _home_path(page: Page, parent: Page | None) -> str:
    path = page.path or (parent.path if parent is not None else "")
    return path[: Page.steplen * 2] if len(path) >= Page.steplen * 2 else ""


def _owned(model, ids: set[str], home_path: str, practice) -> dict[str, tuple[bool, str]]:
    """{id: (belongs to the practice, what to call it)} for the ids that exist."""
    if issubclass(model, Page):
        rows = Page.objects.filter(pk__in=ids).values_list("pk", "path", "title")
        return {str(pk): (path.startswith(home_path), title) for pk, path, title in rows}
    if issubclass(model, CollectionMember):
        base = practice.collection.path if practice is not None else None
        rows = model.objects.filter(pk__in=ids).values_list("pk", "collection__path", "title")
        return {
            str(pk): (base is not None and path.startswith(base), title) for pk, path, title in rows
        }
    if any(field.name == "practice" for field in model._meta.get_fields()):
        rows = model.objects.filter(pk__in=ids)
        return {
            str(row.pk): (row.practice_id == getattr(practice, "pk", None), str(row))
            for row in rows
        }
    return {pk: (False, f"{model._meta.verbose_name} {pk}") for pk in ids}


def foreign_references(page: Page, parent: Page | None, stream) -> dict[int, list[str]]:
    """{block index: messages} for the blocks of `stream` pointing outside the practice."""
    from practices.models import Practice

    home_path = _home_path(page, parent)
    practice = (
        Practice.objects.select_related("collection")
        .filter(site__root_page__path=home_path)
        .first()
    )
    wanted: dict[type, set[str]] = defaultdict(set)
    by_block: list[list[tuple[type, str]]] = []
    for child in stream:
        refs = [(model, str(pk)) for model, pk, *_ in child.block.extract_references(child.value)]
        by_block.append(refs)
        for model, pk in refs:
            wanted[model].add(pk)
    verdicts = {model: _owned(model, ids, home_path, practice) for model, ids in wanted.items()}
    errors: dict[int, list[str]] = {}
    for index, (child, refs) in enumerate(zip(stream, by_block, strict=True)):
        for model, pk in refs:
            allowed, name = verdicts[model].get(pk, (True, ""))  # missing: the chooser says so
            if not allowed:
                label = child.block.label or child.block_type
                errors.setdefault(index, []).append(
                    f"{label} (block {index + 1}): the {model._meta.verbose_name} “{name}” "
                    "belongs to another practice."
                )
    return errors


class PageBuilderPageForm(WagtailAdminPageForm):
    """Admin form of page types with a page-builder `body`."""

    def clean(self):
        cleaned = super().clean()
        stream = cleaned.get("body")
        if stream:
            errors = foreign_references(self.instance, getattr(self, "parent_page", None), stream)
            if errors:
                messages = [message for found in errors.values() for message in found]
                self.add_error(
                    "body",
                    StreamBlockValidationError(
                        block_errors={i: ValidationError(found) for i, found in errors.items()},
                        non_block_errors=messages,
                    ),
                )
        return cleaned
