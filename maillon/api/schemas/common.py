"""Shapes shared by every part of the API: errors, pages, and ``InputSchema``, the base
of everything a client sends."""

from __future__ import annotations

import datetime
import re
import types
import typing
from typing import Annotated, Any, ClassVar

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.schema import DjangoGetter
from pydantic import ConfigDict, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from maillon.core.text import (
    LINE_TEXT_PATTERN,
    MULTILINE_TEXT_PATTERN,
    forbidden_character_in,
    forbidden_character_message,
)


class _Multiline:
    """Marks a text field that takes line breaks and tabs (see ``MultilineText``)."""

    def __repr__(self) -> str:
        return "MULTILINE"


MULTILINE = _Multiline()
#: Text of several lines (a description, a message, notes): keeps tabs and line breaks.
#: Every other text an API client sends is a single line.
MultilineText = Annotated[str, MULTILINE]


def _is_multiline(model: type, field_name: str) -> bool:
    field = model.model_fields.get(field_name)  # type: ignore[attr-defined]
    return field is not None and MULTILINE in field.metadata


def _document_text_rules(schema: dict[str, Any], model: type) -> None:
    """Publish the control-character rule as each text property's ``pattern``."""
    for name, details in schema.get("properties", {}).items():
        pattern = MULTILINE_TEXT_PATTERN if _is_multiline(model, name) else LINE_TEXT_PATTERN
        for variant in [details, *details.get("anyOf", []), details.get("items") or {}]:
            if (
                variant.get("type") == "string"
                and "pattern" not in variant
                and ("enum" not in variant and "format" not in variant)
            ):
                variant["pattern"] = pattern


def _field_types(model: type, field_name: str | None) -> set[type]:
    """The types a field takes (``int | None`` gives int and NoneType)."""
    field = model.model_fields.get(field_name) if field_name else None  # type: ignore[attr-defined]
    if field is None:
        return set()
    annotation = field.annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return set(typing.get_args(annotation))
    return {annotation}


_NUMBER = re.compile(r"\s*[-+]?\d+(\.\d*)?([eE][-+]?\d+)?\s*")


class InputSchema(Schema):
    """The base of every body and query string a client sends. It refuses, with 422
    naming the field:

    - a JSON array or a single value where an object is expected (ninja's ``Schema``
      would otherwise read the fields of a list as absent and use their defaults);
    - text with a control character (NUL, ...), or with a line break or a tab outside
      a ``MultilineText`` field: the rule of ``maillon.core.text``, also published as
      each text property's ``pattern``;
    - a date given as a number (pydantic would read ``0`` as 1 January 1970);
    - a date and time that, once in UTC (every offset is), falls outside the calendar;
    - in a JSON body (``BodySchema``), a boolean or an integer of another JSON type
      (``"present": 0``, ``"capacity": "12"``): the types the schema documents.
    """

    model_config = ConfigDict(json_schema_extra=_document_text_rules)
    #: Values come as JSON (typed), not as a query string (all text).
    json_body: ClassVar[bool] = False

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        raw = data._obj if isinstance(data, DjangoGetter) else data
        if not isinstance(raw, dict):
            raise PydanticCustomError(
                "object_expected", _("Send a JSON object here, not a list or a single value.")
            )
        return data

    @field_validator("*", mode="before")
    @classmethod
    def _typed_as_documented(cls, value: Any, info: ValidationInfo) -> Any:
        kinds = _field_types(cls, info.field_name) - {type(None)}
        if value is None or len(kinds) != 1:
            return value
        [kind] = kinds
        if kind in (datetime.date, datetime.datetime) and (
            isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value))
        ):
            raise PydanticCustomError(
                "date_type", _("Give a date as YYYY-MM-DD, a date and time in ISO 8601.")
            )
        if cls.json_body and kind is bool and not isinstance(value, bool):
            raise PydanticCustomError("bool_type", _("Give true or false."))
        if cls.json_body and kind is int and (type(value) is not int):
            raise PydanticCustomError("int_type", _("Give a whole number."))
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _times_in_utc(cls, value: Any) -> Any:
        """An offset the database cannot hold (``+22:06``) is read as the same moment
        in UTC; a moment beyond the calendar once in UTC is refused."""
        if isinstance(value, datetime.datetime) and value.utcoffset():
            try:
                return value.astimezone(datetime.UTC)
            except OverflowError:
                raise PydanticCustomError(
                    "datetime_range", _("This date and time is out of range.")
                ) from None
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _text_without_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        multiline = info.field_name is not None and _is_multiline(cls, info.field_name)
        character = forbidden_character_in(value, multiline=multiline)
        if character is not None:
            raise PydanticCustomError("control_character", forbidden_character_message(character))
        return value


class BodySchema(InputSchema):
    """The base of every JSON body (see ``InputSchema``)."""

    json_body: ClassVar[bool] = True


class ErrorOut(Schema):
    detail: str = Field(description="Why the request failed.")


class FieldErrorOut(Schema):
    loc: list[str | int] = Field(
        description='Where the problem is, e.g. `["body", "payload", "email"]`, '
        '`["query", "page"]` or `["header", "Idempotency-Key"]`; `__all__` as the field '
        "for the whole object."
    )
    msg: str = Field(description="Human-readable message, in the caller's language.")
    type: str = Field(description="Kind of problem.")


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


MAX_PAGE_SIZE = 200


#: The highest page number a list takes (422 above): far beyond any real list, far below
#: what would overflow the database's offset.
MAX_PAGE = 100_000


class PageQuery(InputSchema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="Items per page.")


def page_fields(*, count: int, page: int, page_size: int) -> dict:
    """count, page, page_size, next, previous of a page (like the members list)."""
    start = (page - 1) * page_size
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "next": page + 1 if start + page_size < count else None,
        "previous": page - 1 if page > 1 else None,
    }


class Page(Schema):
    count: int = Field(description="Number of items matching the filters.")
    page: int
    page_size: int
    next: int | None = Field(description="Number of the next page, null on the last page.")
    previous: int | None = Field(description="Number of the previous page, null on the first.")
