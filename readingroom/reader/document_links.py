"""The links across sources (#19) a document's page lists: each link with a passage in this
document, what it says here and the passages it joins in other articles, with the way to compare
them side by side."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from readingroom.annotations.selectors import LinkPassage, links_of_document
from readingroom.library.models import Document

# A page lists the first links of the document (in the order of their passages here), and all
# of them, up to the most a page lists, when the reader asks for all; the compare page shows
# every one between its columns. Each listed link quotes its passages: two hundred of them make
# a page of 200 KB that takes five times as long to serve as the article itself.
FIRST_LISTED = 20
MAX_LISTED = 200


@dataclass(frozen=True)
class PassageElsewhere:
    document: Document
    passage: LinkPassage


@dataclass(frozen=True)
class DocumentLink:
    id: int
    relation_slug: str
    relation_name: str
    author: str
    state: str
    here: tuple[LinkPassage, ...]
    elsewhere: tuple[PassageElsewhere, ...]
    compare_url: str


@dataclass(frozen=True)
class DocumentLinks:
    """The links a page lists, and how many the user may see in all."""

    listed: list[DocumentLink]
    total: int

    def __bool__(self) -> bool:
        return bool(self.listed)

    @property
    def more(self) -> int:
        """How many are not listed."""
        return self.total - len(self.listed)

    @property
    def listable(self) -> int:
        """How many asking for all lists."""
        return min(self.total, MAX_LISTED)

    @property
    def more_on_request(self) -> int:
        """How many more asking for all lists."""
        return self.listable - len(self.listed)


def document_links(user, document: Document, *, limit: int = FIRST_LISTED) -> DocumentLinks:
    """The links this user may see that join a passage of ``document`` to others, in the order
    of their passages here: the first ``limit`` of them (at most ``MAX_LISTED``)."""
    limit = min(limit, MAX_LISTED)
    summaries = links_of_document(user, document.pk)
    if not summaries:
        return DocumentLinks([], 0)

    # Each link with its passages here, in the order of those passages; only the listed ones are
    # built (a much-linked article has hundreds).
    placed = [(tuple(p for p in summary.passages if p.document_id == document.pk), summary) for summary in summaries]
    placed.sort(key=lambda item: min((p.start for p in item[0] if p.start is not None), default=10**12))
    listed = placed[:limit]
    others = {p.document_id for _, summary in listed for p in summary.passages} - {document.pk}
    shown = Document.objects.select_related("source").in_bulk(list(others))
    compare = reverse("compare")
    links = []
    for here, summary in listed:
        elsewhere = tuple(PassageElsewhere(shown[p.document_id], p) for p in summary.passages if p.document_id in shown)
        documents = list(dict.fromkeys([document.pk, *(p.document.pk for p in elsewhere)]))
        links.append(
            DocumentLink(
                id=summary.id,
                relation_slug=summary.relation_slug,
                relation_name=summary.relation_name,
                author=summary.author,
                state=summary.state,
                here=here,
                elsewhere=elsewhere,
                # Compare shows two to five articles: this one and the first four the link joins.
                compare_url=f"{compare}?{urlencode([('doc', pk) for pk in documents[:5]])}"
                if len(documents) > 1
                else "",
            )
        )
    return DocumentLinks(links, len(summaries))
