"""Links to the person's networks: from "My space" always, from the main menu when
they are on a network's team."""

import pytest
from django.urls import reverse

from maillon.network.models import NetworkRoleKind, NetworkStatus
from maillon.network.tests.factories import NetworkFactory, network_staff

pytestmark = pytest.mark.django_db

MENU_LINK = 'href="{}">'


def _menu(html: str) -> str:
    start = html.index('class="main-nav"')
    return html[start : html.index("</nav>", start)]


def test_a_network_team_member_finds_their_networks_in_the_menu_and_my_space(client):
    network = NetworkFactory()
    head = network_staff(network, NetworkRoleKind.HEAD)
    client.force_login(head)
    mine = reverse("networks:mine")
    home = client.get(reverse("me:home")).content.decode()
    assert mine in _menu(home)
    assert home.count(f'href="{mine}"') == 2  # the menu and "My space"
    assert client.get(mine).status_code == 200


def test_others_see_no_network_link_in_the_menu_but_one_in_my_space(client, admin_user):
    client.force_login(admin_user)
    mine = reverse("networks:mine")
    home = client.get(reverse("me:home")).content.decode()
    assert mine not in _menu(home)
    assert f'href="{mine}"' in home
    # A network waiting for its check's team is not "on a network" any more.
    network = NetworkFactory(status=NetworkStatus.PENDING)
    client.force_login(network_staff(network, NetworkRoleKind.HEAD))
    assert mine not in _menu(client.get(reverse("me:home")).content.decode())


def test_on_a_back_office_page_the_link_is_read_with_the_callers_roles(client, association):
    """In the back office, "on a network team" comes with the caller's roles (one
    query for both): the link is there for a team member, absent for others, and
    a network that is no longer active stops showing it at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from maillon.members.models import Role
    from maillon.members.tests.factories import PersonFactory, member_with_account

    network = NetworkFactory()
    head = network_staff(network, NetworkRoleKind.HEAD)
    PersonFactory(association=association, user=head, email=head.email, roles=[Role.MEMBER])
    plain = member_with_account(association, [Role.MEMBER])
    mine = reverse("networks:mine")
    page = reverse("backoffice:dashboard", args=[association.slug])

    client.force_login(head)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(page).content.decode()
    assert mine in _menu(html)
    assert not [q for q in ctx.captured_queries if "network_networkrole" in q["sql"]][1:]

    network.status = NetworkStatus.PENDING
    network.save(update_fields=["status"])
    assert mine not in _menu(client.get(page).content.decode())

    client.force_login(plain)
    assert mine not in _menu(client.get(page).content.decode())
