"""News of a demo association: a few posts and one newsletter already sent (recorded
as sent: the demo sends no email). Idempotent: posts and newsletters are looked up by
title/subject first."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_scopes import scope

from maillon.communication.models import (
    Audience,
    Delivery,
    DeliveryStatus,
    Newsletter,
    NewsletterStatus,
    Post,
)
from maillon.communication.rendering import markdown_to_safe_html
from maillon.communication.selectors import segment_recipients
from maillon.communication.services import newsletter_create, post_create, post_publish

DEMO_POSTS = [
    (
        "Bienvenue sur notre nouvelle page d'actualités",
        Audience.PUBLIC,
        "Nous publierons ici nos **nouvelles**, nos rendez-vous et nos appels à "
        "bénévoles.\n\n## Au programme\n\n- la fête de quartier du printemps ;\n"
        "- les ateliers du samedi ;\n- l'assemblée générale.\n\n"
        "Abonnez-vous à la lettre d'information en bas de la page.",
    ),
    (
        "Retour sur la journée portes ouvertes",
        Audience.PUBLIC,
        "Merci aux **quarante personnes** venues nous rencontrer ! Les photos sont "
        "disponibles sur demande.\n\n> Une belle journée, pleine d'échanges.",
    ),
    (
        "Cotisations : le point à mi-année",
        Audience.MEMBERS,
        "Chers adhérents, pensez à renouveler votre cotisation avant la fin du mois. "
        "Le trésorier tient une permanence chaque mardi soir.",
    ),
]

DEMO_NEWSLETTER_SUBJECT = "La lettre du trimestre"
DEMO_NEWSLETTER_BODY = (
    "# La lettre du trimestre\n\nBonjour à toutes et à tous,\n\n"
    "Voici les nouvelles de l'association : de nouvelles missions bénévoles sont en "
    "ligne et notre assemblée générale approche.\n\nÀ bientôt !"
)


def seed_news(association, actor, rng) -> int:
    """Create the demo posts and the sent newsletter of ``association`` that do not
    exist yet; returns how many objects were created. ``rng`` spreads the dates."""
    created = 0
    now = timezone.now()
    with scope(association=association):
        for index, (title, audience, body) in enumerate(DEMO_POSTS):
            if Post.objects.filter(association=association, title=title).exists():
                continue
            post = post_create(
                association=association, actor=actor, title=title, body=body, audience=audience
            )
            post = post_publish(association=association, actor=actor, post=post)
            days_ago = (len(DEMO_POSTS) - index) * 12 + rng.randint(0, 6)
            Post.objects.filter(pk=post.pk).update(
                published_at=now - datetime.timedelta(days=days_ago, hours=rng.randint(0, 8))
            )
            created += 1

        if not Newsletter.objects.filter(
            association=association, subject=DEMO_NEWSLETTER_SUBJECT
        ).exists():
            newsletter = newsletter_create(
                association=association,
                actor=actor,
                subject=DEMO_NEWSLETTER_SUBJECT,
                body=DEMO_NEWSLETTER_BODY,
                segment="members",
            )
            # Recorded as already sent: the demo sends no real email.
            sent_at = now - datetime.timedelta(days=rng.randint(5, 20))
            recipients = segment_recipients(association=association, segment=newsletter.segment)
            Delivery.objects.bulk_create(
                Delivery(
                    association=association,
                    newsletter=newsletter,
                    email=r.email,
                    person_id=r.person_id,
                    subscriber_id=r.subscriber_id,
                    language=r.language,
                    status=DeliveryStatus.SENT,
                    sent_at=sent_at,
                )
                for r in recipients
            )
            Newsletter.objects.filter(pk=newsletter.pk).update(
                status=NewsletterStatus.SENT,
                sent_by=actor,
                send_requested_at=sent_at,
                sent_at=sent_at,
                total_count=len(recipients),
                sent_count=len(recipients),
                body_html=markdown_to_safe_html(DEMO_NEWSLETTER_BODY),
            )
            created += 1
    return created
