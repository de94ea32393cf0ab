from datetime import date, timedelta
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import CommandError, call_command
from django.utils import timezone

from sessions_app.models import Session, SessionStatus
from tests.factories import make_series

pytestmark = pytest.mark.django_db


def _third_wednesdays(start: date, end: date) -> list[date]:
    """Counted by hand, independently of the rotation code."""
    days = (start + timedelta(days=n) for n in range((end - start).days + 1))
    return [day for day in days if day.weekday() == 2 and 15 <= day.day <= 21]


def _run(*args: str) -> str:
    out = StringIO()
    call_command("generate_sessions", *args, stdout=out)
    return out.getvalue()


def test_generate_sessions_publishes_the_next_three_months():
    today = timezone.localdate()
    series = make_series(starts_on=today - relativedelta(months=2))

    output = _run("--months", "3")

    expected = _third_wednesdays(today, today + relativedelta(months=3))
    sessions = Session.objects.filter(series=series)
    assert sorted(sessions.values_list("occurrence_date", flat=True)) == expected
    assert set(sessions.values_list("status", flat=True)) == {SessionStatus.PUBLISHED}
    assert f"Community of Practice: {len(expected)} created, 0 updated, 0 left as edited" in output


def test_generate_sessions_defaults_to_three_months():
    today = timezone.localdate()
    make_series(starts_on=today)

    _run()

    assert Session.objects.count() == len(_third_wednesdays(today, today + relativedelta(months=3)))


def test_generate_sessions_twice_creates_nothing_the_second_time():
    make_series(starts_on=timezone.localdate())
    _run("--months", "6")
    before = list(Session.objects.values_list("pk", "starts_at", "sequence"))

    output = _run("--months", "6")

    assert "Community of Practice: 0 created, 0 updated, 0 left as edited" in output
    assert list(Session.objects.values_list("pk", "starts_at", "sequence")) == before


def test_generate_sessions_skips_inactive_series_and_series_without_slots():
    today = timezone.localdate()
    make_series(title="Paused series", starts_on=today, is_active=False)
    empty = make_series(title="No rotation yet", starts_on=today)
    empty.slots.all().delete()

    output = _run("--months", "12")

    assert not Session.objects.exists()
    assert "Paused series" not in output
    assert "No rotation yet" not in output


def test_generate_sessions_reports_each_series():
    today = timezone.localdate()
    make_series(title="Evening circle", starts_on=today)
    make_series(title="Youth organizers", starts_on=today)

    output = _run("--months", "12")

    lines = [line for line in output.splitlines() if ": " in line and "created" in line]
    assert [line.split(":")[0] for line in lines] == ["Evening circle", "Youth organizers"]
    assert Session.objects.count() == 2 * len(
        _third_wednesdays(today, today + relativedelta(months=12))
    )


def test_generate_sessions_dry_run_saves_nothing():
    today = timezone.localdate()
    make_series(starts_on=today)

    output = _run("--months", "12", "--dry-run")

    expected = len(_third_wednesdays(today, today + relativedelta(months=12)))
    assert f"Community of Practice: {expected} created" in output
    assert not Session.objects.exists()


@pytest.mark.parametrize("months", ["0", "37", "-1"])
def test_generate_sessions_refuses_months_out_of_range(months):
    make_series(starts_on=timezone.localdate())

    with pytest.raises(CommandError, match="--months must be between 1 and 36"):
        _run("--months", months)

    assert not Session.objects.exists()


def test_generate_sessions_refuses_months_that_are_not_a_number():
    with pytest.raises(CommandError, match="invalid int value: 'abc'"):
        _run("--months", "abc")
