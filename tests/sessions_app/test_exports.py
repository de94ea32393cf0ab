"""The attendee list to download, as CSV and as an Excel workbook, parsed back."""

import codecs
import csv
import io
import zipfile
from datetime import datetime, timedelta

import openpyxl
import pytest
from django.urls import reverse

from sessions_app.models import AttendAs, CheckInBy, Rsvp, RsvpStatus, Session, WalkIn
from tests.clock import local
from tests.factories import make_rsvp, make_session, make_user, make_venue

pytestmark = pytest.mark.django_db

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADER = [
    "Name",
    "Email",
    "Organization",
    "Member or guest",
    "How they came",
    "Status",
    "Waitlist position",
    "People",
    "Checked in",
    "Answered at (Cleveland time)",
    "Checked in at (Cleveland time)",
]


def walk_in(session, *, at: datetime, **fields) -> WalkIn:
    row = WalkIn.objects.create(session=session, **fields)
    WalkIn.objects.filter(pk=row.pk).update(created=at)
    return row


@pytest.fixture
def session(db) -> Session:
    return make_session(
        slug="tenant-organizing",
        title="Community of Practice",
        topic="Tenant organizing",
        venue=make_venue(capacity=10),
        starts_at=local(2027, 3, 17, 18),
    )


@pytest.fixture
def evening(session) -> Session:
    """One of each: going in person (checked in at the door, and by QR code), online,
    both waitlists, a cancelled RSVP, a named walk-in of three and a QR walk-in.
    Times carry microseconds, as the database keeps them."""
    dana = make_user(display_name="Dana Member", email="dana@example.com")
    make_rsvp(
        session,
        user=dana,
        organization="Hough Block Club",
        queued_at=local(2027, 1, 3, 10, 30, 5, 482913),
        checked_in_at=local(2027, 3, 17, 17, 55, 12, 999999),
        checked_in_by=CheckInBy.DOOR,
    )
    make_rsvp(
        session,
        name="Sam Scanner",
        organization="Café Réunion",
        queued_at=local(2027, 1, 3, 11),
        checked_in_at=local(2027, 3, 17, 18, 2, 11, 123456),
        checked_in_by=CheckInBy.SELF,
    )
    make_rsvp(
        session, name="Omar Online", attend_as=AttendAs.ONLINE, queued_at=local(2027, 1, 4, 8)
    )
    make_rsvp(
        session,
        name="Wendy Waiting",
        status=RsvpStatus.WAITLISTED,
        queued_at=local(2027, 1, 6, 9),
    )
    make_rsvp(
        session,
        name="Walt Waiting",
        status=RsvpStatus.WAITLISTED,
        queued_at=local(2027, 1, 5, 9),
    )
    make_rsvp(
        session,
        name="Oona Online",
        attend_as=AttendAs.ONLINE,
        status=RsvpStatus.WAITLISTED,
        queued_at=local(2027, 1, 7, 9),
    )
    make_rsvp(session, name="Cal Cancelled", status=RsvpStatus.CANCELLED)
    walk_in(session, name="Pat Door", count=3, at=local(2027, 3, 17, 18, 5, 0, 250000))
    walk_in(session, name="Quinn QR", self_check_in=True, at=local(2027, 3, 17, 18, 9, 30, 1))
    return session


def csv_url(session) -> str:
    return reverse("sessions:session-attendees-csv", kwargs={"slug": session.slug})


def xlsx_url(session) -> str:
    return reverse("sessions:session-attendees-xlsx", kwargs={"slug": session.slug})


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def read_workbook(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(response.content))


