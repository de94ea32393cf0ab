"""The rotation arithmetic, on unsaved objects: no database needed."""

from datetime import date, datetime, time, timedelta

import recurrence

from sessions_app.demo import demo_recurrence
from sessions_app.models import RotationSlot, Series
from sessions_app.rotation import (
    describe_recurrence,
    has_dates,
    next_occurrences,
    plan_occurrences,
)

END_OF_2026 = date(2026, 12, 31)
THIRD_WEDNESDAYS_2026 = [
    date(2026, 1, 21),
    date(2026, 2, 18),
    date(2026, 3, 18),
    date(2026, 4, 15),
    date(2026, 5, 20),
    date(2026, 6, 17),
    date(2026, 7, 15),
    date(2026, 8, 19),
    date(2026, 9, 16),
    date(2026, 10, 21),
    date(2026, 11, 18),
    date(2026, 12, 16),
]


def _slots() -> list[RotationSlot]:
    """The demo rotation: A is a 6 pm hour, B a 11:30 am two hours."""
    return [
        RotationSlot(position=0, start_time=time(18, 0), duration_minutes=60),
        RotationSlot(position=1, start_time=time(11, 30), duration_minutes=120),
    ]


def _series(rec: recurrence.Recurrence | None = None, starts_on: date = date(2026, 1, 1)) -> Series:
    return Series(
        title="Community of Practice",
        starts_on=starts_on,
        recurrence=rec if rec is not None else demo_recurrence(),
    )


def _plan(series: Series, until: date = END_OF_2026) -> list[tuple[date, str, bool]]:
    return [
        (planned.date, planned.slot.letter, planned.excluded)
        for planned in plan_occurrences(series, _slots(), until=until)
    ]


def test_plan_third_wednesdays_alternate_slots_a_and_b():
    series = _series()

    plan = _plan(series)

    assert [day for day, _, _ in plan] == THIRD_WEDNESDAYS_2026
    assert [letter for _, letter, _ in plan] == ["A", "B"] * 6


def test_plan_indexes_count_from_zero_in_date_order():
    plan = list(plan_occurrences(_series(), _slots(), until=END_OF_2026))

    assert [planned.index for planned in plan] == list(range(12))


def test_plan_evening_slot_stays_at_six_pm_local_across_dst():
    plan = {p.date: p for p in plan_occurrences(_series(), _slots(), until=END_OF_2026)}

    march, november = plan[date(2026, 3, 18)], plan[date(2026, 11, 18)]

    assert march.slot.letter == november.slot.letter == "A"
    assert (march.starts_at.hour, march.starts_at.minute) == (18, 0)
    assert (november.starts_at.hour, november.starts_at.minute) == (18, 0)
    assert march.starts_at.utcoffset() == timedelta(hours=-4)
    assert november.starts_at.utcoffset() == timedelta(hours=-5)
    assert (march.ends_at.hour, november.ends_at.hour) == (19, 19)


def test_plan_daytime_slot_lasts_two_hours():
    second = list(plan_occurrences(_series(), _slots(), until=END_OF_2026))[1]

    assert second.slot.letter == "B"
    assert (second.starts_at.hour, second.starts_at.minute) == (11, 30)
    assert (second.ends_at.hour, second.ends_at.minute) == (13, 30)


def test_plan_excluded_date_is_flagged_and_next_date_takes_the_next_slot():
    rec = demo_recurrence()
    rec.exdates = [datetime(2026, 3, 18)]

    plan = _plan(_series(rec))

    assert plan[2] == (date(2026, 3, 18), "A", True)
    assert plan[3] == (date(2026, 4, 15), "B", False)
    assert [letter for _, letter, _ in plan] == ["A", "B"] * 6
    assert sum(excluded for _, _, excluded in plan) == 1


def test_plan_extra_date_joins_the_count_in_date_order():
    rec = demo_recurrence()
    rec.rdates = [datetime(2026, 2, 4)]

    plan = _plan(_series(rec), until=date(2026, 3, 31))

    assert plan == [
        (date(2026, 1, 21), "A", False),
        (date(2026, 2, 4), "B", False),
        (date(2026, 2, 18), "A", False),
        (date(2026, 3, 18), "B", False),
    ]


def test_plan_first_date_that_is_not_an_occurrence_is_not_counted():
    series = _series(starts_on=date(2026, 1, 5))  # a Monday

    plan = _plan(series, until=date(2026, 2, 28))

    assert plan == [(date(2026, 1, 21), "A", False), (date(2026, 2, 18), "B", False)]


def test_plan_first_date_that_is_an_occurrence_is_counted_once():
    series = _series(starts_on=date(2026, 1, 21))  # itself a third Wednesday

    plan = _plan(series, until=date(2026, 3, 31))

    assert plan == [
        (date(2026, 1, 21), "A", False),
        (date(2026, 2, 18), "B", False),
        (date(2026, 3, 18), "A", False),
    ]


