"""The site's URLs plus a trivial view, for the benchmarks only (never the product's).

The trivial view goes through the same middleware as every page and does nothing else,
so a page's time over it is what the page itself costs.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from cop_portal.urls import urlpatterns as site_urlpatterns

TRIVIAL_PATH = "/bench-trivial/"


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(TRIVIAL_PATH.strip("/") + "/", trivial), *site_urlpatterns]
