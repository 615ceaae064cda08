"""Provision a practice in one transaction: site, tree, collection, groups, owner, settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from wagtail.models import Collection, CollectionViewRestriction, Page, Site

from agency_platform.core import freshness
from agency_platform.core.tasks_backend import batched
from practices.models import (
    BrandSettings,
    Practice,
    PracticeHomePage,
    PracticeHostname,
    PracticeSettings,
    PracticeStatus,
    Specialty,
    StandardPage,
)
from practices.models.practice import HOSTNAME_VALIDATOR, SLUG_VALIDATOR, validate_timezone
from practices.services.home_blocks import HomeLinks, home_body, rich_text_block
from practices.services.permissions import (
    AGENCY_STAFF_GROUP,
    create_moderation_workflow,
    grant_practice_permissions,
)
from practices.starter_pages import StarterContext, StarterPage, starter_pages
from practices.starter_templates import STARTER_TEMPLATES, TEMPLATE_ALIASES, StarterTemplate

logger = logging.getLogger(__name__)


class ProvisioningError(Exception):
    """Bad input for one field; nothing was written."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


@dataclass
class PracticeSpec:
    name: str
    slug: str
    hostname: str
    owner_email: str = ""
    template: str = "general"
    specialty: str = ""
    timezone: str = "America/Chicago"
    aliases: list[str] = field(default_factory=list)
    status: str = PracticeStatus.LIVE
    port: int | None = None


@dataclass
class ProvisionResult:
    practice: Practice
    created: bool
    owner_password_url: str = ""
    notes: list[str] = field(default_factory=list)


def _check(field_name: str, validator, value: str) -> None:
    try:
        validator(value)
    except ValidationError as exc:
        raise ProvisioningError(field_name, " ".join(exc.messages)) from None


def normalise_spec(spec: PracticeSpec) -> PracticeSpec:
    spec.name = " ".join(spec.name.split())
    spec.slug = spec.slug.strip().lower()
    spec.hostname = spec.hostname.strip().lower().rstrip(".")
    spec.owner_email = spec.owner_email.strip().lower()
    spec.aliases = [alias.strip().lower().rstrip(".") for alias in spec.aliases if alias.strip()]
    return spec


def validate_spec(spec: PracticeSpec) -> StarterTemplate:
    """Every check that can fail, before anything is written."""
    if not spec.name:
        raise ProvisioningError("name", "is required.")
    if len(spec.name) > 120:
        raise ProvisioningError("name", "must be at most 120 characters.")
    _check("slug", SLUG_VALIDATOR, spec.slug)
    _check("hostname", HOSTNAME_VALIDATOR, spec.hostname)
    _check("timezone", validate_timezone, spec.timezone)
    spec.template = TEMPLATE_ALIASES.get(spec.template, spec.template)
    template = STARTER_TEMPLATES.get(spec.template)
    if template is None:
        known = ", ".join(sorted(STARTER_TEMPLATES))
        raise ProvisioningError("template", f"unknown template '{spec.template}' (known: {known}).")
    if spec.specialty and spec.specialty not in Specialty.values:
        known = ", ".join(Specialty.values)
        raise ProvisioningError(
            "specialty", f"unknown specialty '{spec.specialty}' (known: {known})."
        )
    if spec.owner_email:
        _check("owner_email", validate_email, spec.owner_email)
    if spec.status not in PracticeStatus.values:
        raise ProvisioningError("status", f"unknown status '{spec.status}'.")
    for position, hostname in enumerate([spec.hostname, *spec.aliases]):
        field_name = "hostname" if position == 0 else "aliases"
        _check(field_name, HOSTNAME_VALIDATOR, hostname)
        if (
            Site.objects.filter(hostname=hostname).exists()
            or PracticeHostname.objects.filter(hostname=hostname).exists()
        ):
            raise ProvisioningError(field_name, f"'{hostname}' is already used by another site.")
    if Page.get_first_root_node().get_children().filter(slug=spec.slug).exists():
        raise ProvisioningError("slug", f"'{spec.slug}' is already used by another page tree.")
    if len({spec.hostname, *spec.aliases}) != 1 + len(spec.aliases):
        raise ProvisioningError("aliases", "an alias repeats the hostname or another alias.")
    return template


