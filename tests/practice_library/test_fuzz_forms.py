"""Hostile input to the library's forms: posts of every kind (with files), replies, what
each activity adds, reports, moderation, and the organizers' activity pages (see
tests/fuzzing.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

from practice_library.models import (
    ActivityPattern,
    Attachment,
    EvidenceItem,
    Follow,
    PatternKind,
    PatternStep,
    Post,
    PostLink,
    Reply,
    Report,
    Reuse,
    Signup,
    Tag,
    VisitRequest,
)
from sessions_app.models import Session
from tests.fuzzing import (
    HOSTILE,
    HOSTILE_TEXT,
    Field,
    FormCase,
    World,
    button,
    checkbox,
    choice,
    date,
    fixed,
    fuzz_form,
    integer,
    several,
    text,
    web_url,
    words,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 25
SCRIPT = b"<html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
GOOD_FILES = [("plan.pdf", PDF), ("photo.png", PNG), ("notes.txt", "Caf\u00e9\n".encode())]
FILE_NAMES = [
    "../../etc/passwd",
    "..\\..\\boot.ini",
    "report\x00.pdf",
    "\u202efdp.exe",
    f"{'n' * 300}.pdf",
    ".pdf",
    "CON.txt",
    "page.pdf.html",
    "image.svg",
    " ",
]
FILE_CONTENTS = [b"", SCRIPT, SVG, PNG + SCRIPT, b"%PDF" + SVG, b"PK\x03\x04" + b"\x00" * 30]


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


GOOD_UPLOAD = st.sampled_from(GOOD_FILES).map(lambda file: _upload(*file))
BAD_UPLOAD = st.builds(
    _upload,
    st.one_of(st.sampled_from(FILE_NAMES), st.sampled_from([name for name, _ in GOOD_FILES])),
    st.one_of(st.sampled_from(FILE_CONTENTS), st.sampled_from([data for _, data in GOOD_FILES])),
)
REPORT_FIELDS = {
    "reason": choice("spam", "harassment", "private", "off_topic", "other"),
    "details": text(1000),
}
FILES = Field(
    st.lists(GOOD_UPLOAD, max_size=2),
    st.one_of(st.lists(st.one_of(GOOD_UPLOAD, BAD_UPLOAD), max_size=5), HOSTILE),
)
TAGS = words("volunteers, youth", "Grant writing", ", ,", "a, A, b")
# The ticked chips a form posts (one checkbox each).
CHIPS = Field(
    st.lists(st.sampled_from(["youth", "Grant writing", "YOUTH", " spaced  out "]), max_size=4),
    st.one_of(st.lists(HOSTILE_TEXT, min_size=1, max_size=9), HOSTILE),
)
LINKS = Field(
    st.sampled_from(["", "Toolkit | https://example.org/toolkit", "example.org\nhttp://x.org"]),
    st.one_of(
        st.sampled_from(["javascript:alert(1)", "a | b | c", "| https://", "data:text/html,x"]),
        HOSTILE_TEXT,
    ),
)
ON_OFF = choice("on", "off")


def _code(post_of: str):
    return lambda world: {"code": getattr(world, post_of).code}


def _post_fields(world: World) -> dict:
    """Every field of every kind of post: a form ignores what its kind doesn't have."""
    return {
        "title": words("Our toolkit", "How do you keep volunteers?"),
        "body": text(300, min_size=0),
        "tags": TAGS,
        "tags_picked": CHIPS,
        "preview": button(),
        "links": LINKS,
        "sessions": several(str(world.session.pk)),
        "members_only": checkbox(),
        "attachments": FILES,
        "asset_url": web_url(),
        "licence_note": text(200, min_size=0),
        "deadline": date(days_ahead=(-3, 30)),
        "site_name": words("Hough Garden"),
        "neighborhood": text(80, min_size=0),
        "visit_kind": choice("offer", "request"),
        **{section: text(100) for section in ("context", "problem", "tried", "outcome")},
        "reusable": text(100, min_size=0),
    }


def _post_create(kind: str) -> FormCase:
    return FormCase(
        "library:post-create",
        "member",
        _post_fields,
        kwargs=lambda world: {"slug": world.pattern(kind).slug},
        watch=(Post, Tag, PostLink, Attachment, Follow),
        label=kind,
    )


def _post_edit_fields(world: World) -> dict:
    return {**_post_fields(world), "remove_attachments": several(str(world.own_attachment.pk))}


