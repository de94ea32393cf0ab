"""Words, stems and topic keys: matching searches and topics the way people type them.

- `stems` feeds the directory search where the database can't stem (SQLite): the Snowball
  English stemmer (snowballstemmer), the one PostgreSQL's "english" configuration uses,
  so "meetings", "meeting" and "meet" all find "meet", on either database.
- `topic_key` / `topic_words` say when two topic names are one topic. They fold plurals
  only ("Meetings" is "meeting"), never other endings: stems would make "parks" and
  "parking", "house" and "housing" one topic, which a search may blur but a member's
  profile must not.
"""

import re

import snowballstemmer

# Words too common to say anything about a topic or a search.
STOP_WORDS = frozenset(
    {
        *("a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "how", "i", "in"),
        *("into", "is", "it", "me", "my", "of", "on", "or", "our", "the", "to", "us", "we"),
        *("what", "who", "with", "you", "your"),
    }
)

# Words ending in "s" that aren't plurals (or whose singular means something else).
_NOT_PLURAL = frozenset(
    {
        *("news", "series", "species", "means", "always", "perhaps", "across", "bus", "gas"),
        *("yes", "this", "his", "its"),
    }
)

_ENGLISH = snowballstemmer.stemmer("english")

_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased, without the punctuation around them."""
    return [word.casefold() for word in _WORD.findall(text)]


def stem(word: str) -> str:
    """The Snowball English stem of one word (lower-cased): the stemmer PostgreSQL's
    "english" configuration uses, so SQLite's search stems as PostgreSQL's does. Short
    words and words with digits are left alone."""
    w = word.casefold()
    if len(w) <= 3 or not w.isalpha():
        return w
    return _ENGLISH.stemWord(w)


def _singular(w: str) -> str:
    if w in _NOT_PLURAL or w.endswith(("ss", "us", "is", "ics")):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    return w


def stems(text: str) -> list[str]:
    """The stems of the words of `text` that carry meaning, in order, once each.

    Stop words are left out, unless `text` has nothing else (a search for "the who")."""
    all_words = words(text)
    meaningful = [word for word in all_words if word not in STOP_WORDS] or all_words
    return list(dict.fromkeys(stem(word) for word in meaningful))


def topic_words(name: str) -> list[str]:
    """The words of a topic's name that carry meaning, lower-cased and singular, once each.

    Only plurals fold, never other endings: "parks" and "parking", "house" and "housing"
    are different topics, though a search for one may find the other (`stems`)."""
    all_words = words(name)
    meaningful = [word for word in all_words if word not in STOP_WORDS] or all_words
    return list(
        dict.fromkeys(
            _singular(word) if len(word) > 3 and word.isalpha() else word for word in meaningful
        )
    )


def topic_key(name: str) -> str:
    """One spelling per topic: "Meetings" and "meeting" have the same key; "parks" and
    "parking" don't."""
    return " ".join(topic_words(name))


def singular_topic(name: str) -> str:
    """A new topic's name as the vocabulary keeps it: spaces tidied, lower case (acronyms
    such as "SNAP" kept), and a one-word plural made singular ("Budgets" → "budget")."""
    parts = [part if len(part) > 1 and part.isupper() else part.lower() for part in name.split()]
    if len(parts) == 1 and len(parts[0]) > 4 and parts[0].isalpha() and parts[0].islower():
        parts[0] = _singular(parts[0])
    return " ".join(parts)
