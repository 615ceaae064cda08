"""Team showcase: validation, public pages (renditions, filters, structured data, video),
query budget, isolation in the admin, and the CSV import command."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from blog.models import BlogIndexPage, BlogPostPage
from practices.models import TeamIndexPage, TeamMemberPage
from practices.models.team_blocks import VideoEmbedBlock, player_url
from tests.blog.factories import AuthorFactory
from tests.practices.places_fixtures import add_location
from tests.practices.team_fixtures import (
    MP4_BYTES,
    VTT_BYTES,
    WEBM_BYTES,
    add_member,
    document,
    portrait,
    team_index,
    write_photo,
)

pytestmark = pytest.mark.django_db
HOST_A = "alpha.example.test"
YOUTUBE_URL = "https://www.youtube.com/watch?v=aqz-KE-bpKQ"


class _Collect(HTMLParser):
    """Start tags with their attributes, and the JSON-LD payloads, of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.json_ld: list[str] = []
        self._in_json = False

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        self._in_json = tag == "script" and attributes.get("type") == "application/ld+json"

    def handle_endtag(self, tag):
        self._in_json = False

    def handle_data(self, data):
        if self._in_json:
            self.json_ld.append(data)


def parse(html: str) -> _Collect:
    collected = _Collect()
    collected.feed(html)
    return collected


def get(client, path: str) -> str:
    response = client.get(path, HTTP_HOST=HOST_A)
    assert response.status_code == 200, path
    return response.content.decode()


# --- model validation -------------------------------------------------------------------
def test_portrait_without_alt_text_is_refused(practice_a) -> None:
    practice = practice_a.practice
    image = portrait(practice, "No alt", description="  ")
    with pytest.raises(ValidationError) as error:
        add_member(practice, "Ana Ruiz", image=image)
    assert "no alt text" in " ".join(error.value.message_dict["portrait"])
    assert not TeamMemberPage.objects.filter(title="Ana Ruiz").exists()


def test_portrait_is_required(practice_a) -> None:
    index = team_index(practice_a.practice)
    member = TeamMemberPage(title="Ana Ruiz", role_title="Family physician")
    with pytest.raises(ValidationError) as error:
        index.add_child(instance=member)
    assert error.value.message_dict["portrait"] == ["This field cannot be blank."]


def test_credentials_are_validated(practice_a) -> None:
    practice = practice_a.practice
    member = add_member(practice, "Ana Ruiz", credentials=("MD", "FAAFP"))
    assert member.display_name == "Ana Ruiz, MD, FAAFP"

    member.credentials = [("credential", "XYZ"), ("credential", "MD"), ("credential", "MD")]
    member.credentials.append(("other", "pa-c"))
    member.credentials.append(("other", "F@KE"))
    with pytest.raises(ValidationError) as error:
        member.full_clean()
    messages = error.value.message_dict["credentials"]
    assert "'XYZ' is not a known credential." in messages
    assert "'MD' is listed twice." in messages
    assert "'pa-c' is in the list: choose it as a credential." in messages
    assert "'F@KE': use letters, dots and hyphens only." in messages

    member.credentials = [("credential", "DO"), ("other", "FAAN")]
    member.full_clean()  # an unlisted credential is allowed when entered explicitly
    assert member.credential_list == ["DO", "FAAN"]


