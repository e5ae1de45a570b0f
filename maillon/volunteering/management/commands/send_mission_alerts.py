from django.core.management.base import BaseCommand

from maillon.volunteering.matching.services import mission_alerts_send_due


class Command(BaseCommand):
    help = (
        "Email their digest of new matching missions to the volunteers whose alert is due "
        "(daily or weekly, as each chose). Run it once a day from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Run as a background task instead."
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            from maillon.volunteering.matching.tasks import send_mission_alerts

            send_mission_alerts.enqueue()
            self.stdout.write("Queued.")
            return
        result = mission_alerts_send_due()
        self.stdout.write(f"checked: {result.checked}, sent: {result.sent}")
