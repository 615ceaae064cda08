"""Admin: a lead's CRM deliveries, with every attempt, and "Retry now" for staff.

Imported by demo_requests.wagtail_hooks. Shows ids, destinations, statuses, status
codes and errors only; the lead's fields stay in the inbox's own permission scope.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template import engines
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods
from wagtail import hooks

from demo_requests import delivery
from demo_requests.models import Lead
from practices.isolation import is_agency_staff

PAGE = """{% extends "wagtailadmin/base.html" %}
{% block titletag %}Deliveries of lead {{ lead.pk }}{% endblock %}
{% block content %}
{% include "wagtailadmin/shared/header.html" with title="Deliveries of lead" subtitle=lead.pk %}
<div class="nice-padding">
  <p>Status: <strong>{{ lead.get_status_display }}</strong></p>
  {% for row in deliveries %}
    <h2>{{ row.get_destination_display }}: {{ row.get_status_display }}</h2>
    <p>Attempts this round: {{ row.attempts }}; next attempt: {{ row.next_attempt_at }};
       CRM id: {{ row.external_id|default:"-" }};
       retried until: {{ row.retry_until|default:"-" }}</p>
    <p>Steps:{% for name, step in row.steps.items %} {{ name }}
       {% if step.id is not None %}done ({{ step.id|default:"no id" }})
       {% else %}sent, no answer recorded{% endif %}
       {% if not forloop.last %};{% endif %}{% empty %} none done yet{% endfor %}</p>
    <table class="listing">
      <thead><tr>
        <th>#</th><th>Step</th><th>Started</th><th>Duration (ms)</th><th>Code</th><th>Error</th>
        <th>Answer (first bytes)</th>
      </tr></thead>
      <tbody>
      {% for attempt in row.attempt_log.all %}
        <tr><td>{{ attempt.number }}</td><td>{{ attempt.step|default:"-" }}</td>
            <td>{{ attempt.started_at }}</td><td>{{ attempt.duration_ms|default:"-" }}</td>
            <td>{{ attempt.status_code|default:"-" }}</td><td>{{ attempt.error }}</td>
            <td><code>{{ attempt.response_excerpt }}</code></td></tr>
      {% endfor %}
      </tbody>
    </table>
  {% empty %}
    <p>No CRM destination was configured when this lead arrived.</p>
  {% endfor %}
  {% if can_retry %}
    <form method="post" action="{% url 'demo_requests_retry_delivery' lead.pk %}">
      {% csrf_token %}
      <button type="submit" class="button">Retry now</button>
    </form>
  {% endif %}
</div>
{% endblock %}
"""


def _staff_only(request: HttpRequest) -> None:
    if not is_agency_staff(request.user):
        raise PermissionDenied


@require_http_methods(["GET"])
def deliveries_view(request: HttpRequest, lead_id: int) -> HttpResponse:
    _staff_only(request)
    lead = get_object_or_404(Lead, pk=lead_id)
    rows = list(lead.deliveries.order_by("destination").prefetch_related("attempt_log"))
    context = {
        "lead": lead,
        "deliveries": rows,
        "can_retry": any(row.status in ("failed", "dead") for row in rows),
    }
    html = engines["django"].from_string(PAGE).render(context, request)
    return HttpResponse(html)


@require_http_methods(["POST"])
def retry_view(request: HttpRequest, lead_id: int) -> HttpResponse:
    _staff_only(request)
    lead = get_object_or_404(Lead, pk=lead_id)
    count = delivery.retry_now(lead)
    if count:
        messages.success(request, f"Delivery of lead {lead.pk} restarted ({count}).")
    else:
        messages.info(request, f"Lead {lead.pk} has no failed delivery to retry.")
    return redirect(reverse("demo_requests_lead_deliveries", args=[lead.pk]))


@hooks.register("register_admin_urls")
def register_delivery_urls() -> list:
    return [
        path(
            "lead-deliveries/<int:lead_id>/",
            deliveries_view,
            name="demo_requests_lead_deliveries",
        ),
        path(
            "lead-deliveries/<int:lead_id>/retry/",
            retry_view,
            name="demo_requests_retry_delivery",
        ),
    ]
