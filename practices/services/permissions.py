"""The permissions a practice's groups hold: only on that practice's tree, collection and site."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

ADMIN_ACCESS = "wagtailadmin.access_admin"
EDITOR_PAGE = ["wagtailcore.add_page", "wagtailcore.change_page", "wagtailcore.lock_page"]
MODERATOR_PAGE = [
    *EDITOR_PAGE,
    "wagtailcore.publish_page",
    "wagtailcore.unlock_page",
    "wagtailcore.bulk_delete_page",
]
EDITOR_COLLECTION = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]
MODERATOR_COLLECTION = [
    *EDITOR_COLLECTION,
    "wagtailimages.delete_image",
    "wagtaildocs.delete_document",
]
EDITOR_SITE = ["practices.change_practicesettings"]
# Moderators (the practice's owners) set how long leads are kept; CRM credentials
# stay with agency staff.
MODERATOR_SITE = [
    *EDITOR_SITE,
    "practices.change_brandsettings",
    "demo_requests.change_leadprivacysettings",
    "blog.change_blogsettings",  # the call to action under every post
]

# Agency staff: every tree, every collection, every site's settings, and the
# agency-only screens (provisioning, dashboard).
AGENCY_STAFF_GROUP = "Agency staff"
AGENCY_GLOBAL = [
    ADMIN_ACCESS,
    "practices.change_practicesettings",
    "practices.change_brandsettings",
    "practices.add_practice",
    "practices.change_practice",
    "practices.view_practice",
    "practices.delete_practice",
    "demo_requests.change_crmsettings",
    "demo_requests.change_leadprivacysettings",
    "blog.change_blogsettings",
    "wagtailredirects.add_redirect",
    "wagtailredirects.change_redirect",
    "wagtailredirects.delete_redirect",
]


def permissions_by_name(names: list[str]) -> dict[str, Permission]:
    """One query for a list of 'app_label.codename' names."""
    query = Q()
    for name in names:
        app_label, codename = name.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = {
        f"{perm.content_type.app_label}.{perm.codename}": perm
        for perm in Permission.objects.filter(query).select_related("content_type")
    }
    missing = set(names) - set(found)
    if missing:
        raise LookupError(f"permissions missing (migrations not run?): {sorted(missing)}")
    return found


def grant_practice_permissions(
    *, editors: Group, moderators: Group, home: Page, collection: Collection, site: Site
) -> None:
    perms = permissions_by_name(
        sorted({ADMIN_ACCESS, *MODERATOR_PAGE, *MODERATOR_COLLECTION, *MODERATOR_SITE})
    )
    grants = [
        (editors, EDITOR_PAGE, EDITOR_COLLECTION, EDITOR_SITE),
        (moderators, MODERATOR_PAGE, MODERATOR_COLLECTION, MODERATOR_SITE),
    ]
    page_rows, collection_rows, site_rows = [], [], []
    for group, page_perms, collection_perms, site_perms in grants:
        group.permissions.add(perms[ADMIN_ACCESS])
        page_rows += [
            GroupPagePermission(group=group, page=home, permission=perms[name])
            for name in page_perms
        ]
        collection_rows += [
            GroupCollectionPermission(group=group, collection=collection, permission=perms[name])
            for name in collection_perms
        ]
        site_rows += [
            GroupSitePermission(group=group, site=site, permission=perms[name])
            for name in site_perms
        ]
    GroupPagePermission.objects.bulk_create(page_rows)
    GroupCollectionPermission.objects.bulk_create(collection_rows)
    GroupSitePermission.objects.bulk_create(site_rows)


def create_moderation_workflow(*, name: str, moderators: Group, home: Page) -> Workflow:
    """Edits by the practice's editors go to its own moderators, not the agency's."""
    task = GroupApprovalTask.objects.create(name=f"{name} approval")
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name=f"{name} moderation")
    # Through the model's own manager: Workflow is a ClusterableModel, whose related
    # manager would only stage the row in memory.
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=home)
    return workflow


def remove_unused_default_groups() -> None:
    """Wagtail's starter "Editors"/"Moderators" groups hold permissions on the whole
    tree, i.e. on every practice; one careless membership would break isolation."""
    Group.objects.filter(name__in=["Editors", "Moderators"], user__isnull=True).delete()


def ensure_agency_staff_group() -> Group:
    remove_unused_default_groups()
    group, _ = Group.objects.get_or_create(name=AGENCY_STAFF_GROUP)
    perms = permissions_by_name(AGENCY_GLOBAL)
    group.permissions.add(*perms.values())
    root_page = Page.get_first_root_node()
    if root_page is not None:
        for perm in permissions_by_name(MODERATOR_PAGE).values():
            GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=perm)
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for perm in permissions_by_name(MODERATOR_COLLECTION).values():
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=perm
            )
    return group
