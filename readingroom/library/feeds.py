"""Feeds: an RSS or Atom feed's new item links, fetched politely (its ETag and Last-Modified sent
back, so an unchanged feed costs the publisher nothing) and remembered, so each item is queued
once. Queuing them for import is the reader's ``readingroom.reader.jobs.feeds_poll``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import feedparser
from django.utils import timezone

from .fetching import check_url, fetch
from .importing import ImportRefused
from .models import Feed

REMEMBERED_LINKS = 2000


@dataclass(frozen=True)
class FeedCheck:
    feed: Feed
    new_links: list[str]
    error: str = ""


def feed_check(*, feed: Feed) -> FeedCheck:
    """Fetch the feed and return the links of the items not seen before (oldest first); they are
    remembered as seen. A feed that cannot be fetched or read says why in ``error`` (and in the
    feed's ``last_error``, which the admin shows)."""
    now = timezone.now()
    try:
        fetched = fetch(
            feed.url,
            etag=feed.etag,
            last_modified=feed.modified,
            accept="application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5",
        )
    except ImportRefused as refusal:
        return _failed(feed, now, f"{feed.url} {refusal}")
    if fetched.not_modified:
        Feed.objects.filter(pk=feed.pk).update(checked_at=now, last_error="")
        return FeedCheck(feed, [])
    # Parsed from the bytes we fetched: feedparser itself never goes to the network here.
    parsed = feedparser.parse(fetched.data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:  # feedparser recognised no feed format
        return _failed(feed, now, f"{feed.url} is not an RSS or Atom feed we could read")
    links = []
    for entry in parsed.entries:
        link = entry.get("link") or ""
        try:
            links.append(check_url(link))
        except ImportRefused:
            continue
    seen = set(feed.seen)
    new = [link for link in reversed(links) if link not in seen]  # feeds list the newest first
    new = list(dict.fromkeys(new))
    feed.seen = (feed.seen + new)[-REMEMBERED_LINKS:]
    feed.checked_at, feed.last_error = now, ""
    feed.etag, feed.modified = fetched.etag[:500], fetched.last_modified[:100]
    feed.save(update_fields=["seen", "checked_at", "last_error", "etag", "modified"])
    return FeedCheck(feed, new)


def _failed(feed: Feed, now, error: str) -> FeedCheck:
    Feed.objects.filter(pk=feed.pk).update(checked_at=now, last_error=error)
    return FeedCheck(feed, [], error=error)


def feeds_due(*, every: timedelta) -> list[Feed]:
    """Active feeds not checked within ``every``."""
    cutoff = timezone.now() - every
    return [
        feed
        for feed in Feed.objects.filter(active=True).select_related("source").order_by("pk")
        if feed.checked_at is None or feed.checked_at <= cutoff
    ]
