"""The quorum box explains its "represented" figure (issue 10, item 6): a proxy
counts once its holder is present, and an unnamed proxy goes to the president when
the session opens (when the statutes say so)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.associations.models import Statutes
from maillon.governance.models import AssemblyStatus
from maillon.governance.tests.factories import (
    AssemblyFactory,
    AttendanceFactory,
    ProxyFactory,
    RollEntryFactory,
)
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(association, other_association):
    return member_with_account(association, [Role.ADMIN, Role.MEMBER])


def convened_today(association):
    """A convened assembly this evening: 2 active proxies, one named whose holder
    checked in, one unnamed; and a third, named, whose holder is not there yet."""
    assembly = AssemblyFactory(
        association=association,
        status=AssemblyStatus.CONVENED,
        starts_at=timezone.now() + datetime.timedelta(minutes=30),
    )
    holder = RollEntryFactory(assembly=assembly)
    AttendanceFactory(entry=holder)
    ProxyFactory(giver=RollEntryFactory(assembly=assembly), holder=holder)
    ProxyFactory(giver=RollEntryFactory(assembly=assembly), holder=None, is_unnamed=True)
    for _n in range(3):
        RollEntryFactory(assembly=assembly)
    return assembly


def box(client, association, assembly) -> str:
    page = client.get(
        reverse("governance:assembly_quorum", args=[association.slug, assembly.pk])
    ).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_before_opening_the_box_says_where_the_unnamed_proxy_goes(association, admin, client):
    assembly = convened_today(association)
    client.force_login(admin)
    text = box(client, association, assembly)
    assert "Represented 1" in text
    assert "2 active proxies" in text
    assert "A proxy counts once its holder is present" in text
    assert "1 unnamed proxy goes to the president when the session opens" in text


def test_a_named_proxy_whose_holder_is_not_there_yet_is_explained(association, admin, client):
    assembly = convened_today(association)
    ProxyFactory(
        giver=RollEntryFactory(assembly=assembly), holder=RollEntryFactory(assembly=assembly)
    )
    client.force_login(admin)
    text = box(client, association, assembly)
    assert "3 active proxies" in text
    assert "1 of them counts once its holder is checked in" in text


def test_unnamed_proxies_without_the_president_rule_are_said_not_to_count(
    association, admin, client
):
    with scopes_disabled():
        Statutes.objects.filter(association=association).update(unnamed_proxy_to_president=False)
    assembly = convened_today(association)
    client.force_login(admin)
    text = box(client, association, assembly)
    assert "the statutes do not give unnamed proxies to the president" in text
