"""Credentials and URLs for remote endpoints: from `KGBUILD_ENDPOINT_TOKEN` (bearer), else
`KGBUILD_ENDPOINT_USER` / `KGBUILD_ENDPOINT_PASSWORD` (Basic), else ~/.netrc; checked before
use and redacted from every message."""
from __future__ import annotations

import base64
import netrc
import os
import re
import unicodedata
import urllib.parse
from collections.abc import Sequence

from ..errors import EndpointError

TOKEN_ENV = "KGBUILD_ENDPOINT_TOKEN"
USER_ENV = "KGBUILD_ENDPOINT_USER"
PASSWORD_ENV = "KGBUILD_ENDPOINT_PASSWORD"
CREDENTIAL_HINT = (f"set {USER_ENV} and {PASSWORD_ENV} (or {TOKEN_ENV}), or add a ~/.netrc "
                   "entry for the host")
#: RFC 6750 b64token: the characters a bearer token may have.
_TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")


def public_url(url: str) -> str:
    """The URL without any `user:password@` part, for messages (never raises)."""
    try:
        parts = urllib.parse.urlsplit(url)
        if parts.username is None and parts.password is None:
            return url
        host = parts.hostname or ""
        netloc = f"[{host}]" if ":" in host else host
        netloc += f":{parts.port}" if parts.port else ""
        return urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    except ValueError:  # a bad port or IPv6 literal: cut the userinfo by hand
        return _USERINFO.sub(r"\1", url)


def check_url(url: str) -> None:
    """Refuse a URL that is not http(s) or that carries credentials (`EndpointError`)."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as err:
        raise EndpointError(f"{public_url(url)}: not a valid URL ({err})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"{public_url(url)}: not an http:// or https:// endpoint URL")
    if any(not 32 < ord(c) < 127 for c in url):
        raise EndpointError(f"{public_url(url)!r}: spaces, control characters and non-ASCII "
                            "letters must be percent-encoded in a URL (%20, %C3%A9 …)")
    if parts.username is not None or parts.password is not None:
        raise EndpointError(f"{public_url(url)}: credentials do not belong in the URL; "
                            + CREDENTIAL_HINT)


def _flaw(value: str) -> str | None:
    """What makes a credential unusable in an HTTP header, without quoting it."""
    if "\n" in value or "\r" in value:
        return "a line break"
    if any(unicodedata.category(c) == "Cc" for c in value):
        return "a control character"
    return None


def credentials(url: str) -> tuple[str | None, list[str]]:
    """The Authorization header value for `url` and the secrets to keep out of messages.

    Raises:
        EndpointError: a credential that cannot be sent (the message names where it comes
            from, never its value), or an unreadable ~/.netrc.
    """
    token = os.environ.get(TOKEN_ENV)
    if token:
        if not _TOKEN.fullmatch(token):
            flaw = _flaw(token) or ("a space" if " " in token else "a character tokens do not have")
            raise EndpointError(f"{TOKEN_ENV} holds {flaw}, so it is no bearer token (letters, "
                                "digits and -._~+/, then = padding); set it to the bare token")
        return f"Bearer {token}", [token]
    user = os.environ.get(USER_ENV)
    if user:
        return _basic(user, os.environ.get(PASSWORD_ENV, ""), USER_ENV, PASSWORD_ENV)
    host = urllib.parse.urlsplit(url).hostname
    try:
        entry = netrc.netrc().authenticators(host) if host else None
    except FileNotFoundError:
        return None, []
    except netrc.NetrcParseError as err:
        raise EndpointError(_netrc_problem(err)) from None
    except OSError:
        return None, []
    if entry and entry[0]:
        where = f"the ~/.netrc entry for {host}"
        return _basic(entry[0], entry[2] or "", f"the login of {where}", f"the password of {where}")
    return None, []


def _netrc_problem(err: netrc.NetrcParseError) -> str:
    """What is wrong with ~/.netrc, as Python's netrc module found it, and what to do."""
    if "too permissive" in err.msg:
        return ("~/.netrc can be read by other users, so it is not used: make it yours alone "
                "(chmod 600 ~/.netrc)")
    if "owner" in err.msg:
        return "~/.netrc belongs to another user, so it is not used: make it yours (chown)"
    where = f" near line {err.lineno}" if err.lineno is not None else ""
    # not err.msg: it quotes the token it stumbled on, which may be a password
    return f"~/.netrc is not in netrc syntax{where} (machine … login … password …): fix it"


def _basic(user: str, password: str, user_from: str, password_from: str) -> tuple[str, list[str]]:
    for value, source in ((user, user_from), (password, password_from)):
        flaw = _flaw(value)
        if flaw:
            raise EndpointError(f"{source} holds {flaw}, which HTTP cannot send; fix it")
    if ":" in user:
        raise EndpointError(f"{user_from} holds ':', which HTTP Basic authentication cannot send "
                            "in a user name")
    encoded = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return f"Basic {encoded}", [s for s in (password, encoded) if s]


def check_endpoint(url: str) -> None:
    """`check_url` and the credentials for it, before any data is read or sent."""
    check_url(url)
    credentials(url)


def redact(text: str, secrets: Sequence[str]) -> str:
    """`text` with every secret replaced by ***."""
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def redact_for(url: str, text: str) -> str:
    """`text` with the credentials that go to `url` replaced by *** (for answer errors)."""
    try:
        return redact(text, credentials(url)[1])
    except EndpointError:
        return text


# -- one exchange --------------------------------------------------------------------------
