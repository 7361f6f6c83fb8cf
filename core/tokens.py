import hashlib


def token_digest(token: str) -> str:
    """What we store of a secret token (one-click links, calendar feeds, API tokens): its SHA-256, so a
    copy of the database opens nothing. Tokens are long and random, so no salt or slow hash is needed."""
    return hashlib.sha256(token.encode()).hexdigest()