def provision_practice(spec: PracticeSpec) -> ProvisionResult:
    """Create a practice with everything it needs, or report that it already exists."""
    spec = normalise_spec(spec)
    existing = Practice.objects.select_related("site").filter(slug=spec.slug).first()
    if existing is not None:
        return _already_exists(existing, spec)
    template = validate_spec(spec)
    try:
        # Wagtail's index updates run once per page, at the end of the row, in its
        # transaction (each page is saved three times on its way to being published).
        # Freshness is asked once for the whole new practice, not on every save.
        with transaction.atomic(), batched():
            with freshness.muted():
                practice = _create_practice(spec, template)
            freshness.invalidate(freshness.for_practices([practice.pk]))
            password_url = _attach_owner(practice, spec.owner_email) if spec.owner_email else ""
    except IntegrityError:
        # A concurrent run (admin double-submit, two CSV imports) won the race; ours
        # rolled back whole. Report the practice it made, or the clash.
        existing = Practice.objects.select_related("site").filter(slug=spec.slug).first()
        if existing is not None:
            return _already_exists(existing, spec)
        raise ProvisioningError("hostname", "is being provisioned by another request.") from None
    logger.info("practice provisioned: id=%s slug=%s", practice.pk, practice.slug)
    return ProvisionResult(practice=practice, created=True, owner_password_url=password_url)


def _already_exists(practice: Practice, spec: PracticeSpec) -> ProvisionResult:
    notes = []
    if spec.hostname and spec.hostname != practice.site.hostname:
        notes.append(
            f"requested hostname {spec.hostname} differs from the existing "
            f"{practice.site.hostname}; nothing was changed."
        )
    return ProvisionResult(practice=practice, created=False, notes=notes)


def _create_practice(spec: PracticeSpec, template: StarterTemplate) -> Practice:
    collection = _append_collection(Collection.get_first_root_node(), f"{spec.name} [{spec.slug}]")
    home = _create_page_tree(spec, template)
    site = Site.objects.create(
        hostname=spec.hostname,
        port=spec.port or settings.PRACTICE_SITE_PORT,
        root_page=home,
        site_name=spec.name,
        is_default_site=False,
    )
    editors = Group.objects.create(name=_group_name(spec, "editors"))
    moderators = Group.objects.create(name=_group_name(spec, "moderators"))
    grant_practice_permissions(
        editors=editors, moderators=moderators, home=home, collection=collection, site=site
    )
    create_moderation_workflow(name=spec.name, moderators=moderators, home=home)
    _create_private_collection(collection, groups=[editors, moderators])
    PracticeSettings.objects.create(site=site, display_name=spec.name)
    BrandSettings.objects.create(
        site=site,
        primary_colour=template.primary_colour,
        secondary_colour=template.secondary_colour,
        font=template.font,
    )
    practice = Practice.objects.create(
        name=spec.name,
        slug=spec.slug,
        specialty=spec.specialty or template.specialty,
        timezone=spec.timezone,
        status=spec.status,
        site=site,
        collection=collection,
        editors_group=editors,
        moderators_group=moderators,
    )
    PracticeHostname.objects.bulk_create(
        [PracticeHostname(practice=practice, hostname=alias) for alias in spec.aliases]
    )
    return practice


PRIVATE_COLLECTION_NAME = "Private documents"


def _append_collection(parent: Collection, name: str) -> Collection:
    """A new last child of `parent`. Collections sort by name, so treebeard's
    add_child inserts in alphabetical place and rewrites the path of every later
    sibling and its subtree, one UPDATE each: with 1,000 practices, up to 2,000
    statements per new practice. Appending keeps provisioning constant; the
    collection tree lists practices in the order they were provisioned."""
    parent = Collection.objects.select_for_update().get(pk=parent.pk)  # as add_child does
    last = parent.get_last_child()
    depth = parent.depth + 1
    path = last._inc_path() if last else Collection._get_path(parent.path, depth, 1)
    Collection.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
    return Collection.objects.create(name=name, path=path, depth=depth, numchild=0)


