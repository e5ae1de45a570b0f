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
