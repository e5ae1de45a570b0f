"""Periodic job: compute the values of the indicators computed by Maillon."""

from django.core.management.base import BaseCommand

from maillon.strategy.plan.tasks import refresh_indicators_across_associations


class Command(BaseCommand):
    help = "Compute the quarterly values of the indicators computed by Maillon."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the work for a task worker."
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = refresh_indicators_across_associations.enqueue()
            self.stdout.write(f"Task {result.id} queued.")
            return
        count = refresh_indicators_across_associations.call()
        if options["verbosity"]:
            self.stdout.write(f"{count} association(s) refreshed.")
