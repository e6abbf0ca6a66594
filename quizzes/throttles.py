"""Rate limits for the expensive or abusable actions, keyed by user (or by address for guests).

Shared by the API and the pages (sign-up counts against the same limit as registering through the API).

The rates live in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]; the counters live in the
default cache, which is shared by every process (database or Redis), so limits hold across workers.
"""

from rest_framework.throttling import UserRateThrottle


class RegisterThrottle(UserRateThrottle):
    scope = "register"


class TokenThrottle(UserRateThrottle):
    scope = "token"


class StartAttemptThrottle(UserRateThrottle):
    scope = "start"


class SubmitAttemptThrottle(UserRateThrottle):
    scope = "submit"
