"""The pages benchmark's table and flags, from made-up measurements (no database)."""

import pytest

from bench.pages import (
    RULE_AFRESH,
    RULE_GROWTH,
    RULE_KEPT_RATIO,
    RULE_QUERIES,
    RULE_QUERIES_GROW,
    RULE_SIGNED_IN_RATIO,
    Measure,
    Page,
    Run,
    combine,
    per_round,
    reference_scale,
    summary_lines,
    table,
)

TRIVIAL = Page("trivial view", "/bench-trivial/", trivial=True)
MEMBER_TRIVIAL = Page("trivial view", "/bench-trivial/", who="member", trivial=True)
KEPT = Page("home", "/")
SLOW = Page("directory", "/members/", who="member")
STATS = Page("statistics", "/organize/statistics/", who="organizer")
PAGES = [TRIVIAL, MEMBER_TRIVIAL, KEPT, SLOW, STATS]


def _measure(
    median: float,
    *,
    queries: int = 3,
    afresh: float | None = None,
    trivial: float = 0.5,
    size: int = 2048,
) -> Measure:
    return Measure(
        queries=queries,
        median=median,
        p95=median,
        afresh=afresh,
        size=size,
        trivial=trivial,
        visitor_trivial=0.5,
    )


def _runs() -> tuple[Run, Run]:
    small = Run(
        scale=1,
        summary="scale 1",
        picked="",
        results={
            TRIVIAL.key: _measure(0.5, queries=0),
            MEMBER_TRIVIAL.key: _measure(2.0, queries=2, trivial=2.0),
            KEPT.key: _measure(1.5, afresh=10.0),
            SLOW.key: _measure(50.0, afresh=60.0, trivial=2.0),
            STATS.key: _measure(10.0, queries=13, afresh=12.0, trivial=2.0),
        },
    )
    big = Run(
        scale=10,
        summary="scale 10",
        picked="",
        results={
            TRIVIAL.key: _measure(0.5, queries=0),
            MEMBER_TRIVIAL.key: _measure(2.0, queries=2, trivial=2.0),
            KEPT.key: _measure(0.9, afresh=20.0),
            SLOW.key: _measure(80.0, queries=4, afresh=90.0, trivial=2.0),
            STATS.key: _measure(11.0, queries=13, afresh=12.0, trivial=2.0),
        },
    )
    return small, big


def test_reference_scale_is_the_one_nearer_1():
    assert (reference_scale(1, 10), reference_scale(0.1, 1), reference_scale(0.03, 0.3)) == (
        1,
        1,
        0.3,
    )


def test_table_flags_each_rule_on_the_lines_that_break_it():
    small, big = _runs()

    lines, flagged = table(PAGES, [small], [big])

    assert flagged == {
        RULE_QUERIES: [STATS.key],
        RULE_QUERIES_GROW: [SLOW.key],
        # Ratios at scale 1 (the small one here): 50 ms over the 2 ms of the member's trivial
        # view between its requests.
        RULE_SIGNED_IN_RATIO: [SLOW.key],
        RULE_GROWTH: [SLOW.key],
        RULE_AFRESH: [SLOW.key],
        RULE_KEPT_RATIO: [KEPT.key],
    }
    assert lines[0].startswith(
        "| page | queries (1 → 10) | median at 1 | median at 10 | growth | growth per round "
        "| growth over trivial | x trivial at 1 |"
    )
    assert lines[5] == (
        "| member: directory | 3 → 4 | 50.0 ms | 80.0 ms | 1.60x | 1.60 | 1.60x | 25.0x "
        "| 100.0x | 60.0 ms → 90.0 ms | 2 | **queries grow, over 20x trivial, grows over "
        "1.5x, built afresh over 50 ms** |"
    )
    assert len(lines) == 2 + len(PAGES)


