"""Who may ask `kgbuild serve` (issue 26, items 2 and 3): requests must name this server in
their `Host` header, and a browser's request from another origin is refused.

- Host: the address the server is bound to, the loopback names and the names given with
  `--allow-host`, for every bind address. A web page that points its own domain name at
  this machine (DNS rebinding) sends its own name and gets 403.
- Cross-site: a browser says where a request comes from in `Origin` (every POST, every
  cross-origin fetch) and `Sec-Fetch-Site`. The endpoint answers no CORS preflight, so a
  page elsewhere can only send what needs none (a form post, a `no-cors` fetch, an image
  or link); such requests run queries the page cannot read but can repeat. They are
  refused unless they come from this origin (the form at `/form`), or are a navigation
  to a page that runs nothing (`/`, `/form`: a link from elsewhere still opens them).
  Clients that are not browsers (curl, SPARQLWrapper, `kgbuild query --endpoint`) send
  neither header and are not affected.
"""
from __future__ import annotations

from collections.abc import Iterable
from email.message import Message

#: Names of this machine's loopback interface, always allowed in `Host`.
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
#: `Sec-Fetch-Site` values of requests from this origin, or typed by the user.
_SAME = frozenset({"same-origin", "none"})
#: Paths whose GET only shows a page (runs no query).
PAGES = frozenset({"/", "/form"})


def host_name(host: str) -> str:
    """The name part of a `Host` header or a bind address (`[::1]:80` -> `::1`), lower case,
    without a final dot."""
    host = host.strip().lower()
    if host.startswith("["):
        name = host[1:host.index("]")] if "]" in host else host[1:]
    elif host.count(":") == 1:
        name = host.split(":")[0]
    else:
        name = host  # a bare IPv6 address (bind addresses)
    return name.rstrip(".")


def allowed_hosts(bound: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The names a request's `Host` may give: the bound address, the loopback names and
    `extra` (`--allow-host`)."""
    return LOOPBACK | {host_name(bound)} | {host_name(h) for h in extra if h.strip()}


def host_refusal(headers: Message, allowed: frozenset[str]) -> str | None:
    """Why a request is refused for its `Host` header, or None when it names this server."""
    host = (headers.get("Host") or "").strip()
    if host_name(host) in allowed:
        return None
    return (f"Host {host!r} is not this server; ask for it by one of "
            f"{', '.join(sorted(allowed))}, or start kgbuild serve with --allow-host NAME")


def cross_site_refusal(headers: Message, method: str, path: str) -> str | None:
    """Why a browser request from another origin is refused, or None.

    Refused: an `Origin` that is not `http://` + this request's `Host` (`null` included),
    and a `Sec-Fetch-Site` other than `same-origin`/`none`, except a GET navigation to a
    page of `PAGES`.
    """
    host = (headers.get("Host") or "").strip().lower()
    origin = headers.get("Origin")
    site = (headers.get("Sec-Fetch-Site") or "").strip().lower()
    mode = (headers.get("Sec-Fetch-Mode") or "navigate").strip().lower()
    if origin is not None and origin.strip().lower() != f"http://{host}":
        sender = f"Origin {origin.strip()[:100]!r}"
    elif site and site not in _SAME and not (method == "GET" and path in PAGES
                                              and mode == "navigate"):
        sender = f"Sec-Fetch-Site {site[:30]!r}"
    else:
        return None
    return (f"cross-origin request refused ({sender}): this endpoint answers pages of its "
            "own origin only; use its form at /, or a client that is not a browser")