def test_gallery_photos_need_alt_text_and_videos_must_be_real(practice_a) -> None:
    practice = practice_a.practice
    member = add_member(practice, "Ana Ruiz")
    poster = portrait(practice, "Poster", "Dr. Ruiz in the clinic")
    fake = document(practice, "tour.mp4", b"this is not a video")
    text = document(practice, "notes.txt", b"hello")
    bad_captions = document(practice, "captions.vtt", b"1\n00:00 --> 00:01\nhi")
    member.gallery = [("photo", {"image": portrait(practice, "Lobby", ""), "caption": "Lobby"})]
    member.videos = [
        ("video_file", {"title": "Tour", "video": fake, "poster": poster, "captions": None}),
        ("video_file", {"title": "Notes", "video": text, "poster": poster,
                        "captions": bad_captions}),
    ]  # fmt: skip
    with pytest.raises(ValidationError) as error:
        member.full_clean()
    assert "'Lobby': This photo has no alt text" in error.value.message_dict["gallery"][0]
    videos = error.value.message_dict["videos"]
    assert "tour.mp4: This file is not a valid .mp4 video." in videos
    assert "notes.txt: Upload an MP4 or WebM video (got a .txt file)." in videos
    assert "captions.vtt: This captions file does not start with 'WEBVTT'." in videos


def test_embed_block_validates_through_wagtail_embeds_without_network(practice_a) -> None:
    # A stored Embed row is what Wagtail's finders would have fetched; no network here.
    Embed.objects.create(
        url=YOUTUBE_URL, max_width=None, hash=get_embed_hash(YOUTUBE_URL), type="video",
        html='<iframe src="https://www.youtube.com/embed/aqz-KE-bpKQ"></iframe>',
        title="Big Buck Bunny", provider_name="YouTube", thumbnail_url="", width=480, height=270,
    )  # fmt: skip
    block = VideoEmbedBlock()
    value = block.clean(block.to_python({"title": "Tour", "url": YOUTUBE_URL}))
    assert value["url"].url == YOUTUBE_URL
    assert player_url(YOUTUBE_URL) == "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"
    assert (
        player_url("https://vimeo.com/76979871") == "https://player.vimeo.com/video/76979871?dnt=1"
    )
    assert player_url("https://evil.example/watch?v=aqz-KE-bpKQ") is None


def test_team_index_accepts_only_member_pages() -> None:
    assert TeamIndexPage.subpage_types == ["practices.TeamMemberPage"]
    assert TeamMemberPage.parent_page_types == ["practices.TeamIndexPage"]


# --- public pages -----------------------------------------------------------------------
def test_team_index_grid_has_responsive_lazy_portraits_in_tree_order(client, practice_a) -> None:
    practice = practice_a.practice
    names = [f"Member {n}" for n in range(6)]
    for name in names:
        add_member(practice, name)
    add_member(practice, "Draft Person", publish=False)
    html = get(client, "/team/")
    doc = parse(html)

    cards = re.findall(r'class="team-card__name"><a href="([^"]+)">([^<]+)</a>', html)
    assert [title for _, title in cards] == [f"{name}, MD" for name in names]
    assert cards[0][0] == "/team/member-0/"
    assert "Draft Person" not in html

    images = [
        attrs for tag, attrs in doc.tags if tag == "img" and "team-card__photo" in attrs["class"]
    ]
    assert len(images) == 6
    for number, attrs in enumerate(images):
        assert attrs["alt"] == f"Portrait of Member {number}"
        # Explicit dimensions (the 4:5 crop) so the grid does not shift while loading.
        assert (attrs["width"], attrs["height"]) == ("320", "400")
        widths = re.findall(r" (\d+)w", attrs["srcset"])
        assert widths == ["320", "480", "640"]
        assert attrs["loading"] == ("eager" if number < 4 else "lazy")
    webp_sources = [a for tag, a in doc.tags if tag == "source" and a.get("type") == "image/webp"]
    assert len(webp_sources) == 6
    assert all(".webp" in source["srcset"] for source in webp_sources)
    assert '<a class="button" href="/contact/">Request an appointment</a>' in html
    assert '<link rel="stylesheet" href="/static/css/team.css">' in html or "team.css" in html


