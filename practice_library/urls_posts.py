"""Library URLs for posts: writing, reading, replies, activity actions, files, moderation.

Posts and files are addressed by their opaque codes. Replies have no code of their
own: they are addressed under their post's code by id, and every view checks that
the reply belongs to that post.
"""

from django.urls import path

from practice_library.views import files, moderation, posts

urlpatterns = [
    path("ask/", posts.ask, name="ask"),
    path("activities/<slug:slug>/new/", posts.post_create, name="post-create"),
    path("posts/<slug:code>/", posts.post_detail, name="post-detail"),
    path("posts/<slug:code>/edit/", posts.post_edit, name="post-edit"),
    path("posts/<slug:code>/delete/", posts.post_delete, name="post-delete"),
    path("posts/<slug:code>/report/", moderation.post_report, name="post-report"),
    path("posts/<slug:code>/follow/", posts.follow_toggle, name="post-follow"),
    path("posts/<slug:code>/reuse/", posts.reuse_toggle, name="post-reuse"),
    path("posts/<slug:code>/signup/", posts.signup_toggle, name="post-signup"),
    path("posts/<slug:code>/visit/", posts.visit_request_create, name="visit-request-create"),
    path("posts/<slug:code>/evidence/", posts.evidence_create, name="evidence-create"),
    path("posts/<slug:code>/moderate/", moderation.post_moderate, name="post-moderate"),
    # Replies
    path("posts/<slug:code>/replies/", posts.reply_create, name="reply-create"),
    path("posts/<slug:code>/replies/<int:reply_id>/edit/", posts.reply_edit, name="reply-edit"),
    path(
        "posts/<slug:code>/replies/<int:reply_id>/delete/",
        posts.reply_delete,
        name="reply-delete",
    ),
    path("posts/<slug:code>/replies/<int:reply_id>/answer/", posts.answer_set, name="answer-set"),
    path(
        "posts/<slug:code>/replies/<int:reply_id>/report/",
        moderation.reply_report,
        name="reply-report",
    ),
    path(
        "posts/<slug:code>/replies/<int:reply_id>/moderate/",
        moderation.reply_moderate,
        name="reply-moderate",
    ),
    # Files
    path("files/<slug:code>/", files.attachment_download, name="attachment-download"),
    # Organizers
    path("reports/", moderation.report_list, name="reports"),
    path("reports/<int:report_id>/resolve/", moderation.report_resolve, name="report-resolve"),
]
