"""Fetching pages and feeds from the web, politely and safely.

Every request has a timeout, a size limit (the import limit), a user agent that says who we are,
and goes only to public addresses: a URL whose host resolves to a private, loopback, link-local
or otherwise reserved address is refused before anything is sent, at each redirect too, unless
``READINGROOM_FETCH_PRIVATE`` allows it (tests serve pages from 127.0.0.1; an intranet install
may want its own servers). Without that check, anyone allowed to import a URL could make the
server read its own admin ports or a cloud's metadata service and store the answer as a document.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from django.conf import settings

from .importing import ImportRefused, max_import_bytes

MAX_REDIRECTS = 5
USER_AGENT = "ReadingRoom/0.1 (a news-comparison library; fetches pages its users import)"


@dataclass(frozen=True)
class Fetched:
    url: str  # where the page was found, after redirects
    data: bytes
    content_type: str
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False


def check_url(url: str) -> str:
    """The URL, tidied, if it is one we fetch; else ImportRefused saying why."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError:
        raise ImportRefused("is not a web address we can read") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImportRefused("is not a web address (it must start with http:// or https://)")
    if parts.username or parts.password:
        raise ImportRefused("carries a user name or password: not fetched")
    if len(url) > 2000:
        raise ImportRefused("is longer than 2,000 characters")
    return url


def _public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if not ip.is_global or ip.is_multicast:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv4 carried inside IPv6 (mapped, 6to4, NAT64) reaches what that IPv4 address reaches.
        inner = ip.ipv4_mapped or ip.sixtofour
        if inner is None and ip in ipaddress.ip_network("64:ff9b::/96"):
            inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if inner is not None:
            return _public(inner)
    return True


def _address_for(url: str) -> str:
    """The address to connect to for this URL: resolved once and checked, so that the connection
    goes to the address that was checked (a name that resolves differently a moment later, to
    a private address, is never looked up again)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError):
        raise ImportRefused(f"names a host that could not be found ({host})") from None
    addresses = [str(info[4][0]).split("%", 1)[0] for info in infos]
    if not addresses:
        raise ImportRefused(f"names a host that could not be found ({host})")
    if not settings.READINGROOM_FETCH_PRIVATE and not all(_public(ipaddress.ip_address(a)) for a in addresses):
        raise ImportRefused(f"points to a private or local address ({host}): not fetched")
    return addresses[0]


def _pinned(url: str, address: str) -> tuple[str, dict[str, str]]:
    """The URL with the checked address in place of the host name, and the Host header that
    names the site (TLS still checks the certificate against the name: see ``sni_hostname``)."""
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    netloc = f"{host}:{parts.port}" if parts.port else host
    site = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=netloc)), {"Host": site}


def fetch(url: str, *, etag: str = "", last_modified: str = "", accept: str = "text/html,*/*;q=0.8") -> Fetched:
    """GET the URL (following up to five redirects, each checked), at most the import limit of
    bytes, all within ``READINGROOM_FETCH_SECONDS``. ImportRefused says what went wrong."""
    url = check_url(url)
    limit = max_import_bytes()
    seconds = settings.READINGROOM_FETCH_SECONDS
    deadline = time.monotonic() + seconds
    headers = {"User-Agent": USER_AGENT, "Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    too_slow = ImportRefused(f"did not answer within {seconds} s")
    with httpx.Client(
        timeout=httpx.Timeout(seconds), follow_redirects=False, headers=headers, trust_env=False
    ) as client:
        for _ in range(MAX_REDIRECTS + 1):
            if time.monotonic() > deadline:
                raise too_slow
            request_url, host = _pinned(url, _address_for(url))
            extensions = {"sni_hostname": urlsplit(url).hostname or ""}
            try:
                with client.stream("GET", request_url, headers=host, extensions=extensions) as response:
                    if response.is_redirect and "location" in response.headers:
                        try:
                            url = check_url(urljoin(url, response.headers["location"]))
                        except ValueError:
                            raise ImportRefused("redirects to an address we cannot read") from None
                        continue
                    if response.status_code == 304:
                        return Fetched(url=url, data=b"", content_type="", not_modified=True)
                    if response.status_code >= 400:
                        raise ImportRefused(f"answered {response.status_code} {response.reason_phrase}")
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > limit:
                        raise ImportRefused(
                            f"is too large ({int(declared) // 1024} KB; the limit is {limit // 1024} KB)"
                        )
                    data = bytearray()
                    for chunk in response.iter_bytes():
                        data += chunk
                        if len(data) > limit:
                            raise ImportRefused(f"is too large (over {limit // 1024} KB)")
                        if time.monotonic() > deadline:  # a server that trickles
                            raise too_slow
                    return Fetched(
                        url=url,
                        data=bytes(data),
                        content_type=response.headers.get("content-type", ""),
                        etag=response.headers.get("etag", ""),
                        last_modified=response.headers.get("last-modified", ""),
                    )
            except httpx.TimeoutException:
                raise too_slow from None
            except (httpx.HTTPError, httpx.InvalidURL) as error:
                raise ImportRefused(f"could not be fetched ({type(error).__name__})") from None
    raise ImportRefused(f"redirects more than {MAX_REDIRECTS} times")


def filename_for(fetched: Fetched) -> str:
    """A file name the importer reads the page by: .html for a page, .txt for plain text."""
    path = urlsplit(fetched.url).path.rstrip("/")
    name = path.rsplit("/", 1)[-1] or urlsplit(fetched.url).hostname or "page"
    kind = fetched.content_type.split(";", 1)[0].strip().lower()
    if kind == "text/plain":
        return name if name.endswith(".txt") else f"{name}.txt"
    if kind == "text/markdown":
        return name if name.endswith(".md") else f"{name}.md"
    return name if name.endswith((".html", ".htm")) else f"{name}.html"
