"""The project's URLs with /sitemap.xml served by PracticeSitemap (as platform/urls.py
is proposed to do), for tests/core/test_practice_sitemap.py."""

from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from agency_platform.urls import urlpatterns as project_urlpatterns
from practices.sitemaps import PracticeSitemap

urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PracticeSitemap}}),
    *project_urlpatterns,
]