def _pattern_fields(world: World) -> dict:
    """The activity's texts and its two step formsets, with the saved steps."""
    pattern = world.pattern(PatternKind.QUESTION)
    others = ActivityPattern.objects.exclude(pk=pattern.pk).values_list("pk", flat=True)
    fields = {
        "purpose": text(200),
        "invitation": text(300),
        "when_to_use": text(100, min_size=0),
        "online_and_in_room": text(100, min_size=0),
        "group_size": text(120, min_size=0),
        "materials": text(100, min_size=0),
        "tips_and_traps": text(100, min_size=0),
        "example_prompts": text(100, min_size=0),
        "post_template": text(100, min_size=0),
        "related": several(*map(str, others)),
    }
    for prefix, format_ in (("brief", "brief"), ("in_depth", "in-depth")):
        steps = list(pattern.steps.filter(format=format_).order_by("position", "id"))
        fields |= {
            f"{prefix}-TOTAL_FORMS": fixed(str(len(steps) + 1)),
            f"{prefix}-INITIAL_FORMS": fixed(str(len(steps))),
        }
        for index in range(len(steps) + 1):
            fields |= {
                f"{prefix}-{index}-minutes": integer(1, 240),
                f"{prefix}-{index}-text": text(300),
                f"{prefix}-{index}-ORDER": integer(1, 20),
            }
            if index < len(steps):
                fields[f"{prefix}-{index}-id"] = fixed(str(steps[index].pk))
                fields[f"{prefix}-{index}-DELETE"] = checkbox()
    return fields


FORMS = [
    *(_post_create(kind) for kind in PatternKind.values),
    FormCase(
        "library:ask",
        "member",
        {
            "title": words("Who can translate a flyer?", "Where do we get permits?"),
            "need": choice("requests-for-information", "problem-solving", "seeking-experience"),
            "body": text(300, min_size=0),
            "tags": TAGS,
            "tags_picked": CHIPS,
            "preview": button(),
        },
        watch=(Post, Tag, Follow),
    ),
    FormCase(
        "library:post-edit",
        "member",
        _post_edit_fields,
        kwargs=_code("own_question"),
        watch=(Post, Tag, PostLink, Attachment),
    ),
    FormCase("library:post-delete", "member", {}, kwargs=_code("own_question")),
    FormCase(
        "library:post-report",
        "member",
        REPORT_FIELDS,
        kwargs=_code("others_post"),
        watch=(Report,),
    ),
    FormCase(
        "library:post-follow",
        "member",
        {"action": ON_OFF},
        kwargs=_code("others_post"),
        watch=(Follow,),
    ),
    FormCase(
        "library:post-reuse", "member", {"action": ON_OFF}, kwargs=_code("asset"), watch=(Reuse,)
    ),
    FormCase(
        "library:post-signup",
        "member",
        {"action": ON_OFF},
        kwargs=_code("coordination"),
        watch=(Signup,),
    ),
    FormCase(
        "library:visit-request-create",
        "member",
        {"message": text(2000)},
        kwargs=_code("visit"),
        watch=(VisitRequest,),
    ),
    FormCase(
        "library:evidence-create",
        "member",
        {"source": text(300), "shows": text(2000)},
        kwargs=_code("argument"),
        watch=(EvidenceItem,),
    ),
    FormCase(
        "library:reply-create",
        "member",
        {"body": text(10_000)},
        kwargs=_code("others_post"),
        watch=(Reply, Follow),
    ),
    FormCase(
        "library:reply-edit",
        "member",
        {"body": text(10_000)},
        kwargs=lambda world: {"code": world.others_post.code, "reply_id": world.own_reply.pk},
        watch=(Reply,),
    ),
    FormCase(
        "library:reply-delete",
        "member",
        {},
        kwargs=lambda world: {"code": world.others_post.code, "reply_id": world.own_reply.pk},
    ),
    FormCase(
        "library:answer-set",
        "member",
        {"action": ON_OFF},
        kwargs=lambda world: {"code": world.own_question.code, "reply_id": world.answer.pk},
    ),
    FormCase(
        "library:reply-report",
        "member",
        REPORT_FIELDS,
        kwargs=lambda world: {"code": world.own_question.code, "reply_id": world.answer.pk},
        watch=(Report,),
    ),
    # Organizers
    FormCase(
        "library:post-moderate",
        "organizer",
        {"action": choice("hide", "restore", "lock", "unlock")},
        kwargs=_code("others_post"),
    ),
    FormCase(
        "library:reply-moderate",
        "organizer",
        {"action": choice("hide", "restore")},
        kwargs=lambda world: {"code": world.own_question.code, "reply_id": world.answer.pk},
    ),
    FormCase(
        "library:report-resolve",
        "organizer",
        {"action": choice("hide", "dismiss")},
        kwargs=lambda world: {"report_id": world.report.pk},
    ),
    FormCase(
        "library:pattern-edit",
        "organizer",
        _pattern_fields,
        kwargs=lambda world: {"slug": world.pattern(PatternKind.QUESTION).slug},
        watch=(ActivityPattern, PatternStep),
    ),
    FormCase(
        "library:session-focus",
        "organizer",
        lambda world: {
            "activities": several(*map(str, ActivityPattern.objects.values_list("pk", flat=True)))
        },
        kwargs=lambda world: {"session_slug": world.session.slug},
        watch=(Session.focus_activities.through,),
    ),
]

# Every kind of post is fuzzed, but each with fewer examples: their forms share most fields.
COUNTS = {"library:post-create": 10}


@pytest.mark.parametrize("case", FORMS, ids=str)
def test_form_survives_hostile_input(case, member, other_member, organizer):
    world = World(member=member, other_member=other_member, organizer=organizer)
    fuzz_form(case, world, count=COUNTS.get(case.name, 25))
