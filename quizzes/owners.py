"""Who an attempt belongs to: a signed-in user, or a guest known by a key in their browser session."""

import secrets
from dataclasses import dataclass

# The browser session's key for a guest's attempts; the pages set it, the pages and the API read it.
GUEST_SESSION_KEY = "quizsite_guest_key"


@dataclass(frozen=True)
class Owner:
    """The one spelling of "this learner's attempts", for services and selectors alike."""

    user_id: int | None = None
    guest_key: str = ""

    @classmethod
    def of(cls, *, user=None, guest_key=""):
        if user is not None and user.is_authenticated:
            return cls(user_id=user.pk)
        if not guest_key:
            raise ValueError("A guest owner needs a guest key.")
        return cls(guest_key=guest_key)

    def attempt_filter(self, prefix=""):
        """Lookups selecting this owner's attempts; `prefix` ("attempt__") reaches them from answers."""
        if self.user_id is not None:
            return {f"{prefix}user_id": self.user_id}
        return {f"{prefix}user__isnull": True, f"{prefix}guest_key": self.guest_key}

    def attempt_fields(self):
        if self.user_id is not None:
            return {"user_id": self.user_id, "guest_key": ""}
        return {"user_id": None, "guest_key": self.guest_key}

    @property
    def key(self):
        """One string per learner ("user:<id>", "guest:<key>"), for rows keyed by a single owner column."""
        return f"user:{self.user_id}" if self.user_id is not None else f"guest:{self.guest_key}"

    @classmethod
    def of_attempt(cls, attempt):
        """The owner of an attempt (a model instance or anything with user_id and guest_key)."""
        if attempt.user_id is not None:
            return cls(user_id=attempt.user_id)
        return cls(guest_key=attempt.guest_key)


def owner_of_request(request, *, create=False):
    """The signed-in user, or the guest of this browser session; None for a guest who never started a quiz.

    With `create`, a guest without a key gets one in their session. `request` is Django's or DRF's:
    DRF's answers `user` with whoever its authentication found (a token's user, say).
    """
    if request.user.is_authenticated:
        return Owner.of(user=request.user)
    guest_key = request.session.get(GUEST_SESSION_KEY)
    if not guest_key:
        if not create:
            return None
        guest_key = secrets.token_urlsafe(24)
        request.session[GUEST_SESSION_KEY] = guest_key
    return Owner.of(guest_key=guest_key)
