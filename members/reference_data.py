"""A large made-up membership, for benchmarks: accounts with profiles.

Used by `seed_demo --scale` (through cop_portal/reference_data.py). Every account has
a verified address at REFERENCE_DOMAIN and no usable password (nothing is hashed, so
thousands are written in a second); most have a listed profile with an organization,
a neighborhood and a few topics of expertise and interest. Everything comes from a
fixed seed; only the profiles' random public codes differ between runs.
"""

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from members.models import Profile, User
from members.services.counts import counts_recount
from practice_library.models import Tag
from practice_library.reference_data import NEIGHBORHOODS

SEED = 2026
BATCH = 1000
REFERENCE_DOMAIN = "reference.example.org"
MEMBERS_SPAN = timedelta(days=10 * 365)

FIRST_NAMES = [
    "Aaliyah", "Ana", "Andre", "Bao", "Carmen", "Darnell", "DeShawn", "Elena", "Fatima",
    "Gloria", "Hector", "Imani", "Jamal", "Janelle", "Jorge", "Kateryna", "Keisha", "Lamar",
    "Linh", "Lucia", "Malik", "Maria", "Mei", "Nadia", "Omar", "Patrice", "Quentin", "Rosa",
    "Samira", "Tanisha", "Terrence", "Tomasz", "Valerie", "Walter", "Yusuf", "Zora",
]  # fmt: skip
LAST_NAMES = [
    "Adams", "Baker", "Bell", "Brooks", "Carter", "Coleman", "Diaz", "Evans", "Flores",
    "Green", "Harris", "Jackson", "Johnson", "Kowalski", "Lee", "Lewis", "Martinez", "Moore",
    "Nguyen", "Novak", "Ortiz", "Patel", "Price", "Reyes", "Robinson", "Sanchez", "Smith",
    "Thomas", "Turner", "Vega", "Walker", "Washington", "Williams", "Wright", "Young",
]  # fmt: skip
KINDS_OF_GROUP = [
    "Block Club", "Community Garden", "Tenants Association", "Youth League", "Food Pantry",
    "Neighbors", "Development Corporation", "Safety Council", "Arts Collective",
]  # fmt: skip
ROLES = [
    "President", "Treasurer", "Secretary", "Volunteer", "Organizer", "Coordinator",
    "Board member", "Youth program lead", "",
]  # fmt: skip
PRONOUNS = ["she/her", "he/him", "they/them", "", "", ""]
# One member in SPANISH_EVERY reads the portal in Spanish: picked by number, not drawn,
# so the random stream (and every other field) stays the same.
SPANISH_EVERY = 5


def reference_members(
    *, count: int, tags: Sequence[Tag], now: datetime, seed: int = SEED
) -> list[int]:
    """`count` members who joined over the last ten years; returns their user ids.

    Seven in ten are listed in the directory; each claims 0-3 topics of expertise and
    0-3 of interest from `tags`. One in SPANISH_EVERY reads the portal in Spanish.
    """
    if count <= 0:
        return []
    rng = random.Random(seed)  # noqa: S311 - made-up data, not secrets
    users = User.objects.bulk_create(
        (
            User(
                email=f"member{n:05d}@{REFERENCE_DOMAIN}",
                display_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                password=make_password(None),  # unusable: nothing to hash
                language="es" if n % SPANISH_EVERY == 0 else "en",
                date_joined=now
                - timedelta(minutes=rng.randint(0, MEMBERS_SPAN // timedelta(minutes=1))),
            )
            for n in range(1, count + 1)
        ),
        batch_size=BATCH,
    )
    EmailAddress.objects.bulk_create(
        (EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users),
        batch_size=BATCH,
    )
    profiles = []
    expertise, interests = [], []
    for user in users:
        place = rng.choice(NEIGHBORHOODS)
        profile = Profile(
            user=user,
            pronouns=rng.choice(PRONOUNS),
            organization=f"{place} {rng.choice(KINDS_OF_GROUP)}",
            role=rng.choice(ROLES),
            neighborhood=place,
            bio=f"Community builder in {place} since {user.date_joined:%Y}.",
            preferred_contact="Message me after a session.",
            listed=rng.random() < 0.7,
            contact_ok=rng.random() < 0.3,
        )
        profiles.append(profile)
        expertise += [(user.pk, tag.pk) for tag in rng.sample(tags, rng.randint(0, 3))]
        interests += [(user.pk, tag.pk) for tag in rng.sample(tags, rng.randint(0, 3))]
    Profile.objects.bulk_create(profiles, batch_size=BATCH)
    for field, pairs in ((Profile.expertise, expertise), (Profile.interests, interests)):
        field.through.objects.bulk_create(
            (field.through(profile_id=user_id, tag_id=tag_id) for user_id, tag_id in pairs),
            batch_size=BATCH,
        )
    # bulk_create skips the profile service, which keeps the directory's search text:
    # the recount rebuilds it with the stored counts.
    counts_recount()
    return [user.pk for user in users]


def spanish_members() -> set[int]:
    """The user ids of the reference members who read the portal in Spanish (their
    RSVPs are in Spanish too)."""
    rows = User.objects.filter(email__endswith=f"@{REFERENCE_DOMAIN}", language="es")
    return set(rows.values_list("pk", flat=True))
