"""A realistic French demo: five associations of different sectors, sizes and regions.

Everything goes through the real services (association_create, person_create,
membership_period_add, invitation_send/accept, join_request_submit...), so the audit
log, the statutes and the roles look exactly like those of a real association. Each
part is built by one module of ``maillon/demo/builders/``:

- ``associations`` (with ``members`` and ``accounts``): the associations, their people,
  fees and join requests, the accounts;
- ``strategy``: a completed diagnostic, two adopted recommendations measured by
  indicators (``STRATEGY_DEMOS``);
- ``governance``: a past general assembly with its published votes and approved
  minutes, an upcoming convened one with proxies, an open member proposal
  (``GOVERNANCE_DEMOS``);
- ``network``: a departmental sports federation and a neighbourhood collective with
  member associations sharing different data, and thirty practice sheets;
- ``mobilisation``: missions, applications, a year of volunteer hours, events with
  check-ins, news and a newsletter (``MOBILISATION_DEMOS``; ``volunteering``,
  ``events``, ``communication``);
- ``observatory``: a published wave of 1,500 synthetic anonymous diagnostics that
  over-represent large associations, so that weighting visibly moves the figures.

Idempotent: associations are recognised by their fixed slug and accounts by their
fixed email; an association that already exists is left untouched. The later parts are
added where they are missing, also to associations seeded before they existed.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import timezone

from maillon.demo.builders.accounts import ensure_superuser, print_logins
from maillon.demo.builders.associations import ASSOCIATIONS, account_emails, seed_association
from maillon.demo.builders.common import DEMO_PASSWORD, DemoRun
from maillon.demo.builders.engagements import seed_engagements
from maillon.demo.builders.funding import FUNDING_DEMOS, seed_funding
from maillon.demo.builders.governance import GOVERNANCE_DEMOS, seed_governance
from maillon.demo.builders.mobilisation import MOBILISATION_DEMOS, seed_mobilisation
from maillon.demo.builders.network import NETWORKS, seed_network, seed_practice_sheets
from maillon.demo.builders.observatory import seed_observatory
from maillon.demo.builders.pooling import seed_pooling
from maillon.demo.builders.sponsorship import seed_sponsorship
from maillon.demo.builders.strategy import STRATEGY_DEMOS, seed_strategy
from maillon.taxonomy.models import Sector

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Demo addresses are not real mailboxes: whatever EMAIL_URL says, never send.
DUMMY_EMAIL = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = "Create a realistic French demo (idempotent: safe to run again)."

    def handle(self, *args, **options):
        if not Sector.objects.exists():
            raise CommandError("Reference data is missing: run `manage.py migrate` first.")
        run = DemoRun(
            today=timezone.localdate(),
            password_hash=make_password(DEMO_PASSWORD),
            stdout=self.stdout,
            style=self.style,
        )
        with override_settings(EMAIL_BACKEND=DUMMY_EMAIL):
            ensure_superuser(run)
            for association in ASSOCIATIONS:
                seed_association(run, association)
            for strategy in STRATEGY_DEMOS:
                seed_strategy(run, strategy)
            # Convocation emails are a task: run it here, into the dummy backend above,
            # rather than leave it queued for a worker with the real one.
            with override_settings(TASKS=IMMEDIATE_TASKS):
                for governance in GOVERNANCE_DEMOS:
                    seed_governance(run, governance)
                for slug, mission_titles in MOBILISATION_DEMOS.items():
                    seed_mobilisation(run, slug, mission_titles)
                # Yearly receipts are a task: issued here at once.
                for slug in FUNDING_DEMOS:
                    seed_funding(run, slug)
                for network in NETWORKS:
                    seed_network(run, network)
                seed_practice_sheets(run)
                seed_pooling(run)
                seed_engagements(run)
                seed_sponsorship(run)
            seed_observatory(run)
        print_logins(run, account_emails() + [network.head[0] for network in NETWORKS])
