"""Daily job: membership fee reminders (before the end, after it, and once more)."""

from django.core.management.base import BaseCommand

from maillon.members.reminders.selectors import schedules_with_reminders_across_associations
from maillon.members.reminders.tasks import send_fee_reminders, send_fee_reminders_of


class Command(BaseCommand):
    help = (
        "Send the membership fee reminders due today, by email or as letters to print, "
        "for every association that turned them on. Safe to run more than once a day: "
        "nobody is reminded twice for the same stage."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue one task per association for a task worker.",
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            schedules = schedules_with_reminders_across_associations()
            for schedule in schedules:
                send_fee_reminders_of.enqueue(association_id=schedule.association_id)
            self.stdout.write(f"{len(schedules)} task(s) queued.")
            return
        count = send_fee_reminders.call()
        if options["verbosity"]:
            self.stdout.write(f"{count} reminder(s) recorded.")