def test_plan_exclusion_rule_skips_summer_without_shifting_the_rotation():
    rec = demo_recurrence()
    rec.exrules = [
        recurrence.Rule(recurrence.MONTHLY, byday=[recurrence.Weekday(2, 3)], bymonth=[7, 8])
    ]

    plan = _plan(_series(rec))

    excluded = [(day, letter) for day, letter, is_excluded in plan if is_excluded]
    assert excluded == [(date(2026, 7, 15), "A"), (date(2026, 8, 19), "B")]
    assert plan[8] == (date(2026, 9, 16), "A", False)


def test_plan_weekly_series_meets_every_wednesday():
    # Spring 2020: the CoP went online and met weekly while everything was closed.
    rule = recurrence.Rule(recurrence.WEEKLY, byday=[recurrence.WE])
    series = _series(
        recurrence.Recurrence(rrules=[rule], include_dtstart=False), starts_on=date(2020, 3, 18)
    )

    plan = _plan(series, until=date(2020, 5, 31))

    assert [day for day, _, _ in plan] == [
        date(2020, 3, 18) + timedelta(weeks=n) for n in range(11)
    ]
    assert [letter for _, letter, _ in plan] == [
        "A",
        "B",
        "A",
        "B",
        "A",
        "B",
        "A",
        "B",
        "A",
        "B",
        "A",
    ]


def test_plan_rule_with_until_stops_on_its_last_date():
    rule = recurrence.Rule(recurrence.WEEKLY, byday=[recurrence.WE], until=datetime(2020, 5, 27))
    series = _series(
        recurrence.Recurrence(rrules=[rule], include_dtstart=False), starts_on=date(2020, 3, 18)
    )

    plan = _plan(series, until=date(2030, 1, 1))

    assert len(plan) == 11
    assert plan[-1][0] == date(2020, 5, 27)


def test_plan_empty_recurrence_gives_no_occurrences():
    series = _series(recurrence.Recurrence(include_dtstart=False))

    assert _plan(series, until=date(2076, 1, 1)) == []


def test_plan_rule_that_ended_before_the_first_date_gives_no_occurrences():
    rule = recurrence.Rule(recurrence.MONTHLY, until=datetime(2019, 1, 1))
    series = _series(recurrence.Recurrence(rrules=[rule], include_dtstart=False))

    assert _plan(series, until=date(2076, 1, 1)) == []


def test_plan_impossible_rule_gives_no_occurrences_and_returns():
    # February 31st never comes; the plan must end rather than search forever.
    rule = recurrence.Rule(recurrence.YEARLY, bymonth=[2], bymonthday=[31])
    series = _series(recurrence.Recurrence(rrules=[rule], include_dtstart=False))

    assert _plan(series, until=date(2076, 1, 1)) == []


def test_plan_without_slots_gives_no_occurrences():
    assert list(plan_occurrences(_series(), [], until=END_OF_2026)) == []


def test_next_occurrences_returns_the_count_asked_for_from_a_date():
    found = next_occurrences(_series(), _slots(), after=date(2026, 3, 18), count=3)

    assert [(p.date, p.slot.letter) for p in found] == [
        (date(2026, 3, 18), "A"),
        (date(2026, 4, 15), "B"),
        (date(2026, 5, 20), "A"),
    ]


def test_next_occurrences_includes_excluded_dates_flagged():
    rec = demo_recurrence()
    rec.exdates = [datetime(2026, 4, 15)]

    found = next_occurrences(_series(rec), _slots(), after=date(2026, 4, 1), count=2)

    assert [(p.date, p.excluded) for p in found] == [
        (date(2026, 4, 15), True),
        (date(2026, 5, 20), False),
    ]


def test_next_occurrences_of_an_ended_schedule_returns_what_is_left():
    rule = recurrence.Rule(recurrence.WEEKLY, byday=[recurrence.WE], until=datetime(2020, 5, 27))
    series = _series(
        recurrence.Recurrence(rrules=[rule], include_dtstart=False), starts_on=date(2020, 3, 18)
    )

    found = next_occurrences(series, _slots(), after=date(2020, 5, 15), count=5)

    assert [p.date for p in found] == [date(2020, 5, 20), date(2020, 5, 27)]


def test_has_dates_is_false_for_a_daily_rule_that_never_matches():
    # February 31st, checked daily: before the rules were capped at MAX_YEARS,
    # dateutil searched every day up to year 9999 (seconds per call).
    rule = recurrence.Rule(recurrence.DAILY, bymonth=[2], bymonthday=[31])
    rec = recurrence.Recurrence(rrules=[rule], include_dtstart=False)

    assert has_dates(rec, date(2026, 1, 1)) is False


def test_has_dates_is_true_for_the_demo_schedule():
    assert has_dates(demo_recurrence(), date(2026, 1, 1)) is True


def test_describe_recurrence_in_plain_words():
    weekly = recurrence.Rule(recurrence.WEEKLY, interval=2, byday=[recurrence.WE])
    last = recurrence.Rule(recurrence.MONTHLY, byday=[recurrence.Weekday(0, -1)])

    assert describe_recurrence(demo_recurrence()) == "Monthly on the third Wednesday"
    assert describe_recurrence(recurrence.Recurrence(rrules=[weekly])) == (
        "Every 2 weeks on Wednesday"
    )
    assert describe_recurrence(recurrence.Recurrence(rrules=[last])) == (
        "Monthly on the last Monday"
    )
