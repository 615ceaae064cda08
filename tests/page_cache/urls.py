"""The project's URLs plus the form-token route, until agency_platform.urls routes it
(the coordinator adds the same line there; see demo_requests.form_tokens)."""

from django.urls import path

from agency_platform.urls import urlpatterns as project_urlpatterns
from demo_requests import form_tokens

urlpatterns = [
    path(
        "api/demo-requests/<int:page_id>/tokens/",
        form_tokens.form_tokens,
        name="demo_request_form_tokens",
    ),
    *project_urlpatterns,
]
