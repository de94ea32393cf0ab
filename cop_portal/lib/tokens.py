"""Random keys for private links."""

import secrets


def random_token() -> str:
    """256 random bits, URL-safe (43 characters): the key to a private link."""
    return secrets.token_urlsafe(32)
