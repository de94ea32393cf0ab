"""Install the eleven activities of the community of practice, with their texts and steps.

The data lives in this file, not in an app module, so that the migration keeps doing
exactly the same thing however the app's code changes later. Organizers edit the texts
on the site afterwards; the name, slug and kind of each activity belong to this migration.
Running it again updates the eleven in place (matched by slug) and replaces their steps.
"""

from django.db import migrations

BRIEF = "brief"
IN_DEPTH = "in-depth"

PATTERNS = [
    {
        "name": "Problem solving",
        "slug": "problem-solving",
        "kind": "question",
        "purpose": "Bring a situation you're stuck on and leave with two or three next steps "
        "you can try before the next session.",
        "invitation": "What are you stuck on right now, and what have you already tried?",
        "when_to_use": (
            "When someone arrives with a live problem: a landlord who won't return calls, a "
            "block club meeting that shrinks every month, a grant report due next week and no "
            "numbers to put in it. It works best when the problem is real, current and belongs "
            "to someone in the room, not a what-if. If nobody brings one, ask at the start of "
            "the session: there nearly always is one."
        ),
        "brief": [
            (
                5,
                "One person describes the situation in three or four minutes: what's "
                "happening, who's involved, what they've tried. Everyone else just listens.",
            ),
            (
                5,
                "Clarifying questions only, no advice yet. The person with the problem can "
                "say “pass” to any question.",
            ),
            (
                12,
                "Round of ideas: each person offers one thing they would try. The person with "
                "the problem writes them down and stays quiet.",
            ),
            (
                6,
                "The person with the problem says which two or three ideas they'll try first, "
                "and why.",
            ),
            (
                5,
                "Someone offers to check in before the next session. Note the question and the "
                "chosen steps for the library.",
            ),
        ],
        "in_depth": [
            (
                10,
                "In pairs, everyone names one thing they're stuck on. The group picks one or "
                "two to work on, with their owners' agreement.",
            ),
            (
                8,
                "The owner tells the story: what's happening, who's involved, what they've "
                "tried, and what “better” would look like.",
            ),
            (
                10,
                "Clarifying questions only. Ask what helps the owner see the problem more "
                "clearly; save the advice.",
            ),
            (
                7,
                "The owner turns their chair away (or switches off their camera) and listens "
                "while the group talks the problem over as if they weren't there.",
            ),
            (
                15,
                "Ideas round: options, people to call, things that worked elsewhere. One "
                "person writes them all on the flip chart.",
            ),
            (
                10,
                "The owner comes back, says what struck them, and picks next steps, with a "
                "date for the first one.",
            ),
            (
                10,
                "If there's time, a shorter round on the second problem; if not, open it up: "
                "who else recognizes this one?",
            ),
            (
                5,
                "Agree who checks in with the owner, and who posts the question (and later the "
                "answer) in the library.",
            ),
        ],
        "online_and_in_room": (
            "In the room, sit in a circle so the person with the problem can see everyone, and "
            "write ideas on a flip chart where they can watch the list grow.\n\n"
            "Online, put the problem in one sentence in the chat so people who join late can "
            "follow, ask people to raise a hand to speak, and let the owner switch off their "
            "camera while the group talks it over.\n\n"
            "Hybrid, ask one person in the room to watch the screen and bring the online "
            "voices in first in each round."
        ),
        "group_size": "3 to 12. With more, split into groups of 4 to 6, each with its own problem.",
        "materials": (
            "A flip chart or a shared document, markers, a timer, and the library's question "
            "form for writing it up afterwards."
        ),
        "tips_and_traps": (
            "- **One problem, one owner.** The person who brings it decides what to try. The "
            "group offers; it doesn't assign.\n"
            "- **Questions before advice.** The fix that jumps to mind is often for a "
            "different problem.\n"
            "- **Watch for advice dressed as a question.** “Have you thought about calling "
            "your council member?” is advice. It can wait for the ideas round.\n"
            "- **Small next steps beat big plans.** “Knock on three doors on Thursday” helps "
            "more than “rebuild the membership”.\n"
            "- **Trap: solving the problem the group would rather have.** Check with the "
            "owner: “Is this still your problem?”\n"
            "- **Write it up.** Post the question and, later, what worked. The next person "
            "stuck on the same thing will find it."
        ),
        "example_prompts": (
            "Our block club meetings went from fifteen people to four. What would you try "
            "before the next one?\n"
            "A landlord on our street ignores code violations and the tenants are afraid to "
            "complain. Where do we start?\n"
            "We won a small grant but nobody wants to be treasurer. How have you handled the "
            "money side?\n"
            "Half the people who sign up for our cleanups don't show up. What has worked "
            "for you?"
        ),
        "post_template": (
            "## The situation\n\n"
            "What's happening, where, and who's involved.\n\n"
            "## What we've tried\n\n"
            "What you did, and what happened.\n\n"
            "## What “better” would look like\n\n"
            "How you'd know the problem is solved, or at least smaller.\n\n"
            "## What I'm asking for\n\n"
            "Ideas, a contact, someone who has faced this before?\n"
        ),
    },
    {
        "name": "Requests for information",
        "slug": "requests-for-information",
        "kind": "question",
        "purpose": "Ask where to find something or who to call, and get a pointer from someone "
        "who knows.",
        "invitation": "What do you need to find out, and who have you already asked?",
        "when_to_use": (
            "When someone needs a fact, a form, a contact or a “who handles this?”: which "
            "office issues block party permits, whether a funder accepts groups without "
            "nonprofit status, who at the county land bank answers questions about side-yard "
            "lots. One quick request fits at the start or end of any session; a whole round "
            "makes a good brief session when many people have small questions."
        ),
        "brief": [
            (
                5,
                "Everyone writes down one thing they need to find out, on a card or in the "
                "chat: a fact, a form, a contact.",
            ),
            (3, "Read the requests aloud. Put together the ones that overlap."),
            (
                15,
                "Go through them one by one. Anyone who knows says so; anyone who knows "
                "someone who knows says that too. Keep each answer short.",
            ),
            (
                7,
                "For the requests nobody could answer, one person takes each and asks around "
                "before the next session.",
            ),
            (
                3,
                "Whoever asked posts the question in the library, and marks the answer when "
                "it comes.",
            ),
        ],
        "in_depth": [
            (
                10,
                "Everyone writes their requests on cards, one per card, and says why they "
                "need to know: the reason often changes the answer.",
            ),
            (
                10,
                "Sort the cards into piles on a table or a shared board: city and county, "
                "money, people and partners, how-to.",
            ),
            (
                25,
                "Work through each pile. Answer what you can, name who could answer the rest, "
                "and write links and phone numbers on the card.",
            ),
            (
                15,
                "Pick the two or three requests many people share and go deeper: what does "
                "each of us know, what's the catch, what do we wish we'd known?",
            ),
            (
                10,
                "Turn the unanswered cards into library posts, each with someone who'll ask "
                "around.",
            ),
            (5, "Agree to come back to the open questions at the next session."),
        ],
        "online_and_in_room": (
            "In the room, index cards and a table to sort them on keep things moving.\n\n"
            "Online, collect requests in the chat, and have one person paste each answer, "
            "with its link, into a shared document as it comes. Links travel better online "
            "than in the room.\n\n"
            "Hybrid, read the online requests aloud so the room hears them too."
        ),
        "group_size": "Any size. Above 15, split the piles between small groups and share back.",
        "materials": (
            "Index cards or sticky notes, pens, and a shared document for links and phone numbers."
        ),
        "tips_and_traps": (
            "- **Say why you're asking.** “Where do I get a permit?” has one answer for a "
            "block party and another for a mural.\n"
            "- **A name beats a website.** “Ask for the housing specialist in the ward "
            "office” saves a week of phone tag. Check people are happy to be named.\n"
            "- **Say when you're not sure.** A confident wrong answer about a deadline does "
            "harm; “I think so, but check” is fine.\n"
            "- **Write down when the answer was true.** Rules, forms and contacts change.\n"
            "- **Trap: answers that live only in the room.** Post the request and mark the "
            "answer, so the next person finds it in the library."
        ),
        "example_prompts": (
            "Which city office handles a street closure for a block party, and how far ahead "
            "do we need to apply?\n"
            "Does anyone know a funder that gives small grants to groups without nonprofit "
            "status?\n"
            "How do we find out who owns the vacant house on our street?\n"
            "Where can we borrow folding tables and a sound system for free?\n"
            "Does anyone know an interpreter who has worked with resident meetings?"
        ),
        "post_template": (
            "## What I need to find out\n\n"
            "One or two sentences.\n\n"
            "## Why I need it\n\n"
            "What it's for: the reason helps people give the right answer.\n\n"
            "## What I already know or tried\n\n"
            "Who you asked, where you looked.\n\n"
            "## By when\n\n"
            "Is there a deadline?\n"
        ),
    },
    {
        "name": "Seeking experience",
        "slug": "seeking-experience",
        "kind": "question",
        "purpose": "Find someone who has already been through what you're facing and hear how "
        "it went, before you start.",
        "invitation": "What are you about to do for the first time, and who here has done "
        "something like it?",
        "when_to_use": (
            "Before a first: your first meeting with a developer, your first application for "
            "city money, your first election of block club officers, your first resource fair. "
            "Unlike problem solving, you're not stuck yet. You want to hear from someone who "
            "has walked the road before you set off."
        ),
        "brief": [
            (5, "One or two people each name something they're about to do for the first time."),
            (
                3,
                "Show of hands: who has done something like it? Pick one or two people with "
                "experience for each.",
            ),
            (
                18,
                "They tell how it went: what they expected, what actually happened, what "
                "they'd do differently. The person asking follows up with questions.",
            ),
            (
                6,
                "The person asking says what they'll take away, and whether they'd like to "
                "talk longer with anyone.",
            ),
            (3, "Swap contact details if both want to, and note the question in the library."),
        ],
        "in_depth": [
            (10, "Everyone writes down one “first” coming up in their work. Read them out."),
            (
                5,
                "For each, people with experience raise a hand. Form small groups around the "
                "firsts that found someone.",
            ),
            (
                30,
                "In small groups, the experienced person tells the story from start to finish. "
                "Then the asker interviews them: what surprised you, who helped, what would you "
                "skip, what would you never skip?",
            ),
            (15, "Switch: the asker describes their plan and the experienced person reacts to it."),
            (10, "Back together, each asker shares one thing they hadn't thought of."),
            (
                5,
                "With their permission, note who has experience with what, so others can find "
                "them later.",
            ),
        ],
        "online_and_in_room": (
            "In the room, small groups can spread out into corners; a story told face to face "
            "brings out the honest details.\n\n"
            "Online, use breakout rooms of two or three, and say clearly when to come back. "
            "The experienced person can share their screen if they kept a document from their "
            "own first time.\n\n"
            "Hybrid, keep the online people together in one breakout rather than splitting a "
            "group between the room and a laptop."
        ),
        "group_size": "4 to 20, talking in groups of 2 to 4.",
        "materials": (
            "Paper for notes, breakout rooms if online, and a way to record who has "
            "experience with what (with their agreement)."
        ),
        "tips_and_traps": (
            "- **Ask for the story, not the lesson.** “Walk me through the night of the "
            "meeting” brings out details a summary loses.\n"
            "- **What went wrong is the good part.** Thank people who share it; it sets the "
            "tone for everyone.\n"
            "- **Experience isn't only professional.** A resident who sat through a zoning "
            "hearing knows things staff may not.\n"
            "- **Trap: one story becomes the rule.** One person's experience with a funder or "
            "an office is one experience. Ask if it went differently for anyone else.\n"
            "- **Follow up.** The best result is often a coffee between two people after the "
            "session."
        ),
        "example_prompts": (
            "We're meeting a developer who wants to build on our street. Who has been in a "
            "meeting like that?\n"
            "Has anyone run an election for block club officers? How did you keep it fair "
            "and friendly?\n"
            "Who has started a tenant association? What did the first meeting look like?\n"
            "We want to turn a vacant lot into a garden. Who has done it, and what would you "
            "do differently?"
        ),
        "post_template": "",
    },
    {
        "name": "Reusing assets",
        "slug": "reusing-assets",
        "kind": "asset",
        "purpose": "Share the flyers, forms, letters and plans that worked, so nobody starts "
        "from a blank page.",
        "invitation": "What have you made that someone here could use, and what are you about "
        "to make from scratch?",
        "when_to_use": (
            "When people are about to make something others have already made: a sign-in "
            "sheet, bylaws, a cleanup flyer, a letter to a landlord, a grant budget, a "
            "survey. Good before the busy seasons (spring cleanups, summer block parties, "
            "back-to-school drives) and whenever someone says “I spent all weekend making "
            "this.”"
        ),
        "brief": [
            (
                5,
                "Everyone names one thing they've made that worked, and one thing they need to "
                "make soon.",
            ),
            (
                15,
                "Show and tell: three or four people show their asset, on paper or on screen, "
                "in two minutes each: what it's for, how it was used, what they'd change.",
            ),
            (
                8,
                "Matching: who could use which? People say what they'd need to change: "
                "language, neighborhood, dates.",
            ),
            (5, "Agree who posts what in the library, with a note on how others may reuse it."),
        ],
        "in_depth": [
            (
                10,
                "Everyone names what they have and what they need. One person lists them on "
                "two sheets: “have” and “need”.",
            ),
            (
                10,
                "Draw lines between the sheets: where does a need meet something someone "
                "already has?",
            ),
            (
                25,
                "Small groups, one per asset: look at it together, hear how it was used, and "
                "mark it up for another neighborhood (wording, translation, contacts, "
                "readability).",
            ),
            (15, "Each group shows the adapted version and what they changed."),
            (
                10,
                "For needs nobody could meet, decide whether two or three people will make "
                "one together and share it.",
            ),
            (5, "Agree who posts each asset in the library, with the permission note filled in."),
        ],
        "online_and_in_room": (
            "In the room, bring printed copies: people mark them up with pens and take them "
            "home.\n\n"
            "Online, share screens and keep the library open so links land in one place; ask "
            "people to post while they remember.\n\n"
            "Hybrid, photograph paper copies and drop them in the chat so people online can "
            "see them."
        ),
        "group_size": "3 to 20, in groups of 3 or 4 for the adapting step.",
        "materials": (
            "Printed copies of the assets, pens, sticky notes; online, the library's post form "
            "or a shared folder."
        ),
        "tips_and_traps": (
            "- **Say how it may be reused.** “Use freely” or “ask us first”: write it in the "
            "permission field.\n"
            "- **Take out private details.** Residents' names, phone numbers and addresses "
            "don't belong in a shared sign-in sheet.\n"
            "- **Plain language and translations travel well.** A flyer in English and Spanish "
            "(or another language your neighbors speak) gets reused far more.\n"
            "- **Trap: files nobody explains.** Two lines on when you used it and how it went "
            "turn a file into something useful.\n"
            "- **Press “I reused this”.** It tells the author their work helped, and tells "
            "others the asset has been tried."
        ),
        "example_prompts": (
            "Who has a sign-in sheet that works for neighbors who don't want to give an email "
            "address?\n"
            "Share a flyer that actually brought people to a meeting. What made it work?\n"
            "Does anyone have block club bylaws simple enough for everyone to read?\n"
            "Who has a letter for asking a landlord to make repairs?"
        ),
        "post_template": (
            "## What it is\n\n"
            "A flyer, a form, a letter, a budget...\n\n"
            "## How we used it\n\n"
            "When, where, for whom, and how it went.\n\n"
            "## What to change before you reuse it\n\n"
            "Dates, names, contacts, wording for your neighborhood.\n\n"
            "## Permission\n\n"
            "How others may use it, and whether to credit you.\n"
        ),
    },
    {
        "name": "Coordination and synergy",
        "slug": "coordination-and-synergy",
        "kind": "coordination",
        "purpose": "Line up efforts across groups and neighborhoods, so we do together what "
        "none of us could do alone.",
        "invitation": "What are you planning in the next three months that someone else here "
        "might be planning too?",
        "when_to_use": (
            "When several groups are doing similar things at the same time: spring cleanups, "
            "back-to-school drives, testimony at the same council hearing, the same funder's "
            "deadline. Also when a chance is too big for one group: a bulk order of seeds or "
            "trash grabbers, a shared table at a resource fair, one joint letter instead of "
            "five."
        ),
        "brief": [
            (5, "Everyone names one thing on their group's calendar for the next three months."),
            (
                10,
                "Put them on a shared timeline, month by month: a long sheet of paper or a "
                "shared document.",
            ),
            (
                12,
                "Look for clusters: the same week, the same audience, the same ask. Name two "
                "or three places where working together would help.",
            ),
            (6, "For each, who makes the first phone call or email? Set a date."),
            (3, "Post each idea in the library with a “count me in” deadline."),
        ],
        "in_depth": [
            (
                10,
                "Everyone adds their group's plans for the next three to six months to a "
                "shared timeline.",
            ),
            (
                10,
                "Walk the timeline together. Each person says what they need help with and "
                "what they could offer.",
            ),
            (10, "Mark the clusters: shared dates, shared neighborhoods, shared targets."),
            (
                25,
                "Small groups take one cluster each: what could we do together that we can't "
                "alone? What's the smallest first step? Who else should we ask?",
            ),
            (10, "Each group reports back with one concrete proposal."),
            (
                10,
                "People sign up for the proposals they'll join. Each proposal gets a contact "
                "person and a date.",
            ),
            (
                5,
                "Post the proposals in the library with a sign-up deadline, so people who "
                "weren't here can join.",
            ),
        ],
        "online_and_in_room": (
            "In the room, a long paper timeline on the wall lets people walk along it and "
            "stand together at the clusters.\n\n"
            "Online, use a shared document with one row per month, and ask people to type "
            "their plans in before the session if they can.\n\n"
            "Hybrid, one person in the room types what goes on the wall, so both timelines "
            "stay the same."
        ),
        "group_size": "5 to 25, in groups of 3 to 5 per cluster.",
        "materials": (
            "A long sheet of paper and markers, or a shared document; sticky notes in two "
            "colors (needs and offers); the library's coordination form."
        ),
        "tips_and_traps": (
            "- **Start from what's already planned.** Joining something that's happening "
            "beats inventing a new project.\n"
            "- **Small and concrete.** “Two cleanups share one dumpster on the same Saturday” "
            "gets done; “let's collaborate more” doesn't.\n"
            "- **Respect each group's name and turf.** Working together isn't merging. Say "
            "whose event it is.\n"
            "- **Trap: excitement in the room, silence afterwards.** Every proposal leaves "
            "with one contact person and a date.\n"
            "- **Set a deadline for sign-ups,** so the person organizing knows when to order, "
            "book or write."
        ),
        "example_prompts": (
            "Three block clubs are planning spring cleanups. Could we share the tools and "
            "the dumpster?\n"
            "Who's going to the council hearing on rental inspections? Could we speak with "
            "one voice?\n"
            "We're ordering seeds and seedlings for our garden. Who wants to join a bulk "
            "order?\n"
            "Who's planning a back-to-school event in August, and could we share a resource "
            "table?"
        ),
        "post_template": "",
    },
    {
        "name": "Building an argument",
        "slug": "building-an-argument",
        "kind": "argument",
        "purpose": "Gather the facts and stories that make the case to a funder, a council "
        "member or a landlord.",
        "invitation": "Who do you need to convince, of what, and what would make them listen?",
        "when_to_use": (
            "Before a hearing, a grant application, a meeting with a property manager or with "
            "a council office: whenever one group's experience isn't enough and many groups' "
            "experience together would be. Also when someone keeps hearing “that's just one "
            "complaint” and needs to show it isn't."
        ),
        "brief": [
            (
                5,
                "The person bringing the case says in one sentence who they need to convince "
                "and what they're asking for.",
            ),
            (
                10,
                "Everyone adds evidence they know of: numbers, reports, photos, stories from "
                "their own street. One person lists it all.",
            ),
            (
                10,
                "Sort it: what's solid, what's a guess, what's missing? Who could get the "
                "missing pieces?",
            ),
            (
                7,
                "Sketch the argument as three points the audience cares about, with the best "
                "evidence under each.",
            ),
            (3, "Post the argument in the library so members can add evidence."),
        ],
        "in_depth": [
            (
                10,
                "State the case: audience, ask, deadline. Then ask: what does this audience "
                "care about? Money, safety, votes, reputation?",
            ),
            (
                15,
                "Gather evidence in a round: everyone adds what they know, including stories "
                "from their own neighborhood.",
            ),
            (
                10,
                "Sort it into three piles: solid (we can show it), likely (we need to check "
                "it), story (true, but one person's).",
            ),
            (
                20,
                "In small groups, write the argument three ways: one minute spoken, a short "
                "paragraph for a letter or grant, and one number or picture that sums it up.",
            ),
            (
                10,
                "Try it out: one person plays the audience and pushes back. Note the hardest "
                "question.",
            ),
            (
                10,
                "Agree who fetches the missing evidence, by when, and who posts the argument "
                "in the library.",
            ),
        ],
        "online_and_in_room": (
            "In the room, evidence on sticky notes can move between piles as you sort it.\n\n"
            "Online, collect links, photos and numbers in the chat or a shared document as "
            "they come; they're easier to share online than in the room.\n\n"
            "Hybrid, whoever holds the list reads the online contributions aloud, so they "
            "carry the same weight."
        ),
        "group_size": "3 to 15.",
        "materials": (
            "Sticky notes in three colors, a flip chart or a shared document, and any reports, "
            "photos or counts people can bring."
        ),
        "tips_and_traps": (
            "- **Know the audience first.** A council member, a funder and a property manager "
            "are moved by different things.\n"
            "- **Numbers and stories together.** A count of homes without heat plus one "
            "family's winter beats either alone.\n"
            "- **Say where each fact comes from.** A source and a date make evidence hard to "
            "wave away.\n"
            "- **Protect people.** Don't share a neighbor's story or address without their "
            "permission, least of all a tenant who fears retaliation.\n"
            "- **Trap: arguing with each other instead of building the argument.** If the "
            "group disagrees about the ask, that's a different conversation."
        ),
        "example_prompts": (
            "We want the city to board up and mow vacant houses faster. What evidence do we "
            "have?\n"
            "Our funder wants proof that the youth program keeps kids coming. What counts?\n"
            "How do we show the landlord the heating problems aren't one tenant's complaint?\n"
            "How do we make the case for a crosswalk by the school on our street?"
        ),
        "post_template": (
            "## Who we need to convince\n\n"
            "A person, an office, a funder.\n\n"
            "## What we're asking for\n\n"
            "One sentence.\n\n"
            "## Why it matters to them\n\n"
            "In their terms: money, safety, votes, reputation.\n\n"
            "## Evidence so far\n\n"
            "- Source, date, what it shows\n\n"
            "## What's missing\n\n"
            "What would make the case stronger, and who could find it?\n"
        ),
    },
    {
        "name": "Growing confidence",
        "slug": "growing-confidence",
        "kind": "feedback",
        "purpose": "Try out a plan, a pitch or a speech on friendly peers before it meets the "
        "real audience.",
        "invitation": "What are you about to say or do that you'd like to practice first?",
        "when_to_use": (
            "Before testimony at city council, a pitch to a funder, the first meeting you "
            "chair, a door-knocking script, a hard conversation with a neighbor or a partner. "
            "It's also how newer members grow into leaders: hearing “that was clear and "
            "strong” from peers makes the next step easier."
        ),
        "brief": [
            (
                3,
                "One or two people say what they want to practice, who the real audience is, "
                "and what kind of feedback they'd like.",
            ),
            (
                5,
                "The first person tries it out, as if it were the real thing: the speech, the "
                "pitch, or the first minutes of the meeting.",
            ),
            (
                8,
                "Feedback in this order: what worked, one or two things to sharpen, and the "
                "questions the real audience might ask.",
            ),
            (5, "They try it again, using what helped."),
            (12, "The same for the second person, if there is one."),
        ],
        "in_depth": [
            (
                10,
                "Everyone who wants to practice says what, for whom and when. Pick two or "
                "three for today; the others go first next time.",
            ),
            (5, "Agree how to give feedback: specific, kind, and about the words, not the person."),
            (
                15,
                "First person: try it out, then feedback (what worked, what to sharpen, the "
                "hard question), then a second try.",
            ),
            (15, "Second person, the same way."),
            (
                15,
                "Third person, or a role play: others play the audience, including the "
                "skeptic and the one who goes off topic.",
            ),
            (
                10,
                "Each presenter says what they'll change and how they feel about the real "
                "thing now.",
            ),
            (5, "Offer a check-in afterwards: who'd like to hear how it went?"),
        ],
        "online_and_in_room": (
            "In the room, stand up if the real thing will be standing: it changes how the "
            "words come out.\n\n"
            "Online, the presenter can share slides or a script. Collect written feedback in "
            "the chat so they can keep it, and let listeners switch off their cameras if a "
            "wall of faces adds to the nerves.\n\n"
            "Hybrid, make sure the presenter faces the camera as well as the room."
        ),
        "group_size": "3 to 10. With more, split into pairs or threes.",
        "materials": (
            "A timer (hearings often allow two or three minutes), a chair or a spot for the "
            "presenter, paper for written feedback."
        ),
        "tips_and_traps": (
            "- **Ask what feedback they want.** Sometimes it's “is it clear?”, sometimes "
            "“do I sound angry?”\n"
            "- **Warm first, then sharp.** Start with what worked, every time, and mean it.\n"
            "- **Be specific.** “Your point about the bus stop was the strongest; lead with "
            "it” helps. “Great job” doesn't.\n"
            "- **Use the real time limit.** If council gives three minutes, practice with "
            "three minutes.\n"
            "- **Trap: rewriting it in your words.** It has to sound like them.\n"
            "- **Celebrate afterwards.** Ask them back to tell how it went."
        ),
        "example_prompts": (
            "I'm testifying at council next week and I get three minutes. Can I try it on "
            "you?\n"
            "I'm chairing our block club meeting for the first time. Can we practice the "
            "opening?\n"
            "Here's our pitch to a foundation. What would make you want to fund it?\n"
            "I have to tell a longtime volunteer we're changing how the pantry runs. Can I "
            "practice that conversation?"
        ),
        "post_template": "",
    },
    {
        "name": "Discussing new developments",
        "slug": "discussing-new-developments",
        "kind": "discussion",
        "purpose": "Make sense together of a new policy, program or trend that will change our "
        "work, and decide what to do about it.",
        "invitation": "What's changing around us that we should understand before it reaches "
        "our streets?",
        "when_to_use": (
            "When something new lands: a change in the city's rental rules, a new grant "
            "program, a big development announced nearby, new bus routes, a tool everyone "
            "suddenly uses. Have the conversation early, while there's still time to prepare, "
            "ask questions or weigh in."
        ),
        "brief": [
            (
                5,
                "Someone who has read up on it explains the development in plain words: what, "
                "who, when.",
            ),
            (7, "Questions to understand it. Note what nobody knows yet."),
            (12, "Round: what could this mean on your street or for your group, good and bad?"),
            (
                8,
                "What do we do: learn more, tell our neighbors, weigh in, or wait and see? Who "
                "will keep an eye on it?",
            ),
            (3, "Post a short summary in the library, with the open questions."),
        ],
        "in_depth": [
            (
                10,
                "Someone who has read up explains the development: what it is, who decided, "
                "when it starts, where to read more.",
            ),
            (
                10,
                "Questions to understand it. List what's known, what's rumored, and what "
                "nobody knows yet.",
            ),
            (
                20,
                "Small groups, mixed by neighborhood: what does it mean for the people we work "
                "with? Who gains, who loses, who hasn't heard?",
            ),
            (
                10,
                "Back together, each group shares the effect they most want others to know about.",
            ),
            (
                15,
                "Decide: do we learn more (invite someone?), tell our neighbors (how?), or "
                "weigh in (where, and by when)?",
            ),
            (5, "Name who follows up on each, and who posts the summary in the library."),
        ],
        "online_and_in_room": (
            "In the room, a printed one-page summary helps: not everyone has followed the "
            "news.\n\n"
            "Online, share the source link in the chat before you start and give people a "
            "minute to skim it.\n\n"
            "Hybrid, people joining online often know different corners of the city; ask "
            "them first in each round."
        ),
        "group_size": "Any size, with groups of 4 to 6 for the “what it means” step.",
        "materials": (
            "A one-page summary in plain words, the source (an article, an ordinance, a "
            "program page), and a flip chart with three columns: known, rumored, unknown."
        ),
        "tips_and_traps": (
            "- **Separate fact from rumor.** Three columns (known, rumored, unknown) calm a "
            "worried room.\n"
            "- **Translate the jargon together,** and keep the translation for the summary.\n"
            "- **Ask who's missing.** The people most affected are often not in the room. How "
            "will they hear?\n"
            "- **Trap: an hour of venting.** Frustration deserves some time; then move on to "
            "“what do we do?”\n"
            "- **Invite someone who knows,** such as a legal aid attorney or a council "
            "staffer, if the group needs more than it can work out alone."
        ),
        "example_prompts": (
            "The city changed how rental inspections work. What does it mean for tenants on "
            "our streets?\n"
            "A large development was announced near us. What do we know, and what should we "
            "ask?\n"
            "Bus routes are changing. Which of our neighbors will it affect?\n"
            "A new small-grant program opened for neighborhood groups. Has anyone looked at "
            "it? Is it worth applying?"
        ),
        "post_template": "",
    },
    {
        "name": "Documenting projects",
        "slug": "documenting-projects",
        "kind": "project",
        "purpose": "Write down what was tried and how it turned out, so the lesson outlives the "
        "project and the people who ran it.",
        "invitation": "What did you try recently that others could learn from, whether it "
        "worked or not?",
        "when_to_use": (
            "When a project ends or reaches a milestone: a season of cleanups, a tenant "
            "campaign, a mural, a pop-up market, a youth program's first year. Also before "
            "a key person moves on, while they still remember. It works well as a writing "
            "session: people leave with a draft."
        ),
        "brief": [
            (3, "One person names a project to write up. The group agrees to help them draft it."),
            (
                15,
                "The group interviews them under the five headings: context, the problem, "
                "what we tried, outcome, what others can reuse. One person takes notes under "
                "each.",
            ),
            (10, "The project's owner reads the notes back and fixes what's wrong or missing."),
            (5, "Agree who posts the write-up in the library, and by when."),
        ],
        "in_depth": [
            (
                10,
                "Everyone names a project worth writing up. Pair people who have a project "
                "with people who'll interview them.",
            ),
            (
                25,
                "In pairs, the interviewer asks questions under each heading and writes the "
                "answers in the owner's own words.",
            ),
            (
                10,
                "Switch roles if both have a project, or keep going on the hardest heading: "
                "usually “what we tried” or “outcome”.",
            ),
            (
                15,
                "Swap drafts with another pair. Readers mark anything a stranger wouldn't "
                "understand and ask: could I reuse this?",
            ),
            (10, "Fix the drafts. Add numbers, dates, and a photo or a file if you have them."),
            (5, "Post the drafts in the library, or agree a date to finish them."),
        ],
        "online_and_in_room": (
            "In the room, pairs work well with the five headings on paper; type it up "
            "afterwards.\n\n"
            "Online, each pair opens the library's project form and types as they talk, so "
            "the draft is done when the session ends.\n\n"
            "Hybrid, pair online people with each other: interviewing across the room and the "
            "screen is hard."
        ),
        "group_size": "2 to 20, working in pairs.",
        "materials": (
            "The five headings on paper or on screen, photos or files from the project, and "
            "laptops or phones for typing up."
        ),
        "tips_and_traps": (
            "- **Write up what didn't work too.** “Door-knocking in January got us nowhere” "
            "saves someone else a cold month.\n"
            "- **Numbers and dates help.** How many people, how much money, how long it "
            "took.\n"
            "- **Let someone else ask the questions.** Telling a project is easier than "
            "writing one.\n"
            "- **Name what's reusable:** a flyer, a budget, a partner's contact, a list of "
            "steps.\n"
            "- **Trap: a press release.** This is for peers. The messy parts are the useful "
            "parts.\n"
            "- **Protect privacy.** Leave out residents' names and details unless they've "
            "agreed."
        ),
        "example_prompts": (
            "What did your spring cleanup teach you about getting new people to come?\n"
            "Your tenant association won repairs from the landlord. How did it happen?\n"
            "You ran a pop-up market on a vacant lot. What would you tell someone trying it "
            "next summer?\n"
            "Your youth program lost its funding. What did you learn about keeping it going?"
        ),
        "post_template": (
            "## Context\n\n"
            "Where and when, who was involved, and what things were like at the start.\n\n"
            "## The problem\n\n"
            "What needed to change, and for whom?\n\n"
            "## What we tried\n\n"
            "The steps you took, in order, including what didn't work.\n\n"
            "## Outcome\n\n"
            "What happened: numbers, dates, what changed (or didn't).\n\n"
            "## What others can reuse\n\n"
            "Files, contacts, steps, lessons: what would you hand to the next group?\n"
        ),
    },
    {
        "name": "Visits",
        "slug": "visits",
        "kind": "visit",
        "purpose": "Go and see how another group does it, in its own place: a garden, a "
        "pantry, a tenant meeting, a youth program.",
        "invitation": "Whose work would you like to see with your own eyes, and what could "
        "others learn by visiting yours?",
        "when_to_use": (
            "When hearing about a project isn't enough and seeing it would help: how a "
            "community garden handles its water, how a food pantry sets up its line, how a "
            "block club runs its meetings. Plan visits in a session and go in small groups "
            "another day, or hold a whole session at a member's site."
        ),
        "brief": [
            (5, "Round: who would welcome visitors, and what would they show?"),
            (5, "Round: who would like to visit, and what do they want to see?"),
            (
                12,
                "Match offers and requests. For each, agree a date, how many can come, and "
                "what the host would like in return: an afternoon's help, a visit back.",
            ),
            (8, "If someone has just been on a visit, they share three things they noticed."),
            (
                3,
                "Post the visit offers in the library so members who weren't here can ask to come.",
            ),
        ],
        "in_depth": [
            (
                10,
                "At a member's site: the host welcomes everyone and says what they'll see and "
                "what to look out for.",
            ),
            (
                35,
                "The walk-through or demonstration, with questions along the way. (Back at "
                "the usual room instead? One or two people present a recent visit with photos.)",
            ),
            (
                15,
                "Sit down together: what surprised you? What would work on your street, and "
                "what wouldn't?",
            ),
            (10, "The host says what they'd like advice or help with; the visitors respond."),
            (10, "Plan the next visits: offers, requests, dates."),
            (5, "Someone writes up the visit in the library, with the host's agreement."),
        ],
        "online_and_in_room": (
            "Visits are at their best in person.\n\n"
            "Online, a host can walk around with a phone on a video call: test the connection "
            "on site first, and ask someone to read out questions from the chat.\n\n"
            "Hybrid, at a site, put a phone on a small stand, or record a short tour "
            "beforehand. Either way, offer a way in for people who can't manage steps or "
            "uneven ground."
        ),
        "group_size": "2 to 12 visitors per visit; more wears out the host.",
        "materials": (
            "The address and directions (bus lines too), name tags, a phone for photos (ask "
            "first), and something to say thank you with."
        ),
        "tips_and_traps": (
            "- **The host decides** what to show, when, how many people come, and whether "
            "photos are OK.\n"
            "- **Give something back:** an hour of help, a return visit, or a write-up the "
            "host can use.\n"
            "- **Come with questions.** Tell the host beforehand what you hope to learn so "
            "they can prepare.\n"
            "- **It's someone's neighborhood, not a tour stop.** Be a good guest on the "
            "street as well as at the site.\n"
            "- **Think about access.** Share bus options and say whether there are steps.\n"
            "- **Trap: the visit nobody writes up.** Post what you saw, with the host's OK, "
            "so the visit teaches more than the people who went."
        ),
        "example_prompts": (
            "Our garden catches rainwater from a garage roof. Who wants to see it before "
            "planting season?\n"
            "We'd love to sit in on a tenant association meeting that runs well. Who would "
            "host us?\n"
            "Could someone show us how their food pantry keeps the line moving on a busy "
            "Saturday?\n"
            "Who would walk us through their mural, from the first idea to the wall?"
        ),
        "post_template": (
            "## Program or site\n\n"
            "What it is and who runs it.\n\n"
            "## What you'll see (or want to see)\n\n"
            "What visitors can learn here.\n\n"
            "## Dates and group size\n\n"
            "When it works, and how many people can come.\n\n"
            "## Getting there\n\n"
            "Address, bus lines, parking, steps.\n\n"
            "## What we'd like in return\n\n"
            "Help, a visit back, feedback?\n"
        ),
    },
    {
        "name": "Identifying gaps in competence",
        "slug": "identifying-gaps-in-competence",
        "kind": "gap",
        "purpose": "Notice what we as a network don't know how to do yet, and find a way to "
        "learn it together.",
        "invitation": "What do you keep running into that none of us seems to know how to handle?",
        "when_to_use": (
            "Once or twice a year, and whenever the same questions go unanswered in the "
            "library. Useful when planning the next season of sessions: the gaps become "
            "topics, guests and visits. Also after a new development shows us something we "
            "need to learn, such as a new law or a new kind of funding."
        ),
        "brief": [
            (5, "Each person writes down one or two things they wish they knew how to do better."),
            (10, "Read them out, and group the similar ones on a board."),
            (8, "Vote with dots or a show of hands: which gaps matter to the most people?"),
            (
                10,
                "For the top one or two: does anyone here, or anyone we know, have that "
                "skill? Could we invite them, visit them, or learn it together?",
            ),
            (3, "Post the gaps in the library so the organizers can plan sessions around them."),
        ],
        "in_depth": [
            (
                10,
                "Look back: which questions in the library stayed open longest? What did we "
                "struggle with this year?",
            ),
            (
                10,
                "Each person writes skills and knowledge they wish they had, one per sticky note.",
            ),
            (
                15,
                "Cluster the notes on a wall and name each cluster: “money and budgets”, "
                "“working with landlords”, “getting young people involved”.",
            ),
            (10, "Dot vote: three dots each, for the clusters that matter most."),
            (
                20,
                "Small groups take the top clusters: what exactly do we need to learn? Who "
                "could teach it (a member, a partner, a guest)? As a session, a visit, a "
                "workshop, a shared guide?",
            ),
            (10, "Groups report back. The organizers note which ideas to schedule."),
            (5, "Post the gaps in the library, and ask members who weren't here to add theirs."),
        ],
        "online_and_in_room": (
            "In the room, sticky notes on a wall and dot stickers show the priorities at a "
            "glance.\n\n"
            "Online, use a shared document or board and give people a few quiet minutes to "
            "write before anyone speaks; it's easier to admit a gap in writing.\n\n"
            "Hybrid, one person in the room copies the online notes onto the wall."
        ),
        "group_size": "5 to 30.",
        "materials": (
            "Sticky notes, dot stickers, a wall or a shared board, and a list of the "
            "library's longest-open questions."
        ),
        "tips_and_traps": (
            "- **It's about the group, not the person.** “We don't know how to…” is easier "
            "to say than “I'm bad at…”.\n"
            "- **Look at the evidence.** Open questions in the library and topics that keep "
            "coming back point to gaps.\n"
            "- **The skill is often nearby.** Ask around the network before looking for a "
            "trainer.\n"
            "- **Trap: a wish list with no follow-up.** Each top gap needs a next step and "
            "someone who'll pursue it.\n"
            "- **Come back to it.** Six months later, ask: which gaps have we closed?"
        ),
        "example_prompts": (
            "Few of us feel confident reading a budget. How could we learn?\n"
            "We keep losing volunteers after their first event. Is that something we could "
            "learn to do better together?\n"
            "Who could teach us to reach neighbors under 30 online?\n"
            "What do we wish we knew about fair housing law?"
        ),
        "post_template": "",
    },
]

