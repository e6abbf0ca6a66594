"""Whether the suite runs in CI, where a missing tool or source article fails a test instead of skipping it."""

import os


def running_in_ci():
    """CI set to anything but empty, 0, false or no (.ci/run sets it; so do the usual CI services)."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}
