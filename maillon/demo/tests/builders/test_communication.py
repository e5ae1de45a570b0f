import random

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from maillon.communication.models import Newsletter, NewsletterStatus, Post
from maillon.demo.builders.communication import seed_news
from maillon.members.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent(association, admin_user):
    PersonFactory.create_batch(3, association=association)
    created = seed_news(association, admin_user, random.Random(1))
    assert created == 4
    assert seed_news(association, admin_user, random.Random(1)) == 0
    with scopes_disabled():
        assert Post.objects.filter(association=association, status="published").count() == 3
        newsletter = Newsletter.objects.get(association=association)
    assert newsletter.status == NewsletterStatus.SENT and newsletter.sent_count == 4
    assert not mail.outbox  # the demo sends no email
