"""Writes on a member's own account: marking replies as read, resending the sign-up
confirmation email, and leaving for good."""

from datetime import datetime

from allauth.account.internal.flows.email_verification import send_verification_email_at_login
from allauth.account.internal.stagekit import get_pending_stage
from allauth.account.models import EmailAddress
from allauth.account.stages import EmailVerificationStage
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string

from cop_portal.mail.models import EmailPreference
from cop_portal.mail.services import emails_forget
from members.models import User
from members.services.counts import (
    neighborhood_counts_refresh,
    neighborhoods_of,
    topic_counts_refresh,
    topic_ids_of,
)
from members.services.profile import profile_for
from members.services.roles import organizer_check_leaving
from members.services.search_index import profiles_search_forget
from practice_library.models import Attachment, Follow, Reuse, Signup
from practice_library.services.posts import contributions_remove
from sessions_app.models import Rsvp
from sessions_app.services.counts import session_counts_refresh
from sessions_app.services.rsvps import rsvp_cancel


@transaction.atomic
def replies_mark_seen(*, user: User, until: datetime) -> datetime | None:
    """Mark replies to the member's posts as read up to `until` (when the page showing
    them was read from the database), so a reply arriving meanwhile stays new. Never
    later than now, never backwards. Returns the new mark.

    Side effects: may create the member's profile; updates `replies_seen_at`.
    """
    profile = profile_for(user)
    mark = min(until, timezone.now())
    if profile.replies_seen_at is None or mark > profile.replies_seen_at:
        profile.replies_seen_at = mark
        profile.save(update_fields=["replies_seen_at", "updated"])
    return profile.replies_seen_at


def verification_email_resend(*, request: HttpRequest) -> bool | None:
    """Send the sign-up confirmation email again, to the address of the sign-up waiting
    in this browser's session ("Check your email" → "Resend the email").

    None when no sign-up is waiting (the session ran out, or the browser never signed
    up). Otherwise whether an email went: allauth sends at most one confirmation per
    address every few minutes (ACCOUNT_RATE_LIMITS "confirm_email"), and the adapter's
    send_mail counts it against the per-sender and per-recipient limits. A sign-up with
    an address that has an account already waits in the session too (allauth's
    enumeration prevention), and resending emails that address's owner again, as
    signing up did: the page can't tell the two apart.

    Uses allauth's internal login-stage API (no public one resends a link): the
    tests in tests/members/test_signup_flow.py hold it to what it does.

    Side effects: may queue one account email (members.adapter.send_mail).
    """
    stage = get_pending_stage(request)
    if stage is None or stage.key != EmailVerificationStage.key:
        return None
    return send_verification_email_at_login(request, stage.login)


def _delete_files_after_commit(attachments: list[Attachment]) -> None:
    files = [(attachment.file.storage, attachment.file.name) for attachment in attachments]

    def delete() -> None:
        for storage, name in files:
            storage.delete(name)

    if files:
        transaction.on_commit(delete)


def _end_log_in_sessions(user: User) -> int:
    """Delete the stored log-in sessions that belong to `user`; returns how many.

    Deleting the user already logs every session out (its user id no longer resolves,
    and ids are never reused), so this is about not keeping their session data around.
    Only database-backed session engines can be searched; others expire on their own.
    """
    store_class = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    if not issubclass(store_class, DatabaseSessionStore):
        return 0
    model = store_class.get_model_class()
    user_id = str(user.pk)
    mine = [
        row.session_key
        for row in model.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(row.get_decoded().get("_auth_user_id", "")) == user_id
    ]
    for session_key in mine:
        # Through the store, so a cached_db engine forgets its cached copy too.
        store_class(session_key).delete()
    return len(mine)


@transaction.atomic
def account_delete(*, user: User, keep_posts: bool) -> None:
    """Delete the member's account and what hangs on it.

    Raises ValidationError, changing nothing, when they are the only organizer left
    (`organizer_check_leaving`, whose lock holds until this transaction ends).

    Side effects, in order:
    - every active RSVP to a session that is not over is cancelled through
      `rsvp_cancel`, so freed places go to the waitlist (promotion emails after the
      commit; the leaving person gets no cancellation email, their RSVP being gone);
    - the files attached to their posts are removed from storage after the commit, and
      the attachment rows deleted, whatever `keep_posts` says;
    - their follows, sign-ups and reuses are deleted;
    - `keep_posts=True`: their posts, replies and evidence stay, signed "a former
      member" (the authors become NULL through the foreign keys' SET_NULL), each in
      its state (hidden stays hidden);
      `keep_posts=False`: `contributions_remove` blanks their posts and replies and
      deletes their evidence, keeping the threads with other people's replies, and
      every report and hidden state; the posts touched get fresh search documents;
    - their email preferences and allauth email addresses are deleted, and every email
      to their addresses still in the outbox (waiting, failed or sent) with them;
    - every stored log-in session of theirs is deleted (other browsers are logged out);
    - the user row is deleted, and with it (CASCADE) the profile, past RSVPs and visit
      requests. Reports they filed stay, unsigned, for the organizers;
    - the stored counts of the topics and neighborhood their profile gave, and the
      stored attendance counts of every session they answered, are recomputed.

    The caller logs the current request out afterwards.
    """
    organizer_check_leaving(user=user)
    user = User.objects.select_for_update().get(pk=user.pk)
    future = (
        Rsvp.objects.filter(user=user, session__ends_at__gt=timezone.now())
        .active()
        .select_related("session")
    )
    for rsvp in future:
        rsvp_cancel(rsvp=rsvp)

    attachments = list(Attachment.objects.filter(post__author=user))
    _delete_files_after_commit(attachments)
    Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()

    for model in (Follow, Signup, Reuse):
        model.objects.filter(user=user).delete()

    if not keep_posts:
        contributions_remove(author=user)

    addresses = {user.email.lower()}
    addresses.update(
        email.lower()
        for email in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    )
    by_address = Q()
    for address in addresses:
        by_address |= Q(email__iexact=address)
    EmailPreference.objects.filter(by_address).delete()
    for address in addresses:
        emails_forget(address=address)
    EmailAddress.objects.filter(user=user).delete()

    _end_log_in_sessions(user)
    topics = topic_ids_of(user=user)
    neighborhoods = neighborhoods_of(user=user)
    answered = set(Rsvp.objects.filter(user=user).values_list("session_id", flat=True))
    user_id = user.pk
    user.delete()
    profiles_search_forget(user_ids=[user_id])
    topic_counts_refresh(tag_ids=topics)
    neighborhood_counts_refresh(names=neighborhoods)
    # Their past RSVPs went with the account: the statistics forget them too.
    session_counts_refresh(session_ids=answered)