def _create_private_collection(parent: Collection, groups: list[Group]) -> Collection:
    """Documents here are served only to the practice's own staff (and agency staff):
    Wagtail's document view enforces the group restriction, on any hostname."""
    private = parent.add_child(name=PRIVATE_COLLECTION_NAME)
    restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.GROUPS
    )
    agency_staff = Group.objects.filter(name=AGENCY_STAFF_GROUP)
    restriction.groups.set([*groups, *agency_staff])
    return private


def _group_name(spec: PracticeSpec, role: str) -> str:
    name = f"{spec.name} {role}"
    if Group.objects.filter(name=name).exists():  # two practices may share a name
        name = f"{spec.name} ({spec.slug}) {role}"
    return name


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)  # validated here (full_clean)
    # Unchanged since: validating again would repeat every unique and foreign-key check.
    page.save_revision(clean=False, log_action=False).publish(log_action=False)
    return page


def _publish_or_draft(parent: Page, page: Page) -> Page:
    if page.live:
        return _publish(parent, page)
    parent.add_child(instance=page)  # a draft: only title and slug are checked
    page.save_revision(clean=False, log_action=False)
    return page


def _create_page_tree(spec: PracticeSpec, template: StarterTemplate) -> PracticeHomePage:
    """The home page, every registered starter page for the site's audience under it
    in position order (with their children), then the home page's blocks, which
    point at them."""
    home = _publish(Page.get_first_root_node(), PracticeHomePage(title=spec.name, slug=spec.slug))
    specialty = spec.specialty or template.specialty
    context = StarterContext(
        name=spec.name,
        slug=spec.slug,
        privacy_url=f"/{PRIVACY_SLUG}/",
        audience="practice-owners" if specialty == Specialty.AGENCY else "patients",
        services=tuple(template.services),
    )
    built: dict[str, Page] = {}
    children: dict[str, list[Page]] = {}
    contact = None
    for starter in starter_pages(context.audience):
        built[starter.key] = page = _publish(home, _build(starter, context))
        children[starter.key] = [
            _publish_or_draft(page, child)
            for child in (starter.children(context) if starter.children else [])
        ]
        if starter.call_to_action:
            contact = page
    links = HomeLinks(
        contact=contact,
        team=built.get(TEAM_STARTER_KEY),
        services=[page for page in children.get(SERVICES_STARTER_KEY, []) if page.live],
    )
    home.body = home_body(template, context, links)
    home.save_revision(log_action=False).publish(log_action=False)
    return home


def _build(starter: StarterPage, context: StarterContext) -> Page:
    page = starter.build(context)
    page.show_in_menus = starter.show_in_menus
    return page


PRIVACY_SLUG = "privacy"
TEAM_STARTER_KEY = "team"  # practices.team_provisioning
SERVICES_STARTER_KEY = "services"  # practices.places_provisioning


def privacy_page(context: StarterContext) -> StandardPage:
    """The core's own starter page (registered like a feature's, for its position)."""
    return StandardPage(
        title="Privacy policy",
        slug=PRIVACY_SLUG,
        intro="How we handle your information.",
        body=[rich_text_block(_privacy_body(context.name))],
    )


def _privacy_body(name: str) -> str:
    return (
        f"<p>{name} collects the details you send through this website only to answer "
        "your request. We never sell them, and we delete request details after the "
        "retention period set by the practice.</p>"
    )


def _attach_owner(practice: Practice, email: str) -> str:
    """The owner moderates the practice; returns a one-time password-set link."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=email, defaults={"email": email, "is_active": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(practice.moderators_group)
    return password_set_url(user)


def password_set_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("wagtailadmin_password_reset_confirm", args=[uid, token])
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"
