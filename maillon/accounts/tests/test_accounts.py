"""Accounts: signing up with email verification, brute-force protection of the login,
the language preference, two-factor authentication required by an association for its
bureau, the personal space and API tokens."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from maillon.accounts.models import ApiToken, User
from maillon.accounts.selectors import user_for_api_token
from maillon.accounts.services import api_token_create
from maillon.accounts.tests.factories import UserFactory
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # the factories' password


@pytest.fixture(autouse=True)
def empty_cache():
    """Login rate limits live in the cache: each test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def english_client():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def heading(response) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


# --- signing up -------------------------------------------------------------------------------


def test_signing_up_requires_confirming_the_email_address(english_client):
    response = english_client.post(
        reverse("account_signup"),
        {
            "email": "nouvelle@example.org",
            "password1": "un vélo bleu 2025",
            "password2": "un vélo bleu 2025",
        },
    )

    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="nouvelle@example.org")
    assert user.language == "en"  # the language chosen while browsing becomes the profile's
    assert not EmailAddress.objects.get(user=user).verified
    assert signed_in_user_id(english_client) is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nouvelle@example.org"]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[0].body)

    # Not confirmed yet: signing in leads back to the verification page.
    login = Client().post(
        reverse("account_login"), {"login": "nouvelle@example.org", "password": "un vélo bleu 2025"}
    )
    assert login["Location"] == reverse("account_email_verification_sent")

    confirm_page = english_client.get(link.group(1))
    assert confirm_page.status_code == 200
    confirmed = english_client.post(link.group(1))

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert signed_in_user_id(english_client) == str(user.pk)


def test_signing_up_twice_with_the_same_email_creates_one_account(english_client):
    UserFactory(email="deja@example.org")
    english_client.post(
        reverse("account_signup"),
        {
            "email": "Deja@Example.org",
            "password1": "un vélo bleu 2025",
            "password2": "un vélo bleu 2025",
        },
    )
    assert User.objects.filter(email__iexact="deja@example.org").count() == 1


# --- login lockout ----------------------------------------------------------------------------


def test_after_five_failures_even_the_right_password_is_refused(english_client):
    user = UserFactory(email="cible@example.org")
    for _attempt in range(5):
        response = english_client.post(
            reverse("account_login"), {"login": user.email, "password": "wrong"}
        )
        assert response.status_code == 200
        assert "Too many failed login attempts" not in response.content.decode()

    response = english_client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert signed_in_user_id(english_client) is None


def test_the_lockout_concerns_the_attacked_account_only(english_client):
    target = UserFactory()
    other = UserFactory()
    for _attempt in range(5):
        english_client.post(reverse("account_login"), {"login": target.email, "password": "x"})

    response = english_client.post(
        reverse("account_login"), {"login": other.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert signed_in_user_id(english_client) == str(other.pk)


def test_a_few_failures_do_not_lock_the_account(english_client):
    user = UserFactory()
    for _attempt in range(4):
        english_client.post(reverse("account_login"), {"login": user.email, "password": "x"})
    response = english_client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert signed_in_user_id(english_client) == str(user.pk)


# --- language -------------------------------------------------------------------------------


def test_switching_language_is_stored_on_the_profile(client):
    user = UserFactory(language="fr")
    client.force_login(user)
    before = client.get(reverse("account_email"))
    assert '<html lang="fr">' in before.content.decode()
    assert heading(before) == "Adresse e-mail"  # allauth's own French catalogue

    response = client.post(
        reverse("me:language"), {"language": "en", "next": reverse("account_email")}
    )

    assert response["Location"] == reverse("account_email")
    user.refresh_from_db()
    assert user.language == "en"
    after = client.get(response["Location"])
    assert '<html lang="en">' in after.content.decode()
    assert heading(after) == "Email Address"
    # The profile wins over the cookie, on any device.
    other_device = Client()
    other_device.force_login(user)
    assert '<html lang="en">' in other_device.get(reverse("me:home")).content.decode()


def test_a_visitor_switches_language_with_a_cookie(db):
    client = Client()
    response = client.post(reverse("me:language"), {"language": "en", "next": "/associations/"})
    assert response["Location"] == "/associations/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get("/associations/").content.decode()


def test_the_language_switch_never_redirects_to_another_site(db):
    response = Client().post(
        reverse("me:language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_an_unknown_language_changes_nothing(client):
    user = UserFactory(language="fr")
    client.force_login(user)
    client.post(reverse("me:language"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == "fr"


# --- two-factor authentication for the bureau ----------------------------------------------------


@pytest.fixture
def strict_association(association):
    association.require_2fa_for_bureau = True
    association.save()
    return association


def dashboard(association):
    return reverse("backoffice:dashboard", kwargs={"association_slug": association.slug})


@pytest.mark.parametrize("role", [Role.PRESIDENT, Role.TREASURER, Role.SECRETARY, Role.ADMIN])
def test_the_bureau_without_totp_is_sent_to_activate_it(client, strict_association, role):
    client.force_login(member_with_account(strict_association, [role]))
    for url in (
        dashboard(strict_association),
        reverse("members:list", kwargs={"association_slug": strict_association.slug}),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VOLUNTEER, Role.BOARD])
def test_people_outside_the_bureau_are_let_through(client, strict_association, role):
    client.force_login(member_with_account(strict_association, [role]))
    assert client.get(dashboard(strict_association)).status_code == 200


def test_a_president_with_totp_is_let_through(client, strict_association):
    president = member_with_account(strict_association, [Role.PRESIDENT])
    Authenticator.objects.create(
        user=president, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    client.force_login(president)
    assert client.get(dashboard(strict_association)).status_code == 200


def test_without_the_rule_the_president_needs_no_totp(client, association):
    client.force_login(member_with_account(association, [Role.PRESIDENT]))
    assert client.get(dashboard(association)).status_code == 200


# --- personal space and API tokens --------------------------------------------------------------


def test_my_space_lists_my_associations_with_my_roles(client, association, other_association):
    user = member_with_account(association, [Role.TREASURER], language="en")
    client.force_login(user)
    content = client.get(reverse("me:home")).content.decode()
    assert "Les Amis du Quartier" in content
    assert "Treasurer" in content
    assert "Club Voisin" not in content


def test_my_space_needs_signing_in(db):
    response = Client().get(reverse("me:home"))
    assert response["Location"].startswith(reverse("account_login"))


def test_an_api_token_is_shown_once_and_stored_hashed(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("me:tokens")).status_code == 200

    response = client.post(reverse("me:tokens"), {"name": "script de compta"})

    raw = re.search(r"mln_[\w-]+", response.content.decode()).group(0)
    token = ApiToken.objects.get(user=user)
    assert token.key_hash != raw and raw not in token.key_hash
    assert user_for_api_token(raw) == user
    assert raw not in client.get(reverse("me:tokens")).content.decode()


def test_revoking_a_token(client):
    user = UserFactory()
    token, raw = api_token_create(user=user, name="x")
    client.force_login(user)
    response = client.post(reverse("me:token_revoke", args=[token.pk]))
    assert response["Location"] == reverse("me:tokens")
    assert user_for_api_token(raw) is None


def test_nobody_can_revoke_someone_elses_token(client):
    token, raw = api_token_create(user=UserFactory(), name="x")
    client.force_login(UserFactory())
    assert client.post(reverse("me:token_revoke", args=[token.pk])).status_code == 404
    assert user_for_api_token(raw) is not None


def test_the_api_documentation_is_served(db):
    response = Client().get("/api/docs", follow=True)
    assert response.status_code == 200
    assert Client().get("/api/v1/openapi.json").json()["info"]["title"] == "Maillon API"
