"""Periodic job (e.g. daily): the yearly reminder to take the diagnostic again."""

from django.core.management.base import BaseCommand

from maillon.strategy.plan.tasks import send_diagnostic_reminders_across_associations


class Command(BaseCommand):
    help = (
        "Email the bureau of associations whose latest diagnostic is more than a year "
        "old (once per diagnostic)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the work for a task worker."
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = send_diagnostic_reminders_across_associations.enqueue()
            self.stdout.write(f"Task {result.id} queued.")
            return
        count = send_diagnostic_reminders_across_associations.call()
        if options["verbosity"]:
            self.stdout.write(f"{count} reminder(s) sent.")
