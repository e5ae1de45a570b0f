"""Every main page of every role (listed once, in ``pages.py``), in a real browser:

* axe-core (the copy shipped by ``axe-playwright-python``, injected into the page: no
  network) finds no violation of WCAG 2.0/2.1 A and AA nor WCAG 2.2 AA (target size
  included), at desktop width and on a phone (375 × 812, touch, device scale 2);
* nothing scrolls sideways at 375 and 320 px (document ``scrollWidth`` ≤ viewport);
* on the phone, the page title and the page's main action are on the first screen;
* the phone menu is one button that opens without JavaScript and by keyboard;
* a member goes from ``/me/`` to the receipt of a cast vote with the keyboard alone in
  at most 25 key presses and 3 page loads.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from maillon.governance.models import Participation

from .conftest import TIMEOUT_MS
from .pages import PASSWORD, ROLE_EMAILS, build_world, pages_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {
    "viewport": {"width": 375, "height": 812},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
SMALL_PHONE = {**PHONE, "viewport": {"width": 320, "height": 640}}

FIRST_SCREEN = """(action) => {
  // Where things are on the screen shown after loading (scrolled to the #anchor if any).
  const h1 = document.querySelector('main h1');
  const anchor = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  const visible = el => el.getBoundingClientRect().height > 0;
  const target = action ? [...document.querySelectorAll(action)].find(visible) : null;
  return {
    h1: h1 ? h1.getBoundingClientRect().bottom : null,
    anchor: anchor ? anchor.getBoundingClientRect().top : null,
    action: target ? target.getBoundingClientRect().bottom : null,
  };
}"""


@pytest.fixture
def world(live_server):
    return build_world()


@pytest.fixture
def open_page(chromium, live_server):
    """``open_page(device, email)``: a new browser (own cookies) on ``device``, signed in
    as ``email`` when given."""
    contexts = []

    def make(device: dict, email: str | None = None, **options) -> Page:
        context = chromium.new_context(
            base_url=live_server.url,
            locale="fr-FR",
            timezone_id="Europe/Paris",
            **device,
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        if email:
            log_in(page, email)
        return page

    yield make
    for context in contexts:
        context.close()


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    form = page.locator("main form[method=post]").filter(has=page.locator("[name=password]"))
    form.locator("[name=login]").fill(email)
    form.locator("[name=password]").fill(PASSWORD)
    form.locator("[type=submit]").click()
    expect(page.locator('form[action="/accounts/logout/"]').first).to_be_attached()


def _axe_report(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): "
        + "; ".join(", ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
    ]


@pytest.mark.parametrize("role", list(ROLE_EMAILS))
def test_main_pages_pass_axe_and_fit_on_phones(open_page, world, role):
    axe = Axe()
    problems: list[str] = []
    for device_name, device in (("1280", DESKTOP), ("375", PHONE), ("320", SMALL_PHONE)):
        page = open_page(device, ROLE_EMAILS[role])
        width, height = device["viewport"]["width"], device["viewport"]["height"]
        for main_page in pages_of(role):
            path = main_page.path.format(**world)
            where = f"{path} at {device_name} px"
            response = page.goto(path)
            if response is None or response.status != 200:
                problems.append(f"{where}: HTTP {response.status if response else '?'}")
                continue
            if device_name in ("1280", "375"):
                violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
                problems += [f"{where}: axe {line}" for line in _axe_report(violations)]
            if device_name in ("375", "320"):
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                if scroll_width > width:
                    problems.append(f"{where}: {scroll_width} px wide, scrolls sideways")
            if device_name == "375":
                first = page.evaluate(FIRST_SCREEN, main_page.action)
                # A link to an #anchor opens the page at it: the anchor is then the title.
                title = first["anchor"] if "#" in path else first["h1"]
                if title is None or not 0 <= title <= height:
                    problems.append(f"{where}: the title is not on the first screen")
                if main_page.action and (first["action"] is None or first["action"] > height):
                    problems.append(f"{where}: the main action is not on the first screen")
    assert not problems, "\n".join(problems)


def test_phone_menu_is_one_button_that_works_without_javascript(open_page, world):
    email = ROLE_EMAILS["admin"]
    for javascript in (True, False):
        page = open_page(PHONE, email, java_script_enabled=javascript)
        page.goto("/a/amis-croix-rousse/members/")
        summary = page.get_by_role("banner").locator("details.phone-menu > summary")
        expect(summary).to_be_visible()
        # Both menus are folded away behind the one button.
        members_link = page.locator("nav.association-nav").get_by_role("link", name="Membres")
        missions_link = page.locator("nav.main-nav").get_by_role("link", name="Trouver une mission")
        expect(members_link).to_be_hidden()
        expect(missions_link).to_be_hidden()
        first_screen = page.evaluate("document.querySelector('main h1').getBoundingClientRect()")
        assert first_screen["bottom"] < 200, "the title comes right under the header"
        # By keyboard: the skip link, the brand, then the menu button.
        for _ in range(3):
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
        page.keyboard.press("Enter")
        expect(missions_link).to_be_visible()
        expect(members_link).to_be_visible()
        expect(members_link).to_have_attribute("aria-current", "page")
        box = members_link.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('nav.main-nav')")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")
        expect(members_link).to_be_hidden()
    # At desktop width the two menus are shown as they are, and the button is not.
    page = open_page(DESKTOP, email)
    page.goto("/a/amis-croix-rousse/members/")
    expect(page.locator("details.phone-menu")).to_be_hidden()
    expect(page.locator("nav.association-nav").get_by_role("link", name="Membres")).to_be_visible()


def _focused(page: Page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement;
          return {tag: el.tagName, type: el.type || '', value: el.value || '',
                  text: (el.textContent || '').trim(), href: el.getAttribute('href') || '',
                  inBallot: !!el.closest('form[action$="/vote/"]')}; }"""
    )


