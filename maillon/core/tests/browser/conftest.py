"""Fixtures for the browser tests: Playwright drives Debian's Chromium against the live server.

* Chromium is the system one, ``/usr/bin/chromium`` (package ``chromium``); the environment
  variable ``MAILLON_CHROMIUM`` points elsewhere. Playwright's own browser download is never used.
* Without Chromium, tests marked ``browser`` are skipped and the end of the run says so in
  capitals. With ``MAILLON_REQUIRE_BROWSER=1`` (set by ``.ci/run``) they fail instead.
* When a browser test fails, a screenshot of the page is saved in its temporary directory and its
  path is printed with the failure.
* A Content-Security-Policy violation (an inline script or style, eval) on any page of any browser
  context fails the test: Chromium reports each on the console, and so does a listener every
  context gets.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio event loop running in the test thread; Django refuses ORM
# calls from a thread with a running loop unless told they are safe (they are: the test thread
# only checks the database between browser steps).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Seconds: generous for a loaded CI machine; a passing step takes far less.
TIMEOUT_MS = 10_000

_failure_screenshot_dir = pytest.StashKey[Path]()
_browser_failures: list[str] = []
_csp_violations: list[str] = []
CSP_VIOLATION_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    `Content Security Policy violation: ${event.violatedDirective} blocked ` +
      `${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`
  );
});
"""


def watch_csp(context) -> None:
    """Record every Content-Security-Policy violation of the context's pages."""
    context.add_init_script(CSP_VIOLATION_LISTENER)

    def on_page(page) -> None:
        page.on(
            "console",
            lambda message: (
                _csp_violations.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )

    context.on("page", on_page)


@pytest.fixture(autouse=True)
def _no_csp_violation(request):
    """A browser test fails on any Content-Security-Policy violation of its pages."""
    _csp_violations.clear()
    yield
    if request.node.get_closest_marker("browser") is not None and _csp_violations:
        violations = sorted(set(_csp_violations))
        _csp_violations.clear()
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations), pytrace=False)


def chromium_path() -> str:
    return os.environ.get("MAILLON_CHROMIUM") or DEFAULT_CHROMIUM


def browser_required() -> bool:
    return os.environ.get("MAILLON_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}


def browser_unavailable_reason() -> str | None:
    """Why the browser tests cannot run here, or None if they can."""
    path = chromium_path()
    if not os.path.isfile(path):
        return f"{path} not found"
    if not os.access(path, os.X_OK):
        return f"{path} is not executable"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    return None


def ensure_browser_available() -> None:
    """Skip the current test without a browser, or fail it when a browser is required."""
    reason = browser_unavailable_reason()
    if reason is None:
        return
    if browser_required():
        message = f"MAILLON_REQUIRE_BROWSER is set but {reason}"
        _browser_failures.append(message)
        pytest.fail(message, pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before any fixture: a skipped browser test starts neither the live server nor a database.
    if item.get_closest_marker("browser") is not None:
        ensure_browser_available()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        page = item.funcargs.get("browser_page")
        directory = item.stash.get(_failure_screenshot_dir, None)
        if page is not None and directory is not None:
            path = directory / "failure.png"
            try:
                page.screenshot(path=str(path), full_page=True)
            except Exception as error:  # the browser may be gone; the failure matters more
                report.sections.append(("browser", f"no screenshot of the failure: {error}"))
            else:
                report.sections.append(
                    ("browser", f"page {page.url}\nscreenshot of the failure: {path}")
                )
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if "browser" in getattr(report, "keywords", {})
    ]
    if skipped:
        reasons = sorted({_skip_reason(report) for report in skipped})
        for reason in reasons:
            terminalreporter.write_sep(
                "!", f"BROWSER TESTS SKIPPED: {reason}", yellow=True, bold=True
            )
        terminalreporter.write_line(
            f"{len(skipped)} browser test(s) did not run. Install Debian's chromium "
            "(apt-get install chromium) or point MAILLON_CHROMIUM to a Chromium binary. "
            "CI sets MAILLON_REQUIRE_BROWSER=1, which turns this into a failure.",
            yellow=True,
        )
    for message in sorted(set(_browser_failures)):
        terminalreporter.write_sep("!", f"BROWSER TESTS FAILED: {message}", red=True, bold=True)


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        reason = str(longrepr[2])
    else:
        reason = str(longrepr)
    return reason.removeprefix("Skipped: ")


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, headless, shared by the browser tests of the session."""
    ensure_browser_available()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
    except Exception:
        playwright.stop()
        raise
    # Every context, whichever fixture or test opens it, is watched for CSP violations.
    new_context = browser.new_context

    def watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        watch_csp(context)
        return context

    browser.new_context = watched_context
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page_errors():
    """JavaScript errors raised in the page during the test (the test decides what to assert)."""
    return []


@pytest.fixture
def browser_page(chromium, live_server, page_errors, request, tmp_path):
    """A fresh page (own cookies) of a French-speaking visitor, addressed relative to the live
    server: ``page.goto("/")``."""
    context = chromium.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("pageerror", lambda error: page_errors.append(f"{page.url}: {error}"))
    request.node.stash[_failure_screenshot_dir] = tmp_path
    yield page
    context.close()
