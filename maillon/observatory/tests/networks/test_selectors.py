"""The per-network computation the networks module wires at /n/<slug>/observatory/."""

import pytest
from django_scopes import scope

from maillon.accounts.tests.factories import UserFactory
from maillon.associations.tests.factories import AssociationFactory
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.observatory.networks.selectors import network_observatory_across_associations
from maillon.observatory.tests.factories import answers_for, completed_diagnostic, national_margins
from maillon.observatory.waves.services import wave_consent_set, wave_open

pytestmark = pytest.mark.django_db


def members(n, wave, consent=True):
    ids = []
    for i in range(n):
        association = AssociationFactory()
        admin = member_with_account(association, [Role.ADMIN])
        completed_diagnostic(association, answers_for(i))
        if consent:
            with scope(association=association):
                wave_consent_set(association=association, actor=admin, wave=wave, consented=True)
        ids.append(association.pk)
    return ids


def test_nothing_below_the_minimum_size(settings):
    national_margins()
    wave = wave_open(actor=UserFactory(is_staff=True), year=2026)
    settings.OBSERVATORY_NETWORK_MINIMUM = 10
    assert network_observatory_across_associations(association_ids=members(9, wave)) is None


def test_only_consenting_members_count(settings):
    national_margins()
    wave = wave_open(actor=UserFactory(is_staff=True), year=2026)
    ids = members(8, wave) + members(4, wave, consent=False)
    result = network_observatory_across_associations(association_ids=ids)
    assert result.members == 12 and result.counted == 8
    website = next(i for i in result.indicators if i["code"] == "tool_website")
    assert website["n"] == 8 and not website["suppressed"]
