"""Search stems (Snowball English, as PostgreSQL) and topic keys (plurals only), from
cop_portal/lib/word_stems.py."""

import pytest

from cop_portal.lib.word_stems import singular_topic, stem, stems, topic_key


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["meetings", "meeting", "Meet"], "meet"),
        (["organizing", "organized", "organize", "organizes"], "organ"),
        (["housing", "house", "houses"], "hous"),
        (["facilitation", "facilitate", "facilitating"], "facilit"),
        (["policies", "policy"], "polici"),
        (["gardens", "gardening", "garden"], "garden"),
    ],
)
def test_stem_folds_plurals_and_common_endings(words, expected):
    assert {stem(word) for word in words} == {expected}


@pytest.mark.parametrize("word", ["news", "bus", "its", "access", "thing"])
def test_stem_leaves_words_that_only_look_plural_or_are_short(word):
    assert stem(word) == word


def test_stems_drop_stop_words_unless_nothing_else_is_left():
    assert stems("Data from the City") == ["data", "citi"]
    assert stems("the who") == ["the", "who"]
    assert stems("?!") == []


def test_topic_key_is_one_spelling_per_topic():
    assert topic_key("Meetings") == topic_key("meeting") == "meeting"
    assert topic_key("Tenant Rights") == topic_key("tenant right")
    assert topic_key("grant writing") != topic_key("grant")


@pytest.mark.parametrize(
    ("one", "other"),
    [("parks", "parking"), ("house", "housing"), ("volunteers", "volunteering")],
)
def test_topic_key_keeps_topics_that_only_share_a_stem_apart(one, other):
    assert stem(one) == stem(other)  # a search for one may find the other…
    assert topic_key(one) != topic_key(other)  # …but they are two topics


SAMPLE = (
    "Meetings facilitation organizing organization tenants housing policies gardens volunteers "
    "city communities neighborhoods evictions fundraising partnerships"
)


@pytest.mark.django_db
def test_stems_are_the_ones_postgresql_english_search_makes():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("compares with PostgreSQL's to_tsvector('english', ...)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(to_tsvector('english', %s))", [SAMPLE])
        (lexemes,) = cursor.fetchone()

    assert sorted(stems(SAMPLE)) == sorted(lexemes)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Budgets ", "budget"),
        ("Community  Gardens", "community gardens"),  # only a one-word plural
        ("SNAP benefits", "SNAP benefits"),
        ("News", "news"),
        ("Tenant Rights", "tenant rights"),
    ],
)
def test_singular_topic_tidies_a_new_topic(typed, kept):
    assert singular_topic(typed) == kept
