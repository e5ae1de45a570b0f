"""Markdown of posts and newsletters becomes HTML that is safe to print anywhere."""

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from maillon.communication.rendering import markdown_to_safe_html, sanitise_html, summary_html


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    """(tag, attributes) of every element of ``html``, as a browser would parse them."""
    parser = _Elements()
    parser.feed(html)
    return parser.found


def test_markdown_renders_headings_links_lists_and_emphasis():
    html = markdown_to_safe_html(
        "# Title\n\n## Part\n\n- one\n- two\n\n1. first\n\n**bold** *it* "
        "[site](https://example.org)"
    )
    assert "<h1>Title</h1>" in html
    assert "<h2>Part</h2>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<ol>" in html
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html
    assert '<a href="https://example.org" rel="noopener nofollow">site</a>' in html


def test_raw_html_script_and_event_handlers_never_survive():
    html = markdown_to_safe_html(
        'Hi <script>alert("x")</script> <img src="x" onerror="alert(1)"> '
        '<a href="https://ok.example" onclick="steal()">x</a>'
    )
    # Raw HTML is shown as text, never interpreted: the only element is the paragraph.
    assert elements(html) == [("p", {})]
    assert "&lt;script&gt;" in html


def test_javascript_links_are_removed():
    html = markdown_to_safe_html("[click](javascript:alert(1)) [x](JaVaScRiPt:alert(1))")
    assert 'href="javascript' not in html.lower()
    assert "<a href" not in html


def test_the_sanitiser_alone_strips_dangerous_markup():
    html = sanitise_html(
        '<p style="color:red" onclick="x()">t</p><script>bad()</script><style>p{}</style>'
        '<a href="javascript:alert(1)">l</a><img src="https://e.org/i.png" onerror="x()">'
        '<iframe src="https://evil.example"></iframe><a href="data:text/html,x">d</a>'
    )
    assert html == (
        '<p>t</p><a rel="noopener nofollow">l</a><img src="https://e.org/i.png">'
        '<a rel="noopener nofollow">d</a>'
    )


def test_links_get_noopener_nofollow_even_if_they_had_another_rel():
    html = sanitise_html('<a href="https://e.org" rel="author" target="_blank">x</a>')
    assert html == '<a href="https://e.org" rel="noopener nofollow">x</a>'


def test_summary_is_cut_on_words_and_stays_well_formed():
    html = summary_html(markdown_to_safe_html("**" + " ".join(["mot"] * 100) + "**"), words=5)
    assert html.startswith("<p><strong>mot mot mot mot mot")
    assert html.endswith("</strong></p>")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_no_input_yields_a_script_an_event_handler_or_a_javascript_link(text):
    for tag, attributes in elements(markdown_to_safe_html(text)):
        assert tag not in ("script", "style", "iframe", "object")
        assert not any(name.startswith("on") for name in attributes)
        for name in ("href", "src"):
            value = (attributes.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:"))


def test_a_crafted_markdown_link_is_no_exception():
    text = "[a](<javascript:alert(1)>) ![i](javascript:x) [b](&#106;avascript:alert(1))"
    for _tag, attributes in elements(markdown_to_safe_html(text)):
        assert "javascript" not in (attributes.get("href") or "").lower()
        assert "javascript" not in (attributes.get("src") or "").lower()