def test_summary_counts_flagged_lines_per_kind():
    small, big = _runs()
    _, flagged = table(PAGES, [small], [big])

    lines = summary_lines(PAGES, flagged)

    assert lines[-1] == (
        "Lines flagged: 1 of 2 visitor lines, 1 of 2 member lines, 1 of 1 organizer lines"
    )
    assert f"- {RULE_QUERIES}: 1 (organizer: statistics)" in lines


def _round(scale: float, slow: Measure) -> Run:
    """One round at `scale`: the member's trivial view and the directory (`slow`)."""
    return Run(
        scale=scale,
        summary=f"scale {scale:g}",
        picked=f"picked at {scale:g}",
        results={MEMBER_TRIVIAL.key: _measure(2.0, queries=2, trivial=2.0), SLOW.key: slow},
    )


def test_combine_takes_each_timing_median_and_the_most_queries():
    rounds = [
        _round(1, _measure(50.0, queries=9, afresh=60.0, trivial=2.0, size=2000)),
        _round(1, _measure(70.0, queries=11, afresh=40.0, trivial=3.0, size=2100)),
        _round(1, _measure(40.0, queries=9, afresh=45.0, trivial=1.0, size=2050)),
    ]

    combined = combine(rounds)

    assert combined.results[SLOW.key] == Measure(
        queries=11,
        median=50.0,
        p95=50.0,
        afresh=45.0,
        size=2050,
        trivial=2.0,
        visitor_trivial=0.5,
    )
    assert (combined.summary, combined.picked) == ("scale 1", "picked at 1")


def test_combine_of_two_rounds_takes_the_mean_of_the_two():
    rounds = [_round(1, _measure(50.0)), _round(1, _measure(70.0))]

    assert combine(rounds).results[SLOW.key].median == 60.0


def test_table_flags_growth_on_the_median_of_rounds_and_shows_each_round():
    # Round 2 alone would grow 2.2x and round 3 alone 0.5x: the medians of the rounds,
    # 50 and 60 ms, grow 1.2x, which the rule lets through.
    small_rounds = [
        _round(1, _measure(50.0, trivial=5.0)),
        _round(1, _measure(40.0, trivial=5.0)),
        _round(1, _measure(80.0, trivial=5.0)),
    ]
    big_rounds = [
        _round(10, _measure(60.0, trivial=5.0)),
        _round(10, _measure(88.0, trivial=10.0)),
        _round(10, _measure(40.0, trivial=10.0)),
    ]
    pages = [MEMBER_TRIVIAL, SLOW]

    lines, flagged = table(pages, small_rounds, big_rounds)

    assert flagged[RULE_GROWTH] == []
    # Growth over trivial: (60 / 10) / (50 / 5) = 0.6, the big scale's trivial view
    # having doubled in two rounds of three.
    assert lines[3] == (
        "| member: directory | 3 → 3 | 50.0 ms | 60.0 ms | 1.20x | 1.20 / 2.20 / 0.50 "
        "| 0.60x | 10.0x | 100.0x | — | 2 |  |"
    )
    assert lines[2].startswith(
        "| member: trivial view | 2 → 2 | 2.0 ms | 2.0 ms | 1.00x | 1.00 / 1.00 / 1.00 | — |"
    )


def test_table_flags_growth_when_the_median_of_rounds_grows():
    small_rounds = [_round(1, _measure(50.0)), _round(1, _measure(52.0))]
    big_rounds = [_round(10, _measure(90.0)), _round(10, _measure(70.0))]

    _, flagged = table([MEMBER_TRIVIAL, SLOW], small_rounds, big_rounds)

    assert flagged[RULE_GROWTH] == [SLOW.key]


def test_per_round_shares_the_requests_out_over_the_rounds():
    assert (per_round(1), per_round(3), per_round(10)) == (
        (15, pytest.approx(0.3), 5),
        (5, pytest.approx(0.1), 2),
        (3, pytest.approx(0.03), 2),
    )
