"""The API's JSON parser: DRF's, hardened against input the standard library does not refuse."""

import io

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError


class RequestBodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "request_body_too_large"


def _has_lone_surrogate(value):
    """Whether a parsed JSON value holds a string that cannot be stored as UTF-8 ("\\ud800")."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class JSONParser(parsers.JSONParser):
    """Refuse with a 4xx, not a 500 or a silent success: bodies over DATA_UPLOAD_MAX_MEMORY_SIZE
    (DRF reads the stream directly, so Django's own check never runs), JSON nested too deeply to
    parse, and strings with lone surrogates, which no database can store."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None:
            body = stream.read(limit + 1)
            if len(body) > limit:
                raise RequestBodyTooLarge()
            stream = io.BytesIO(body)
        try:
            parsed = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_("JSON parse error - nested too deeply.")) from error
        if _has_lone_surrogate(parsed):
            raise ParseError(_("JSON parse error - a string holds an invalid Unicode character."))
        return parsed
