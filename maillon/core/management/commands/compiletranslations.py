"""Compile the .po catalogues to .mo with Babel (pure Python), so that a fresh
machine without GNU gettext can install Maillon."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogue_dirs() -> list[Path]:
    """The project catalogue, then those of the apps that keep their own (their
    strings are written there by makemessages)."""
    dirs = [Path(p) for p in settings.LOCALE_PATHS]
    for app_config in apps.get_app_configs():
        locale_dir = Path(app_config.path) / "locale"
        if app_config.name.startswith("maillon.") and locale_dir.is_dir():
            dirs.append(locale_dir)
    return dirs


class Command(BaseCommand):
    help = "Compile the project's translation catalogues (.po) to .mo files."
    # Runs at install time: it must work even when the project does not check yet.
    requires_system_checks = []

    def handle(self, *args, **options):
        count = 0
        for locale_dir in catalogue_dirs():
            for po_path in locale_dir.glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                with po_path.open("rb") as po_file:
                    catalog = read_po(po_file, locale=po_path.parent.parent.name)
                with mo_path.open("wb") as mo_file:
                    write_mo(mo_file, catalog, use_fuzzy=False)
                count += 1
        if options["verbosity"]:
            self.stdout.write(f"{count} catalogue(s) compiled.")