def test_team_index_groups_by_role_then_location(client, practice_a) -> None:
    practice = practice_a.practice
    add_member(practice, "Front Desk Fay", role_group="front-desk", role_title="Receptionist",
               credentials=())  # fmt: skip
    add_member(practice, "Dr Ann", role_group="physicians")
    html = get(client, "/team/")
    assert html.index(">Physicians</h2>") < html.index(">Front desk</h2>")
    # One location (none linked): no location grouping or filter.
    assert "team-filter-location" not in html
    assert "team-location-" not in html

    north = add_location(practice, "North Clinic")
    south = add_location(practice, "South Clinic")
    add_member(practice, "Dr North", locations=[north])
    add_member(practice, "Dr South", locations=[south])
    html = get(client, "/team/")
    assert '<h2 id="team-location-north-clinic">North Clinic</h2>' in html
    assert '<h3 id="team-group-north-clinic-physicians">Physicians</h3>' in html
    assert '<select id="team-filter-location" name="location">' in html


def test_filters_by_role_specialty_and_language_without_javascript(client, practice_a) -> None:
    practice = practice_a.practice
    add_member(practice, "Ana Ruiz", specialties=("Sports medicine",), languages=("en", "es"))
    add_member(practice, "Ben Cho", specialties=("Geriatrics",), languages=("en", "ko"))
    add_member(practice, "Cara Diaz", role_group="nurse-practitioners", credentials=("NP",),
               role_title="Nurse practitioner", languages=("es",))  # fmt: skip

    def shown(query: str) -> list[str]:
        html = get(client, f"/team/{query}")
        return re.findall(r'class="team-card__name"><a href="[^"]+">([^,<]+)', html)

    assert shown("") == ["Ana Ruiz", "Ben Cho", "Cara Diaz"]
    assert shown("?language=spanish") == ["Ana Ruiz", "Cara Diaz"]
    assert shown("?role=physicians&language=spanish") == ["Ana Ruiz"]
    assert shown("?specialty=geriatrics") == ["Ben Cho"]
    assert shown("?role=nurse-practitioners") == ["Cara Diaz"]
    assert shown("?language=klingon") == ["Ana Ruiz", "Ben Cho", "Cara Diaz"]  # ignored

    html = get(client, "/team/?role=physicians&language=spanish")
    assert '<form class="team-filters" method="get" action="/team/"' in html
    assert '<option value="spanish" selected>Spanish</option>' in html
    assert '<option value="physicians" selected>Physicians</option>' in html
    assert "Showing 1 of 3 team members." in html
    assert '<a href="/team/">Clear filters</a>' in html
    assert "<script" not in html.split("</head>")[1]  # no JavaScript needed (or present)

    html = get(client, "/team/?specialty=geriatrics&language=spanish")
    assert "No team members match these filters." in html


def _member_with_everything(practice):
    author = AuthorFactory(name="Dr. Ana Ruiz", practice=practice)
    poster = portrait(practice, "Poster", "Dr. Ruiz in the exam room")
    video = document(practice, "tour.webm", WEBM_BYTES, "Clinic tour")
    captions = document(practice, "tour.vtt", VTT_BYTES, "Tour captions")
    mp4 = document(practice, "hello.mp4", MP4_BYTES, "Hello")
    Embed.objects.create(
        url=YOUTUBE_URL, max_width=None, hash=get_embed_hash(YOUTUBE_URL), type="video",
        html="<iframe></iframe>", title="Behind the scenes", provider_name="YouTube",
        thumbnail_url="",
    )  # fmt: skip
    member = add_member(
        practice, "Ana Ruiz", credentials=("MD", "FAAFP"), specialties=("Sports medicine",),
        languages=("en", "es"), role_title="Family physician", author=author,
        short_bio="Dr. Ruiz cares for families & athletes.",
        long_bio="<p>She trained in <b>Austin</b>.</p>",
        education=[("education", {"degree": "MD", "institution": "UT Southwestern", "year": 2008})],
        certifications=[("certification", {"name": "Family Medicine",
                                           "board": "American Board of Family Medicine",
                                           "year": 2011})],
        qa=[("suggested", {"question": "care-philosophy", "answer": "<p>Listen first.</p>"}),
            ("custom", {"question": "Favourite trail?", "answer": "<p>Barton Creek.</p>"})],
        videos=[("video_file", {"title": "Clinic tour", "video": video, "poster": poster,
                                "captions": captions, "captions_language": "en"}),
                ("video_file", {"title": "Hello", "video": mp4, "poster": poster,
                                "captions": None, "captions_language": "en"}),
                ("video_embed", {"title": "Behind the scenes", "url": YOUTUBE_URL})],
        gallery=[("photo", {"image": portrait(practice, "Team lunch", "The team at lunch"),
                            "caption": "Team lunch"})],
    )  # fmt: skip
    return member, author


