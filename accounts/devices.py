"""Readable device names ("Firefox on Windows", "Mobile Safari on iPhone") from a browser's user-agent
string, for the list of places a person is signed in. ua-parser does the parsing, with its built-in
rules (ua-parser-builtins), so nothing is fetched at run time."""

from functools import lru_cache

from ua_parser import parse

UNKNOWN = "An unknown browser"
# ua-parser says "Other" for what it does not recognise.
NOT_RECOGNISED = {None, "", "Other"}


@lru_cache(maxsize=512)
def device_name(user_agent: str) -> str:
    if not user_agent:
        return UNKNOWN
    result = parse(user_agent[:1000])
    browser = result.user_agent.family if result.user_agent else None
    device = result.device.family if result.device else None
    system = result.os.family if result.os else None
    where = device if device not in NOT_RECOGNISED else system
    if browser in NOT_RECOGNISED:
        return f"A browser on {where}" if where not in NOT_RECOGNISED else UNKNOWN
    if where in NOT_RECOGNISED:
        return browser
    if where != system and system not in NOT_RECOGNISED:
        return f"{browser} on {where} ({system})"
    return f"{browser} on {where}"
