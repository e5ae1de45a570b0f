"""A fake HelloAsso on 127.0.0.1 for the tests (and the browser journey): the token
endpoint (client credentials), checkout intents, the payment page, orders, form
orders, refunds; it can expire its tokens and answer 429/503 on demand.

It plays the documented flows, not HelloAsso's every rule."""

from __future__ import annotations

import datetime
import itertools
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeHelloAsso:
    def __init__(self, *, client_id: str = "maillon-client", client_secret: str = "s3cret"):  # noqa: S107
        self.credentials = {client_id: client_secret}
        self.tokens: dict[str, datetime.datetime] = {}
        self.token_requests = 0
        self.token_lifetime = 1800
        self.intents: dict[int, dict] = {}
        self.orders: dict[int, dict] = {}
        self.form_orders: dict[tuple[str, str], list[dict]] = {}
        self.failures: list[int] = []  # statuses to answer to the next API calls
        self.expire_tokens_after_pages = 0  # form orders: tokens expire after N pages
        self.calls: list[str] = []
        self._ids = itertools.count(1001)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakeHelloAsso:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- what the tests drive --------------------------------------------------------

    def expire_tokens(self) -> None:
        """Every token issued so far stops working (HelloAsso answers 401)."""
        self.tokens = dict.fromkeys(self.tokens, datetime.datetime.min)

    def pay(self, intent_id: int, *, payer_email: str | None = None) -> int:
        """The payer pays the checkout intent: an order with one authorized payment."""
        intent = self.intents[intent_id]
        payer = dict(intent.get("payer") or {})
        if payer_email:
            payer["email"] = payer_email
        order_id, payment_id = next(self._ids), next(self._ids)
        order = {
            "id": order_id,
            "date": _now(),
            "formSlug": "default",
            "formType": "Checkout",
            "organizationSlug": intent["organizationSlug"],
            "checkoutIntentId": intent_id,
            "payer": payer,
            "amount": {"total": intent["totalAmount"]},
            "items": [
                {"id": next(self._ids), "amount": intent["totalAmount"], "name": intent["itemName"]}
            ],
            "payments": [
                {
                    "id": payment_id,
                    "amount": intent["totalAmount"],
                    "date": _now(),
                    "paymentMeans": "Card",
                    "state": "Authorized",
                    "paymentReceiptUrl": f"https://www.helloasso.com/recu/{payment_id}",
                }
            ],
        }
        self.orders[order_id] = order
        intent["order"] = order
        return order_id

    def refund(self, order_id: int) -> None:
        for payment in self.orders[order_id]["payments"]:
            payment["state"] = "Refunded"

    def add_form_order(self, form_type: str, form_slug: str, **fields: Any) -> dict:
        order = {"id": next(self._ids), "date": _now(), "formType": form_type, **fields}
        self.form_orders.setdefault((form_type, form_slug), []).append(order)
        return order

    def notification(self, event: str, order_id: int) -> dict:
        """The body HelloAsso posts to the notification URL for an order."""
        order = self.orders[order_id]
        if event == "Payment":
            return {
                "eventType": "Payment",
                "data": {**order["payments"][0], "order": {"id": order_id}},
            }
        return {"eventType": "Order", "data": order}

    # --- the HTTP side -------------------------------------------------------------------

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                fake._dispatch(self, "GET")

            def do_POST(self):
                fake._dispatch(self, "POST")

        return Handler

    def _dispatch(self, request, method: str) -> None:
        path, _, query = request.path.partition("?")
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        self.calls.append(f"{method} {path}")
        if path == "/oauth2/token" and method == "POST":
            return self._token(request, body)
        if path.startswith("/pay/"):
            return self._pay_page(request, method, int(path.split("/")[2]))
        if self.failures:
            status = self.failures.pop(0)
            return _send(request, status, {"message": "busy"}, {"Retry-After": "0"})
        auth = request.headers.get("Authorization", "")
        expiry = self.tokens.get(auth.removeprefix("Bearer "))
        if expiry is None or expiry < datetime.datetime.now():
            return _send(request, 401, {"message": "token expired"})
        parts = path.strip("/").split("/")
        if (
            method == "POST"
            and parts[:2] == ["v5", "organizations"]
            and parts[3:] == ["checkout-intents"]
        ):
            return self._intent_create(request, parts[2], json.loads(body))
        if (
            method == "GET"
            and parts[:2] == ["v5", "organizations"]
            and parts[3] == "checkout-intents"
        ):
            intent = self.intents.get(int(parts[4]))
            if intent is None:
                return _send(request, 404, {})
            answer = {"id": intent["id"], "redirectUrl": intent["redirectUrl"]}
            answer["metadata"] = intent.get("metadata")
            if intent.get("order"):
                answer["order"] = intent["order"]
            return _send(request, 200, answer)
        if method == "GET" and parts[:2] == ["v5", "orders"]:
            order = self.orders.get(int(parts[2]))
            return _send(request, 200 if order else 404, order or {})
        if method == "GET" and parts[:2] == ["v5", "organizations"] and parts[3] == "forms":
            return self._form_orders(request, parts[4], parts[5], urllib.parse.parse_qs(query))
        return _send(request, 404, {})

    def _token(self, request, body: bytes) -> None:
        form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode()).items()}
        self.token_requests += 1
        if form.get("grant_type") != "client_credentials" or self.credentials.get(
            form.get("client_id")
        ) != form.get("client_secret"):
            return _send(request, 400, {"error": "invalid_client"})
        token = f"tok-{next(self._ids)}"
        self.tokens[token] = datetime.datetime.now() + datetime.timedelta(
            seconds=self.token_lifetime
        )
        return _send(
            request,
            200,
            {
                "access_token": token,
                "token_type": "bearer",
                "expires_in": self.token_lifetime,
                "refresh_token": f"refresh-{token}",
            },
        )

    def _intent_create(self, request, organization: str, body: dict) -> None:
        required = ("totalAmount", "initialAmount", "itemName", "backUrl", "errorUrl", "returnUrl")
        if (
            any(name not in body for name in required)
            or body["totalAmount"] != body["initialAmount"]
        ):
            return _send(request, 400, {"errors": [{"message": "invalid body"}]})
        intent_id = next(self._ids)
        self.intents[intent_id] = {
            **body,
            "id": intent_id,
            "organizationSlug": organization,
            "redirectUrl": f"{self.url}/pay/{intent_id}",
        }
        return _send(request, 200, {"id": intent_id, "redirectUrl": f"{self.url}/pay/{intent_id}"})

    def _pay_page(self, request, method: str, intent_id: int) -> None:
        intent = self.intents.get(intent_id)
        if intent is None:
            return _send(request, 404, {})
        if method == "POST":
            self.pay(intent_id)
            request.send_response(302)
            request.send_header("Location", intent["returnUrl"])
            request.end_headers()
            return None
        amount = f"{intent['totalAmount'] / 100:.2f}"
        page = (
            "<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>HelloAsso (fake)"
            f"</title></head><body><main><h1>{intent['itemName']}</h1><p>{amount} €</p>"
            "<form method='post'><button type='submit'>Payer</button></form></main></body></html>"
        ).encode()
        request.send_response(200)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(len(page)))
        request.end_headers()
        request.wfile.write(page)
        return None

    def _form_orders(self, request, form_type: str, form_slug: str, query: dict) -> None:
        orders = self.form_orders.get((form_type, form_slug), [])
        start = int((query.get("continuationToken") or ["0"])[0] or 0)
        size = int((query.get("pageSize") or ["100"])[0])
        page = orders[start : start + size]
        following = str(start + size) if start + size < len(orders) else ""
        if self.expire_tokens_after_pages:
            self.expire_tokens_after_pages -= 1
            if not self.expire_tokens_after_pages:
                self.expire_tokens()  # the token expires in the middle of the import
        return _send(
            request,
            200,
            {
                "data": page,
                "pagination": {"totalCount": len(orders), "continuationToken": following},
            },
        )


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat()


def _send(request, status: int, payload: Any, headers: dict | None = None) -> None:
    data = json.dumps(payload).encode()
    request.send_response(status)
    request.send_header("Content-Type", "application/json")
    request.send_header("Content-Length", str(len(data)))
    for name, value in (headers or {}).items():
        request.send_header(name, value)
    request.end_headers()
    request.wfile.write(data)
