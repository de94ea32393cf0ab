"""The organizers' page about outgoing mail: what is waiting, what failed (with a
button to try again), the latest announcements and reply notices, the task queue."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from cop_portal.lib.roles import organizer_required
from cop_portal.mail import selectors
from cop_portal.mail.forms import RetryForm
from cop_portal.mail.services import emails_retry


@organizer_required
@require_safe
def outbox_page(request: HttpRequest) -> HttpResponse:
    context = {
        "delivery": selectors.delivery_overall(),
        "failed": selectors.failed_emails(),
        "fanouts": selectors.recent_fanouts(),
        "tasks": selectors.task_counts(),
        "keep_days": settings.MAIL_KEEP_DAYS,
    }
    return render(request, "mail/outbox.html", context)


@organizer_required
@require_POST
def retry(request: HttpRequest) -> HttpResponse:
    form = RetryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That email could not be found. Nothing was changed."))
        return redirect("mail:outbox")
    email_id = form.cleaned_data["email"]
    count = emails_retry(ids=[email_id] if email_id else None)
    if count:
        text = ngettext(
            "%(count)s email is being sent again.", "%(count)s emails are being sent again.", count
        )
        messages.success(request, text % {"count": f"{count:,}"})
    else:
        messages.info(request, _("Nothing to try again: no email is marked failed."))
    return redirect("mail:outbox")
