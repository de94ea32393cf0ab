"""One topic, one tag: profiles that name the same topic in different spellings
("Meetings", "meeting") are pointed at one tag, the spelling most members use.

Only the profiles' links change; tags, and the posts that carry them, are left as they
are. From now on the profile form folds spellings as it saves (members/services/profile.py).
"""

from collections import Counter, defaultdict

from django.db import migrations

from cop_portal.lib.word_stems import topic_key


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
