"""A thin client of HelloAsso's API v5 (the parts Maillon uses), on the standard
library: OAuth2 client credentials, checkout intents, orders, form orders.

- The access token is kept (encrypted, by the ``TokenStore`` the caller gives) until
  it expires; a 401 means it expired early: one new token, one retry.
- 429 and 5xx answers are retried a few times, waiting ``Retry-After`` seconds when
  the API says so, else 1, 2, 4 seconds.
- Amounts are in cents, as the API gives them.

Shapes follow HelloAsso's published OpenAPI (``HelloAssoApiV5ModelsCartsInitCheckoutBody``,
``...CheckoutIntentResponse``, ``...StatisticsOrderDetail``). The official SDK
(helloasso-python) was not used: it is generated code over urllib3 and pydantic for
five calls, and the tests need to point the client at a local fake server anyway."""

from __future__ import annotations

import datetime
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

TIMEOUT_SECONDS = 10
RETRIED_STATUSES = {429, 500, 502, 503, 504}


class HelloAssoError(Exception):
    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


@dataclass
class Token:
    access_token: str
    expires_at: datetime.datetime


class TokenStore(Protocol):
    def load(self) -> Token | None: ...
    def save(self, token: Token) -> None: ...


class MemoryTokenStore:
    def __init__(self) -> None:
        self.token: Token | None = None

    def load(self) -> Token | None:
        return self.token

    def save(self, token: Token) -> None:
        self.token = token


class HelloAssoClient:
    def __init__(
        self,
        *,
        base_url: str,
        client_id: str,
        client_secret: str,
        token_store: TokenStore | None = None,
        max_attempts: int = 4,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.client_id, self.client_secret = client_id, client_secret
        self.tokens = token_store or MemoryTokenStore()
        self.max_attempts, self.sleep = max_attempts, sleep

    # --- the calls -------------------------------------------------------------------

    def create_checkout_intent(self, organization_slug: str, body: dict) -> dict:
        return self.call("POST", f"/v5/organizations/{organization_slug}/checkout-intents", body)

    def get_checkout_intent(self, organization_slug: str, intent_id: str) -> dict:
        return self.call(
            "GET", f"/v5/organizations/{organization_slug}/checkout-intents/{intent_id}"
        )

    def get_order(self, order_id: str) -> dict:
        return self.call("GET", f"/v5/orders/{order_id}")

    def form_orders(
        self, organization_slug: str, form_type: str, form_slug: str, continuation: str = ""
    ) -> dict:
        """One page of a form's orders: ``{"data": [...], "pagination": {...}}``."""
        query = urllib.parse.urlencode(
            {"withDetails": "true", "pageSize": 100}
            | ({"continuationToken": continuation} if continuation else {})
        )
        return self.call(
            "GET",
            f"/v5/organizations/{organization_slug}/forms/{form_type}/{form_slug}/orders?{query}",
        )

    def check_credentials(self) -> None:
        """Ask for a token now (connecting an account): raises HelloAssoError if refused."""
        self._new_token()

    # --- plumbing ----------------------------------------------------------------------

    def call(self, method: str, path: str, body: dict | None = None) -> Any:
        renewed = False
        for attempt in range(1, self.max_attempts + 1):
            status, headers, payload = self._send(method, path, body, self._token())
            if status == 401 and not renewed:
                renewed = True
                self._new_token()
                status, headers, payload = self._send(method, path, body, self._token())
            if status in RETRIED_STATUSES and attempt < self.max_attempts:
                self.sleep(_retry_delay(headers, attempt))
                continue
            if 200 <= status < 300:
                return json.loads(payload) if payload else {}
            raise HelloAssoError(f"HelloAsso answered {status} to {method} {path}", status)
        raise HelloAssoError(f"HelloAsso did not answer {method} {path}")

    def _token(self) -> str:
        token = self.tokens.load()
        now = datetime.datetime.now(datetime.UTC)
        if token is None or token.expires_at <= now + datetime.timedelta(seconds=30):
            token = self._new_token()
        return token.access_token

    def _new_token(self) -> Token:
        form = urllib.parse.urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
            }
        ).encode()
        for attempt in range(1, self.max_attempts + 1):
            status, headers, payload = self._raw(
                "POST",
                "/oauth2/token",
                form,
                {"Content-Type": "application/x-www-form-urlencoded"},
            )
            if status in RETRIED_STATUSES and attempt < self.max_attempts:
                self.sleep(_retry_delay(headers, attempt))
                continue
            if status != 200:
                raise HelloAssoError(f"HelloAsso refused the credentials ({status})", status)
            data = json.loads(payload)
            token = Token(
                access_token=data["access_token"],
                expires_at=datetime.datetime.now(datetime.UTC)
                + datetime.timedelta(seconds=int(data.get("expires_in", 1800))),
            )
            self.tokens.save(token)
            return token
        raise HelloAssoError("HelloAsso did not give a token")

    def _send(self, method: str, path: str, body: dict | None, token: str):
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        return self._raw(method, path, data, headers)

    def _raw(self, method: str, path: str, data: bytes | None, headers: dict):
        if not self.base_url.startswith(("https://", "http://")):
            raise HelloAssoError("HELLOASSO_API_URL must be an http(s) address")
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            self.base_url + path, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()
        except (urllib.error.URLError, TimeoutError) as error:
            raise HelloAssoError(f"HelloAsso is out of reach: {error}") from None


def _retry_delay(headers, attempt: int) -> float:
    try:
        return min(float(headers.get("Retry-After", "")), 30.0)
    except (TypeError, ValueError):
        return float(2 ** (attempt - 1))
