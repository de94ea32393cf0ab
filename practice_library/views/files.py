"""Downloads of files attached to posts.

A member's file must never run as part of the site: it is always sent as a download
(Content-Disposition: attachment), with the type established by the upload checks,
no content sniffing, and a sandboxing Content-Security-Policy in case a browser
shows it anyway.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from cop_portal.lib.roles import is_organizer
from practice_library.models import Attachment

# Set here, django-csp's middleware leaves it as it is (it only fills in a missing header).
DOWNLOAD_CSP = "sandbox; default-src 'none'"


@require_safe
def attachment_download(request: HttpRequest, code: str) -> HttpResponse:
    """The file, for whoever may read its post (same rules as the post page)."""
    attachment = get_object_or_404(Attachment.objects.select_related("post"), code=code)
    post = attachment.post
    if not post.is_published and not is_organizer(request.user):
        raise Http404("No such file.")
    if post.members_only and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    # No shared caches: members-only files stay private, and a file stops being served
    # as soon as an organizer hides its post.
    response["Cache-Control"] = "private"
    return response
