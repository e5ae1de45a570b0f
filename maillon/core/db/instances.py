"""A model instance copied for a hot path.

``copy.copy(instance)`` goes through pickling's protocol (``Model.__reduce__``,
``__getstate__``, ``model_unpickle``, ``__setstate__``): on a vote it cost more than
the rest of reading the poll. :func:`instance_copy` gives the same shallow copy
directly.
"""

from __future__ import annotations

import copy
from typing import TypeVar

from django.db.models import Model

M = TypeVar("M", bound=Model)


def instance_copy(instance: M) -> M:
    """A shallow copy of ``instance``, as ``copy.copy`` makes it: its own attributes
    and its own state (``_state``, with its own cache of related objects), sharing
    the values and the related objects themselves."""
    clone = instance.__class__.__new__(instance.__class__)
    attributes = instance.__dict__.copy()
    state = copy.copy(instance._state)
    state.fields_cache = instance._state.fields_cache.copy()
    attributes["_state"] = state
    clone.__dict__.update(attributes)
    return clone
