"""Template helpers for the team showcase: structured data, video players, Q&A."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from agency_platform.core.seo import json_ld_script
from practices.models.team_blocks import (
    LANGUAGE_NAMES,
    VIDEO_EXTENSIONS,
    player_url,
    question_text,
)

register = template.Library()

# The same escaping as Django's json_script: the JSON can never close the element.


def _practice_name(context: template.Context) -> str:
    """The name patients know the practice by: the display name from its settings."""
    try:
        display_name = context["settings"]["practices"]["PracticeSettings"].display_name
    except (KeyError, AttributeError, TypeError):
        display_name = ""
    return display_name or context.get("practice_name", "")


def member_structured_data(context: template.Context, member, image_url: str = "") -> dict:
    """schema.org data for a member. Clinicians are typed both Physician (what search
    engines use for doctor profiles) and Person, so that Person properties (jobTitle,
    worksFor, knowsLanguage) are valid on them; everyone else is a Person."""
    request = context["request"]
    practice = {
        "@type": "MedicalClinic",
        "name": _practice_name(context),
        "url": request.build_absolute_uri("/"),
    }
    data: dict = {
        "@context": "https://schema.org",
        "@type": ["Physician", "Person"] if member.is_clinician else "Person",
        "name": member.title,
        "jobTitle": member.role_title,
        "url": member.get_full_url(request),
        "worksFor": practice,
        "memberOf": practice,
    }
    if image_url:
        data["image"] = image_url
    if member.short_bio:
        data["description"] = member.short_bio
    if member.credential_list:
        data["honorificSuffix"] = ", ".join(member.credential_list)
    if member.specialty_list:
        data["knowsAbout"] = member.specialty_list
    if member.language_list:
        data["knowsLanguage"] = member.language_list
    if member.education:
        data["alumniOf"] = [
            {"@type": "EducationalOrganization", "name": block.value["institution"]}
            for block in member.education
        ]
    if member.certifications:
        data["hasCredential"] = [
            {
                "@type": "EducationalOccupationalCredential",
                "credentialCategory": "Board certification",
                "name": block.value["name"],
                "recognizedBy": {"@type": "Organization", "name": block.value["board"]},
            }
            for block in member.certifications
        ]
    return data


@register.simple_tag(takes_context=True)
def team_member_json_ld(context: template.Context, member, image_url: str = "") -> SafeString:
    data = member_structured_data(context, member, image_url)
    return json_ld_script(data)


@register.filter
def video_player_url(url: str) -> str:
    """youtube-nocookie.com / player.vimeo.com URL for a YouTube or Vimeo link."""
    return player_url(url or "") or ""


@register.filter
def video_mime_type(document) -> str:
    return VIDEO_EXTENSIONS.get(document.file_extension.lower(), "") if document else ""


@register.filter
def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


@register.filter
def qa_question(block) -> str:
    return question_text(block)
