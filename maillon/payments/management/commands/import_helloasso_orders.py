"""Daily job: read the new orders of every connected association's HelloAsso forms."""

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from maillon.payments.helloasso.client import HelloAssoError
from maillon.payments.imports.tasks import pull_helloasso_orders
from maillon.payments.models import ProviderAccount


def accounts_across_associations() -> list[int]:
    with scopes_disabled():
        return list(
            ProviderAccount.objects.exclude(
                membership_form_slug="", donation_form_slug=""
            ).values_list("association_id", flat=True)
        )


class Command(BaseCommand):
    help = (
        "Read the new orders of the HelloAsso membership and donation forms of every "
        "association that connected its account, and match their payers to members."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue one task per association."
        )

    def handle(self, *args, **options):
        for association_id in accounts_across_associations():
            if options["enqueue"]:
                pull_helloasso_orders.enqueue(association_id=association_id)
                continue
            try:
                counts = pull_helloasso_orders.call(association_id=association_id)
            except HelloAssoError as error:  # one association's outage stops no other
                self.stderr.write(f"association {association_id}: {error}")
                continue
            if options["verbosity"]:
                self.stdout.write(f"association {association_id}: {counts}")
