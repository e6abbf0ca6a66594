"""Text rules both formats share: Moodle's trim, and HTML turned into our plain text."""

import html
import re

import nh3

# PHP's trim(), which Moodle applies to every text; Python's strip() would also eat Unicode spaces.
PHP_WHITESPACE = " \t\n\r\0\x0b"
LINE_BREAK_TAGS = re.compile(r"<br\s*/?>|</p\s*>|</div\s*>|</li\s*>", re.IGNORECASE)
# Possessive and bounded by "<": no backtracking, so the scan stays linear on hostile markup.
TAG = re.compile(r"<(/?)([a-zA-Z][^\s/<>]*+)[^<>]*?(/?)>")
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# An HTML parser's time grows with the square of the nesting depth; no question text nests this deep.
MAX_HTML_DEPTH = 200


class UnreadableHtml(ValueError):
    """HTML nested too deeply to be turned into text in bounded time."""


def html_depth(markup: str) -> int:
    """The deepest nesting of elements in the markup, counted in one pass over its tags."""
    depth = deepest = 0
    for closing, name, self_closing in TAG.findall(markup):
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name.lower() not in VOID_TAGS:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def trim(text: str) -> str:
    return text.strip(PHP_WHITESPACE)


def html_to_text(markup: str) -> str:
    """Plain text from a Moodle HTML text: nh3 drops every tag (and scripts' content), then entities are decoded."""
    if html_depth(markup) > MAX_HTML_DEPTH:
        raise UnreadableHtml(markup[:40])
    with_breaks = LINE_BREAK_TAGS.sub("\n", markup)
    cleaned = nh3.clean(with_breaks, tags=set(), attributes={}, strip_comments=True)
    return trim(html.unescape(cleaned))
