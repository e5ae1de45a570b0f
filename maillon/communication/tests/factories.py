"""Factories of the communication module (objects made outside any scope)."""

import factory
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.associations.tests.factories import AssociationFactory
from maillon.communication.models import (
    Audience,
    Newsletter,
    OptOut,
    Post,
    PostStatus,
    Subscriber,
)
from maillon.communication.rendering import markdown_to_safe_html


class _Unscoped(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


class PostFactory(_Unscoped):
    class Meta:
        model = Post

    association = factory.SubFactory(AssociationFactory)
    title = factory.Sequence(lambda n: f"Nouvelle {n}")
    body = "Un **texte** d'actualité."
    body_html = factory.LazyAttribute(lambda o: markdown_to_safe_html(o.body))
    audience = Audience.PUBLIC
    status = PostStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class NewsletterFactory(_Unscoped):
    class Meta:
        model = Newsletter

    association = factory.SubFactory(AssociationFactory)
    subject = factory.Sequence(lambda n: f"Lettre {n}")
    body = "# Bonjour\n\nLes **nouvelles** du mois."
    body_html = factory.LazyAttribute(lambda o: markdown_to_safe_html(o.body))
    segment = "members"


class SubscriberFactory(_Unscoped):
    class Meta:
        model = Subscriber

    association = factory.SubFactory(AssociationFactory)
    email = factory.Sequence(lambda n: f"abonne{n}@example.org")
    consent_at = factory.LazyFunction(timezone.now)
    consent_source = "news_page"


class OptOutFactory(_Unscoped):
    class Meta:
        model = OptOut

    association = factory.SubFactory(AssociationFactory)
    email = factory.Sequence(lambda n: f"parti{n}@example.org")
    source = "link"
