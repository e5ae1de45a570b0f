"""``manage.py tally``: the same command as the ``tally`` console script (TALLY.md)."""

import sys

from django.core.management.base import BaseCommand

from maillon.tally.cli import main


class Command(BaseCommand):
    help = "Count paper ballots from a CSV file (see TALLY.md); prints the result as JSON."

    def run_from_argv(self, argv):
        # argparse of the tally CLI owns the options: hand them over untouched.
        sys.exit(main(argv[2:]))

    def handle(self, *args, **options):  # pragma: no cover - run_from_argv is used
        raise NotImplementedError
