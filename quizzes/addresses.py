"""The client's address, the one rule that the API throttles and the failed-login lock both use."""

import ipaddress

from django.conf import settings


def client_address(request):
    """The client's IP address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address they
    added to X-Forwarded-For (DRF's NUM_PROXIES rule); never an address the client wrote. None if unknown."""
    remote_address = _canonical(request.META.get("REMOTE_ADDR"))
    forwarded_for = request.META.get("HTTP_X_FORWARDED_FOR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies or not forwarded_for:
        return remote_address
    hops = forwarded_for.split(",")
    # Each trusted proxy appends the address it saw; the client can only write what comes before.
    forwarded = _canonical(hops[-min(proxies, len(hops))].strip())
    # A proxy writes a real address; anything else means the header did not come from one, and the
    # proxy's own address is the safer (shared, stricter) key.
    return forwarded or remote_address


def _canonical(address):
    # One spelling per address (IPv6 has many), and nothing that is not an address: it is stored in a
    # GenericIPAddressField, which PostgreSQL refuses to hold junk in.
    try:
        return str(ipaddress.ip_address(address or ""))
    except ValueError:
        return None
