"""The client's address behind the portal's own reverse proxies, read one way everywhere.

Rate limits per IP (allauth's on log-in, sign-up and password reset; django-ratelimit's
on guest RSVPs, self check-in and mail) count per client. Behind a proxy, REMOTE_ADDR is
the proxy, so every visitor would share one count and one attacker could use it up for
all. The client's address is in a header, but a client can write that header too. So
settings say what the proxies in front of the portal do, and both libraries read it
from there (cop_portal/settings.py derives allauth's settings; RATELIMIT_IP_META_KEY
names `client_ip` below):

- TRUSTED_PROXY_COUNT=N: N proxies of ours each append the address they were reached
  from to X-Forwarded-For. The client's address is the N-th entry from the right;
  whatever is further left the client sent itself, and is ignored.
- TRUSTED_CLIENT_IP_HEADER=X-Real-IP (say): the nearest proxy sets that header to the
  client's address, overwriting whatever the client sent.
- Neither (the default): no proxy; REMOTE_ADDR is the client.

The same rules as allauth's (allauth.core.internal.httpkit.get_client_ip), except that a
missing or unreadable header falls back to REMOTE_ADDR instead of failing the request.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str | None:
    """The IP address in `value` (an X-Forwarded-For entry may carry a port), or None."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:443
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address, for django-ratelimit (RATELIMIT_IP_META_KEY) and the
    portal's own counters."""
    header = settings.TRUSTED_CLIENT_IP_HEADER
    count = settings.TRUSTED_PROXY_COUNT
    found = None
    if header:
        found = _address(request.headers.get(header, ""))
    elif count > 0:
        entries = request.headers.get("X-Forwarded-For", "").split(",")
        # Fewer entries than proxies: the request skipped an outer proxy, and the
        # left-most entry is still one our proxies wrote.
        found = _address(entries[-min(count, len(entries))])
    return found or request.META["REMOTE_ADDR"]
