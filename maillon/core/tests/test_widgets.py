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