# Each pair is set in both directions.
RELATED = [
    ("problem-solving", "seeking-experience"),
    ("problem-solving", "requests-for-information"),
    ("problem-solving", "documenting-projects"),
    ("requests-for-information", "reusing-assets"),
    ("seeking-experience", "visits"),
    ("reusing-assets", "documenting-projects"),
    ("coordination-and-synergy", "building-an-argument"),
    ("coordination-and-synergy", "discussing-new-developments"),
    ("building-an-argument", "growing-confidence"),
    ("building-an-argument", "documenting-projects"),
    ("growing-confidence", "identifying-gaps-in-competence"),
    ("discussing-new-developments", "identifying-gaps-in-competence"),
    ("visits", "identifying-gaps-in-competence"),
]

TEXT_FIELDS = (
    "name",
    "kind",
    "purpose",
    "invitation",
    "when_to_use",
    "online_and_in_room",
    "group_size",
    "materials",
    "tips_and_traps",
    "example_prompts",
    "post_template",
)


def install_patterns(apps, schema_editor):
    pattern_model = apps.get_model("practice_library", "ActivityPattern")
    step_model = apps.get_model("practice_library", "PatternStep")
    by_slug = {}
    for position, data in enumerate(PATTERNS, start=1):
        pattern, _ = pattern_model.objects.update_or_create(
            slug=data["slug"],
            defaults={"position": position, **{field: data[field] for field in TEXT_FIELDS}},
        )
        pattern.steps.all().delete()
        step_model.objects.bulk_create(
            step_model(pattern=pattern, format=fmt, position=index, minutes=minutes, text=text)
            for fmt, steps in ((BRIEF, data["brief"]), (IN_DEPTH, data["in_depth"]))
            for index, (minutes, text) in enumerate(steps, start=1)
        )
        by_slug[pattern.slug] = pattern
    for one, other in RELATED:
        # Both directions, whether or not the historical model knows the field is symmetrical.
        by_slug[one].related.add(by_slug[other])
        by_slug[other].related.add(by_slug[one])


def remove_patterns(apps, schema_editor):
    pattern_model = apps.get_model("practice_library", "ActivityPattern")
    pattern_model.objects.filter(slug__in=[data["slug"] for data in PATTERNS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("practice_library", "0001_library"),
    ]

    operations = [
        migrations.RunPython(install_patterns, remove_patterns, elidable=False),
    ]
