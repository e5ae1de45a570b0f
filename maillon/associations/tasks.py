"""The one task base of tenant work (as pretix's ``EventTask``): a task declared with
``@association_task()`` receives its association already loaded and runs inside its
scope and in the language of the person who asked for the work.

    @association_task()
    def run_member_import(association, *, import_id: int) -> str: ...

    run_member_import.enqueue(association_id=association.pk, import_id=...,
                              language=actor.language)

Tasks live in ``<package>/tasks.py``; a task imports its service inside its body and
a service imports the task at module level, so neither module imports the other at
load time through both ends."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import translation
from django_scopes import scope
from django_tasks import task

from .models import Association


def association_task(**task_options: Any) -> Callable[[Callable[..., Any]], Any]:
    """Decorator: ``func(association, **kwargs)`` becomes a task enqueued with
    ``association_id=`` (and an optional ``language=``). A deleted association makes
    the task a no-op that returns None."""

    def decorator(func: Callable[..., Any]) -> Any:
        @functools.wraps(func)
        def run(*, association_id: int, language: str = "", **kwargs: Any) -> Any:
            association = Association.objects.filter(pk=association_id).first()
            if association is None:
                return None
            with (
                scope(association=association),
                translation.override(language or settings.LANGUAGE_CODE),
            ):
                return func(association, **kwargs)

        return task(**task_options)(run)

    return decorator
