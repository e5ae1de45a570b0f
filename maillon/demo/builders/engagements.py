"""Engagements in the demo, through the services: on the help request of the
Épicerie de la Belle de Mai, the demo company's offer (accepted, work in progress,
a few messages), a skills volunteer's offer waiting for an answer and another
declined; on a request of the Amis de la Croix-Rousse asked of its networks, the
collective's offer, delivered and closed with its handover. Skipped when the
request already has offers."""

from __future__ import annotations

from decimal import Decimal

from django_scopes import scopes_disabled

from maillon.associations.models import Association
from maillon.demo.builders.accounts import ensure_user
from maillon.demo.builders.common import DemoRun
from maillon.demo.builders.pooling import BORROWER, OWNER, _president
from maillon.network.help.engagements import services as engagements
from maillon.network.help.services import help_request_create
from maillon.network.models import Company, Engagement, HelpRequest, Network
from maillon.volunteering.profiles.services import volunteer_profile_save

VOLUNTEERS = (
    ("lea.fontaine@benevoles.test", "Léa Fontaine", "Développeuse web, je peux vous aider à "
     "choisir un outil d’adhésion en ligne et à le relier à votre registre."),
    ("marc.perrin@benevoles.test", "Marc Perrin", "Consultant en systèmes d’information, "
     "disponible deux soirs par semaine."),
)  # fmt: skip


def _volunteer(run: DemoRun, email: str, name: str):
    user = ensure_user(run, email, name)
    if not hasattr(user, "volunteer_profile"):
        volunteer_profile_save(user=user, remote_ok=True, about="Bénévole de compétences")
    return user


def seed_engagements(run: DemoRun) -> None:
    owner = Association.objects.filter(slug=OWNER).first()
    borrower = Association.objects.filter(slug=BORROWER).first()
    if owner is None or borrower is None:
        return
    with scopes_disabled():
        asked = HelpRequest.objects.filter(association=borrower).order_by("id").first()
        if asked is None:
            return
        if Engagement.objects.filter(help_request=asked).exists():
            run.kept(f"= {BORROWER}: offers of help already there")
            return
    borrower_admin, owner_admin = _president(borrower), _president(owner)
    company = Company.objects.filter(siren="732829320").first()
    if borrower_admin is None or owner_admin is None or company is None:
        return

    # The company lends Camille: accepted, the work has started, they write to each other.
    coordinator = company.coordinators.select_related("user").first().user
    sponsored = engagements.engagement_offer(
        actor=coordinator,
        help_request=asked,
        kind="company",
        company=company,
        employees=list(company.employees.filter(is_active=True)[:1]),
        message="Camille peut paramétrer l’adhésion et le don en ligne, puis former deux de "
        "vos bénévoles (trois demi-journées, à distance).",
        hours_offered=Decimal("24"),
    )
    engagements.engagement_message_post(
        association=borrower,
        actor=borrower_admin,
        engagement=sponsored,
        body="Merci ! Pouvons-nous commencer par un appel la semaine prochaine ?",
    )
    engagements.engagement_accept(association=borrower, actor=borrower_admin, engagement=sponsored)
    engagements.engagement_start(actor=coordinator, engagement=sponsored)
    engagements.engagement_message_post(
        actor=coordinator,
        engagement=sponsored,
        body="Le formulaire d’essai est prêt : Camille vous envoie le lien pour le tester.",
    )

    # A skills volunteer waits for an answer; another was declined, with the reason.
    (lea_email, lea_name, lea_offer), (marc_email, marc_name, marc_offer) = VOLUNTEERS
    engagements.engagement_offer(
        actor=_volunteer(run, lea_email, lea_name),
        help_request=asked,
        kind="volunteer",
        message=lea_offer,
        hours_offered=Decimal("10"),
    )
    declined = engagements.engagement_offer(
        actor=_volunteer(run, marc_email, marc_name),
        help_request=asked,
        kind="volunteer",
        message=marc_offer,
    )
    engagements.engagement_decline(
        association=borrower,
        actor=borrower_admin,
        engagement=declined,
        reason="Une entreprise mécène nous accompagne déjà sur ce besoin : merci, et à "
        "bientôt sur une autre demande !",
    )

    # The collective helps one of its members: delivered and closed with its handover.
    network = Network.objects.filter(slug="collectif-croix-rousse").first()
    head = network.roles.filter(role="head").select_related("user").first() if network else None
    if network is not None and head is not None:
        own = help_request_create(
            association=owner,
            actor=owner_admin,
            title="Former le bureau à la visioconférence",
            need="Deux membres du bureau ne peuvent plus venir aux réunions du soir.",
            deliverable="Un bureau capable d’animer une réunion mixte, et une fiche pas à pas.",
            audiences=["networks"],
            format="on_site",
            hours_estimate=Decimal("6"),
        )
        help_ = engagements.engagement_offer(
            actor=head.user,
            help_request=own,
            kind="network",
            network=network,
            message="Notre animatrice numérique peut venir animer deux ateliers au local.",
            hours_offered=Decimal("6"),
        )
        engagements.engagement_accept(association=owner, actor=owner_admin, engagement=help_)
        engagements.engagement_start(association=owner, actor=owner_admin, engagement=help_)
        engagements.engagement_deliver(
            actor=head.user,
            engagement=help_,
            outcome="Deux ateliers animés ; le bureau a tenu sa première réunion mixte.",
        )
        engagements.engagement_close(
            association=owner,
            actor=owner_admin,
            engagement=help_,
            handover_notes="La fiche pas à pas est dans le dossier partagé du bureau ; la "
            "secrétaire sait ouvrir la salle et inviter les membres à distance.",
        )
    run.added(f"+ {BORROWER}: offers of help (company, volunteers); {OWNER}: a closed one")
