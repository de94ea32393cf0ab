"""One topic, one tag: profiles that name the same topic in different spellings
("Meetings", "meeting") are pointed at one tag, the spelling most members use.

Not reversible: which links were folded is not recorded (each profile keeps its topic,
under one spelling).

Only the profiles' links change; tags, and the posts that carry them, are left as they
are. From now on the profile form folds spellings as it saves (members/services/profile.py).
"""

import re
from collections import Counter, defaultdict

from django.db import migrations

# A frozen copy of cop_portal.lib.word_stems.topic_key as this migration was written
# (migrations must not change when the live code does): lower-cased words, stop words
# dropped, plurals made singular, nothing else folded ("parks" is not "parking").
_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "how",
        "i",
        "in",
        "into",
        "is",
        "it",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "the",
        "to",
        "us",
        "we",
        "what",
        "who",
        "with",
        "you",
        "your",
    ]
)
_NOT_PLURAL = frozenset(
    [
        "news",
        "series",
        "species",
        "means",
        "always",
        "perhaps",
        "across",
        "bus",
        "gas",
        "yes",
        "this",
        "his",
        "its",
    ]
)


def _singular(w: str) -> str:
    if len(w) <= 3 or not w.isalpha():
        return w
    if w in _NOT_PLURAL or w.endswith(("ss", "us", "is", "ics")):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    return w


def topic_key(name: str) -> str:
    all_words = [word.casefold() for word in _WORD.findall(name)]
    meaningful = [word for word in all_words if word not in _STOP] or all_words
    return " ".join(dict.fromkeys(_singular(word) for word in meaningful))


def fold_profile_topics(apps, schema_editor) -> None:
    Profile = apps.get_model("members", "Profile")
    links = [Profile.expertise.through, Profile.interests.through]
    claims: Counter[int] = Counter()
    for through in links:
        claims.update(through.objects.values_list("tag_id", flat=True))
    Tag = apps.get_model("practice_library", "Tag")
    spellings: dict[str, list[int]] = defaultdict(list)
    for tag_id, name in Tag.objects.filter(pk__in=claims).order_by("pk").values_list("pk", "name"):
        spellings[topic_key(name) or name.casefold()].append(tag_id)
    for tag_ids in spellings.values():
        if len(tag_ids) < 2:
            continue
        keep = max(tag_ids, key=lambda tag_id: (claims[tag_id], -tag_id))
        others = [tag_id for tag_id in tag_ids if tag_id != keep]
        for through in links:
            for profile_id in set(
                through.objects.filter(tag_id__in=others).values_list("profile_id", flat=True)
            ):
                through.objects.get_or_create(profile_id=profile_id, tag_id=keep)
            through.objects.filter(tag_id__in=others).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0003_profile")]

    operations = [migrations.RunPython(fold_profile_topics, migrations.RunPython.noop)]
