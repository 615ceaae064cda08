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

    class Kind(models.TextChoices):
        # Create (or sync) a copy in each chosen practice; sync the practices'
        # existing live copies after the original was republished.
        SYNDICATE = "syndicate", "Syndication"
        RESYNC = "resync", "Re-sync"

    original = models.ForeignKey(
        "blog.BlogPostPage", on_delete=models.CASCADE, related_name="syndication_jobs"
    )
    practices = models.ManyToManyField("practices.Practice", related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SYNDICATE)
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


class SyndicationFailure(models.Model):
    """A practice whose copy could not be created or synced by a job: kept until a
    retry (automatic with backoff, or from the job page) succeeds."""

    job = models.ForeignKey(SyndicationJob, on_delete=models.CASCADE, related_name="failures")
    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    error = models.TextField()
    attempts = models.PositiveIntegerField(default=1)
    # When the next automatic retry runs; None once they are used up (the job page's
    # retry action still works).
    next_retry_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["job", "practice"], name="one_failure_per_job_practice")
        ]

    def __str__(self) -> str:
        return f"Syndication job {self.job_id}, practice {self.practice_id}: {self.error}"
