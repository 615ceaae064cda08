"""Post authors: owned by one practice, or by the agency library (no practice)."""

from __future__ import annotations

from django.db import models
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel
from wagtail.images import get_image_model_string
from wagtail.search import index


class Author(index.Indexed, models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, blank=True)
    practice = models.ForeignKey(
        "practices.Practice",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="authors",
        help_text="Leave empty for an agency library author, available to every practice.",
    )
    job_title = models.CharField(max_length=120, blank=True)
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        get_image_model_string(), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("practice"),
        FieldPanel("job_title"),
        FieldPanel("bio"),
        FieldPanel("photo"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "name"], name="unique_author_per_practice"),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(practice__isnull=True),
                name="unique_agency_author",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:120]
        super().save(*args, **kwargs)
