"""The HelloAsso client against the local fake: tokens, expiry, retries."""

import pytest

from maillon.payments.helloasso.client import HelloAssoClient, HelloAssoError


def client(fake, **kwargs):
    return HelloAssoClient(
        base_url=fake.url,
        client_id="maillon-client",
        client_secret=kwargs.pop("secret", "s3cret"),
        sleep=lambda seconds: None,
        **kwargs,
    )


def intent_body(amount=2500):
    return {
        "totalAmount": amount,
        "initialAmount": amount,
        "itemName": "Cotisation",
        "backUrl": "http://x/back",
        "errorUrl": "http://x/error",
        "returnUrl": "http://x/return",
        "containsDonation": False,
    }


def test_one_token_serves_several_calls(fake_helloasso):
    api = client(fake_helloasso)
    first = api.create_checkout_intent("club", intent_body())
    api.get_checkout_intent("club", str(first["id"]))
    assert fake_helloasso.token_requests == 1
    assert first["redirectUrl"].startswith(fake_helloasso.url)


def test_an_expired_token_is_renewed_once(fake_helloasso):
    api = client(fake_helloasso)
    answer = api.create_checkout_intent("club", intent_body())
    fake_helloasso.expire_tokens()
    assert api.get_checkout_intent("club", str(answer["id"]))["id"] == answer["id"]
    assert fake_helloasso.token_requests == 2


def test_429_and_5xx_are_retried(fake_helloasso):
    api = client(fake_helloasso)
    fake_helloasso.failures = [429, 503, 502]
    assert api.create_checkout_intent("club", intent_body())["id"]


def test_giving_up_after_too_many_failures(fake_helloasso):
    api = client(fake_helloasso, max_attempts=2)
    api.check_credentials()
    fake_helloasso.failures = [503, 503, 503]
    with pytest.raises(HelloAssoError) as error:
        api.get_order("1")
    assert error.value.status == 503


def test_wrong_credentials_and_bad_requests(fake_helloasso):
    with pytest.raises(HelloAssoError):
        client(fake_helloasso, secret="wrong").check_credentials()
    with pytest.raises(HelloAssoError) as error:
        client(fake_helloasso).create_checkout_intent("club", {"itemName": "x"})
    assert error.value.status == 400


def test_out_of_reach():
    api = HelloAssoClient(base_url="http://127.0.0.1:9", client_id="a", client_secret="b")
    with pytest.raises(HelloAssoError):
        api.check_credentials()