def sheet_rows(sheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


# CSV


def test_csv_is_one_table_with_walk_ins_as_rows(organizer_client, evening):
    response = organizer_client.get(csv_url(evening))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="tenant-organizing-attendees.csv"'
    )
    assert "no-store" in cache_directives(response)
    assert read_csv(response) == [
        HEADER,
        [
            "Dana Member",
            "dana@example.com",
            "Hough Block Club",
            "Member",
            "RSVP, in person",
            "Going",
            "",
            "1",
            "At the door",
            "2027-01-03T10:30:05-05:00",
            "2027-03-17T17:55:12-04:00",
        ],
        [
            "Sam Scanner",
            "sam.scanner@example.org",
            "Café Réunion",
            "Guest",
            "RSVP, in person",
            "Going",
            "",
            "1",
            "Self check-in",
            "2027-01-03T11:00:00-05:00",
            "2027-03-17T18:02:11-04:00",
        ],
        [
            "Omar Online",
            "omar.online@example.org",
            "",
            "Guest",
            "RSVP, online",
            "Going",
            "",
            "1",
            "",
            "2027-01-04T08:00:00-05:00",
            "",
        ],
        [
            "Walt Waiting",
            "walt.waiting@example.org",
            "",
            "Guest",
            "RSVP, in person",
            "Waitlist",
            "1",
            "1",
            "",
            "2027-01-05T09:00:00-05:00",
            "",
        ],
        [
            "Wendy Waiting",
            "wendy.waiting@example.org",
            "",
            "Guest",
            "RSVP, in person",
            "Waitlist",
            "2",
            "1",
            "",
            "2027-01-06T09:00:00-05:00",
            "",
        ],
        [
            "Oona Online",
            "oona.online@example.org",
            "",
            "Guest",
            "RSVP, online",
            "Waitlist",
            "1",
            "1",
            "",
            "2027-01-07T09:00:00-05:00",
            "",
        ],
        [
            "Pat Door",
            "",
            "",
            "",
            "Walk-in",
            "—",
            "",
            "3",
            "At the door",
            "",
            "2027-03-17T18:05:00-04:00",
        ],
        [
            "Quinn QR",
            "",
            "",
            "",
            "Self check-in (QR code)",
            "—",
            "",
            "1",
            "Self check-in",
            "",
            "2027-03-17T18:09:30-04:00",
        ],
    ]


def test_csv_starts_with_a_byte_order_mark_and_ends_lines_with_crlf(organizer_client, evening):
    response = organizer_client.get(csv_url(evening))

    assert response.content.startswith(codecs.BOM_UTF8 + b"Name,Email,")
    lines = response.content.split(b"\r\n")
    assert len(lines) == 1 + 8 + 1  # header, six RSVPs, two walk-ins, and after the last CRLF
    assert lines[-1] == b""
    assert b"\n" not in b"".join(lines)
    assert "Café Réunion".encode() in response.content


def test_csv_has_no_microseconds(organizer_client, evening):
    response = organizer_client.get(csv_url(evening))

    times = [cell for row in read_csv(response)[1:] for cell in row[9:] if cell]
    assert len(times) == 6 + 2 + 2  # answered (6), checked in (2 RSVPs, 2 walk-ins)
    assert all(len(moment) == len("2027-03-17T18:05:00-04:00") for moment in times)
    assert [datetime.fromisoformat(moment).microsecond for moment in times] == [0] * len(times)


def test_csv_keeps_formulas_as_text(organizer_client, session):
    make_rsvp(session, name='=HYPERLINK("http://evil.example","Click")', organization="+1 Club")
    make_rsvp(session, name="@SUM(A1)", organization="-minus", queued_at=local(2027, 1, 2, 10))
    walk_in(session, name="\tTabby", at=local(2027, 3, 17, 18))

    response = organizer_client.get(csv_url(session))

    rows = read_csv(response)
    assert [(row[0], row[2]) for row in rows[1:]] == [
        ('\'=HYPERLINK("http://evil.example","Click")', "'+1 Club"),
        ("'@SUM(A1)", "'-minus"),
        ("'\tTabby", ""),
    ]


# Excel workbook


