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
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

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
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImportRefused("is not a web address (it must start with http:// or https://)")
    if parts.username or parts.password:
        raise ImportRefused("carries a user name or password: not fetched")
    if len(url) > 2000:
        raise ImportRefused("is longer than 2,000 characters")
    return url


def _check_host(url: str) -> None:
    host = urlsplit(url).hostname or ""
    try:
        port = urlsplit(url).port or (443 if url.startswith("https") else 80)
    except ValueError:
        raise ImportRefused("has a port that is not a number") from None
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)}
    except (socket.gaierror, UnicodeError):
        raise ImportRefused(f"names a host that could not be found ({host})") from None
    if settings.READINGROOM_FETCH_PRIVATE:
        return
    for address in addresses:
        ip = ipaddress.ip_address(str(address).split("%", 1)[0])
        if not ip.is_global or ip.is_multicast:
            raise ImportRefused(f"points to a private or local address ({host}): not fetched")


def fetch(url: str, *, etag: str = "", last_modified: str = "", accept: str = "text/html,*/*;q=0.8") -> Fetched:
    """GET the URL (following up to five redirects, each checked), at most the import limit of
    bytes, within ``READINGROOM_FETCH_SECONDS``. ImportRefused says what went wrong."""
    url = check_url(url)
    limit = max_import_bytes()
    headers = {"User-Agent": USER_AGENT, "Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = httpx.Timeout(settings.READINGROOM_FETCH_SECONDS)
    with httpx.Client(timeout=timeout, follow_redirects=False, headers=headers, trust_env=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            _check_host(url)
            try:
                with client.stream("GET", url) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = check_url(urljoin(url, response.headers["location"]))
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
                    return Fetched(
                        url=str(response.url),
                        data=bytes(data),
                        content_type=response.headers.get("content-type", ""),
                        etag=response.headers.get("etag", ""),
                        last_modified=response.headers.get("last-modified", ""),
                    )
            except httpx.TimeoutException:
                raise ImportRefused(f"did not answer within {settings.READINGROOM_FETCH_SECONDS} s") from None
            except httpx.HTTPError as error:
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