def test_member_page_renders_profile_qa_videos_and_call_to_action(client, practice_a) -> None:
    practice = practice_a.practice
    _, author = _member_with_everything(practice)
    blog = BlogIndexPage.objects.descendant_of(practice.site.root_page).get()
    now = timezone.now()
    post = BlogPostPage(title="Knee pain in runners", slug="knee-pain", date=now, author=author,
                        first_published_at=now, last_published_at=now)  # fmt: skip
    blog.add_child(instance=post)
    html = get(client, "/team/ana-ruiz/")
    doc = parse(html)

    assert "<h1>Ana Ruiz, MD, FAAFP</h1>" in html
    assert "Accepting new patients" in html
    assert '<a class="button team-member__cta" href="/contact/?provider=ana-ruiz">' in html
    assert "Request an appointment with Ana Ruiz</a>" in html
    # Q&A: an accessible disclosure list.
    assert "<summary>What is your philosophy of care?</summary>" in html
    assert "<summary>Favourite trail?</summary>" in html
    assert "<p>Barton Creek.</p>" in html
    # Videos: native player with poster and captions; the embed on the CSP's allowed origin.
    videos = [attrs for tag, attrs in doc.tags if tag == "video"]
    assert len(videos) == 2
    assert all(v["preload"] == "none" and "controls" in v for v in videos)
    assert re.fullmatch(r"/media/practices/alpha/images/[0-9a-f]{16}/.+\.png", videos[0]["poster"])
    sources = [
        attrs for tag, attrs in doc.tags if tag == "source" and "video/" in attrs.get("type", "")
    ]
    assert [s["type"] for s in sources] == ["video/webm", "video/mp4"]
    # Videos and captions go through Wagtail's document view, which checks the host and
    # redirects to a fresh signed URL on S3: cached pages never hold an expiring URL.
    assert re.fullmatch(r"/documents/\d+/tour[^/]*\.webm", sources[0]["src"])
    tracks = [attrs for tag, attrs in doc.tags if tag == "track"]
    assert len(tracks) == 1  # only the video that has a captions file
    assert (tracks[0]["kind"], tracks[0]["srclang"]) == ("captions", "en")
    assert re.fullmatch(r"/documents/\d+/tour[^/]*\.vtt", tracks[0]["src"])
    video = client.get(sources[0]["src"], HTTP_HOST=HOST_A)
    assert (video.status_code, video["Content-Type"]) == (200, "video/webm")
    frames = [attrs for tag, attrs in doc.tags if tag == "iframe"]
    assert frames == [{
        "src": "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ", "title": "Behind the scenes",
        "loading": "lazy", "allow": "fullscreen; picture-in-picture", "allowfullscreen": "",
        "referrerpolicy": "strict-origin-when-cross-origin",
    }]  # fmt: skip
    # Hero portrait, gallery alt text, education, the member's posts.
    hero = next(a for tag, a in doc.tags if tag == "img" and a.get("fetchpriority") == "high")
    assert hero["alt"] == "Portrait of Ana Ruiz"
    assert re.findall(r" (\d+)w", hero["srcset"]) == ["480", "720", "960"]
    assert any(a.get("alt") == "The team at lunch" for tag, a in doc.tags if tag == "img")
    assert "MD, UT Southwestern (2008)" in html
    assert '<a href="/blog/knee-pain/">Knee pain in runners</a>' in html
    # Open Graph card with the portrait.
    og_image = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert og_image.startswith(f"http://{HOST_A}/media/practices/alpha/images/")
    # 1200x630 crop around the focal point, not upscaled beyond the 1000px source.
    assert '<meta property="og:image:width" content="1000">' in html
    og_height = int(re.search(r'<meta property="og:image:height" content="(\d+)">', html).group(1))
    assert round(1000 / og_height, 2) == round(1200 / 630, 2)
    assert '<meta property="og:image:alt" content="Portrait of Ana Ruiz">' in html
    assert 'style="' not in html  # the public CSP forbids inline styles
    assert "<style" not in html


