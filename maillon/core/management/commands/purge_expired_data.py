from django.core.management.base import BaseCommand

from maillon.core.retention import purge_expired_data


class Command(BaseCommand):
    help = "Delete or anonymise what the register of processing says is kept no longer."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Run as a background task instead."
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            from maillon.core.tasks import purge_expired_data_task

            purge_expired_data_task.enqueue()
            self.stdout.write("Queued.")
            return
        for name, count in purge_expired_data().items():
            self.stdout.write(f"{name}: {count}")
