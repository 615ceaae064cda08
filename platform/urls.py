"""Project URLs. /healthz and /readyz are answered by RequestIdMiddleware."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from demo_requests import api as demo_requests_api
from demo_requests import form_tokens
from practices import admin_views as practice_admin_views
from practices import page_chooser, workflow_reports
from practices import views as practice_views
from practices.sitemaps import PracticeSitemap

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # Before Wagtail's admin URLs, so that this scoped view wins over Wagtail's own.
    path(
        "admin/tag-autocomplete/",
        practice_admin_views.tag_autocomplete,
        name="wagtailadmin_tag_autocomplete",
    ),
    # Wagtail's page chooser without a query per row, same URLs and names.
    path("admin/choose-page/", page_chooser.browse, name="wagtailadmin_choose_page"),
    path(
        "admin/choose-page/search/",
        page_chooser.search,
        name="wagtailadmin_choose_page_search",
    ),
    path(
        "admin/choose-page/<int:parent_page_id>/",
        page_chooser.browse,
        name="wagtailadmin_choose_page_child",
    ),
    # Wagtail's workflow reports without a query per row or task (one per practice).
    path("admin/reports/workflow/", workflow_reports.workflows, name="practice_workflows"),
    path(
        "admin/reports/workflow/results/",
        workflow_reports.workflow_results,
        name="practice_workflows_results",
    ),
    path(
        "admin/reports/workflow_tasks/",
        workflow_reports.tasks,
        name="practice_workflow_tasks",
    ),
    path(
        "admin/reports/workflow_tasks/results/",
        workflow_reports.task_results,
        name="practice_workflow_tasks_results",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PracticeSitemap}}, name="sitemap"),
    path("robots.txt", practice_views.robots_txt, name="robots_txt"),
    path("theme.css", practice_views.theme_css, name="practice_theme_css"),
    path(
        "api/demo-requests/<int:page_id>/",
        demo_requests_api.demo_request_endpoint,
        name="demo_request_api",
    ),
    # Never cached: the per-visitor tokens of forms embedded in cached pages.
    path(
        "api/demo-requests/<int:page_id>/tokens/",
        form_tokens.form_tokens,
        name="demo_request_form_tokens",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
