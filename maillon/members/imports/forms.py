"""Forms of the member import pages (input only; the checks live in ``parsing``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import parsing

SAMPLE_SIZE = 3


class MemberImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Member file"),
        help_text=gettext_lazy(
            "CSV (separated by semicolons, commas or tabs) or Excel .xlsx, at most 5 MB. "
            "The first row gives the column names."
        ),
        error_messages={"empty": gettext_lazy("The file is empty.")},
        widget=forms.FileInput(
            attrs={
                "accept": ".csv,.txt,.tsv,.xlsx,text/csv,text/plain,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class MemberImportMappingForm(forms.Form):
    """One select per column of the file, pre-filled with the suggested field."""

    def __init__(self, *args, headers: list[str], rows: list[dict], mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        by_column = {index: target for target, index in (mapping or {}).items()}
        choices = [("", _("— Ignore this column —"))] + [
            (target, label) for target, label in parsing.TARGET_FIELDS.items()
        ]
        for index in range(len(headers)):
            samples = [
                row["cells"][index]
                for row in rows[:SAMPLE_SIZE]
                if index < len(row["cells"]) and row["cells"][index]
            ]
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=parsing.column_label(headers, index),
                choices=choices,
                required=False,
                initial=by_column.get(index, ""),
                help_text=(
                    _("First values: %(values)s") % {"values": " · ".join(samples)}
                    if samples
                    else _("Empty in the first rows.")
                ),
            )

    def clean(self):
        data = super().clean()
        columns_by_target: dict[str, list[str]] = {}
        for name, target in data.items():
            if target:
                columns_by_target.setdefault(target, []).append(name)
        for target, names in columns_by_target.items():
            if len(names) > 1:
                for name in names:
                    self.add_error(
                        name,
                        _("“%(field)s” is chosen for several columns: choose it once.")
                        % {"field": parsing.TARGET_FIELDS[target]},
                    )
        return data

    def mapping(self) -> dict[str, int]:
        return {
            target: int(name.removeprefix("column_"))
            for name, target in self.cleaned_data.items()
            if target
        }


class MemberImportConfirmForm(forms.Form):
    """When some rows have errors, the user must say they will be skipped."""

    skip_invalid_rows = forms.BooleanField(required=False)

    def __init__(self, *args, valid_count: int, invalid_lines: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["skip_invalid_rows"]
        if invalid_lines:
            field.required = True
            field.label = ngettext(
                "Import the %(valid)s rows without errors and skip the %(invalid)s row with "
                "errors (row %(lines)s).",
                "Import the %(valid)s rows without errors and skip the %(invalid)s rows with "
                "errors (rows %(lines)s).",
                len(invalid_lines),
            ) % {
                "valid": valid_count,
                "invalid": len(invalid_lines),
                "lines": parsing.rows_with_errors_summary(invalid_lines),
            }
            field.error_messages["required"] = _(
                "Tick the box to confirm that the rows with errors will be skipped."
            )
        else:
            field.widget = forms.HiddenInput()
