"""The links across sources (#19) a document's page lists: each link with a passage in this
document, what it says here and the passages it joins in other articles, with the way to compare
them side by side."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from readingroom.annotations.selectors import LinkPassage, links_of_document
from readingroom.library.models import Document

# A page lists this many links at most (the compare page shows every one between its columns).
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


def document_links(user, document: Document) -> list[DocumentLink]:
    """The links this user may see that join a passage of ``document`` to others, in the order
    of their passages here."""
    summaries = links_of_document(user, document.pk)
    if not summaries:
        return []
    others = {p.document_id for summary in summaries for p in summary.passages} - {document.pk}
    shown = Document.objects.select_related("source").in_bulk(list(others))
    links = []
    for summary in summaries:
        here = tuple(p for p in summary.passages if p.document_id == document.pk)
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
                compare_url=f"{reverse('compare')}?{urlencode([('doc', pk) for pk in documents[:5]])}"
                if len(documents) > 1
                else "",
            )
        )
    links.sort(key=lambda link: min((p.start for p in link.here if p.start is not None), default=10**12))
    return links[:MAX_LISTED]
