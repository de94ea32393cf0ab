"""Demo accounts, used by the seed_demo command."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction

from cop_portal.lib.roles import ORGANIZERS_GROUP
from members.models import Profile, User
from members.services.profile import ProfileData, profile_update

DEMO_ORGANIZER_EMAIL = "organizer@example.org"
DEMO_ORGANIZER_PASSWORD = "organize-cleveland"  # noqa: S105 - published demo login


@transaction.atomic
def seed_organizer() -> User:
    """An organizer who can log in at once: verified email, Organizers group."""
    user = User.objects.filter(email=DEMO_ORGANIZER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            email=DEMO_ORGANIZER_EMAIL,
            password=DEMO_ORGANIZER_PASSWORD,
            display_name="Demo Organizer",
        )
    EmailAddress.objects.get_or_create(
        user=user,
        email=DEMO_ORGANIZER_EMAIL,
        defaults={"verified": True, "primary": True},
    )
    user.groups.add(Group.objects.get(name=ORGANIZERS_GROUP))
    return user


@dataclass(frozen=True)
class DemoMember:
    email: str
    display_name: str
    neighborhood: str
    organization: str
    role: str
    bio: str
    expertise: tuple[str, ...]
    interests: tuple[str, ...]
    pronouns: str = ""
    preferred_contact: str = "Message me after a session."
    listed: bool = True
    # The portal's pages and emails come in this language (User.language).
    language: str = "en"


# The first four also write the library's demo posts (practice_library/demo.py).
# "grant writing" stays unclaimed by any listed member and "data from the city" is
# claimed only by an unlisted one, so "What are we missing?" has something to show.
DEMO_DIRECTORY = [
    DemoMember(
        email="yolanda.price@example.org",
        display_name="Yolanda Price",
        pronouns="she/her",
        neighborhood="Fairfax",
        organization="Fairfax Community Garden",
        role="Garden coordinator",
        bio="I've run our garden on two side lots since 2015. Ask me about work days, "
        "water access and getting neighbors to come back.",
        expertise=("community gardens", "meeting facilitation"),
        interests=("fundraising", "social media"),
    ),
    DemoMember(
        email="dwayne.harris@example.org",
        display_name="Dwayne Harris",
        pronouns="he/him",
        neighborhood="Glenville",
        organization="Parkwood Drive Block Club",
        role="President",
        bio="Block club president, retired bus driver. Happy to talk clean-ups and "
        "how to keep a meeting under an hour.",
        expertise=("meeting facilitation", "youth programs"),
        interests=("tenant rights", "data from the city"),
    ),
    DemoMember(
        email="lucia.vega@example.org",
        display_name="Lucía Vega",
        pronouns="she/her/ella",
        neighborhood="Clark-Fulton",
        organization="Clark-Fulton Tenants Together",
        role="Organizer",
        bio="Organizing renters on the near west side. Bilingual (Spanish/English).",
        expertise=("tenant rights", "Spanish interpretation"),
        interests=("grant writing",),
        preferred_contact="Text me at 216-555-0142 (English or Spanish).",
        language="es",
    ),
    DemoMember(
        email="priya.natarajan@example.org",
        display_name="Priya Natarajan",
        pronouns="they/them",
        neighborhood="Midtown",
        organization="Midtown Youth Circle",
        role="Youth program lead",
        bio="I work with young people aged 14 to 18 who want to run things themselves.",
        expertise=("youth programs", "social media"),
        interests=("grant writing", "data from the city"),
    ),
    DemoMember(
        email="marcus.bell@example.org",
        display_name="Marcus Bell",
        neighborhood="Hough",
        organization="Hough Heritage Association",
        role="Treasurer",
        bio="Small-dollar fundraising, fish fries and raffles that pay for the summer festival.",
        expertise=("fundraising",),
        interests=("social media", "grant writing"),
    ),
    DemoMember(
        email="teresa.kowalski@example.org",
        display_name="Teresa Kowalski",
        pronouns="she/her",
        neighborhood="Slavic Village",
        organization="Slavic Village Neighbors",
        role="Volunteer",
        bio="Third-generation Slavic Village. I keep the street-by-street list of "
        "vacant houses and who to call about them.",
        expertise=("community gardens", "fundraising"),
        interests=("tenant rights",),
    ),
    DemoMember(
        email="andre.thompson@example.org",
        display_name="Andre Thompson",
        pronouns="he/him",
        neighborhood="Buckeye-Shaker",
        organization="Buckeye Area Youth League",
        role="Coach and board member",
        bio="Basketball league for middle schoolers, with homework hour first.",
        expertise=("youth programs",),
        interests=("fundraising", "meeting facilitation"),
    ),
    DemoMember(
        email="grace.oyelaran@example.org",
        display_name="Grace Oyelaran",
        neighborhood="Detroit-Shoreway",
        organization="Gordon Square Merchants",
        role="Communications",
        bio="I write our newsletter and post for the street's small businesses.",
        expertise=("social media",),
        interests=("community gardens",),
    ),
    # Unlisted: nobody finds them in the directory, and their expertise counts nowhere.
    DemoMember(
        email="sam.reyes@example.org",
        display_name="Sam Reyes",
        neighborhood="Clark-Fulton",
        organization="",
        role="",
        bio="Data analyst by day.",
        expertise=("data from the city",),
        interests=("tenant rights",),
        listed=False,
        language="es",
    ),
    DemoMember(
        email="ruth.abernathy@example.org",
        display_name="Ruth Abernathy",
        neighborhood="Hough",
        organization="Hough Block Club Council",
        role="Secretary",
        bio="",
        expertise=("meeting facilitation",),
        interests=(),
        listed=False,
    ),
]


@transaction.atomic
def seed_members() -> list[User]:
    """The directory's demo members, most of them listed, each with a profile.

    Accounts have a verified email and no usable password (they log in only after a
    password reset); two of them read the portal in Spanish. Members and profiles that
    exist are left as they are, so running this again changes nothing; it also gives the
    library's demo authors a profile.
    """
    users = []
    for demo in DEMO_DIRECTORY:
        user = User.objects.filter(email=demo.email).first()
        if user is None:
            user = User.objects.create_user(
                email=demo.email, display_name=demo.display_name, language=demo.language
            )
        EmailAddress.objects.get_or_create(
            user=user, email=demo.email, defaults={"verified": True, "primary": True}
        )
        if not Profile.objects.filter(user=user).exists():
            profile_update(
                user=user,
                data=ProfileData(
                    display_name=user.display_name,
                    pronouns=demo.pronouns,
                    organization=demo.organization,
                    role=demo.role,
                    neighborhood=demo.neighborhood,
                    bio=demo.bio,
                    expertise=demo.expertise,
                    interests=demo.interests,
                    preferred_contact=demo.preferred_contact,
                    listed=demo.listed,
                ),
            )
        users.append(user)
    return users
