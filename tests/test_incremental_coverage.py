"""Coverage kept up document by document: a new, edited or deleted document changes only its own
shared passages and quote clusters, found through the fingerprint indexes, and what it finds is
what comparing every pair in the library would."""

import itertools
import random

import pytest

from readingroom.coverage.models import PassageFingerprint, Quote, QuoteCluster, SharedPassage
from readingroom.coverage.passages import (
    comparable_sentences,
    documents_passages_link,
    passages_relink_all,
    shared_between,
)
from readingroom.coverage.quotes import quotes_recluster_all
from readingroom.coverage.services import coverage_update
from readingroom.reader.deletion import documents_delete, documents_restore
from readingroom.reader.editing import document_text_edit
from readingroom.text.fingerprints import content_words, sentence_fingerprints
from tests.factories import make_document

pytestmark = pytest.mark.django_db

WIRE = (
    "The agency said the shipment of grain left the southern port on Tuesday morning under naval escort, "
    "the first such convoy since the blockade was lifted."
)
WIRE_EDITED = (
    "The agency says the shipment of grain left the southern port on Tuesday morning, under naval escort; "
    "the first such convoy since the blockade was lifted."
)
OTHER_WIRE = "Officials in the capital expect a second convoy of fertiliser and sunflower oil to sail within ten days."
FILLER = [
    "Farmers in the valley waited for rain that did not come until the harvest was already lost.",
    "The museum reopened its east wing after three years of restoration work on the painted ceilings.",
    "A committee of engineers will inspect every bridge on the coastal highway before the winter storms.",
    "Local schools reported that attendance rose sharply once free lunches were offered to every pupil.",
    "The orchestra announced a season of contemporary works alongside its familiar symphonic programme.",
    "Researchers tagged forty turtles on the northern beaches to follow their migration across the gulf.",
]
STATEMENT = "We will not allow anyone to close the sea lanes that feed half the world"
STATEMENT_TRANSLATED = "We shall allow no one to close the sea lanes which feed half of the world"
OTHER_STATEMENT = "Our farmers have done their part and now the markets must do theirs"


def _article(*paragraphs: str):
    return make_document(paragraphs=list(paragraphs))


def _pairs():
    """Each shared passage as (document, other document, pair id), both directions."""
    return set(SharedPassage.objects.values_list("id", "document_id", "other_document_id", "pair"))


def test_fingerprints_ignore_punctuation_case_quotes_and_function_words():
    assert content_words("The grain’s shipment LEFT the port, under escort") == [
        "grain's",
        "shipment",
        "left",
        "port",
        "escort",
    ]
    assert sentence_fingerprints(WIRE) & sentence_fingerprints(WIRE_EDITED)
    assert not sentence_fingerprints(WIRE) & sentence_fingerprints(FILLER[0])


def test_a_new_document_links_to_the_copy_it_shares_and_leaves_other_pairs_alone():
    first = _article(FILLER[0], WIRE, FILLER[1])
    second = _article(FILLER[2], WIRE_EDITED, OTHER_WIRE)
    unrelated = _article(FILLER[3], FILLER[4])
    documents_passages_link(documents=[first, second, unrelated])
    before = _pairs()
    assert {(document, other) for _, document, other, _ in before} == {(first.pk, second.pk), (second.pk, first.pk)}
    # The two directions of one passage carry one pair number.
    assert len({pair for *_, pair in before}) == 1

    third = _article(OTHER_WIRE, FILLER[5])
    documents_passages_link(documents=[third])
    after = _pairs()
    assert before <= after  # the first pair kept its rows and its pair number
    assert {(document, other) for _, document, other, _ in after - before} == {
        (second.pk, third.pk),
        (third.pk, second.pk),
    }
    shared = SharedPassage.objects.get(document=third)
    assert third.canonical_text[shared.start : shared.end] == OTHER_WIRE


def test_a_new_document_is_compared_only_with_sentences_that_share_its_words(monkeypatch):
    from readingroom.coverage import passages

    library = [_article(*random.Random(n).sample(FILLER, 3)) for n in range(12)]
    wire_copy = _article(FILLER[0], WIRE)
    documents_passages_link(documents=[*library, wire_copy])
    compared = []

    def counting(a, b):
        compared.append((a.document_id, b.document_id))
        return shared_between(a, b)

    monkeypatch.setattr(passages, "shared_between", counting)
    newcomer = _article(WIRE_EDITED, OTHER_WIRE)
    documents_passages_link(documents=[newcomer])
    # Twelve articles repeat the filler; only the wire copy's sentence shares the newcomer's words.
    assert compared == [(newcomer.pk, wire_copy.pk)]
    assert SharedPassage.objects.filter(document=newcomer, other_document=wire_copy).count() == 1


