"""Files in either format: which reader a file needs, and a quiz's questions written as a named file.

The command, the admin and the API all read and write files through these, so a file is recognised
the same way wherever it is uploaded.
"""

from quizzes.interchange import gift, moodle_xml

GIFT = "gift"
XML = "xml"
FORMATS = (GIFT, XML)
CONTENT_TYPES = {GIFT: "text/plain; charset=utf-8", XML: "application/xml; charset=utf-8"}


def format_of(raw: bytes, name: str = "") -> str:
    """XML when the name ends in .xml or the content starts with an XML declaration; GIFT otherwise."""
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] if isinstance(raw, bytes) else b""
    return XML if name.lower().endswith(".xml") or head in (b"<?xml", b"<quiz") else GIFT


def read(raw: bytes, name: str = ""):
    """Questions and problems from an uploaded file of either format; never raises on bad input."""
    return (moodle_xml.parse if format_of(raw, name) == XML else gift.parse)(raw)


def write(questions, file_format: str) -> bytes:
    """The questions as a file of the format, UTF-8."""
    if file_format == XML:
        return moodle_xml.write(questions)
    return gift.write(questions).encode("utf-8")


def file_name(slug: str, file_format: str) -> str:
    """The download name of a quiz's questions: "<slug>.gift" or "<slug>.xml"."""
    return f"{slug}.{file_format}"
