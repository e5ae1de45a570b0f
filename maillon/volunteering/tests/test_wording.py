"""French wording of the volunteering pages: numbers as in the tables ("3,5 h"),
no "depuis 0 minute", statuses that agree with their noun."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory, member_with_account
from maillon.volunteering.models import Activity, ApplicationStatus, MissionStatus
from maillon.volunteering.tests.factories import ApplicationFactory, MissionFactory

pytestmark = pytest.mark.django_db


def test_the_flash_message_shows_hours_with_a_decimal_comma(client, association):
    manager = member_with_account(association, [Role.SECRETARY])
    person = PersonFactory(association=association, user=None, first_name="Édith", last_name="Noël")
    client.force_login(manager)
    response = client.post(
        reverse("volunteering:hours_log", args=[association.slug]),
        {
            "person": person.pk,
            "date": timezone.localdate().isoformat(),
            "hours": "3,5",
            "activity": Activity.ORGANISATION,
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 302
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("3,5 h "), message
    assert "Édith Noël" in message


def test_elapsed_says_less_than_a_minute_rather_than_zero_minutes():
    template = Template("{% load maillon %}{{ moment|elapsed }}")
    with translation.override("fr"):
        just_now = template.render(Context({"moment": timezone.now()}))
        earlier = template.render(
            Context({"moment": timezone.now() - datetime.timedelta(days=2, minutes=1)})
        )
    assert just_now == "moins d’une minute"
    assert earlier.startswith("2\xa0jours")


def test_a_fresh_application_is_not_unanswered_for_0_minutes(client, association):
    manager = member_with_account(association, [Role.SECRETARY])
    mission = MissionFactory(association=association)
    application = ApplicationFactory(association=association, mission=mission)
    client.force_login(manager)
    url = reverse("volunteering:application_detail", args=[association.slug, application.pk])
    content = client.get(url).content.decode()
    assert "0\xa0minute" not in content and "0 minute" not in content
    assert "Sans réponse depuis moins d’une minute" in content


def test_statuses_agree_with_their_noun():
    with translation.override("fr"):
        assert str(ApplicationStatus.ACCEPTED.label) == "Acceptée"
        assert str(MissionStatus.PUBLISHED.label) == "Publiée"
        assert str(MissionStatus.CLOSED.label) == "Clôturée"
