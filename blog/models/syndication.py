"""A request to syndicate one agency post to many practices, with its progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SyndicationJob(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    original = models.ForeignKey(
        "blog.BlogPostPage", on_delete=models.CASCADE, related_name="syndication_jobs"
    )
    practices = models.ManyToManyField("practices.Practice", related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Syndication of {self.original_id} ({self.done}/{self.total}, {self.status})"
