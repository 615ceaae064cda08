"""Contracts of the private Wagtail and Django APIs the project relies on, through
their one door (agency_platform.core.private_apis). A Wagtail or Django upgrade that
changes one of them fails here, named, before it breaks routing or the cache."""

from __future__ import annotations

import inspect

import pytest
import redis
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.test import RequestFactory
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from agency_platform.core import private_apis
from agency_platform.core.cache import ReusedClientRedisCacheClient
from practices.models import PracticeSettings, StandardPage
from tests.factories import ImageFactory, PracticeFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def practice():
    return PracticeFactory(name="Contract Clinic", slug="contract", hostname="contract.test")


def test_a_route_set_on_the_request_is_what_wagtail_serves(rf: RequestFactory, practice):
    request = rf.get("/anything/", HTTP_HOST="contract.test")
    assert not private_apis.has_route(request)
    marker = (practice.site.root_page, [], {})
    private_apis.set_route(request, marker)
    assert private_apis.has_route(request)
    assert Page.route_for_request(request, "/anything/") is marker


def test_a_site_set_on_the_request_is_found_without_a_query(
    rf, practice, django_assert_num_queries
):
    request = rf.get("/", HTTP_HOST="elsewhere.test")
    private_apis.set_site(request, practice.site)
    with django_assert_num_queries(0):
        assert Site.find_for_request(request) is practice.site


def test_root_paths_set_on_the_request_are_the_ones_urls_are_built_from(rf, practice):
    request = rf.get("/", HTTP_HOST="contract.test")
    page = Page.objects.get(pk=practice.site.root_page_id)
    mine = tuple(root for root in Site.get_site_root_paths() if root.site_id == practice.site_id)
    private_apis.set_site_root_paths(request, mine)
    assert Page._get_site_root_paths(page, request) is mine
    assert page.get_url_parts(request)[2] == "/"
    # URLs are built from them: with none, the page belongs to no site.
    empty = rf.get("/", HTTP_HOST="contract.test")
    private_apis.set_site_root_paths(empty, ())
    assert page.get_url_parts(empty) is None
    assert "cache_object" in inspect.signature(Page._get_site_root_paths).parameters


def test_the_root_paths_hook_answers_wagtails_question(practice):
    privacy = StandardPage.objects.descendant_of(practice.site.root_page).get(slug="privacy")
    assert isinstance(privacy, private_apis.SiteRootPathsHook)
    assert type(privacy)._get_site_root_paths is private_apis.SiteRootPathsHook._get_site_root_paths
    assert privacy.get_url_parts()[2] == "/privacy/"  # through the hook, to Wagtail's


def test_a_parent_set_on_a_page_is_returned_without_a_query(practice, django_assert_num_queries):
    page = StandardPage.objects.descendant_of(practice.site.root_page).get(slug="privacy")
    home = practice.site.root_page
    assert not private_apis.has_parent(page)
    private_apis.set_parent(page, home)
    assert private_apis.has_parent(page)
    with django_assert_num_queries(0):
        assert page.get_parent() is home
    private_apis.forget_parent(page)
    assert not private_apis.has_parent(page)
    assert page.get_parent().pk == home.pk


def test_a_bound_setting_is_the_one_for_request_returns(rf, practice, django_assert_num_queries):
    request = rf.get("/", HTTP_HOST="contract.test")
    row = PracticeSettings.for_site(practice.site)
    private_apis.bind_setting(row, request)
    with django_assert_num_queries(0):
        assert PracticeSettings.for_request(request) is row
    assert row._request is request  # what BaseSiteSetting resolves page URLs with
    assert "_request" in inspect.getsource(type(row).__getstate__)


def test_prefetched_renditions_are_none_unless_prefetched(practice):
    ImageFactory(collection=practice.collection)
    image = get_image_model().objects.get(collection=practice.collection)
    assert private_apis.prefetched_renditions(image) is None
    fetched = get_image_model().objects.prefetch_related("renditions").get(pk=image.pk)
    assert list(private_apis.prefetched_renditions(fetched)) == []


def test_the_redis_cache_client_internals(settings):
    client = caches["default"]._cache
    assert isinstance(client, ReusedClientRedisCacheClient)
    assert isinstance(private_apis.redis_pool(client, False), redis.ConnectionPool)
    assert issubclass(private_apis.redis_client_class(client), redis.Redis)
    assert "write" in inspect.signature(RedisCacheClient._get_connection_pool).parameters
    backend = RedisCache("redis://127.0.0.1:1/0", {})
    private_apis.set_redis_cache_client_class(backend, ReusedClientRedisCacheClient)
    assert isinstance(backend._cache, ReusedClientRedisCacheClient)
    cache.set("contract:probe", 1)
    assert cache.get("contract:probe") == 1


# --- the search backend's title norms (agency_platform.core.search) ----------------


def test_modelsearch_add_items_still_ends_by_refreshing_title_norms():
    from modelsearch.backends.database.postgres.postgres import PostgresIndex

    source = inspect.getsource(PostgresIndex.add_items)
    assert "self._refresh_title_norms()" in source
    assert list(inspect.signature(PostgresIndex._refresh_title_norms).parameters) == [
        "self",
        "full",
    ]


def test_a_saved_page_gets_its_title_norm_without_a_scan_of_the_index(
    practice,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    from agency_platform.core.search import PracticeScaleIndex

    assert isinstance(get_search_backend().get_index_for_model(StandardPage), PracticeScaleIndex)
    home = practice.site.root_page
    first = home.add_child(instance=StandardPage(title="Short", slug="short"))
    with CaptureQueriesContext(connection) as queries:
        second = home.add_child(
            instance=StandardPage(title="A much longer title for ranking", slug="long")
        )
    norms = dict(
        IndexEntry.objects.filter(object_id__in=[str(first.pk), str(second.pk)]).values_list(
            "object_id", "title_norm"
        )
    )
    # Each new row has its own norm (the default 1.0 is replaced): a shorter title
    # weighs more, as with Wagtail's own refresh.
    assert norms[str(first.pk)] > norms[str(second.pk)] != 1.0
    # The rows updated are the page's own, through the unique index; no statement
    # rewrites every default-norm row of the table.
    updates = [
        q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "indexentry" in q["sql"]
    ]
    assert updates
    assert all('"object_id" IN' in sql for sql in updates), updates


# --- the tasks backend's batches (agency_platform.core.tasks_backend) --------------


def test_django_tasks_immediate_backend_executes_a_ready_result():
    from django_tasks.backends.immediate import ImmediateBackend

    assert list(inspect.signature(ImmediateBackend._execute_task).parameters) == [
        "self",
        "task_result",
    ]


def test_a_page_permission_tester_lists_the_actions_granted_on_its_page(practice):
    from wagtail.models import PagePermissionTester

    from tests.factories import editor_of, moderator_of

    home = Page.objects.get(pk=practice.site.root_page_id)
    editor = PagePermissionTester(editor_of(practice), home)
    moderator = PagePermissionTester(moderator_of(practice), home)
    assert private_apis.page_permission_actions(editor) == {"add", "change", "lock"}
    assert {"publish", "bulk_delete"} <= private_apis.page_permission_actions(moderator)
    # Another practice's page: nothing granted.
    other = PracticeFactory(name="Other Clinic", slug="other", hostname="other.test")
    elsewhere = Page.objects.get(pk=other.site.root_page_id)
    assert (
        private_apis.page_permission_actions(PagePermissionTester(editor_of(practice), elsewhere))
        == set()
    )
