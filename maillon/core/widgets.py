"""Widgets that render their options (and plain ``<input>`` elements) in Python.

Django renders every ``<option>`` and every checkbox of a choice widget through a
template of its own: for the 100 departments of a search form that is several
milliseconds of CPU per page, most of a public search request (docs/benchmarks.md).
These produce the same markup directly. They keep Django's class names, so that
``BoundField.widget_type`` (and ``components/field.html``) treat them as usual.
"""

from __future__ import annotations

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _e(value) -> str:
    return escape(str(value), quote=True)


def _flat_choices(choices):
    """(value, label) pairs, or None when there are groups (rendered by Django then)."""
    pairs = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            return None
        pairs.append(("" if value is None else str(value), label))
    return pairs


class Select(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        pairs = _flat_choices(self.choices)
        if pairs is None:
            return super().render(name, value, attrs, renderer)
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        if self.allow_multiple_selected:
            final["multiple"] = True
        selected = {str(v) for v in self.format_value(value)}
        html = [f"<select{flatatt(final)}>"]
        for option, label in pairs:
            chosen = " selected" if option in selected else ""
            html.append(f'<option value="{_e(option)}"{chosen}>{_e(label)}</option>')
        html.append("</select>")
        return mark_safe("".join(html))  # noqa: S308 - every value and label is escaped


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    def render(self, name, value, attrs=None, renderer=None):
        pairs = _flat_choices(self.choices)
        if pairs is None:
            return super().render(name, value, attrs, renderer)
        final = self.build_attrs(self.attrs, attrs)
        base_id = final.pop("id", None)
        final.pop("required", None)
        selected = {str(v) for v in self.format_value(value)}
        container = {"id": base_id} if base_id else {}
        if "aria-describedby" in final:
            container["aria-describedby"] = final.pop("aria-describedby")
        html = [f"<div{flatatt(container)}>"]
        shared = flatatt(final)  # e.g. a class: the same on every box
        for index, (option, label) in enumerate(pairs):
            checked = " checked" if option in selected else ""
            box_id = f"{base_id}_{index}" if base_id else ""
            id_attr = f' id="{_e(box_id)}"' if box_id else ""
            label_for = f' for="{_e(box_id)}"' if box_id else ""
            html.append(
                f'<div><label{label_for}><input type="checkbox" name="{_e(name)}" '
                f'value="{_e(option)}"{id_attr}{shared}{checked}> {_e(label)}</label></div>'
            )
        html.append("</div>")
        return mark_safe("".join(html))  # noqa: S308 - every value and label is escaped


# --- <input> elements -----------------------------------------------------------------------
# Django renders each of them through two templates (the widget's, then input.html with
# attrs.html): on a list or search page whose form is shown on every request that is
# about a millisecond of CPU for five fields. These give the markup of
# django/forms/widgets/input.html and attrs.html, attribute for attribute.

_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "search", "number", "email", "url", "date", "hidden", "checkbox")
)


def _attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: False leaves the attribute out, True writes
    its name alone."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


class _InputInPython:
    def render(self, name, value, attrs=None, renderer=None):
        if self.template_name not in _INPUT_TEMPLATES:  # a subclass with its own markup
            return super().render(name, value, attrs, renderer)  # type: ignore[misc]
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        kind, field_name = conditional_escape(widget["type"]), conditional_escape(widget["name"])
        html = f'<input type="{kind}" name="{field_name}"'
        if widget["value"] is not None:
            html += f' value="{conditional_escape(str(widget["value"]))}"'
        return mark_safe(f"{html}{_attrs_html(widget['attrs'])}>")  # noqa: S308 - escaped above


class TextInput(_InputInPython, forms.TextInput):
    pass


class NumberInput(_InputInPython, forms.NumberInput):
    pass


class HiddenInput(_InputInPython, forms.HiddenInput):
    pass


class CheckboxInput(_InputInPython, forms.CheckboxInput):
    pass


class DateInput(_InputInPython, forms.DateInput):
    """``<input type="date">`` with the ISO value browsers expect."""

    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)
