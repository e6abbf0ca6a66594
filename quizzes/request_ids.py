"""The id of the request being handled: taken from a proxy's X-Request-ID when it looks sane, or made.

Every log record written while the request is handled carries it (logs.RequestIdLogFilter), and the
response returns it, so an error report can be found in the logs.
"""

import contextvars
import re
import uuid

REQUEST_ID_HEADER = "X-Request-ID"
# Accept a proxy's id only if it cannot smuggle anything into a log line or a header.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

_current_request_id = contextvars.ContextVar("request_id", default="-")


def current_request_id():
    """The id of the request being handled in this thread or task, or '-' outside a request."""
    return _current_request_id.get()


def request_id_for(request):
    """The proxy's id for this request when it is sane, else a new one."""
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    return incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def bind(request_id):
    """Make `request_id` the current one; returns the token that `unbind` takes."""
    return _current_request_id.set(request_id)


def unbind(token):
    _current_request_id.reset(token)
