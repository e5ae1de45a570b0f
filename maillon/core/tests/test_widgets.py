"""The Python-rendered choice widgets give the markup of Django's own."""

from html.parser import HTMLParser

from django import forms

from maillon.core import widgets


class Both(forms.Form):
    fast = forms.ChoiceField(
        choices=[("", "Tous"), ("x", "X & <y>"), ("z", "Zoé")], widget=widgets.Select
    )
    slow = forms.ChoiceField(choices=[("", "Tous"), ("x", "X & <y>"), ("z", "Zoé")])
    fast_boxes = forms.MultipleChoiceField(
        choices=[("x", "X & <y>"), ("z", "Zoé")],
        widget=widgets.CheckboxSelectMultiple,
        required=False,
    )
    slow_boxes = forms.MultipleChoiceField(
        choices=[("x", "X & <y>"), ("z", "Zoé")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class _Structure(HTMLParser):
    """Tags with their attributes in order, and the text: what a browser sees."""

    def __init__(self):
        super().__init__()
        self.items = []

    def handle_starttag(self, tag, attrs):
        self.items.append((tag, tuple(sorted(attrs, key=lambda a: a[0]))))

    def handle_endtag(self, tag):
        self.items.append(("/" + tag,))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", data.strip()))


def _attributes(html) -> list:
    parser = _Structure()
    parser.feed(str(html))
    return parser.items


def test_the_select_renders_what_django_renders():
    form = Both({"fast": "x", "slow": "x"})
    fast, slow = str(form["fast"]), str(form["slow"])
    assert "X &amp; &lt;y&gt;" in fast and "<y>" not in fast
    assert '<option value="x" selected>' in fast
    assert _attributes(fast.replace("fast", "NAME")) == _attributes(slow.replace("slow", "NAME"))


def test_the_checkboxes_render_what_django_renders():
    form = Both({"fast_boxes": ["z"], "slow_boxes": ["z"]})
    fast, slow = str(form["fast_boxes"]), str(form["slow_boxes"])
    assert 'id="id_fast_boxes_1"' in fast and 'for="id_fast_boxes_1"' in fast
    assert 'value="z" id="id_fast_boxes_1" checked' in fast
    assert "&lt;y&gt;" in fast
    assert _attributes(fast.replace("fast", "NAME")) == _attributes(slow.replace("slow", "NAME"))
    assert form["fast_boxes"].widget_type == "checkboxselectmultiple"


class Inputs(forms.Form):
    fast_text = forms.CharField(widget=widgets.TextInput(attrs={"type": "search"}), required=False)
    slow_text = forms.CharField(widget=forms.TextInput(attrs={"type": "search"}), required=False)
    fast_number = forms.IntegerField(widget=widgets.NumberInput, min_value=1, required=False)
    slow_number = forms.IntegerField(widget=forms.NumberInput, min_value=1, required=False)
    fast_box = forms.BooleanField(
        widget=widgets.CheckboxInput(attrs={"value": "1"}), required=False
    )
    slow_box = forms.BooleanField(widget=forms.CheckboxInput(attrs={"value": "1"}), required=False)
    fast_hidden = forms.CharField(widget=widgets.HiddenInput, required=False)
    slow_hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    fast_date = forms.DateField(widget=widgets.DateInput, required=False)
    slow_date = forms.DateField(
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), required=False
    )


def test_the_inputs_render_exactly_what_django_renders():
    values = {
        "text": 'a "b" & <c>',
        "number": "x",
        "box": "1",
        "hidden": "h'1",
        "date": "2026-12-31",
    }
    for data in ({}, {f"{side}_{k}": v for k, v in values.items() for side in ("fast", "slow")}):
        form = Inputs(data)
        form.is_valid()
        for name in ("text", "number", "box", "hidden", "date"):
            fast = str(form[f"fast_{name}"]).replace("fast_", "NAME_")
            slow = str(form[f"slow_{name}"]).replace("slow_", "NAME_")
            assert fast == slow, name
