"""Factories shared by every app's tests; `PracticeFactory` builds a whole practice."""

from __future__ import annotations

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from wagtail.documents import get_document_model

from practices.models import Practice
from practices.services.provisioning import PracticeSpec, provision_practice

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.com")
    email = factory.SelfAttribute("username")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def groups(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.groups.add(*extracted)


class PracticeFactory(factory.Factory):
    """A practice provisioned through the real service: site, tree, collection, groups."""

    class Meta:
        model = Practice

    name = factory.Sequence(lambda n: f"Practice {n}")
    slug = factory.Sequence(lambda n: f"practice-{n}")
    hostname = factory.LazyAttribute(lambda o: f"{o.slug}.example.test")
    template = "general"
    status = "live"

    @classmethod
    def _create(cls, model_class, **kwargs) -> Practice:
        return provision_practice(PracticeSpec(**kwargs)).practice


def editor_of(practice: Practice, **kwargs) -> object:
    return UserFactory(groups=[practice.editors_group], **kwargs)


def moderator_of(practice: Practice, **kwargs) -> object:
    return UserFactory(groups=[practice.moderators_group], **kwargs)


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Image {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As Wagtail's upload views do: the hash is known before the first save.
        image = model_class(*args, **kwargs)
        image._set_image_file_metadata()
        image.save()
        return image


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_document_model()

    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.django.FileField(filename="leaflet.txt", data=b"opening hours leaflet")
