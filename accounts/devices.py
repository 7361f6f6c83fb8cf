"""Readable device names ("Firefox on Windows", "Mobile Safari on iPhone") from a browser's user-agent
string, for the list of places a person is signed in. ua-parser does the parsing, with its built-in
rules (ua-parser-builtins), so nothing is fetched at run time."""

from functools import lru_cache

from django.utils.translation import get_language, gettext
from ua_parser import parse

# ua-parser says "Other" for what it does not recognise.
NOT_RECOGNISED = {None, "", "Other"}


def device_name(user_agent: str) -> str:
    return _device_name(user_agent, get_language())


@lru_cache(maxsize=512)
def _device_name(user_agent: str, language: str) -> str:
    """Cached per language too: the words around the names are translated."""
    unknown = gettext("An unknown browser")
    if not user_agent:
        return unknown
    result = parse(user_agent[:1000])
    browser = result.user_agent.family if result.user_agent else None
    device = result.device.family if result.device else None
    system = result.os.family if result.os else None
    where = device if device not in NOT_RECOGNISED else system
    if browser in NOT_RECOGNISED:
        return (
            gettext("A browser on %(where)s") % {"where": where} if where not in NOT_RECOGNISED else unknown
        )
    if where in NOT_RECOGNISED:
        return browser
    if where != system and system not in NOT_RECOGNISED:
        return gettext("%(browser)s on %(where)s (%(system)s)") % {
            "browser": browser,
            "where": where,
            "system": system,
        }
    return gettext("%(browser)s on %(where)s") % {"browser": browser, "where": where}
