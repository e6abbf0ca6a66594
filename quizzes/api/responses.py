"""Responses whose JSON body was rendered earlier, e.g. a result kept in the shared cache."""

import json
from functools import cached_property

from rest_framework.response import Response


class RenderedJSONResponse(Response):
    """A DRF Response that arrives with its body: JSONRenderer's output, rendered once and reused.

    The view still authenticates, checks permissions and negotiates the renderer, and finalizes the
    response with the same headers as any other (Allow, Vary); only rendering is skipped. `data` is
    parsed back from the body when something reads it (DRF's test client does); serving never does.
    """

    def __init__(self, body, **kwargs):
        super().__init__(**kwargs)
        # Response set `data` to None; without it the cached_property below answers from the body.
        del self.data
        self["Content-Type"] = "application/json"
        # Setting the content marks the response rendered, so DRF does not render it again.
        self.content = body

    @cached_property
    def data(self):
        return json.loads(self.content)
