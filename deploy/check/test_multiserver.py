"""Two app servers behave as one site: run against the stack that
deploy/check/multiserver.sh starts (gunicorn A and B with production settings, one RQ
worker, PostgreSQL and Redis shared). Each check does something on A and looks at
the result on B, over HTTP, as the reverse proxy would send it (Host, HTTPS in
X-Forwarded-Proto, the client's address in X-Forwarded-For).

Without the stack (the ordinary test suite) these tests are skipped: run
deploy/check/multiserver.sh, as CI does.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import time
import uuid
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urlencode, urlsplit

import pytest

SERVER_A = os.environ.get("MAILLON_MULTISERVER_A", "")
SERVER_B = os.environ.get("MAILLON_MULTISERVER_B", "")
HOST = os.environ.get("MAILLON_MULTISERVER_HOST", "maillon.test")

pytestmark = [
    pytest.mark.multiserver,
    pytest.mark.skipif(
        not (SERVER_A and SERVER_B),
        reason="needs the two-server stack: run deploy/check/multiserver.sh (CI does)",
    ),
]

# Every wait polls and gives up after this many seconds; none sleeps blindly.
TIMEOUT = 60
LOCKOUT_MESSAGE = re.compile(r"too many failed login attempts|trop de tentatives", re.I)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str:
        return urlsplit(self.headers.get("location", "")).path


@dataclass
class Visitor:
    """One person's browser: its cookies go to whichever server it talks to, as
    behind the proxy. ``address`` is the client address the proxy would report."""

    address: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, server: str, method: str, path: str, *, body=b"", headers=None):
        url = urlsplit(server)
        sent = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            **(headers or {}),
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", "replace")
            for header, value in raw.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    cookie_value = rest.split(";", 1)[0]
                    if "expires=Thu, 01 Jan 1970" in value or cookie_value in ('""', ""):
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = cookie_value
            return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, text)
        finally:
            connection.close()

    def get(self, server: str, path: str) -> Response:
        return self.request(server, "GET", path)

    def post(self, server: str, path: str, data: dict, *, form_page: str | None = None):
        """Submit a form as a browser does: the CSRF token read from ``form_page``
        (default: ``path``) on the same server, the Origin of the site."""
        token = csrf_token(self.get(server, form_page or path))
        body = urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True).encode()
        return self.request(
            server,
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{HOST}",
            },
        )

    def upload(self, server: str, path: str, name: str, filename: str, content: bytes):
        token = csrf_token(self.get(server, path))
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"'
                f"\r\n\r\n{token}\r\n"
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.request(
            server,
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Origin": f"https://{HOST}",
            },
        )

    def log_in(self, server: str, email: str, password: str) -> Response:
        return self.post(server, "/accounts/login/", {"login": email, "password": password})


def csrf_token(page: Response) -> str:
    assert page.status == 200, f"form page answered {page.status}"
    match = CSRF_INPUT.search(page.text)
    assert match, "no CSRF token in the form page"
    return match.group(1)


def plain(text: str) -> str:
    """The page's text with French non-breaking spaces as plain ones."""
    return unescape(text).replace("\u00a0", " ").replace("\u202f", " ")


