"""The pages benchmark's table and flags, from made-up measurements (no database)."""

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
    median: float, *, queries: int = 3, afresh: float | None = None, trivial: float = 0.5
) -> Measure:
    return Measure(
        queries=queries,
        median=median,
        p95=median,
        afresh=afresh,
        size=2048,
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

    lines, flagged = table(PAGES, small, big)

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
    assert lines[0].startswith("| page | queries (1 → 10) | median at 1 | median at 10 |")
    assert lines[5] == (
        "| member: directory | 3 → 4 | 50.0 ms | 80.0 ms | 1.60x | 25.0x | 100.0x "
        "| 60.0 ms → 90.0 ms | 2 | **queries grow, over 20x trivial, grows over 1.5x, "
        "built afresh over 50 ms** |"
    )
    assert len(lines) == 2 + len(PAGES)


def test_summary_counts_flagged_lines_per_kind():
    small, big = _runs()
    _, flagged = table(PAGES, small, big)

    lines = summary_lines(PAGES, flagged)

    assert lines[-1] == (
        "Lines flagged: 1 of 2 visitor lines, 1 of 2 member lines, 1 of 1 organizer lines"
    )
    assert f"- {RULE_QUERIES}: 1 (organizer: statistics)" in lines
