"""Phone measurements of the demo: for each main page of each role, at 375 × 812 (touch,
device scale 2) and 320 × 640, how wide the document is, where the page title and the
first action of the main area end up, how many tap targets are under 24 × 24 CSS px,
and how many axe-core violations (WCAG 2.1 AA + 2.2 AA) the page has.

Run against a demo server (``seed_demo``, then an assembly in session with an open poll):

    .venv/bin/python bench/phones/measure.py http://127.0.0.1:8107 > /tmp/phones.md

It prints a Markdown table per viewport and a summary line. Nothing here is a test: the
browser suite (``maillon/core/tests/browser/test_phones.py``) holds the guards.
"""

from __future__ import annotations

import json
import sys

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

PASSWORD = "maillon-demo"
CROIX = "/a/amis-croix-rousse"
EPICERIE = "/a/epicerie-belle-de-mai"

ROLES = {
    "public": (
        None,
        [
            "/",
            "/missions/",
            "/missions/1/",
            "/events/",
            "/events/4/",
            "/associations/",
            "/associations/amis-croix-rousse/",
            "/accounts/login/",
            "/accounts/signup/",
            "/privacy/",
        ],
    ),
    "member": (
        "membre@amis-croix-rousse.test",
        [
            "/me/",
            f"{CROIX}/",
            f"{CROIX}/governance/",
            f"{CROIX}/governance/assemblies/2/",
            f"{CROIX}/governance/polls/3/",
            f"{CROIX}/governance/consultations/",
            f"{CROIX}/events/",
            f"{CROIX}/news/",
        ],
    ),
    "secretary": (
        "secretaire@amis-croix-rousse.test",
        [
            f"{CROIX}/members/",
            f"{CROIX}/members/join-requests/",
            f"{CROIX}/governance/assemblies/2/roll/",
            f"{CROIX}/governance/assemblies/2/attendance/",
            f"{CROIX}/governance/assemblies/2/proxies/",
            f"{CROIX}/governance/polls/3/record/",
        ],
    ),
    "treasurer": ("tresorier@amis-croix-rousse.test", ["/me/", f"{CROIX}/", f"{CROIX}/members/"]),
    "volunteer": (
        "benevole@epicerie-belle-de-mai.test",
        [
            "/me/",
            f"{EPICERIE}/",
            f"{EPICERIE}/volunteering/my-hours/",
            "/me/volunteering/applications/",
            "/me/volunteering/hours/",
        ],
    ),
    "admin": (
        "presidente@amis-croix-rousse.test",
        [
            f"{CROIX}/settings/",
            f"{CROIX}/settings/modules/",
            f"{CROIX}/settings/statutes/",
            f"{CROIX}/audit/",
            f"{CROIX}/strategy/",
            f"{CROIX}/strategy/plan/",
            f"{CROIX}/volunteering/missions/",
            f"{CROIX}/volunteering/applications/",
            f"{CROIX}/volunteering/hours/",
            f"{CROIX}/events/",
        ],
    ),
}

VIEWPORTS = {
    "375": {
        "viewport": {"width": 375, "height": 812},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "320": {
        "viewport": {"width": 320, "height": 640},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}

MEASURE = """() => {
  const main = document.querySelector('main');
  const h1 = document.querySelector('main h1');
  const interactive = [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[tabindex]:not([tabindex="-1"])')]
    .filter(el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; });
  const inSentence = el => {
    if (el.tagName !== 'A') return false;
    if (getComputedStyle(el).display !== 'inline') return false;
    const block = el.parentElement.closest('p, li, dd, td, span.help, .help');
    if (!block) return false;
    return block.textContent.trim().length > el.textContent.trim().length + 2;
  };
  const small = interactive.filter(el => { const r = el.getBoundingClientRect();
    return (r.width < 24 || r.height < 24) && !inSentence(el); });
  const mainAction = main && [...main.querySelectorAll(
    '.your-turn a, form button[type=submit], form input[type=submit], a.button, button')]
    .find(el => el.getBoundingClientRect().height > 0);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    h1Bottom: h1 ? Math.round(h1.getBoundingClientRect().bottom + scrollY) : null,
    mainTop: main ? Math.round(main.getBoundingClientRect().top + scrollY) : null,
    actionTop: mainAction ? Math.round(mainAction.getBoundingClientRect().top + scrollY) : null,
    targets: interactive.length,
    small: small.length,
    smallExamples: small.slice(0, 4).map(el => el.tagName.toLowerCase() + ' '
      + (el.textContent || el.name || el.type || '').trim().slice(0, 20)
      + ' ' + Math.round(el.getBoundingClientRect().width) + 'x'
      + Math.round(el.getBoundingClientRect().height)),
  };
}"""

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


def log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("main [name=login]", email)
    page.fill("main [name=password]", PASSWORD)
    page.locator("main form[method=post] [type=submit]").click()
    page.wait_for_load_state()


def measure(base: str) -> list[dict]:
    rows = []
    axe = Axe()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for role, (email, paths) in ROLES.items():
            for vp_name, vp in VIEWPORTS.items():
                context = browser.new_context(base_url=base, locale="fr-FR", **vp)
                page = context.new_page()
                if email:
                    log_in(page, email)
                for path in paths:
                    response = page.goto(path)
                    figures = page.evaluate(MEASURE)
                    violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
                    rows.append(
                        {
                            "role": role,
                            "viewport": vp_name,
                            "path": path,
                            "status": response.status if response else None,
                            "axe": sorted(f"{v['id']}×{len(v['nodes'])}" for v in violations),
                            **figures,
                        }
                    )
                context.close()
        browser.close()
    return rows


def report(rows: list[dict]) -> None:
    for vp_name, vp in VIEWPORTS.items():
        width, height = vp["viewport"]["width"], vp["viewport"]["height"]
        print(f"\n### {width} × {height}\n")
        print(
            "| role | page | scrollWidth | main starts | h1 ends | 1st action | "
            "targets < 24 px | axe |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for row in [r for r in rows if r["viewport"] == vp_name]:
            action = row["actionTop"]
            action_text = (
                "—" if action is None else (f"{action}{'' if action < height else ' (below)'}")
            )
            print(
                f"| {row['role']} | {row['path']} | {row['scrollWidth']}"
                f"{' ⚠' if row['scrollWidth'] > width else ''} | {row['mainTop']} | "
                f"{row['h1Bottom']} | {action_text} | {row['small']}/{row['targets']} | "
                f"{', '.join(row['axe']) or '0'} |"
            )
        subset = [r for r in rows if r["viewport"] == vp_name]
        overflow = sum(r["scrollWidth"] > width for r in subset)
        small = sum(r["small"] for r in subset)
        targets = sum(r["targets"] for r in subset)
        axe = sum(bool(r["axe"]) for r in subset)
        below = sum(1 for r in subset if r["h1Bottom"] and r["h1Bottom"] > height)
        print(
            f"\n{len(subset)} pages: {overflow} overflow, {small}/{targets} targets under "
            f"24 px, {axe} pages with axe violations, {below} titles below the first screen."
        )


if __name__ == "__main__":
    measured = measure(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8107")
    if "--json" in sys.argv:
        json.dump(measured, sys.stdout, indent=1)
    else:
        report(measured)
