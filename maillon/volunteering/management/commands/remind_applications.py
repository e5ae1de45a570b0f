"""Daily job: remind associations of the applications still waiting for an answer."""

from django.core.management.base import BaseCommand

from maillon.volunteering.applications.tasks import remind_unanswered_applications


class Command(BaseCommand):
    help = (
        "Email associations about applications left unanswered longer than their "
        "reminder delay (5 days by default). Safe to run more than once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the work for a task worker."
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = remind_unanswered_applications.enqueue()
            self.stdout.write(f"Task {result.id} queued.")
            return
        count = remind_unanswered_applications.call()
        if options["verbosity"]:
            self.stdout.write(f"{count} application(s) reminded of.")
