"""StreamField blocks and vocabularies for team member profiles.

Credentials, education, certifications, specialties, languages, gallery, videos and
Q&A are StreamFields: ordered, structured lists that editors manage in one screen and
that export as JSON, without a join table per list (the team grid stays at a constant
number of queries).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from agency_platform.media.validation import VIDEO_EXTENSIONS, video_container
from practices.blocks.features import RICH_TEXT_FEATURES

# Credentials are validated against this list so that "M.D.", "md" and typos do not
# end up on public profiles and in structured data. A credential that is not listed
# (a rare fellowship) can still be entered with the explicit "Other credential" block,
# which a reviewer sees as such; the CSV import accepts listed credentials only.
KNOWN_CREDENTIALS = [
    "MD", "DO", "MBBS", "NP", "FNP", "FNP-BC", "FNP-C", "APRN", "DNP", "PA", "PA-C",
    "RN", "BSN", "MSN", "LPN", "CNM", "CRNA", "DDS", "DMD", "RDH", "OD", "DPM", "DC",
    "PharmD", "PhD", "PsyD", "MPH", "MBA", "MS", "LCSW", "LMFT", "LPC", "PT", "DPT", "OT",
    "RD", "CMA", "RMA", "FAAP", "FAAFP", "FACP", "FACC", "FACS", "FAAD", "FACOG",
]  # fmt: skip
_CREDENTIALS_BY_KEY = {value.upper(): value for value in KNOWN_CREDENTIALS}
OTHER_CREDENTIAL_PATTERN = re.compile(r"^[A-Za-z][A-Za-z.\-]{0,15}$")


def normalise_credential(value: str) -> str | None:
    """The listed spelling of a credential ("pa-c" -> "PA-C"), or None if unknown."""
    return _CREDENTIALS_BY_KEY.get(value.strip().replace(".", "").upper())


class RoleGroup(models.TextChoices):
    """How the team page groups (and filters) people; order = display order."""

    PHYSICIANS = "physicians", "Physicians"
    NURSE_PRACTITIONERS = "nurse-practitioners", "Nurse practitioners"
    PHYSICIAN_ASSISTANTS = "physician-assistants", "Physician assistants"
    DENTISTS = "dentists", "Dentists"
    HYGIENISTS = "hygienists", "Dental hygienists"
    NURSES = "nurses", "Nurses"
    THERAPISTS = "therapists", "Therapists"
    MEDICAL_ASSISTANTS = "medical-assistants", "Medical assistants"
    FRONT_DESK = "front-desk", "Front desk"
    ADMINISTRATION = "administration", "Administration"


# Groups whose members are described as schema.org Physician (a licensed prescriber);
# everyone else is a Person with a jobTitle.
CLINICIAN_GROUPS = frozenset(
    {
        RoleGroup.PHYSICIANS,
        RoleGroup.NURSE_PRACTITIONERS,
        RoleGroup.PHYSICIAN_ASSISTANTS,
        RoleGroup.DENTISTS,
    }
)

LANGUAGES = [
    ("en", "English"), ("es", "Spanish"), ("zh", "Chinese"), ("vi", "Vietnamese"),
    ("tl", "Tagalog"), ("ar", "Arabic"), ("fr", "French"), ("ko", "Korean"),
    ("ru", "Russian"), ("de", "German"), ("ht", "Haitian Creole"), ("hi", "Hindi"),
    ("pt", "Portuguese"), ("it", "Italian"), ("pl", "Polish"), ("ja", "Japanese"),
    ("ur", "Urdu"), ("fa", "Persian"), ("bn", "Bengali"), ("pa", "Punjabi"),
    ("gu", "Gujarati"), ("so", "Somali"), ("am", "Amharic"), ("uk", "Ukrainian"),
    ("he", "Hebrew"), ("el", "Greek"), ("tr", "Turkish"), ("sgn-US", "American Sign Language"),
]  # fmt: skip
LANGUAGE_NAMES = dict(LANGUAGES)
_LANGUAGE_CODES_BY_NAME = {name.lower(): code for code, name in LANGUAGES}


def language_code(value: str) -> str | None:
    """The code for a language given by code or English name ("Spanish" -> "es")."""
    value = value.strip()
    if value in LANGUAGE_NAMES:
        return value
    return _LANGUAGE_CODES_BY_NAME.get(value.lower())


# Questions patients ask most; editors pick one or write their own.
SUGGESTED_QUESTIONS = [
    ("why-medicine", "Why did you choose this field?"),
    ("care-philosophy", "What is your philosophy of care?"),
    ("first-visit", "What should a patient expect at a first visit?"),
    ("best-part", "What is the best part of your day?"),
    ("prevention-tip", "What is one thing every patient can do for their health?"),
    ("outside-work", "What do you enjoy outside of work?"),
    ("languages", "Which languages do you speak with patients?"),
]
QUESTION_TEXT = dict(SUGGESTED_QUESTIONS)


def _read_head(document, size: int = 16) -> bytes:
    with document.open_file() as handle:
        return handle.read(size)


def validate_video_document(document) -> str:
    """Return the MIME type of an MP4/WebM document, or raise ValidationError."""
    extension = document.file_extension.lower()
    if extension not in VIDEO_EXTENSIONS:
        raise ValidationError(f"Upload an MP4 or WebM video (got a .{extension or '?'} file).")
    if video_container(_read_head(document)) != extension:
        raise ValidationError(f"This file is not a valid .{extension} video.")
    return VIDEO_EXTENSIONS[extension]


def validate_captions_document(document) -> None:
    if document.file_extension.lower() != "vtt":
        raise ValidationError("Captions must be a WebVTT (.vtt) file.")
    if not _read_head(document, 9).lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT"):
        raise ValidationError("This captions file does not start with 'WEBVTT'.")


class CredentialBlock(blocks.ChoiceBlock):
    def __init__(self, **kwargs) -> None:
        super().__init__(choices=[(value, value) for value in KNOWN_CREDENTIALS], **kwargs)

    class Meta:
        icon = "tick"
        label = "Credential"


class OtherCredentialBlock(blocks.CharBlock):
    """A credential missing from the list; checked so that a listed one is not retyped."""

    def __init__(self, **kwargs) -> None:
        super().__init__(max_length=16, help_text="Only if it is not in the list.", **kwargs)

    def clean(self, value):
        value = super().clean(value).strip()
        if normalise_credential(value):
            raise ValidationError(f"'{value}' is in the list: choose it as a credential.")
        if not OTHER_CREDENTIAL_PATTERN.match(value):
            raise ValidationError("Use letters, dots and hyphens only (e.g. FAAN).")
        return value

    class Meta:
        icon = "plus"
        label = "Other credential"


class EducationBlock(blocks.StructBlock):
    degree = blocks.CharBlock(max_length=120, help_text="e.g. Doctor of Medicine, Residency")
    institution = blocks.CharBlock(max_length=160)
    year = blocks.IntegerBlock(required=False, min_value=1940, max_value=2100)

    class Meta:
        icon = "doc-full"
        label = "Education"


class CertificationBlock(blocks.StructBlock):
    name = blocks.CharBlock(max_length=160, help_text="e.g. Family Medicine")
    board = blocks.CharBlock(max_length=160, help_text="e.g. American Board of Family Medicine")
    year = blocks.IntegerBlock(required=False, min_value=1940, max_value=2100)

    class Meta:
        icon = "success"
        label = "Board certification"


class LanguageBlock(blocks.ChoiceBlock):
    def __init__(self, **kwargs) -> None:
        super().__init__(choices=LANGUAGES, **kwargs)

    class Meta:
        icon = "globe"
        label = "Language"


class GalleryPhotoBlock(blocks.StructBlock):
    image = ImageChooserBlock(help_text="Its description is the alt text and is required.")
    caption = blocks.CharBlock(max_length=200, required=False)

    class Meta:
        icon = "image"
        label = "Photo"


class VideoFileBlock(blocks.StructBlock):
    """A video uploaded as a Wagtail document (served from media storage)."""

    title = blocks.CharBlock(max_length=120, help_text="Names the video for screen readers.")
    video = DocumentChooserBlock(help_text="MP4 or WebM.")
    poster = ImageChooserBlock(help_text="Shown before the video plays.")
    captions = DocumentChooserBlock(required=False, help_text="WebVTT (.vtt) captions.")
    captions_language = blocks.ChoiceBlock(choices=LANGUAGES, default="en")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        try:
            validate_video_document(value["video"])
        except ValidationError as exc:
            errors["video"] = exc
        if value["captions"] is not None:
            try:
                validate_captions_document(value["captions"])
            except ValidationError as exc:
                errors["captions"] = exc
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value

    class Meta:
        icon = "media"
        label = "Video file"


YOUTUBE_ID = re.compile(
    r"^https?://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?:.*&)?v=|embed/|shorts/)|youtu\.be/)"
    r"([A-Za-z0-9_-]{11})"
)
VIMEO_ID = re.compile(r"^https?://(?:www\.|player\.)?vimeo\.com/(?:video/)?(\d+)")


def player_url(url: str) -> str | None:
    """The privacy-friendly player URL the public CSP allows (frame-src), or None."""
    if match := YOUTUBE_ID.match(url):
        return f"https://www.youtube-nocookie.com/embed/{match.group(1)}"
    if match := VIMEO_ID.match(url):
        return f"https://player.vimeo.com/video/{match.group(1)}?dnt=1"
    return None


class VideoEmbedBlock(blocks.StructBlock):
    """A YouTube or Vimeo video. Wagtail's embed finders validate the URL (EmbedBlock
    looks it up when the page is saved); the public page renders its own player
    iframe on youtube-nocookie.com / player.vimeo.com, the only frame origins the
    CSP allows, instead of the provider's oEmbed HTML."""

    title = blocks.CharBlock(max_length=120, help_text="Names the video for screen readers.")
    url = EmbedBlock(help_text="A YouTube or Vimeo link.")

    def clean(self, value):
        value = super().clean(value)
        if value["url"] is None or player_url(value["url"].url) is None:
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError("Only YouTube and Vimeo videos.")}
            )
        return value

    class Meta:
        icon = "media"
        label = "YouTube or Vimeo video"


