#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillon.settings")
    # On a developer's machine (no SECRET_KEY in the environment) management
    # commands run with development settings; production sets SECRET_KEY.
    if "SECRET_KEY" not in os.environ:
        os.environ.setdefault("MAILLON_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
