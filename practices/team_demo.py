"""Demo team members for every demo practice (not the agency library): generated
portraits (Pillow, into the practice's collection, with alt text), Q&A, and on the
first member's page a YouTube embed and an uploaded video file with its poster.

The embed is an `Embed` row written directly (what Wagtail's oEmbed finder would have
stored), so loading the demo needs no network access; the video file is rendered
locally by ffmpeg (practices.team_demo_video).
Idempotent: a practice whose team page already has members is left alone.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model

from agency_platform.media.validation import check_image_bytes
from practices.models import Practice, Specialty, TeamMemberPage
from practices.team_demo_video import demo_video_block
from practices.team_selectors import team_index_for

# Big Buck Bunny (Blender Foundation, CC BY 3.0): a stable, public video for the demo.
DEMO_VIDEO_URL = "https://www.youtube.com/watch?v=aqz-KE-bpKQ"
PALETTE = ["#1d4f91", "#0f766e", "#7c3aed", "#b45309", "#be123c"]

# (name, credentials, job title, role group, specialties, languages, card text): each
# demo practice gets people of its own field, so three demo sites read as three
# different practices.
TEAMS = {
    "dentistry": [
        ("Maya Patel", ["DDS"], "General dentist", "dentists", ["Cosmetic dentistry"], ["en"],
         "Maya plans smile makeovers one small, painless step at a time."),
        ("Luis Romero", ["DMD"], "Pediatric dentist", "dentists", ["Pediatrics"], ["en", "es"],
         "Luis turns a child's first check-up into a visit they look forward to."),
        ("Grace Kim", ["RDH"], "Dental hygienist", "hygienists", [], ["en", "ko"],
         "Grace's gentle cleanings win over even the most nervous patients."),
        ("Tom Becker", [], "Office manager", "front-desk", [], ["en"],
         "Tom sorts out insurance questions before you reach the chair."),
    ],
    "dermatology": [
        ("Priya Shah", ["MD", "FAAD"], "Dermatologist", "physicians", ["Skin cancer"],
         ["en", "hi"], "Priya has done over 20,000 skin checks and explains every spot she sees."),
        ("Daniel Weiss", ["MD", "FAAD"], "Mohs surgeon", "physicians", ["Mohs surgery"],
         ["en", "de"], "Daniel removes skin cancers with the smallest possible scar."),
        ("Hannah Cole", ["PA-C"], "Physician assistant", "physician-assistants",
         ["Acne and rosacea"], ["en"], "Hannah builds acne plans that fit a teenager's routine."),
        ("Marcus Bell", ["RN"], "Dermatology nurse", "nurses", [], ["en", "es"],
         "Marcus walks you through aftercare and answers the follow-up calls."),
    ],
    "default": [
        ("Ana Ruiz", ["MD", "FAAFP"], "Family physician", "physicians", ["Sports medicine"],
         ["en", "es"], "Ana has cared for three generations of some River Road families."),
        ("James Okafor", ["DO"], "Family physician", "physicians", ["Geriatrics"], ["en"],
         "James helps older patients stay active and on top of their medications."),
        ("Lena Novak", ["FNP-BC"], "Nurse practitioner", "nurse-practitioners",
         ["Women's health"], ["en", "pl"], "Lena runs our women's health and prenatal clinics."),
        ("Sam Tran", ["PA-C"], "Physician assistant", "physician-assistants", ["Urgent care"],
         ["en", "vi"], "Sam sees most same-day sick visits, often within the hour."),
        ("Rosa Alvarez", [], "Patient coordinator", "front-desk", [], ["en", "es"],
         "Rosa finds you an appointment time and explains what your plan covers."),
    ],
}  # fmt: skip
TEAM_BY_SPECIALTY = {Specialty.DENTISTRY: "dentistry", Specialty.DERMATOLOGY: "dermatology"}


def _answer(text: str) -> str:
    return f"<p>{text}</p>"


QA = [
    ("suggested", {"question": "care-philosophy",
                   "answer": _answer("Listen first, then explain every option in plain words.")}),
    ("suggested", {"question": "first-visit",
                   "answer": _answer("A relaxed talk about your history, goals and questions.")}),
    ("custom", {"question": "What keeps you busy on weekends?",
                "answer": _answer("Hiking with my family and trying new recipes.")}),
]  # fmt: skip


def _portrait_file(name: str, colour: str) -> ImageFile:
    """An illustrated head-and-shoulders portrait with initials (no binary assets)."""
    image = PILImage.new("RGB", (800, 1000), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((140, 640, 660, 1240), fill="#f1f5f9")  # shoulders
    draw.ellipse((250, 230, 550, 570), fill="#f8fafc")  # head
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    draw.text((400, 400), initials, fill=colour, anchor="mm", font_size=120)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    filename = f"{name.lower().replace(' ', '-')}.png"
    # The same checks as every upload, so the demo cannot store what the admin refuses.
    data = check_image_bytes(buffer.getvalue(), filename).data
    return ImageFile(io.BytesIO(data), name=filename)


def _ensure_video_embed() -> None:
    Embed.objects.get_or_create(
        hash=get_embed_hash(DEMO_VIDEO_URL),
        defaults={
            "url": DEMO_VIDEO_URL,
            "max_width": None,
            "type": "video",
            "html": "",  # never rendered: the team page builds its own youtube-nocookie player
            "title": "Big Buck Bunny",
            "provider_name": "YouTube",
            "thumbnail_url": "",
            "width": 640,
            "height": 360,
        },
    )


@transaction.atomic
def _load_team(practice: Practice) -> int:
    index = team_index_for(practice)
    if index is None or TeamMemberPage.objects.child_of(index).exists():
        return 0
    people = TEAMS[TEAM_BY_SPECIALTY.get(practice.specialty, "default")]
    for number, (name, credentials, job, group, specialties, languages, card) in enumerate(people):
        portrait = get_image_model()(
            title=f"{name} portrait",
            description=f"Illustrated portrait of {name}, {job.lower()}",
            collection=practice.collection,
            file=_portrait_file(name, PALETTE[number % len(PALETTE)]),
        )
        portrait._media_origin = "team_photo"  # which renditions to make ahead
        portrait._set_image_file_metadata()
        portrait.save()
        member = TeamMemberPage(
            title=name,
            role_title=job,
            role_group=group,
            portrait=portrait,
            credentials=[("credential", value) for value in credentials],
            specialties=[("specialty", value) for value in specialties],
            languages=[("language", code) for code in languages],
            accepting_new_patients=number != 1,
            short_bio=card,
            long_bio=f"<p>{name} joined {practice.name} and loves getting to know families.</p>",
            qa=QA,
            videos=(
                [
                    ("video_embed", {"title": f"Meet {name}", "url": DEMO_VIDEO_URL}),
                    demo_video_block(practice.collection, name),
                ]
                if number == 0
                else []
            ),
        )
        index.add_child(instance=member)
        member.save_revision().publish()
    return len(people)


def load(write: Callable[[str], None]) -> None:
    _ensure_video_embed()
    for practice in Practice.objects.exclude(specialty=Specialty.AGENCY).select_related("site"):
        created = _load_team(practice)
        if created:
            write(f"  {practice.name}: {created} team members")