class SuggestedQuestionBlock(blocks.StructBlock):
    question = blocks.ChoiceBlock(choices=SUGGESTED_QUESTIONS)
    answer = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "help"
        label = "Suggested question"


class CustomQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=200)
    answer = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "help"
        label = "Own question"


def question_text(block) -> str:
    """The question of a Q&A stream child, whichever kind it is."""
    if block.block_type == "suggested":
        return QUESTION_TEXT.get(block.value["question"], "")
    return block.value["question"]


CREDENTIAL_BLOCKS = [("credential", CredentialBlock()), ("other", OtherCredentialBlock())]
SPECIALTY_BLOCKS = [("specialty", blocks.CharBlock(max_length=80, label="Specialty"))]
LANGUAGE_BLOCKS = [("language", LanguageBlock())]
EDUCATION_BLOCKS = [("education", EducationBlock())]
CERTIFICATION_BLOCKS = [("certification", CertificationBlock())]
GALLERY_BLOCKS = [("photo", GalleryPhotoBlock())]
VIDEO_BLOCKS = [("video_file", VideoFileBlock()), ("video_embed", VideoEmbedBlock())]
QA_BLOCKS = [("suggested", SuggestedQuestionBlock()), ("custom", CustomQuestionBlock())]
LONG_BIO_FEATURES = RICH_TEXT_FEATURES

__all__ = [
    "CLINICIAN_GROUPS",
    "KNOWN_CREDENTIALS",
    "LANGUAGES",
    "SUGGESTED_QUESTIONS",
    "RoleGroup",
    "language_code",
    "normalise_credential",
    "player_url",
    "question_text",
]
