"""Small helpers shared by every module's services."""

from __future__ import annotations

from typing import Any

from django.db import models


def apply_changes(obj: models.Model, data: dict[str, Any]) -> dict[str, list[str]]:
    """Set ``data`` on ``obj`` and return {field: [old, new]} for what changed, as
    strings fit for an audit entry."""
    changes: dict[str, list[str]] = {}
    for field, value in data.items():
        old = getattr(obj, field)
        if old != value:
            changes[field] = [_as_text(old), _as_text(value)]
            setattr(obj, field, value)
    return changes


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)