def test_xlsx_holds_the_same_table_with_real_times_and_numbers(organizer_client, evening):
    response = organizer_client.get(xlsx_url(evening))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == (
        'attachment; filename="tenant-organizing-attendees.xlsx"'
    )
    assert "no-store" in cache_directives(response)
    workbook = read_workbook(response)
    assert workbook.sheetnames == ["2027-03-17", "About"]
    sheet = workbook["2027-03-17"]
    assert sheet_rows(sheet) == [
        HEADER,
        [
            "Dana Member",
            "dana@example.com",
            "Hough Block Club",
            "Member",
            "RSVP, in person",
            "Going",
            None,
            1,
            "At the door",
            datetime(2027, 1, 3, 10, 30, 5),
            datetime(2027, 3, 17, 17, 55, 12),
        ],
        [
            "Sam Scanner",
            "sam.scanner@example.org",
            "Café Réunion",
            "Guest",
            "RSVP, in person",
            "Going",
            None,
            1,
            "Self check-in",
            datetime(2027, 1, 3, 11),
            datetime(2027, 3, 17, 18, 2, 11),
        ],
        [
            "Omar Online",
            "omar.online@example.org",
            None,
            "Guest",
            "RSVP, online",
            "Going",
            None,
            1,
            None,
            datetime(2027, 1, 4, 8),
            None,
        ],
        [
            "Walt Waiting",
            "walt.waiting@example.org",
            None,
            "Guest",
            "RSVP, in person",
            "Waitlist",
            1,
            1,
            None,
            datetime(2027, 1, 5, 9),
            None,
        ],
        [
            "Wendy Waiting",
            "wendy.waiting@example.org",
            None,
            "Guest",
            "RSVP, in person",
            "Waitlist",
            2,
            1,
            None,
            datetime(2027, 1, 6, 9),
            None,
        ],
        [
            "Oona Online",
            "oona.online@example.org",
            None,
            "Guest",
            "RSVP, online",
            "Waitlist",
            1,
            1,
            None,
            datetime(2027, 1, 7, 9),
            None,
        ],
        [
            "Pat Door",
            None,
            None,
            None,
            "Walk-in",
            "—",
            None,
            3,
            "At the door",
            None,
            datetime(2027, 3, 17, 18, 5),
        ],
        [
            "Quinn QR",
            None,
            None,
            None,
            "Self check-in (QR code)",
            "—",
            None,
            1,
            "Self check-in",
            None,
            datetime(2027, 3, 17, 18, 9, 30),
        ],
    ]
    assert sheet["J2"].number_format == sheet["K2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert sheet["J2"].is_date


def test_xlsx_header_is_bold_frozen_and_filtered(organizer_client, evening):
    response = organizer_client.get(xlsx_url(evening))

    sheet = read_workbook(response)["2027-03-17"]
    assert [cell.font.b for cell in sheet[1]] == [True] * len(HEADER)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:K9"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABEJ"}
    assert widths == {"A": 15, "B": 27, "E": 25, "J": 20}


def test_xlsx_about_sheet_names_the_session_and_counts_people(organizer_client, evening):
    response = organizer_client.get(xlsx_url(evening))

    rows = sheet_rows(read_workbook(response)["About"])
    assert rows[:4] == [
        ["Session", "Tenant organizing"],
        ["Series or title", "Community of Practice"],
        ["Date", datetime(2027, 3, 17)],
        ["Starts at (Cleveland time)", datetime(2027, 3, 17, 18)],
    ]
    assert rows[4][0] == "List made at (Cleveland time)"
    assert rows[4][1].microsecond == 0
    assert rows[5:] == [
        ["Going in person", 2],
        ["Going online", 1],
        ["On the waitlist", 3],
        ["Checked in with an RSVP", 2],
        ["Walk-ins (people)", 4],
        ["Here in total (people)", 6],
    ]


def test_xlsx_has_no_microseconds(organizer_client, evening):
    response = organizer_client.get(xlsx_url(evening))

    workbook = read_workbook(response)
    moments = [
        value
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, datetime)
    ]
    assert len(moments) == 6 + 4 + 3  # answered, checked in; About: date, start, made at
    assert [moment.microsecond for moment in moments] == [0] * len(moments)


def test_xlsx_keeps_formulas_as_text(organizer_client, session):
    make_rsvp(session, name='=HYPERLINK("http://evil.example","Click")', organization="+1 Club")
    make_rsvp(session, name="@SUM(A1)", organization="-minus", queued_at=local(2027, 1, 2, 10))
    walk_in(session, name="=1+1", at=local(2027, 3, 17, 18))

    response = organizer_client.get(xlsx_url(session))

    sheet = read_workbook(response)["2027-03-17"]
    cells = [sheet[f"{column}{row}"] for row in (2, 3, 4) for column in "AC"]
    assert [(cell.value, cell.data_type) for cell in cells] == [
        ('=HYPERLINK("http://evil.example","Click")', "s"),
        ("+1 Club", "s"),
        ("@SUM(A1)", "s"),
        ("-minus", "s"),
        ("=1+1", "s"),
        (None, "n"),  # no organization: an empty cell
    ]
    assert [cell.quotePrefix for cell in cells[:5]] == [True] * 5
    assert b"<f>" not in _sheet_xml(response)


def _sheet_xml(response) -> bytes:
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        return package.read("xl/worksheets/sheet1.xml")


