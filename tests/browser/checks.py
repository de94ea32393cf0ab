"""What the browser journeys check on each page, and how they read the emails sent."""

import itertools
import json
import os
import re
import weakref
from pathlib import Path
from typing import Any

from django.core import mail
from playwright.sync_api import ConsoleMessage, Error, Page, Response

from tests.factories import PASSWORD

AXE = Path(__file__).resolve().parent.parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The journeys' phone and desktop: axe checks pages at both widths.
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
# BROWSER_SCREENSHOTS=/some/folder saves every page checked, at these widths.
SCREENSHOT_WIDTHS = (PHONE["width"], DESKTOP["width"])
_shot_numbers = itertools.count(1)
_watched: "weakref.WeakKeyDictionary[Page, list[str]]" = weakref.WeakKeyDictionary()


def watch(page: Page) -> list[str]:
    """Note each JavaScript error, console error (Content-Security-Policy violations are
    console errors), stylesheet, script or image that failed to load, and page with a
    server error. Returns the list of them, which assert_accessible() also checks.

    A page answering 4xx is fine: a form with mistakes comes back with 400."""
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # The browser logs each failed request; on_response tells which ones matter.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console error on {page.url}: {message.text}")

    def on_page_error(error: Error) -> None:
        problems.append(f"JavaScript error on {page.url}: {error.message}")

    def on_response(response: Response) -> None:
        document = response.request.resource_type == "document"
        if response.status >= 500 or (response.status >= 400 and not document):
            problems.append(f"{response.status} for {response.url}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("response", on_response)
    _watched[page] = problems
    return problems


def assert_accessible(page: Page) -> None:
    """Run axe-core's WCAG 2.1 A and AA rules on the page; fail listing every violation,
    and every error watch() has seen so far.

    page.evaluate() runs outside the page's Content-Security-Policy, which blocks a
    <script> tag with axe in it, as it should.
    """
    problems = _watched.get(page, [])
    seen, problems[:] = problems[:], []  # reported here, not again when the test ends
    assert seen == [], "\n".join(seen)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    options = json.dumps({"runOnly": {"type": "tag", "values": AXE_TAGS}})
    results = page.evaluate(f"axe.run(document, {options})")
    _save_screenshots(page)
    violations = [
        f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(
            f"    {' '.join(node['target'])}\n      {node['failureSummary']}"
            for node in violation["nodes"]
        )
        for violation in results["violations"]
    ]
    assert violations == [], f"axe found problems on {page.url}:\n" + "\n".join(violations)


def assert_accessible_at_both_widths(page: Page) -> None:
    """assert_accessible() at the PHONE's size, then at the DESKTOP's; the page is then
    back at the size it had."""
    size = page.viewport_size
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        assert_accessible(page)
    if size:
        page.set_viewport_size(size)


def sign_in(page: Page, email: str, *, site: str | None = None) -> None:
    """Sign in with the factories' PASSWORD on the sign-in form on the page (where a
    "Sign in" link led), or, given the `site`, on its sign-in page; wait until the site
    has taken the person on from the form."""
    if site is not None:
        page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _save_screenshots(page: Page) -> None:
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    path = re.split(r"[?#]", page.url.split("://", 1)[-1].partition("/")[2])[0].strip("/")
    name = f"{next(_shot_numbers):02}-" + (re.sub(r"[^A-Za-z0-9-]+", "_", path)[:60] or "home")
    size = page.viewport_size
    for width in SCREENSHOT_WIDTHS:
        page.set_viewport_size({"width": width, "height": DESKTOP["height"]})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    if size:
        page.set_viewport_size(size)


def email_link(to: str, path_start: str) -> str:
    """The path of the first link whose path starts with `path_start` in the latest email
    to `to`, to follow on the live server whatever host the email names."""
    message = next(message for message in reversed(mail.outbox) if to in message.to)
    for url in re.findall(r"https?://\S+", message.body):
        path = "/" + url.split("://", 1)[1].partition("/")[2]
        if path.startswith(path_start):
            return path
    raise AssertionError(f"No link to {path_start}… in the email to {to}:\n{message.body}")


# What has the keyboard focus, and how its focus indicator is drawn.
_FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const text = (element.innerText || element.value || "").trim().slice(0, 40);
  return {
    id: element.id,
    description: `${element.tagName.toLowerCase()} "${text}"`,
    focusVisible: element.matches(":focus-visible"),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    outlineColor: style.outlineColor,
    shadow: style.boxShadow,
    background: getComputedStyle(document.body).backgroundColor,
  };
}"""


def _luminance(color: str) -> float:
    """Relative luminance (WCAG) of the first rgb()/rgba() color in a computed style."""
    found = re.search(r"rgba?\((\d+), (\d+), (\d+)", color)
    assert found, f"no color in {color!r}"
    channels = [int(value) / 255 for value in found.groups()]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(one: str, other: str) -> float:
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def focused(page: Page) -> dict[str, Any]:
    """The focused element, asserting that the keyboard focus on it can be seen: an outline
    at least 2px wide with a color (or a ring inside it) at 3:1 against the page (WCAG 1.4.11)."""
    focus = page.evaluate(_FOCUSED)
    what = focus["description"]
    assert focus["focusVisible"], f"{what} has the focus but not :focus-visible"
    assert focus["outlineStyle"] != "none", f"{what} shows no focus outline"
    assert focus["outlineWidth"] >= 2, f"{what}'s focus outline is under 2px"
    # A box-shadow ring counts, not an inset one (an underline, say).
    shadows = re.findall(r"(rgba?\([^)]*\))([^,]*)", focus["shadow"])
    rings = [focus["outlineColor"]] + [color for color, rest in shadows if "inset" not in rest]
    best = max(_contrast(ring, focus["background"]) for ring in rings)
    assert best >= 3, f"{what}'s focus indicator has a contrast of {best:.1f}:1 with the page"
    return focus


def tab_to(page: Page, target: str, *, key: str = "Tab", limit: int = 40) -> None:
    """Press Tab (or `key`) until the focused element's id or description (see focused())
    is `target`, checking that each stop on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        focus = focused(page)
        if target in (focus["id"], focus["description"]):
            return
    raise AssertionError(f"{target} not reached in {limit} presses of {key}")
