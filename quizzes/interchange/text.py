"""Text rules both formats share: Moodle's trim, and HTML turned into our plain text."""

import html
import re

import nh3

# PHP's trim(), which Moodle applies to every text; Python's strip() would also eat Unicode spaces.
PHP_WHITESPACE = " \t\n\r\0\x0b"
LINE_BREAK_TAGS = re.compile(r"<br\s*/?>|</p\s*>|</div\s*>|</li\s*>", re.IGNORECASE)


def trim(text: str) -> str:
    return text.strip(PHP_WHITESPACE)


def html_to_text(markup: str) -> str:
    """Plain text from a Moodle HTML text: nh3 drops every tag (and scripts' content), then entities are decoded."""
    with_breaks = LINE_BREAK_TAGS.sub("\n", markup)
    cleaned = nh3.clean(with_breaks, tags=set(), attributes={}, strip_comments=True)
    return trim(html.unescape(cleaned))