def poll(what: str, check, timeout: float = TIMEOUT, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


@pytest.fixture(scope="module")
def seed() -> dict:
    with open(os.environ["MAILLON_MULTISERVER_SEED"], encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def redis_connection():
    import redis

    return redis.Redis.from_url(os.environ["MAILLON_MULTISERVER_REDIS"])


_addresses = iter(range(10, 250))


def visitor() -> Visitor:
    """A new browser, from its own address (the login limit per address stays out of
    the way of the limit per account)."""
    return Visitor(address=f"203.0.113.{next(_addresses)}")


def test_both_servers_are_up_behind_https_only():
    for server in (SERVER_A, SERVER_B):
        assert visitor().get(server, "/healthz").text == "ok\n"
        # Without the proxy's word that the request came over HTTPS: redirected to it.
        plain_http = Visitor(address="203.0.113.1").request(
            server, "GET", "/", headers={"X-Forwarded-Proto": "http"}
        )
        assert plain_http.status == 301
        assert plain_http.headers["location"] == f"https://{HOST}/"


def test_logged_in_on_a_still_logged_in_on_b_and_logged_out_everywhere(seed):
    person = visitor()
    email = seed["accounts"]["admin"]
    assert person.get(SERVER_B, "/me/").location == "/accounts/login/"

    answer = person.log_in(SERVER_A, email, seed["password"])
    assert answer.status == 302, "the login on A failed"
    assert answer.location == "/me/"

    on_b = person.get(SERVER_B, "/me/")
    assert on_b.status == 200
    assert seed["name"] in plain(on_b.text)  # "my associations"

    assert person.post(SERVER_B, "/accounts/logout/", {}).status == 302
    assert person.get(SERVER_A, "/me/").location == "/accounts/login/"


def test_a_lockout_started_on_a_holds_on_b(seed):
    locked = seed["accounts"]["locked"]
    attacker = visitor()
    # Wrong passwords on A until A itself refuses to check any more (the limit per
    # account, whatever its number).
    for attempt in range(1, 31):
        answer = attacker.log_in(SERVER_A, locked, f"wrong password {attempt}")
        assert answer.status == 200, "a wrong password was accepted"
        if LOCKOUT_MESSAGE.search(answer.text):
            break
    else:
        pytest.fail("30 wrong passwords on A and no lockout")

    # The account's owner, from elsewhere, on B, with the right password: refused.
    owner = visitor()
    answer = owner.log_in(SERVER_B, locked, seed["password"])
    assert answer.status == 200, "B let the locked account in"
    assert LOCKOUT_MESSAGE.search(answer.text)
    assert owner.get(SERVER_B, "/me/").location == "/accounts/login/"

    # The lock is the account's, not B's: another account logs in on B.
    other = visitor()
    assert other.log_in(SERVER_B, seed["accounts"]["control"], seed["password"]).status == 302


def test_an_import_confirmed_on_a_is_run_by_the_worker_and_followed_from_b(seed, redis_connection):
    from rq import Queue

    admin = visitor()
    assert admin.log_in(SERVER_A, seed["accounts"]["admin"], seed["password"]).status == 302
    base = f"/a/{seed['slug']}/members/import/"
    names = [("Aïcha", "Durand-Serveur"), ("Bruno", "Lefèvre-Serveur"), ("Chloé", "Nguyen-Serveur")]
    rows = ["Prénom;Nom;Email"] + [
        f"{first};{last};personne.{i}@exemple.org" for i, (first, last) in enumerate(names)
    ]
    uploaded = admin.upload(
        SERVER_A, base, "file", "adherents.csv", "\n".join(rows).encode("utf-8")
    )
    assert uploaded.status == 302, "the file was not accepted"
    mapping_path = uploaded.location
    preview = admin.post(
        SERVER_A,
        mapping_path,
        {"column_0": "first_name", "column_1": "last_name", "column_2": "email"},
    )
    assert preview.status == 302 and preview.location.endswith("/preview/")
    import_path = preview.location.removesuffix("preview/")

    confirmed = admin.post(
        SERVER_A, import_path + "confirm/", {}, form_page=import_path + "preview/"
    )
    assert confirmed.status == 302
    assert confirmed.location == import_path + "progress/"

    # B shows the progress (the page polls itself every second; so does this test).
    seen: list[str] = []

    def finished_on_b():
        page = admin.get(SERVER_B, import_path + "progress/")
        assert page.status == 200
        state = (
            "running"
            if 'aria-busy="true"' in page.text
            else "failed"
            if "message-error" in page.text
            else "done"
        )
        if not seen or seen[-1] != state:
            seen.append(state)
        return page if state != "running" else None

    page = poll("the import to finish, seen from B", finished_on_b)
    assert "Import terminé : 3 personnes ajoutées au registre." in plain(page.text), seen

    # Run by the RQ worker: the web servers only queue it (TASKS_BACKEND=rq).
    registry = Queue("default", connection=redis_connection).finished_job_registry
    finished = [
        job.func_name
        for job in (
            registry.job_class.fetch(job_id, connection=redis_connection)
            for job_id in registry.get_job_ids()
        )
    ]
    assert "maillon.members.imports.tasks.run_member_import" in finished

    register = plain(admin.get(SERVER_B, f"/a/{seed['slug']}/members/").text)
    for _first, last in names:
        assert last in register


def test_a_mission_closed_on_a_leaves_b_s_public_search_at_once(seed, redis_connection):
    search = "/missions/?" + urlencode({"q": "maraude serveurs"})
    title = seed["mission"]["title"]
    guest = visitor()
    assert title in plain(guest.get(SERVER_B, search).text)
    # The result is now in the shared cache: B answers from it.
    assert redis_connection.keys("*missions:search:*"), "the public search was not cached"
    assert title in plain(guest.get(SERVER_B, search).text)

    admin = visitor()
    assert admin.log_in(SERVER_A, seed["accounts"]["admin"], seed["password"]).status == 302
    mission_path = f"/a/{seed['slug']}/volunteering/missions/{seed['mission']['id']}/"
    closed = admin.post(SERVER_A, mission_path + "close/", {}, form_page=mission_path)
    assert closed.status == 302

    # No waiting for the cache to expire (a minute): the very next search on B.
    assert title not in plain(guest.get(SERVER_B, search).text)
    assert title not in plain(guest.get(SERVER_A, search).text)
