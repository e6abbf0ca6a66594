"""Rate limits for the expensive or abusable actions, keyed by user (or by address for guests).

Shared by the API and the pages (sign-up counts against the same limit as registering through the API).

The rates live in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]; the counters live in the
default cache, which is shared by every process (database or Redis), so limits hold across workers.
"""

from rest_framework.throttling import UserRateThrottle

from .addresses import client_address


class ClientRateThrottle(UserRateThrottle):
    """DRF's per-user throttle, with guests told apart by the same address the login lock uses."""

    def get_ident(self, request):
        return client_address(request)


class RegisterThrottle(ClientRateThrottle):
    scope = "register"


class PasswordResetThrottle(ClientRateThrottle):
    """Reset mails per address: an anonymous form that sends mail must not be a mail cannon."""

    scope = "password_reset"


class TokenThrottle(ClientRateThrottle):
    scope = "token"


class StartAttemptThrottle(ClientRateThrottle):
    scope = "start"


class SubmitAttemptThrottle(ClientRateThrottle):
    scope = "submit"


class ReviewAnswerThrottle(ClientRateThrottle):
    """Answers in spaced review: each grades, writes a memory state and reads the explanation."""

    scope = "review"


class InterchangeThrottle(ClientRateThrottle):
    """Imports and exports read or write a whole quiz; editors need few of them a minute."""

    scope = "interchange"