def _press_until(page: Page, key: str, done, presses: list[str], limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press(key)
        presses.append(key)
        if done(_focused(page)):
            return
    raise AssertionError(f"{key} × {limit} never reached the target; at {_focused(page)}")


def test_keyboard_only_from_my_space_to_a_receipt(open_page, world):
    """From /me/ to the receipt of a cast vote, keyboard only: ≤ 25 keys, ≤ 3 pages."""
    page = open_page(DESKTOP, ROLE_EMAILS["member"])
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    page.goto("/me/")
    presses: list[str] = []
    poll_path = f"/governance/polls/{world['poll']}/"
    # The panel's "Vote" link: skip to the content, then Tab to it.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    presses += ["Tab", "Enter"]
    _press_until(page, "Tab", lambda f: poll_path in f["href"], presses)
    page.keyboard.press("Enter")
    presses.append("Enter")
    page.wait_for_url(f"**{poll_path}#ballot")
    # The ballot: Tab into it, then choose "yes" with the arrows (radios of one group
    # are one Tab stop; a ballot may start with nothing chosen or with a choice).
    _press_until(page, "Tab", lambda f: f["inBallot"] and f["type"] == "radio", presses)
    if _focused(page)["value"] != "yes":
        _press_until(page, "ArrowUp", lambda f: f["value"] == "yes", presses, limit=4)
    page.keyboard.press("Space")
    presses.append("Space")
    _press_until(page, "Tab", lambda f: f["inBallot"] and f["tag"] == "BUTTON", presses)
    page.keyboard.press("Enter")
    presses.append("Enter")
    expect(page.locator("main code")).to_be_visible()  # the receipt
    with scopes_disabled():
        assert Participation.objects.filter(poll_id=world["poll"]).count() == 1
    print(f"keyboard journey: {len(presses)} key presses ({' '.join(presses)}), {len(loads)} loads")
    assert len(presses) <= 25, f"{len(presses)} key presses: {' '.join(presses)}"
    assert len(loads) <= 3, f"{len(loads)} page loads: {loads}"
