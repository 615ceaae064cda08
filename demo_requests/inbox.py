"""The leads inbox in the Wagtail admin ("Leads" menu).

Read-only: a listing (filter by status, date received and form page; search by
submission id or e-mail), an inspect view with the submitted fields, and CSV/XLSX
export of the listing. Nothing is added, edited or deleted through these views: the
permission policy grants only "view", so the generic add/edit/delete URLs answer 403.

Isolation: practice users see only their practices' leads (practices.isolation);
agency staff see all, with a Practice column. Every view looks leads up in the user's
scope, so another practice's lead id is a 404 and never appears in an export.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.html import format_html
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from demo_requests.models import DemoRequestPage, Lead
from practices.isolation import PracticeScopedPolicy, is_agency_staff, scope_for_user

ACTIONS = {"view"}
# Submitted fields shown as columns and exported; other fields appear in the detail view.
EXPORT_FORM_FIELDS = ("your_name", "email", "phone", "message")


def leads_in_scope(user) -> QuerySet:
    leads = Lead.objects.all()
    if not (user.is_authenticated and user.is_active):
        return leads.none()
    if is_agency_staff(user):
        return leads
    return leads.filter(practice__in=scope_for_user(user).practice_ids)


class LeadPolicy(PracticeScopedPolicy):
    """Practice users may view their own practices' leads; nobody changes them here."""

    actions = frozenset(ACTIONS)

    def scoped_queryset(self, user, actions: set[str]) -> QuerySet:
        return leads_in_scope(user)


policy = LeadPolicy(Lead)
register_permission_policy(Lead, policy, exact_class=True)


def _form_pages(request) -> QuerySet:
    if request is None:
        return DemoRequestPage.objects.none()
    page_ids = leads_in_scope(request.user).values("form_page_id")
    return DemoRequestPage.objects.filter(pk__in=page_ids).order_by("title")


class LeadFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=Lead.Status.choices, label="Status")
    created_at = django_filters.DateFromToRangeFilter(
        label="Received", widget=DateRangePickerWidget
    )
    form_page = django_filters.ModelChoiceFilter(queryset=_form_pages, label="Form page")

    class Meta:
        model = Lead
        fields = ["status", "created_at", "form_page"]


def submitted(lead: Lead, name: str) -> str:
    data = lead.submission.form_data if lead.submission_id else {}
    value = data.get(name, "")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


class LeadIndexView(generic.IndexView):
    list_export = [
        "id",
        "created_at",
        "practice",
        "form_page",
        "status",
        *EXPORT_FORM_FIELDS,
        "submission_id",
        "referrer",
        "landing_page",
        "consented_at",
    ]
    export_headings = {
        "id": "Lead",
        "created_at": "Received",
        "your_name": "Name",
        "email": "Email",
        "phone": "Phone",
        "message": "Message",
        "submission_id": "Submission",
    }

    def get_base_queryset(self):
        return leads_in_scope(self.request.user).select_related(
            "practice", "form_page", "submission"
        )

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        query = self.search_query.strip()
        if query.isdigit():
            return queryset.filter(Q(submission_id=int(query)) | Q(pk=int(query)))
        # One JSON key lookup on the e-mail field, within the user's (small) scope.
        return queryset.filter(submission__form_data__email__icontains=query)

    def to_row_dict(self, item):
        row = {}
        for name in self.list_export:
            if name in EXPORT_FORM_FIELDS:
                row[name] = submitted(item, name)
            elif name in ("practice", "form_page"):
                row[name] = str(getattr(item, name) or "")
            else:
                row[name] = getattr(item, name)
        return row

    @property
    def columns(self):
        columns = [
            TitleColumn(
                "id",
                label="Lead",
                sort_key="id",
                accessor=lambda lead: f"#{lead.pk}",
                get_url=lambda lead: self.get_inspect_url(lead),
            ),
            DateColumn("created_at", label="Received", sort_key="created_at"),
            Column("email", label="Email", accessor=lambda lead: submitted(lead, "email")),
            Column("form_page", label="Form page"),
            StatusTagColumn(
                "status",
                label="Status",
                accessor="get_status_display",
                primary=lambda lead: lead.status == Lead.Status.DELIVERED,
                sort_key="status",
            ),
        ]
        if is_agency_staff(self.request.user):
            columns.insert(2, Column("practice", label="Practice"))
        return columns


class LeadInspectView(generic.InspectView):
    fields = ["practice", "form_page", "status", "created_at", "referrer", "landing_page"]

    def get_object(self, queryset=None):
        from django.shortcuts import get_object_or_404

        return get_object_or_404(leads_in_scope(self.request.user), pk=self.pk)

    def get_fields(self):
        return [*self.fields, "utm", "consent_text", "consented_at"]

    def get_fields_context(self):
        context = super().get_fields_context()
        submission = self.object.submission
        labels = {}
        if self.object.form_page_id:
            labels = {f.clean_name: f.label for f in self.object.form_page.form_fields.all()}
        for name, value in submission.form_data.items():
            if isinstance(value, list):
                value = ", ".join(str(item) for item in value)
            context.append(
                {"label": f"Submitted: {labels.get(name, name)}", "value": value, "component": None}
            )
        context.append({"label": "Submission id", "value": submission.pk, "component": None})
        for delivery in self.object.deliveries.all():
            context.append(
                {
                    "label": f"Delivery: {delivery.get_destination_display()}",
                    "value": f"{delivery.get_status_display()} ({delivery.attempts} attempt(s))",
                    "component": None,
                }
            )
        if is_agency_staff(self.request.user):
            url = reverse("demo_requests_lead_deliveries", args=[self.object.pk])
            context.append(
                {
                    "label": "Delivery attempts",
                    "value": format_html('<a href="{}">Every attempt, and Retry now</a>', url),
                    "component": None,
                }
            )
        return context


class LeadViewSet(ModelViewSet):
    model = Lead
    permission_policy = policy
    icon = "mail"
    menu_label = "Leads"
    menu_order = 250
    add_to_admin_menu = True
    url_prefix = "leads"
    index_view_class = LeadIndexView
    inspect_view_class = LeadInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = LeadFilterSet
    search_fields = ["id"]  # enables the search box; LeadIndexView.search_queryset decides
    list_per_page = 50
    ordering = ["-created_at"]
    export_filename = "leads"
    form_fields = ["status"]  # required by ModelViewSet; the edit views are never allowed

    def get_urlpatterns(self):
        allowed = {"index", "index_results", "inspect"}
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in allowed]
