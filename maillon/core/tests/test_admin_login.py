"""The admin has no password form of its own: /admin/login/ sends to allauth's login,
so staff go through the TOTP step and the lockout like everyone; in production
(``ADMIN_REQUIRE_TOTP``, on outside debug) a staff account without TOTP is sent to
set it up before any admin page opens."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.urls import reverse

from maillon.accounts.tests.factories import UserFactory

from .production import production_setting

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # the factories' password
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def current_code(secret: str) -> str:
    from allauth.mfa import app_settings

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


@pytest.fixture
def staff():
    return UserFactory(email="equipe@maillon.example", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_with_totp(staff):
    TOTP.activate(staff, SECRET)
    return staff


def test_the_admin_login_sends_to_allauths_login(client):
    response = client.get("/admin/login/?next=/admin/associations/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/admin/associations/"


def test_the_admin_login_refuses_a_foreign_next(client):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == f"{reverse('account_login')}?next=/admin/"


def test_posting_the_password_to_the_admin_login_opens_no_session(client, staff_with_totp):
    for _attempt in range(30):
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": staff_with_totp.email, "password": PASSWORD, "next": "/admin/"},
        )
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert signed_in_user_id(client) is None
    assert client.get("/admin/").status_code == 302
    assert client.get(reverse("me:home")).status_code == 302


def test_wrong_passwords_through_the_admin_are_limited_by_the_login_lockout(
    client, staff_with_totp
):
    # The admin only forwards to allauth: its lockout is the one that counts.
    login = f"{reverse('account_login')}?next=/admin/"
    for _attempt in range(5):
        client.post(login, {"login": staff_with_totp.email, "password": "wrong"})
    response = client.post(login, {"login": staff_with_totp.email, "password": PASSWORD})
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_staff_with_totp_reach_the_admin_after_the_totp_step(client, staff_with_totp):
    start = client.get("/admin/", follow=True)
    assert start.redirect_chain[-1][0] == f"{reverse('account_login')}?next=/admin/"

    password_step = client.post(
        reverse("account_login"),
        {"login": staff_with_totp.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert password_step["Location"] == reverse("mfa_authenticate")
    # The password alone is not a session.
    assert signed_in_user_id(client) is None
    assert client.get("/admin/").status_code == 302

    totp_step = client.post(reverse("mfa_authenticate"), {"code": current_code(SECRET)})

    assert totp_step.status_code == 302
    assert totp_step["Location"] == "/admin/"
    assert signed_in_user_id(client) == str(staff_with_totp.pk)
    assert client.get("/admin/").status_code == 200


def test_staff_without_totp_are_sent_to_set_it_up(client, staff, settings):
    settings.ADMIN_REQUIRE_TOTP = True
    client.force_login(staff)

    for url in ("/admin/", "/admin/associations/association/"):
        response = client.get(url, follow=True)
        assert (reverse("mfa_activate_totp"), 302) in response.redirect_chain
        assert "double authentification" in response.content.decode()
        assert response.redirect_chain[-1][0] != url


def test_where_totp_is_not_required_staff_reach_the_admin_without_it(client, staff, settings):
    settings.ADMIN_REQUIRE_TOTP = False
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_an_account_without_staff_rights_is_turned_away(client):
    client.force_login(UserFactory())
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "aucun accès à l’administration" in response.content.decode()


def test_production_settings_require_totp_of_staff():
    assert production_setting("ADMIN_REQUIRE_TOTP") == "True"
    assert production_setting("ADMIN_REQUIRE_TOTP", MAILLON_DEBUG="1") == "False"


def test_staff_open_the_change_page_of_an_association(client, staff_with_totp):
    # The admin's pages are rendered after the view returns: still without scopes.
    from maillon.associations.tests.factories import AssociationFactory

    association = AssociationFactory(name="Les Amis du Quartier")
    client.force_login(staff_with_totp)
    response = client.get(f"/admin/associations/association/{association.pk}/change/")
    assert response.status_code == 200
    assert "Les Amis du Quartier" in response.content.decode()