def test_xlsx_drops_characters_the_format_cannot_hold(organizer_client, session):
    walk_in(session, name="Bell\x07 Ringer", at=local(2027, 3, 17, 18))

    response = organizer_client.get(xlsx_url(session))

    assert response.status_code == 200
    assert read_workbook(response)["2027-03-17"]["A2"].value == "Bell Ringer"


def test_exports_with_nobody_have_only_the_header(organizer_client, session):
    csv_response = organizer_client.get(csv_url(session))
    xlsx_response = organizer_client.get(xlsx_url(session))

    assert read_csv(csv_response) == [HEADER]
    assert sheet_rows(read_workbook(xlsx_response)["2027-03-17"]) == [HEADER]


# Who may download


@pytest.mark.parametrize("url", [csv_url, xlsx_url])
def test_exports_send_visitors_to_log_in(client, session, url):
    make_rsvp(session, name="Secret Guest")

    response = client.get(url(session))

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url(session)}"
    assert b"secret.guest@example.org" not in response.content


@pytest.mark.parametrize("url", [csv_url, xlsx_url])
def test_exports_refuse_members(member_client, session, url):
    make_rsvp(session, name="Secret Guest")

    response = member_client.get(url(session))

    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert b"secret.guest@example.org" not in response.content
    assert b"Secret Guest" not in response.content


@pytest.mark.parametrize("url", [csv_url, xlsx_url])
def test_exports_404_for_unknown_session(organizer_client, url):
    response = organizer_client.get(url(Session(slug="nope")))

    assert response.status_code == 404


@pytest.mark.parametrize("url", [csv_url, xlsx_url])
def test_exports_refuse_posts(organizer_client, session, url):
    response = organizer_client.post(url(session))

    assert response.status_code == 405


# Query count


@pytest.mark.parametrize("scale", [1, 10])
@pytest.mark.parametrize("url", [csv_url, xlsx_url])
def test_exports_query_count_does_not_grow(
    organizer_client, session, django_assert_max_num_queries, scale, url
):
    members = [make_user(display_name=f"Member {n}") for n in range(scale)]
    Rsvp.objects.bulk_create(
        Rsvp(
            session=session,
            user=members[n] if n < scale else None,
            name="" if n < scale else f"Guest {n}",
            email="" if n < scale else f"guest{n}@example.org",
            attend_as=AttendAs.ONLINE if n % 3 == 0 else AttendAs.IN_PERSON,
            status=RsvpStatus.WAITLISTED if n % 5 == 0 else RsvpStatus.GOING,
            queued_at=local(2027, 1, 1, 9) + timedelta(minutes=n),
        )
        for n in range(50 * scale)
    )
    WalkIn.objects.bulk_create(WalkIn(session=session, count=2) for _ in range(5 * scale))

    # Session cookie, user, organizer role, the session, the RSVPs with members, walk-ins.
    with django_assert_max_num_queries(6):
        response = organizer_client.get(url(session))

    if url is csv_url:
        assert len(read_csv(response)) == 1 + 55 * scale
    else:
        assert read_workbook(response)["2027-03-17"].max_row == 1 + 55 * scale


def test_a_check_in_that_does_not_say_how_was_at_the_door(organizer_client, session):
    """Older rows: check-ins made before RSVPs could check themselves in."""
    make_rsvp(session, name="Olive Older", checked_in_at=local(2027, 3, 17, 18, 1))

    csv_rows = read_csv(organizer_client.get(csv_url(session)))
    sheet = read_workbook(organizer_client.get(xlsx_url(session)))["2027-03-17"]

    assert csv_rows[1][8] == sheet["I2"].value == "At the door"


# The RSVP list links both


def test_attendees_page_offers_both_downloads_and_says_how_people_checked_in(
    organizer_client, evening
):
    response = organizer_client.get(
        reverse("sessions:session-attendees", kwargs={"slug": evening.slug})
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert (
        f'<a class="button button--ghost" href="{xlsx_url(evening)}" download>'
        "Download for a spreadsheet (.xlsx)</a>"
    ) in body
    assert (
        f'<a class="button button--ghost" href="{csv_url(evening)}" download>'
        'CSV<span class="visually-hidden"> file of the same list</span></a>'
    ) in body
    assert '<span class="checked">At the door, 5:55 PM</span>' in body
    assert '<span class="checked">Self check-in, 6:02 PM</span>' in body