def test_the_index_finds_what_comparing_every_pair_of_sentences_finds():
    rng = random.Random(7)
    pool = [WIRE, WIRE_EDITED, OTHER_WIRE, *FILLER]
    documents = [_article(*rng.sample(pool, rng.randint(2, 4))) for _ in range(10)]
    documents_passages_link(documents=documents)
    found = set(SharedPassage.objects.values_list("document_id", "start", "end", "other_document_id"))

    every_pair = set()
    for a_document, b_document in itertools.combinations(documents, 2):
        for a, b in itertools.product(comparable_sentences(a_document), comparable_sentences(b_document)):
            if shared := shared_between(a, b):
                every_pair.add((a.document_id, *shared.a_span, b.document_id))
                every_pair.add((b.document_id, *shared.b_span, a.document_id))
    assert every_pair and found == every_pair


def test_editing_a_document_redoes_only_its_own_links(remembered_spans):
    first = _article(FILLER[0], WIRE)
    second = _article(WIRE_EDITED, OTHER_WIRE)
    third = _article(FILLER[1], OTHER_WIRE)
    coverage_update(documents=[first, second, third])
    kept = set(SharedPassage.objects.filter(document__in=[first, third], other_document__in=[first, third]))
    assert SharedPassage.objects.filter(document=first, other_document=second).exists()

    # The curator rewrites the second article's wire paragraph: it no longer shares it with the first.
    document_text_edit(document=second, canonical_text=FILLER[4] + "\n\n" + OTHER_WIRE)
    assert not SharedPassage.objects.filter(document=first, other_document=second).exists()
    assert SharedPassage.objects.filter(document=second, other_document=third).count() == 1
    assert set(SharedPassage.objects.filter(document__in=[first, third], other_document__in=[first, third])) == kept


def test_deleting_a_document_removes_its_links_and_restoring_finds_them_again():
    first = _article(FILLER[0], WIRE, OTHER_WIRE)
    second = _article(WIRE_EDITED)
    third = _article(OTHER_WIRE, FILLER[2])
    coverage_update(documents=[first, second, third])
    first_third = set(SharedPassage.objects.filter(document__in=[first, third], other_document__in=[first, third]))
    assert len(first_third) == 2

    documents_delete(documents=[second])
    assert not SharedPassage.objects.filter(document=second).exists()
    assert not SharedPassage.objects.filter(other_document=second).exists()
    assert not PassageFingerprint.objects.filter(document=second).exists()
    assert set(SharedPassage.objects.all()) == first_third

    # While deleted, a newcomer does not link to it.
    newcomer = _article(WIRE)
    coverage_update(documents=[newcomer])
    assert not SharedPassage.objects.filter(document=newcomer, other_document=second).exists()

    second.refresh_from_db()
    documents_restore(documents=[second])
    assert SharedPassage.objects.filter(document=second, other_document=first).exists()
    assert SharedPassage.objects.filter(document=second, other_document=newcomer).exists()
    assert first_third <= set(SharedPassage.objects.all())


def test_relinking_from_scratch_finds_the_same_passages():
    documents = [_article(FILLER[0], WIRE), _article(WIRE_EDITED, OTHER_WIRE), _article(OTHER_WIRE, FILLER[1])]
    documents_passages_link(documents=documents)
    before = set(SharedPassage.objects.values_list("document_id", "start", "end", "other_document_id"))
    assert passages_relink_all() == 2
    assert set(SharedPassage.objects.values_list("document_id", "start", "end", "other_document_id")) == before


def _quoting(statement: str, *extra: str):
    return _article(f"“{statement},” the minister said on Friday.", *extra)


def _clusters():
    return {
        cluster.pk: sorted(cluster.quotes.values_list("document_id", flat=True))
        for cluster in QuoteCluster.objects.all()
    }


def test_a_quote_joins_the_cluster_of_its_statement_and_a_new_statement_stays_alone():
    first, second = _quoting(STATEMENT), _quoting(STATEMENT_TRANSLATED)
    coverage_update(documents=[first, second])
    (cluster_id,) = _clusters()

    third = _quoting(STATEMENT, FILLER[0])
    lone = _quoting(OTHER_STATEMENT)
    coverage_update(documents=[third, lone])
    assert _clusters() == {cluster_id: sorted([first.pk, second.pk, third.pk])}
    assert Quote.objects.get(document=lone).cluster is None
    assert QuoteCluster.objects.get().label.rstrip(",") == max(STATEMENT, STATEMENT_TRANSLATED, key=len)


