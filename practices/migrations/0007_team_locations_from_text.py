"""Team members' free-text location becomes a link to a location page.

For each practice, every distinct location text of its members (compared by slug, so
"North Clinic" and "north clinic" are one office) becomes a live LocationPage under
the practice's "Locations" page (created when missing), titled with the text, and the
members are linked to it. The text was public (member page, team grouping and filter),
so the pages are live too and the team page keeps showing the same offices; they have
no address yet, which the admin asks for on their next save (the list is printed).
Members' revisions get the link as well, so that an editor opening a member sees it.
Reversible: the text comes back from each member's first linked location.
"""

import uuid

from django.db import migrations
from django.utils import timezone
from django.utils.text import slugify

STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _step(number):
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def _children(Page, parent):
    return Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)


def _add_child(apps, parent, model_name, **fields):
    """What treebeard's add_child does, on historical models: the next path, the
    parent's child count, Wagtail's url_path."""
    Page = apps.get_model("wagtailcore", "Page")
    ContentType = apps.get_model("contenttypes", "ContentType")
    model = apps.get_model("practices", model_name)
    last = _children(Page, parent).order_by("-path").values_list("path", flat=True).first()
    number = int(last[-STEPLEN:], 36) + 1 if last else 1
    taken = set(_children(Page, parent).values_list("slug", flat=True))
    base = fields.pop("slug")
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    content_type, _ = ContentType.objects.get_or_create(
        app_label="practices", model=model_name.lower()
    )
    now = timezone.now()
    page = model.objects.create(
        path=parent.path + _step(number), depth=parent.depth + 1, numchild=0,
        slug=slug, url_path=f"{parent.url_path}{slug}/", draft_title=fields["title"],
        content_type=content_type, live=True, has_unpublished_changes=False,
        first_published_at=now, last_published_at=now, locale_id=parent.locale_id,
        translation_key=uuid.uuid4(), **fields,
    )  # fmt: skip
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + 1)
    parent.numchild += 1
    return page


def _locations_index(apps, home):
    Index = apps.get_model("practices", "LocationsIndexPage")
    found = Index.objects.filter(path__startswith=home.path, depth=home.depth + 1).first()
    if found is not None:
        return found
    return _add_child(
        apps, home, "LocationsIndexPage", title="Locations", slug="locations",
        show_in_menus=True, intro="",
    )  # fmt: skip


def _link_revisions(apps, member, location_ids):
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    member_type = ContentType.objects.filter(app_label="practices", model="teammemberpage").first()
    for revision in Revision.objects.filter(content_type=member_type, object_id=str(member.pk)):
        revision.content["locations"] = location_ids
        revision.save(update_fields=["content"])


def text_to_location_pages(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Member = apps.get_model("practices", "TeamMemberPage")
    Location = apps.get_model("practices", "LocationPage")
    Link = Member._meta.get_field("locations").remote_field.through
    created = []
    members = Member.objects.exclude(location="").order_by("path")
    for member in members:
        text = " ".join(member.location.split())
        if not text:
            continue
        home = Page.objects.get(path=member.path[: STEPLEN * 2])
        index = _locations_index(apps, home)
        existing = {
            slugify(location.title): location
            for location in Location.objects.filter(path__startswith=home.path)
        }
        location = existing.get(slugify(text))
        if location is None:
            location = _add_child(
                apps, index, "LocationPage", title=text, slug=slugify(text) or "location",
                street_address="", locality="", region="", postal_code="", country="US",
                intro="", phone="", parking="", accessibility="", opening_hours=[],
            )  # fmt: skip
            created.append(f"{home.title}: {text} ({location.url_path})")
        Link.objects.get_or_create(teammemberpage_id=member.pk, locationpage_id=location.pk)
        ids = list(
            Link.objects.filter(teammemberpage_id=member.pk).values_list("locationpage_id", flat=True)
        )
        _link_revisions(apps, member, ids)
    if created:
        print(f"\n  {len(created)} location page(s) made from team members' text; "
              "each needs its address (the admin asks for it on the next save):")  # fmt: skip
        for line in created:
            print(f"    {line}")


def location_pages_to_text(apps, schema_editor):
    Member = apps.get_model("practices", "TeamMemberPage")
    Location = apps.get_model("practices", "LocationPage")
    Link = Member._meta.get_field("locations").remote_field.through
    for link in Link.objects.order_by("teammemberpage_id", "locationpage__path"):
        member = Member.objects.get(pk=link.teammemberpage_id)
        if not member.location:
            member.location = Location.objects.get(pk=link.locationpage_id).title[:120]
            member.save(update_fields=["location"])


class Migration(migrations.Migration):
    dependencies = [("practices", "0006_location_and_service_pages")]

    operations = [migrations.RunPython(text_to_location_pages, location_pages_to_text)]
