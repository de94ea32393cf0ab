from cop_portal.lib.counting import counted


def test_counted_picks_the_noun_for_the_number():
    assert [counted(n, "person", "people") for n in (0, 1, 2)] == [
        "0 people",
        "1 person",
        "2 people",
    ]


def test_counted_makes_a_regular_plural_and_separates_thousands():
    assert (counted(1, "session"), counted(1200, "session")) == ("1 session", "1,200 sessions")