@pytest.mark.parametrize("words_per_statement", [400, 3])
def test_the_quotes_of_one_document_are_looked_up_together_and_filed_one_after_another(
    monkeypatch, words_per_statement
):
    from readingroom.coverage import quotes

    # 3: each quote's words looked up in a statement of their own.
    monkeypatch.setattr(quotes, "QUOTES_PER_STATEMENT", words_per_statement)
    said, other = _quoting(STATEMENT), _quoting(OTHER_STATEMENT)
    coverage_update(documents=[said, other])
    assert _clusters() == {}
    # Its first quote puts the earlier one in a new cluster; its second, the same statement in
    # other words, joins that cluster rather than taking the earlier quote into one of its own.
    both = _article(
        f"“{STATEMENT},” the minister said on Friday.",
        f"“{STATEMENT_TRANSLATED},” she said again in a statement.",
        f"“{OTHER_STATEMENT},” the minister added.",
    )
    coverage_update(documents=[both])
    assert sorted(_clusters().values()) == [sorted([said.pk, both.pk, both.pk]), sorted([other.pk, both.pk])]


def test_deleting_quoting_documents_shrinks_then_dissolves_the_cluster():
    first, second, third = _quoting(STATEMENT), _quoting(STATEMENT_TRANSLATED), _quoting(STATEMENT)
    coverage_update(documents=[first, second, third])
    (cluster_id,) = _clusters()

    documents_delete(documents=[second])
    assert _clusters() == {cluster_id: sorted([first.pk, third.pk])}
    documents_delete(documents=[third])
    assert _clusters() == {}
    assert Quote.objects.get(document=first).cluster is None


def test_a_cluster_held_together_by_one_quote_splits_when_it_goes(monkeypatch):
    from readingroom.coverage import quotes

    # Same statement only between neighbours: a–b and b–c, never a–c.
    chain = ["alpha grain convoy sails", "bravo grain convoy sails", "bravo delta convoy harbour"]
    monkeypatch.setattr(
        quotes,
        "joins",
        lambda a, b: len(set(a.text.split()) & set(b.text.split())) >= 3,
    )
    monkeypatch.setattr(quotes, "SHARED_WORDS", 0.1)
    first, middle, last = (_quoting(text + " today") for text in chain)
    coverage_update(documents=[first, middle, last])
    assert list(_clusters().values()) == [sorted([first.pk, middle.pk, last.pk])]
    documents_delete(documents=[middle])
    assert _clusters() == {}


def test_reclustering_from_scratch_gives_the_same_clusters():
    documents = [_quoting(STATEMENT), _quoting(STATEMENT_TRANSLATED), _quoting(OTHER_STATEMENT), _quoting(STATEMENT)]
    coverage_update(documents=documents)
    before = sorted(_clusters().values())
    assert quotes_recluster_all() == 1
    assert sorted(_clusters().values()) == before


def test_the_same_words_years_apart_are_two_statements():
    from datetime import UTC, datetime

    def quoting(statement: str, day: datetime, *extra: str):
        return make_document(paragraphs=[f"“{statement},” the minister said on Friday.", *extra], published_at=day)

    spring = quoting(STATEMENT, datetime(2021, 4, 6, tzinfo=UTC))
    two_years_on = quoting(STATEMENT_TRANSLATED, datetime(2023, 4, 6, tzinfo=UTC))
    coverage_update(documents=[spring, two_years_on])
    assert _clusters() == {}

    next_day = quoting(STATEMENT_TRANSLATED, datetime(2021, 4, 7, tzinfo=UTC), FILLER[1])
    coverage_update(documents=[next_day])
    assert sorted(_clusters().values()) == [sorted([spring.pk, next_day.pk])]


def _dated(statement: str, day, *extra: str):
    return make_document(paragraphs=[f"“{statement},” the minister said on Friday.", *extra], published_at=day)


