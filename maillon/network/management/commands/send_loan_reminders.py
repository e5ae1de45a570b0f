"""Daily job: return reminders the day before a loan ends, overdue alerts after."""

from django.core.management.base import BaseCommand

from maillon.network.pooling.tasks import send_loan_reminders


class Command(BaseCommand):
    help = (
        "Remind borrowers the day before a loan ends and alert both associations when a "
        "lent item is overdue. Each booking gets each message once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the work for a task worker."
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = send_loan_reminders.enqueue()
            self.stdout.write(f"Task {result.id} queued.")
            return
        reminded, overdue = send_loan_reminders.call()
        if options["verbosity"]:
            self.stdout.write(f"{reminded} reminder(s), {overdue} overdue alert(s).")
