"""Demo posts for the practice library, used by the seed_demo command.

A handful of posts by four demo members, across several of the eleven activities,
with tags, replies, an answered question, sign-ups and a project write-up, so the
library, its search and its tag pages have something to show. Lucía, who reads the
portal in Spanish, writes a question and a few replies in Spanish.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from practice_library.models import ActivityPattern, Follow, Post, Reply, Signup, VisitKind
from practice_library.services.counts import counts_recount
from practice_library.services.posts import post_refresh_search_document, tags_from_names

# email: display name. They can't log in (no password) until they reset it.
DEMO_MEMBERS = {
    "yolanda.price@example.org": "Yolanda Price",
    "dwayne.harris@example.org": "Dwayne Harris",
    "lucia.vega@example.org": "Lucía Vega",
    "priya.natarajan@example.org": "Priya Natarajan",
}
YOLANDA, DWAYNE, LUCIA, PRIYA = DEMO_MEMBERS
# Their User.language; members/demo.py gives Lucía the same when it creates her first.
DEMO_LANGUAGES = {LUCIA: "es"}


@dataclass
class DemoPost:
    pattern: str  # the activity's slug, from migration 0002
    author: str  # an email from DEMO_MEMBERS
    days_ago: int
    title: str
    body: str
    tags: list[str] = field(default_factory=list)
    # (author email, text); the reply at `answer` (an index) is marked as the answer.
    replies: list[tuple[str, str]] = field(default_factory=list)
    answer: int | None = None
    signups: list[str] = field(default_factory=list)
    deadline_in_days: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)


DEMO_POSTS = [
    DemoPost(
        pattern="problem-solving",
        author=DWAYNE,
        days_ago=40,
        title="Our block club meetings keep running past two hours",
        body=(
            "We start at 7 and it's often after 9 when we finish. The same three topics "
            "come back every month (parking, the vacant house on the corner, the summer "
            "picnic) and newer neighbors stop coming after one or two meetings.\n\n"
            "How have other groups kept their meetings short without shutting people down?"
        ),
        tags=["meetings", "block clubs", "volunteers"],
        replies=[
            (
                LUCIA,
                "We name a timekeeper at the start of each meeting, and every agenda item gets "
                "a number of minutes next to it. When time's up the timekeeper asks: finish "
                "now, give it five more minutes, or send it to a small group? It felt stiff "
                "for a month, then people liked it. We end by 8:30 now.",
            ),
            (
                PRIYA,
                "A parking lot sheet on the wall helps too: anything off the agenda gets "
                "written down, and we promise to look at the sheet at the end.",
            ),
        ],
        answer=0,
    ),
    # Lucía writes in Spanish; neighbors answer in the language they have.
    DemoPost(
        pattern="requests-for-information",
        author=LUCIA,
        days_ago=33,
        title="¿A quién llamamos ahora para que poden un árbol de la calle?",
        body=(
            "Hay un arce grande en nuestra calle que tira ramas a la acera después de cada "
            "tormenta. Antes llamábamos directamente a la oficina forestal de la ciudad, pero "
            "el número que teníamos ahora da a una grabación. ¿Alguien sabe cómo se pide hoy "
            "que poden un árbol, y más o menos cuánto tarda?"
        ),
        tags=["city services", "trees"],
        replies=[
            (
                DWAYNE,
                "Requests go through the city's 311 line now, or the online form. Ask for "
                "the request number and write it down; our ward councilperson's office "
                "followed up for us when nothing happened after six weeks.",
            ),
            (
                LUCIA,
                "¡Gracias, Dwayne! Llamé al 311 esta mañana y ya tengo el número de "
                "solicitud. Les cuento cuánto tarda.",
            ),
        ],
    ),
    DemoPost(
        pattern="reusing-assets",
        author=LUCIA,
        days_ago=28,
        title="Sign-in sheet template for community meetings",
        body=(
            "A one-page sign-in sheet we use at every tenant meeting. Columns: name, "
            "building and unit (optional), phone or email, preferred language, and a tick "
            "box for “it's OK to contact me about the next meeting”. There is a short line "
            "at the top explaining what we do with the information (only meeting reminders, "
            "never shared), which made people much more willing to fill it in.\n\n"
            "It prints on letter paper with room for 20 names. The link opens a document "
            "you can copy and edit."
        ),
        tags=["meetings", "outreach", "templates"],
        fields={
            "asset_url": "https://docs.example.org/cop-cleveland/sign-in-sheet-template",
            "licence_note": (
                "Free to adapt and share. Please keep the small line crediting the "
                "Clark-Fulton Tenants Association."
            ),
        },
        replies=[
            (
                YOLANDA,
                "Used this at our garden work day, with a column added for “what would you "
                "like to grow?” Thank you!",
            ),
        ],
    ),
    DemoPost(
        pattern="coordination-and-synergy",
        author=YOLANDA,
        days_ago=6,
        title="Joint clean-up along Buckeye Road: count me in",
        body=(
            "Three block clubs and our garden want to clean up Buckeye Road between "
            "East 116th and East 130th on the same Saturday morning, 9 to noon. If your "
            "group is in, sign up below before the deadline so we can ask the city for "
            "enough bags, gloves and a pick-up.\n\n"
            "Bring: your group's name for the sign-in sheet, a few volunteers, water. "
            "Coffee and donuts at the garden afterwards."
        ),
        tags=["clean-ups", "volunteers", "block clubs"],
        deadline_in_days=21,
        signups=[DWAYNE, PRIYA],
    ),
    DemoPost(
        pattern="visits",
        author=YOLANDA,
        days_ago=20,
        title="Visit our rain-barrel garden on Buckeye Road",
        body=(
            "We water 30 raised beds from rain barrels on the shed roof and the neighbor's "
            "garage (with their permission). If your garden is fighting water bills or a "
            "far-away tap, come and see how the barrels, overflow and soaker hoses fit "
            "together. Saturday mornings from May to September work best; up to six people "
            "at a time. In return we'd love help turning the compost."
        ),
        tags=["community gardens", "water"],
        fields={
            "site_name": "Buckeye Road Community Garden",
            "neighborhood": "Buckeye-Shaker",
            "visit_kind": VisitKind.OFFER,
        },
        replies=[
            (
                LUCIA,
                "¡Qué buena idea lo de los barriles! En nuestro edificio varios inquilinos "
                "quieren empezar un huerto en el patio. ¿Podríamos ir unas cinco personas un "
                "sábado de junio? Con gusto les ayudamos con el compost.",
            ),
        ],
    ),
    DemoPost(
        pattern="documenting-projects",
        author=LUCIA,
        days_ago=14,
        title="How our tenant association got the boiler fixed before winter",
        body="Our write-up of last fall's repair campaign, in the five parts of the template.",
        tags=["tenant rights", "organizing", "housing"],
        fields={
            "context": (
                "A 48-unit building in Clark-Fulton, mostly long-time renters, many of them "
                "Spanish speakers. The association had eight active members in August."
            ),
            "problem": (
                "The boiler broke down four times the winter before, for up to three days at "
                "a time. Calls to the management company went unanswered."
            ),
            "tried": (
                "Door-knocking in two languages to log every outage on one shared sheet; a "
                "letter signed by 31 households; a meeting with the owner, with our "
                "councilperson's aide present. Calling the code enforcement line alone did "
                "little until we had the log."
            ),
            "outcome": (
                "The owner replaced the boiler in October. No outages so far this winter, "
                "and the association has 19 active members."
            ),
            "reusable": (
                "The outage log (a simple spreadsheet: date, unit, hours without heat), our "
                "letter, and the advice to bring dates and numbers to every meeting."
            ),
        },
        replies=[
            (
                DWAYNE,
                "The outage log is a great idea. Did the management company ever reply in "
                "writing, or only after the meeting?",
            ),
            (LUCIA, "Only after the meeting. The letter with 31 signatures got us the meeting."),
        ],
    ),
    DemoPost(
        pattern="identifying-gaps-in-competence",
        author=PRIYA,
        days_ago=10,
        title="What our groups wish someone could teach us",
        body=(
            "At the last session we listed what our groups keep running into and don't know "
            "how to do. Three came up again and again: writing a first small grant "
            "application, getting usable data from the city (vacant properties, code "
            "complaints, 311 requests by street) and finding Spanish interpretation for "
            "meetings without a budget. If you can teach any of these, or know someone who "
            "can, please reply."
        ),
        tags=["grant writing", "data from the city", "Spanish interpretation"],
    ),
    DemoPost(
        pattern="discussing-new-developments",
        author=DWAYNE,
        days_ago=3,
        title="The land bank's new side-lot rules: what changes for neighbors?",
        body=(
            "The county land bank is changing how neighbors can buy the vacant lot next "
            "door. As we read it, the price stays low but buyers must now show a simple "
            "plan for the lot (a garden, a side yard, parking) and keep it mowed for two "
            "years. What do people think: will this help block clubs, or put neighbors off?"
        ),
        tags=["vacant lots", "housing"],
        replies=[
            (
                YOLANDA,
                "A plan sounds fair if the form stays short. Our garden started on a side lot, "
                "and two years of mowing is what we'd have done anyway.",
            ),
        ],
    ),
    DemoPost(
        pattern="seeking-experience",
        author=PRIYA,
        days_ago=8,
        title="Has anyone handed a meeting over to the young people running it?",
        body=(
            "Our youth circle (ages 14 to 18) wants to run our next neighborhood meeting "
            "themselves. We're excited and a little nervous. If you've done this, what did "
            "the adults do beforehand, and what did you wish you'd left to the young people?"
        ),
        tags=["youth", "meetings"],
        fields={"members_only": True},
    ),
    DemoPost(
        pattern="growing-confidence",
        author=YOLANDA,
        days_ago=2,
        title="Feedback wanted: our garden's first newsletter",
        body=(
            "We wrote a one-page newsletter for the houses around the garden: what's growing, "
            "the work days, and how to get a bed next year. It's our first, and we'd like to "
            "know if it's friendly, clear and short enough before we print 200 copies. Kind, "
            "specific comments welcome until the deadline."
        ),
        tags=["outreach", "community gardens"],
        deadline_in_days=10,
        replies=[
            (
                LUCIA,
                "Me gusta mucho: es corto y se entiende bien. Una sugerencia: varias familias "
                "cerca del huerto hablan español. Si quieren, les ayudo a preparar una versión "
                "en español antes de imprimir.",
            ),
        ],
    ),
]


def seed_members() -> dict[str, Any]:
    """The demo authors, each with a verified email; created unless they exist."""
    user_model = get_user_model()
    members = {}
    for email, name in DEMO_MEMBERS.items():
        user = user_model.objects.filter(email=email).first()
        if user is None:
            user = user_model.objects.create_user(
                email=email, display_name=name, language=DEMO_LANGUAGES.get(email, "en")
            )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        members[email] = user
    return members


@transaction.atomic
def seed_posts(*, today: date | None = None) -> list[Post]:
    """The demo posts, with their authors, tags, replies and search text.

    Returns an empty list, touching nothing, when the demo members already have posts.
    A post whose activity is missing (renamed by hand) is left out.
    """
    if Post.objects.filter(author__email__in=DEMO_MEMBERS).exists():
        return []
    members = seed_members()
    patterns = ActivityPattern.objects.in_bulk(field_name="slug")
    now = timezone.now()
    today = today or timezone.localdate()
    posts = []
    for demo in DEMO_POSTS:
        pattern = patterns.get(demo.pattern)
        if pattern is None:
            continue
        deadline = today + timedelta(days=demo.deadline_in_days) if demo.deadline_in_days else None
        post = Post.objects.create(
            pattern=pattern,
            author=members[demo.author],
            title=demo.title,
            body=demo.body,
            deadline=deadline,
            **demo.fields,
        )
        post.tags.set(tags_from_names(demo.tags))
        replies = [
            Reply.objects.create(post=post, author=members[email], body=text)
            for email, text in demo.replies
        ]
        followers = {demo.author, *(email for email, _ in demo.replies)}
        Follow.objects.bulk_create(Follow(post=post, user=members[e]) for e in followers)
        Signup.objects.bulk_create(Signup(post=post, user=members[e]) for e in demo.signups)
        if demo.answer is not None:
            post.answer = replies[demo.answer]
        post.save()
        post_refresh_search_document(post=post)
        # Spread them out in time, replies after their post, so lists look lived-in.
        posted = now - timedelta(days=demo.days_ago)
        Post.objects.filter(pk=post.pk).update(created=posted, updated=posted)
        for n, reply in enumerate(replies, start=1):
            replied = posted + timedelta(hours=5 * n)
            Reply.objects.filter(pk=reply.pk).update(created=replied, updated=replied)
        posts.append(post)
    counts_recount()  # written without the services: the stored counts, counted afresh
    return posts
