"""Admin screen: upload post files for one practice and see the per-file report."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.generic.edit import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from blog.forms_import import PostImportForm, importable_practices
from blog.services.importing import ImportReport, import_posts


def may_import(user) -> bool:
    return user.is_authenticated and importable_practices(user).exists()


class ImportPostsView(WagtailAdminTemplateMixin, FormView):
    form_class = PostImportForm
    template_name = "blog/admin/import_posts.html"
    page_title = "Import posts"
    header_icon = "upload"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may_import(request.user):
            raise PermissionDenied("Only agency staff and practice users can import posts.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs) -> dict:
        return {
            **super().get_context_data(**kwargs),
            "action_url": reverse("blog_import_posts"),
            "submit_button_label": "Import",
            "submit_button_active_label": "Importing…",
        }

    def form_valid(self, form: PostImportForm) -> HttpResponse:
        practice = form.cleaned_data["practice"]
        with tempfile.TemporaryDirectory(prefix="post-import-") as tmp:
            paths = []
            for index, upload in enumerate(form.cleaned_data["files"]):
                # One folder per upload: two files may share a name, and the client's
                # name (never a path) is what the report and the slug use.
                target = Path(tmp) / f"{index:03d}" / Path(upload.name).name
                target.parent.mkdir()
                with target.open("wb") as handle:
                    for chunk in upload.chunks():
                        handle.write(chunk)
                paths.append(target)
            report = import_posts(
                practice,
                paths,
                publish=form.cleaned_data["publish"],
                dry_run=form.cleaned_data["dry_run"],
                user=self.request.user,
            )
            _hide_temporary_paths(report, tmp)
        context = self.get_context_data(form=form, report=report, practice=practice)
        return self.render_to_response(context)


def _hide_temporary_paths(report: ImportReport, tmp: str) -> None:
    prefix = re.compile(re.escape(tmp) + r"/\d{3}/")
    for outcome in report.files:
        outcome.path = prefix.sub("", outcome.path)
        outcome.error = prefix.sub("", outcome.error)
        outcome.warnings = [prefix.sub("", warning) for warning in outcome.warnings]