def test_member_json_ld_is_valid_physician_or_person(client, practice_a) -> None:
    practice = practice_a.practice
    _member_with_everything(practice)
    add_member(practice, "Fay Lee", role_group="front-desk", role_title="Front desk lead",
               credentials=())  # fmt: skip

    (payload,) = parse(get(client, "/team/ana-ruiz/")).json_ld
    data = json.loads(payload)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == ["Physician", "Person"]
    assert data["name"] == "Ana Ruiz"
    assert data["jobTitle"] == "Family physician"
    assert data["honorificSuffix"] == "MD, FAAFP"
    assert data["knowsLanguage"] == ["English", "Spanish"]
    assert data["image"].startswith(f"http://{HOST_A}/media/practices/alpha/images/")
    assert data["url"] == f"http://{HOST_A}/team/ana-ruiz/"
    for key in ("worksFor", "memberOf"):
        assert data[key] == {"@type": "MedicalClinic", "name": "Alpha Family Care",
                             "url": f"http://{HOST_A}/"}  # fmt: skip
    assert data["hasCredential"][0]["recognizedBy"]["name"] == "American Board of Family Medicine"
    # Escaped like json_script: "&" in the bio cannot break out of the script element.
    assert "\\u0026 athletes" in payload
    assert "& athletes" not in payload

    (payload,) = parse(get(client, "/team/fay-lee/")).json_ld
    data = json.loads(payload)
    assert data["@type"] == "Person"
    assert data["jobTitle"] == "Front desk lead"
    assert data["worksFor"]["name"] == "Alpha Family Care"


# --- query budget -----------------------------------------------------------------------
# Warm, the team (members, portraits, card renditions) is kept with the routed page
# (practices.routing): no query at any team size. The first view after a change makes
# the missing card renditions while routing, so a kept team never lacks them.
TEAM_INDEX_BUDGET = 0


def _count_queries(client, path: str) -> int:
    client.get(path, HTTP_HOST=HOST_A)  # renditions are created on first view; measure the next
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_HOST=HOST_A)
    assert response.status_code == 200
    assert response.content.decode().count('class="card team-card"') > 0
    return len(queries)


def test_team_index_query_count_is_constant_from_3_to_60_members(client, practice_a) -> None:
    practice = practice_a.practice
    image = portrait(practice, "Shared", "A team member")
    for number in range(3):
        add_member(practice, f"Member {number}", image=image if number else None,
                   languages=("en", "es"), specialties=("Pediatrics",))  # fmt: skip
    small = {path: _count_queries(client, path) for path in ("/team/", "/team/?language=spanish")}
    for number in range(3, 60):
        add_member(practice, f"Member {number}", image=image if number % 2 else None,
                   languages=("en",), specialties=("Geriatrics",))  # fmt: skip
    large = {path: _count_queries(client, path) for path in ("/team/", "/team/?language=spanish")}
    html = get(client, "/team/")
    assert html.count('class="card team-card"') == 60
    print(f"team index queries: 3 members {small}, 60 members {large}")
    assert small == large
    assert large["/team/"] <= TEAM_INDEX_BUDGET, large


