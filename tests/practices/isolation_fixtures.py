"""Two practices with one of each kind of object, for the isolation matrix."""

from __future__ import annotations

from dataclasses import dataclass

from wagtail.contrib.forms.models import FormSubmission

from demo_requests.models import DemoRequestPage
from practices.models import Practice, StandardPage
from tests.factories import DocumentFactory, ImageFactory, PracticeFactory, editor_of, moderator_of


@dataclass
class Tenant:
    practice: Practice
    editor: object
    moderator: object
    home: object
    page: StandardPage
    form_page: DemoRequestPage
    submission: FormSubmission
    image: object
    document: object

    @property
    def site_id(self) -> int:
        return self.practice.site_id


def build_tenant(name: str, slug: str, secret: str) -> Tenant:
    practice = PracticeFactory(name=name, slug=slug, hostname=f"{slug}.example.test")
    home = practice.site.root_page.specific
    page = StandardPage.objects.child_of(home).get(slug="privacy")
    page.title = f"{secret} privacy"
    page.save_revision().publish()
    form_page = DemoRequestPage.objects.child_of(home).get()
    submission = FormSubmission.objects.create(
        page=form_page, form_data={"your_name": f"{secret} patient"}
    )
    image = ImageFactory(title=f"{secret} portrait", collection=practice.collection)
    image.tags.add(f"{slug}-staff")
    document = DocumentFactory(title=f"{secret} leaflet", collection=practice.collection)
    return Tenant(
        practice=practice,
        editor=editor_of(practice, username=f"editor@{slug}.example.test"),
        moderator=moderator_of(practice, username=f"moderator@{slug}.example.test"),
        home=home,
        page=page,
        form_page=form_page,
        submission=submission,
        image=image,
        document=document,
    )
