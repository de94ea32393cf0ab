"""The journeys' checks can fail: zero violations means nothing if axe never ran."""

import pytest
from playwright.sync_api import Page

from tests.browser.checks import assert_accessible, focused

PAGE = """<!DOCTYPE html><html lang="en"><head><title>Check</title><style>{style}</style></head>
<body><main><h1>Check</h1>{body}</main></body></html>"""


def test_assert_accessible_lists_each_violation_with_its_element(page: Page) -> None:
    page.set_content(PAGE.format(style="", body='<input id="nameless">'))

    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)

    assert "- label (critical): Form elements must have labels" in str(failure.value)
    assert "#nameless" in str(failure.value)


def test_focused_rejects_a_pale_focus_outline(page: Page) -> None:
    style = "body { background: #fff } :focus-visible { outline: 3px solid #f2b705 }"
    page.set_content(PAGE.format(style=style, body="<a href='#'>Somewhere</a>"))
    page.keyboard.press("Tab")

    with pytest.raises(AssertionError, match=r"contrast of 1\.8:1 with the page"):
        focused(page)
