"""What each module holds about a person, for the rights the RGPD gives them: access
and portability (``accounts.export.my_data_export``) and erasure
(``accounts.services.my_account_erase``).

A module declares its part in its own ``personal_data.py`` and registers it in its
``AppConfig.ready()`` (as retention rules and metrics are), so accounts, at the bottom
of the house, never imports the modules above it. Every function here runs inside the
caller's ``scopes_disabled()``: a person's data spans their associations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

#: ``forget(model, ids)``: the audit entries about these rows lose their label and
#: details (the entries stay: what was done, when, by whom).
Forget = Callable[[type[Model], list[Any]], None]


@dataclass(frozen=True)
class PersonalDataSection:
    """``export(user)`` returns the module's keys of the export; ``erase(user,
    forget=...)`` deletes or anonymises what names the person; ``refuse_erasure(user)``
    returns why the account cannot go yet (or None). Sections run in ``order``."""

    name: str
    export: Callable[[Any], dict[str, Any]]
    erase: Callable[..., None] | None = None
    refuse_erasure: Callable[[Any], str | None] | None = None
    order: int = 100


_sections: dict[str, PersonalDataSection] = {}


def register(*sections: PersonalDataSection) -> None:
    for section in sections:
        if section.name in _sections and _sections[section.name] is not section:
            raise ValueError(f"Personal data section {section.name!r} is already registered.")
        _sections[section.name] = section


def registered_sections() -> list[PersonalDataSection]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.name))