def test_a_dated_quote_is_looked_up_only_among_the_weeks_around_it_and_the_undated(monkeypatch):
    from datetime import UTC, datetime

    from readingroom.coverage import quotes

    looked_at: list[int] = []
    joins = quotes.joins
    monkeypatch.setattr(quotes, "joins", lambda a, b: looked_at.append(b.document_id) or joins(a, b))
    spring = _dated(STATEMENT, datetime(2021, 4, 6, 9, tzinfo=UTC))
    month_on = _dated(STATEMENT, datetime(2021, 5, 6, 23, tzinfo=UTC), FILLER[0])  # 30 days and 14 hours
    years_on = _dated(STATEMENT, datetime(2023, 4, 6, tzinfo=UTC), FILLER[1])
    undated = _dated(STATEMENT, None, FILLER[2])
    coverage_update(documents=[spring, years_on, undated])
    # The undated quote may be either's statement: one cluster holds the three.
    assert list(_clusters().values()) == [sorted([spring.pk, years_on.pk, undated.pk])]

    looked_at.clear()
    coverage_update(documents=[month_on])
    # Compared with the quotes of its weeks and the undated one, never with the one two years on.
    assert set(looked_at) == {spring.pk, undated.pk}
    assert list(_clusters().values()) == [sorted([spring.pk, month_on.pk, years_on.pk, undated.pk])]


def test_a_date_changed_in_the_admin_moves_the_documents_quotes_in_the_index(client, django_user_model):
    from datetime import UTC, datetime

    from django.urls import reverse

    from readingroom.coverage.models import QuoteFingerprint
    from readingroom.coverage.quotes import publication_day

    spring = _dated(STATEMENT, datetime(2021, 4, 6, tzinfo=UTC))
    coverage_update(documents=[spring])
    assert set(QuoteFingerprint.objects.filter(document=spring).values_list("day", flat=True)) == {
        publication_day(datetime(2021, 4, 6, tzinfo=UTC))
    }
    curator = django_user_model.objects.create_superuser("curator", "curator@example.com", "a-long-passphrase")
    client.force_login(curator)
    change = reverse("admin:library_document_change", args=[spring.pk])
    form = client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"source": spring.source_id, "published_at_0": "2022-01-10", "published_at_1": "12:00:00"})
    response = client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(QuoteFingerprint.objects.filter(document=spring).values_list("day", flat=True)) == {
        publication_day(datetime(2022, 1, 10, 12, tzinfo=UTC))
    }


def _imported(name: str, text: str):
    from readingroom.library.jobs import JobFile, import_job_create
    from readingroom.library.models import Document
    from readingroom.reader.jobs import import_job_run

    import_job_run(job_id=import_job_create(files=[JobFile(name, data=text.encode())]).pk)
    return Document.objects.get(original_filename=name)


def test_a_quote_with_a_speaker_is_compared_with_that_speakers_quotes_and_the_unattributed_only(monkeypatch):
    from readingroom.coverage import quotes
    from readingroom.coverage.models import QuoteFingerprint
    from readingroom.entities.models import Entity
    from readingroom.entities.services import entity_merge

    looked_at: list[int] = []
    joins = quotes.joins
    monkeypatch.setattr(quotes, "joins", lambda a, b: looked_at.append(b.document_id) or joins(a, b))
    hers = _imported("hers.txt", f"Sea lanes\n\n“{STATEMENT},” Marta Lindqvist said on Friday.\n")
    his = _imported("his.txt", f"Grain\n\n“{STATEMENT},” Chidi Okonkwo said on Friday.\n")
    unattributed = _imported("unattributed.txt", f"Ports\n\n“{STATEMENT},” a statement said.\n")
    marta, chidi = Entity.objects.get(name="Marta Lindqvist"), Entity.objects.get(name="Chidi Okonkwo")
    assert Quote.objects.get(document=his).speaker == chidi
    # The unattributed quote was compared with both: it is in one cluster with the first.
    assert set(looked_at) >= {hers.pk, his.pk}

    looked_at.clear()
    again = _imported("again.txt", f"Sea lanes again\n\n“{STATEMENT_TRANSLATED},” Marta Lindqvist said.\n")
    assert set(looked_at) == {hers.pk, unattributed.pk}  # never Chidi Okonkwo's quote
    assert Quote.objects.get(document=again).cluster_id == Quote.objects.get(document=hers).cluster_id

    # A curator finds the two are one person: the index rows of his quote follow it, and a new
    # quote of hers is compared with it as well.
    entity_merge(source=chidi, target=marta)
    assert set(QuoteFingerprint.objects.filter(document=his).values_list("speaker", flat=True)) == {marta.pk}
    looked_at.clear()
    _imported("later.txt", f"Sea lanes later\n\n“{STATEMENT},” Marta Lindqvist said.\n")
    assert his.pk in looked_at