# --- isolation --------------------------------------------------------------------------
def test_editor_of_a_cannot_see_or_choose_bs_members_or_photos(client, practice_a, practice_b):
    b_member = add_member(practice_b.practice, "Secret Bravo Doctor")
    b_image = b_member.portrait
    b_index = team_index(practice_b.practice)
    add_member(practice_a.practice, "Alpha Doctor")

    for user in (practice_a.editor, practice_a.moderator):
        client.force_login(user)
        denied = [
            reverse("wagtailadmin_pages:edit", args=[b_member.pk]),
            reverse("wagtailadmin_explore", args=[b_index.pk]),
            reverse("wagtailadmin_pages:preview_on_edit", args=[b_member.pk]),
            reverse("wagtailadmin_choose_page_child", args=[b_index.pk]),
            reverse("wagtailimages:edit", args=[b_image.pk]),
            reverse("wagtailimages_chooser:chosen", args=[b_image.pk]),
        ]
        for url in denied:
            response = client.get(url, HTTP_HOST=HOST_A)
            assert response.status_code in (403, 404), url
            assert "Secret Bravo" not in response.content.decode(), url
        listings = [
            reverse("wagtailadmin_choose_page_search") + "?q=Doctor",
            reverse("wagtailadmin_pages:search") + "?q=Doctor",
            reverse("wagtailimages_chooser:choose_results") + "?q=portrait",
            reverse("wagtailimages:index") + "?q=portrait",
        ]
        for url in listings:
            html = client.get(url, HTTP_HOST=HOST_A).content.decode()
            assert "Secret Bravo" not in html, url
        own = client.get(reverse("wagtailadmin_choose_page_search") + "?q=Doctor", HTTP_HOST=HOST_A)
        assert "Alpha Doctor" in own.content.decode()
        images = client.get(reverse("wagtailimages_chooser:choose"), HTTP_HOST=HOST_A)
        assert "Alpha Doctor portrait" in images.content.decode()


# --- CSV import -------------------------------------------------------------------------
CSV_HEADER = (
    "name,credentials,role,role_group,photo,alt_text,specialties,languages,accepting_new_patients\n"
)


