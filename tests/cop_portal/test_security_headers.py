"""Every response carries the security headers; no template needs 'unsafe-inline'."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.fuzzing import PAGES, World, log_in

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.mark.parametrize("path", ["/", "/about/", "/accounts/login/", "/no-such-page/"])
def test_responses_carry_security_headers(client, path):
    response = client.get(path)

    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


# Email HTML is never served by the site, so the CSP does not reach it; mail clients need
# inline styles and tables instead (tests/cop_portal/mail/test_layout.py checks those).
WEB_TEMPLATES = sorted(
    path for path in TEMPLATES.rglob("*.html") if path.relative_to(TEMPLATES).parts[0] != "emails"
)


@pytest.mark.parametrize("template", WEB_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_no_inline_styles_or_scripts(template):
    text = template.read_text()

    assert not re.search(r"\sstyle\s*=", text)
    assert "<style" not in text
    assert not re.search(r"<script(?![^>]*\ssrc=)", text)
    assert not re.search(r"\son[a-z]+\s*=", text)


def test_https_sets_secure_host_prefixed_cookies(client, member, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"

    response = client.post(
        reverse("account_login"), {"login": member.email, "password": PASSWORD}, secure=True
    )

    assert response.status_code == 302
    session = response.cookies["__Host-sessionid"]
    assert (session["secure"], session["path"], session["domain"]) == (True, "/", "")
    assert session["httponly"] is True
    assert response.cookies["__Host-csrftoken"]["secure"] is True


# Every page, as the person who opens it -------------------------------------------------

# Sources that would let injected markup run or load code from anywhere.
UNSAFE_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'"}
BROAD_SOURCES = {"*", "http:", "https:", "data:", "blob:"}
INLINE_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
# JSON-LD (sessions_app/jsonld.py) is data: browsers never run it, so the CSP allows it.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/ld\+json\")")
SCRIPT_URL = re.compile(r"""\s(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)


def _directives(csp: str) -> dict[str, set[str]]:
    parts = (directive.split() for directive in csp.split(";") if directive.strip())
    return {name: set(sources) for name, *sources in parts}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_has_a_strict_csp_and_no_inline_code(name, member, other_member, organizer):
    world = World(member=member, other_member=other_member, organizer=organizer)
    page = PAGES[name]
    client = log_in(Client(), page.persona, world)

    response = client.get(reverse(name, kwargs=page.kwargs(world)))

    assert response.status_code < 400
    directives = _directives(response["Content-Security-Policy"])
    assert all(not sources & UNSAFE_SOURCES for sources in directives.values())
    assert not directives.get("script-src", directives["default-src"]) & BROAD_SOURCES
    assert not directives.get("style-src", directives["default-src"]) & BROAD_SOURCES
    if response.get("Content-Type", "").startswith("text/html"):
        body = response.content.decode()
        assert directives["object-src"] == directives["base-uri"] == {"'none'"}
        assert directives["form-action"] == {"'self'"}
        assert not INLINE_HANDLER.search(body)
        assert not INLINE_SCRIPT.search(body)
        assert not SCRIPT_URL.search(body)
        assert not re.search(r"<[a-zA-Z][^>]*\sstyle\s*=", body)
        assert "<style" not in body


STATIC_JS = sorted((Path(settings.BASE_DIR) / "static").rglob("*.js"))


@pytest.mark.parametrize("script", STATIC_JS, ids=lambda path: path.name)
def test_scripts_need_neither_eval_nor_inline_handlers(script):
    """What the CSP would block at run time: code from strings, handlers or styles set
    as attributes, markup written as HTML."""
    code = script.read_text()

    assert not re.search(r"\beval\s*\(|new\s+Function\s*\(", code)
    assert not re.search(r"set(?:Timeout|Interval)\s*\(\s*[\"'`]", code)
    assert not re.search(r"setAttribute\s*\(\s*[\"'](?:on[a-z]+|style)[\"']", code)
    assert not re.search(r"\.(?:innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write", code)
