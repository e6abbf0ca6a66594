"""Log lines as JSON objects, one per line on stdout, each with the id of the request it belongs to."""

import json
import logging
import time

from .request_ids import current_request_id


class RequestIdLogFilter(logging.Filter):
    """Add the current request id to every log record as `request_id`."""

    def filter(self, record):
        # Django logs a request's 5xx response after the middleware has returned; the record then
        # carries the request itself.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or current_request_id()
        return True


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line, so log collectors can index fields without parsing free text."""

    # UTC, whatever the site's TIME_ZONE, so lines from several machines sort and compare.
    converter = time.gmtime

    def format(self, record):
        entry = {
            "time": f"{self.formatTime(record, '%Y-%m-%dT%H:%M:%S')}.{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", current_request_id()),
            "message": record.getMessage(),
        }
        status_code = getattr(record, "status_code", None)
        if status_code is not None:
            entry["status"] = status_code
        entry.update(getattr(record, "access", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