def test_import_team_creates_updates_and_reports_bad_rows(practice_a, tmp_path, capsys) -> None:
    practice = practice_a.practice
    photos = tmp_path / "photos"
    photos.mkdir()
    write_photo(photos, "ana.png", "#aa3300")
    write_photo(photos, "ben.png", "#0033aa")
    csv_file = tmp_path / "team.csv"
    csv_file.write_text(
        CSV_HEADER + "Ana Ruiz,MD;faafp,Family physician,Physicians,ana.png,Dr. Ruiz smiling,"
        "Sports medicine;Geriatrics,English;Spanish,yes\n"
        + "Ben Cho,XYZ,Physician,physicians,ben.png,Dr. Cho,,,no\n"
        + "Cara Diaz,NP,Nurse practitioner,nurse-practitioners,missing.png,Cara,,,\n"
        + "Dan Ekk,MD,Physician,physicians,ben.png,,,,\n"
        + "Ana Ruiz,MD,Family physician,physicians,ana.png,Again,,,\n"
        + "Eve Fox,,Front desk lead,front desk,ben.png,Eve at the desk,,es,\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"4 row\(s\) failed"):
        call_command(
            "import_team", "--practice", "alpha", str(csv_file), "--photos-dir", str(photos)
        )
    out, err = capsys.readouterr()
    assert "2 created, 0 updated, 4 failed" in out
    assert (
        f"{csv_file}:3: credentials: unknown credential 'XYZ' (e.g. MD, DO, NP, PA-C, DDS)" in err
    )
    assert f"{csv_file}:4: photo: 'missing.png' not found in the photos folder" in err
    assert f"{csv_file}:5: alt_text: is required: describe the photo for screen-reader users" in err
    assert f"{csv_file}:6: name: duplicate of line 2 (same member 'ana-ruiz')" in err

    members = {m.slug: m for m in TeamMemberPage.objects.live().child_of(team_index(practice))}
    assert sorted(members) == ["ana-ruiz", "eve-fox"]
    ana = members["ana-ruiz"]
    assert ana.credential_list == ["MD", "FAAFP"]
    assert ana.role_group == "physicians"
    assert ana.specialty_list == ["Sports medicine", "Geriatrics"]
    assert ana.language_list == ["English", "Spanish"]
    assert ana.portrait.description == "Dr. Ruiz smiling"
    assert ana.portrait.collection_id == practice.collection_id
    assert members["eve-fox"].role_group == "front-desk"
    assert not TeamMemberPage.objects.filter(slug__in=["ben-cho", "cara-diaz", "dan-ekk"]).exists()

    # Re-running a fixed file updates by slug; identical photos are not stored twice.
    image_count = type(ana.portrait).objects.count()
    csv_file.write_text(
        CSV_HEADER
        + "Ana Ruiz,DO,Sports physician,physicians,ana.png,Dr. Ruiz outdoors,,English,no\n"
        + "Ben Cho,MD,Physician,physicians,ben.png,Dr. Cho,,,\n",
        encoding="utf-8",
    )
    call_command("import_team", "--practice", "alpha", str(csv_file), "--photos-dir", str(photos))
    out, _ = capsys.readouterr()
    assert "1 created, 1 updated, 0 failed" in out
    ana = TeamMemberPage.objects.get(pk=ana.pk)
    assert (ana.credential_list, ana.role_title, ana.accepting_new_patients) == (
        ["DO"], "Sports physician", False,
    )  # fmt: skip
    assert ana.portrait.description == "Dr. Ruiz outdoors"
    assert type(ana.portrait).objects.count() == image_count  # ben.png reused for Ben


def test_import_team_dry_run_writes_nothing(practice_a, tmp_path, capsys) -> None:
    photos = tmp_path
    write_photo(photos, "ana.png")
    csv_file = tmp_path / "team.csv"
    csv_file.write_text(CSV_HEADER + "Ana Ruiz,MD,Physician,physicians,ana.png,Dr. Ruiz,,,\n")
    call_command(
        "import_team", "--practice", "alpha", str(csv_file), "--photos-dir", str(photos),
        "--dry-run",
    )  # fmt: skip
    out, _ = capsys.readouterr()
    assert "1 created, 0 updated, 0 failed (dry run: nothing was written)" in out
    assert not TeamMemberPage.objects.exists()


def test_import_team_refuses_a_bad_file_or_practice(practice_a, tmp_path) -> None:
    csv_file = tmp_path / "team.csv"
    csv_file.write_text("name,role,colour\nAna,Physician,red\n")
    with pytest.raises(CommandError, match=r"missing column\(s\): role_group"):
        call_command("import_team", "--practice", "alpha", str(csv_file))
    with pytest.raises(CommandError, match="no practice with slug 'nope'"):
        call_command("import_team", "--practice", "nope", str(csv_file))


# --- demo content -----------------------------------------------------------------------
def test_demo_loader_gives_each_practice_a_team_once(client, practice_a, practice_b) -> None:
    from practices import team_demo

    lines: list[str] = []
    team_demo.load(lines.append)
    team_demo.load(lines.append)  # idempotent
    # Each practice gets people of its own field (a dermatology team for Bravo).
    assert lines == ["  Alpha Family Care: 5 team members", "  Bravo Dermatology: 4 team members"]
    assert TeamMemberPage.objects.filter(title="Priya Shah", role_title="Dermatologist").exists()
    html = get(client, "/team/")
    assert html.count('class="card team-card"') == 5
    assert 'alt="Illustrated portrait of Ana Ruiz, family physician"' in html
    profile = get(client, "/team/ana-ruiz/")
    assert 'src="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"' in profile
    assert "<summary>What is your philosophy of care?</summary>" in profile
