"""Per-practice redirects in the admin: each practice sees and edits only the
redirects of its own site; agency staff see all, including all-site ones."""

from __future__ import annotations

from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.contrib.redirects.forms import RedirectForm
from wagtail.models import Site
from wagtail.permissions import register_permission_policy

from practices.isolation import PracticeScopedPolicy, is_agency_staff, scope_for_user
from practices.models import PracticeRedirect


def sites_in_scope(user):
    if is_agency_staff(user):
        return Site.objects.all()
    return Site.objects.filter(practice__in=scope_for_user(user).practice_ids)


class PracticeRedirectPolicy(PracticeScopedPolicy):
    """Any practice user may manage redirects, of their own practices' sites only."""

    def scoped_queryset(self, user, actions: set[str]):
        if is_agency_staff(user):
            return PracticeRedirect.objects.all()
        return PracticeRedirect.objects.filter(site__in=sites_in_scope(user))


class PracticeRedirectForm(RedirectForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and not is_agency_staff(self.for_user):
            site_field = self.fields["site"]
            site_field.queryset = sites_in_scope(self.for_user)
            site_field.required = True
            site_field.empty_label = None

    class Meta(RedirectForm.Meta):
        model = PracticeRedirect


class ScopedObjectMixin:
    """Edit and delete look objects up in the user's scope: another practice's
    redirect id gives 404, not a form."""

    def get_queryset(self):
        return PracticeRedirect.objects.filter(site__in=sites_in_scope(self.request.user)) | (
            PracticeRedirect.objects.filter(site__isnull=True)
            if is_agency_staff(self.request.user)
            else PracticeRedirect.objects.none()
        )


class RedirectIndexView(generic.IndexView):
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["change", "delete", "view"]
        ).select_related("site", "redirect_page")


class RedirectEditView(ScopedObjectMixin, generic.EditView):
    pass


class RedirectDeleteView(ScopedObjectMixin, generic.DeleteView):
    pass


policy = PracticeRedirectPolicy(PracticeRedirect)
register_permission_policy(PracticeRedirect, policy, exact_class=True)


class PracticeRedirectViewSet(ModelViewSet):
    model = PracticeRedirect
    permission_policy = policy
    icon = "redirect"
    menu_label = "Redirects"
    menu_order = 800
    add_to_admin_menu = True
    url_prefix = "practice-redirects"
    form_fields = ["old_path", "site", "is_permanent", "redirect_page", "redirect_link"]
    index_view_class = RedirectIndexView
    edit_view_class = RedirectEditView
    delete_view_class = RedirectDeleteView
    copy_view_enabled = False
    list_display = ["old_path", "site", "link", "is_permanent"]
    search_fields = ["old_path", "redirect_link"]
    ordering = ["old_path"]

    def get_form_class(self, for_update: bool = False):
        return PracticeRedirectForm
