from allauth.account import views as account_views
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from cop_portal import views
from cop_portal.lib.page_cache import shared_with_visitors
from cop_portal.mail import unsubscribe
from members.views.language import set_language

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    # The language buttons: Django's set_language, plus the member's account.
    path("i18n/setlang/", set_language, name="set_language"),
    path("unsubscribe/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
    # Django tries patterns in order, and no pattern here overlaps another app's, so the
    # order only decides how many are tried. The apps under a prefix come first: a path
    # outside it fails the whole app in one test. The apps at the root are tried pattern
    # by pattern (and each miss is noted for the 404 page), which cost the library's
    # pages a third of a kept page's time when they came after the sessions app's 45.
    path("library/", include("practice_library.urls")),
    # The two account pages every visitor may open, kept like the other public pages;
    # allauth's own patterns (same names) come next and answer everything else.
    path("accounts/login/", shared_with_visitors(account_views.login), name="account_login"),
    path("accounts/signup/", shared_with_visitors(account_views.signup), name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    # Sessions and feeds first of the apps at the root: they take most requests.
    path("", include("sessions_app.urls")),
    path("", include("members.urls")),
    path("", include("cop_portal.mail.urls")),
]

admin.site.site_header = _("CoP Portal administration")
admin.site.site_title = _("CoP Portal admin")
