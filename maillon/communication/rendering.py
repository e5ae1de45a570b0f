"""Markdown written by an association, turned into HTML that is safe to print on a
public page, in a feed or in an email.

Two locks: the Markdown renderer escapes raw HTML (``html`` off) and refuses
``javascript:`` links; then nh3 keeps only an allow-list of tags, attributes and URL
schemes, whatever the renderer produced.
"""

from __future__ import annotations

import nh3
from django.utils.text import Truncator
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener nofollow"

# "js-default": CommonMark with raw HTML disabled (escaped), plus tables and strikethrough.
_markdown = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        clean_content_tags={"script", "style"},
        strip_comments=True,
    )


def markdown_to_safe_html(text: str) -> str:
    return sanitise_html(_markdown.render(text or ""))


def summary_html(html: str, *, words: int = 60) -> str:
    """The beginning of an already safe HTML body, cut on words, sanitised again
    (cutting may leave tags that the cleaner closes)."""
    return sanitise_html(Truncator(html).words(words, html=True, truncate="…"))
