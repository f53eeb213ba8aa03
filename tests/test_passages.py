"""Shared and unique passages on the seeds."""

import pytest
from django.urls import reverse

from readingroom.coverage.models import SharedPassage
from readingroom.coverage.passages import documents_passages_link, passage_marks_from_rows, passage_rows, sentences


def passage_marks(documents, shown_ids):
    """Each document's marks as the reader builds them: its rows, then its marks."""
    rows = passage_rows([d.pk for d in documents], shown_ids)
    return {document.pk: passage_marks_from_rows(document, rows[document.pk], shown_ids) for document in documents}


pytestmark = pytest.mark.django_db


@pytest.fixture
def linked_seeds(extracted_seeds):
    documents_passages_link(documents=extracted_seeds.values())
    return extracted_seeds


def test_the_afp_passage_two_seeds_share_is_marked_shared_in_both(linked_seeds):
    kyiv_afp, guardian = linked_seeds["001"], linked_seeds["004"]
    afp_side = SharedPassage.objects.get(document=kyiv_afp, other_document=guardian, similarity__gte=85)
    guardian_side = SharedPassage.objects.get(document=guardian, other_document=kyiv_afp)
    afp_text = kyiv_afp.canonical_text[afp_side.start : afp_side.end]
    guardian_text = guardian.canonical_text[guardian_side.start : guardian_side.end]
    for text in (afp_text, guardian_text):
        assert "artillery shells and antitank missiles from" in text
        assert "which wants advanced satellite and nuclear-powered submarine technology in return" in text
    # Whole words only: the passage neither starts nor ends inside a word.
    for document, side in ((kyiv_afp, afp_side), (guardian, guardian_side)):
        text = document.canonical_text
        assert side.start == 0 or text[side.start - 1].isspace()
        assert side.end == len(text) or text[side.end].isspace()


def test_sentences_no_other_shown_source_has_are_marked_unique(linked_seeds):
    kyiv_afp, guardian = linked_seeds["001"], linked_seeds["004"]
    marks = passage_marks([kyiv_afp], [kyiv_afp.pk, guardian.pk])[kyiv_afp.pk]
    classes = [dict(mark.attrs)["class"] for mark in marks]
    assert classes.count("passage passage--shared") == 1
    unique = [
        kyiv_afp.canonical_text[m.start : m.end] for m in marks if dict(m.attrs)["class"] == "passage passage--unique"
    ]
    assert any("Wearing a dark suit and smiling widely" in text for text in unique)
    assert not any("antitank missiles" in text for text in unique)
    assert passage_marks([kyiv_afp], [kyiv_afp.pk]) == {kyiv_afp.pk: []}  # alone, nothing is shared or unique


def test_unrelated_articles_share_nothing(linked_seeds):
    assert not SharedPassage.objects.filter(document=linked_seeds["000"], other_document=linked_seeds["003"]).exists()


def test_sentences_cover_their_text_exactly(linked_seeds):
    document = linked_seeds["002"]
    for sentence in sentences(document):
        assert document.canonical_text[sentence.start : sentence.end] == sentence.text


def test_the_compare_view_carries_the_passage_marks(client, linked_seeds):
    kyiv_afp, guardian = linked_seeds["001"], linked_seeds["004"]
    html = client.get(reverse("compare") + f"?doc={kyiv_afp.pk}&doc={guardian.pk}").content.decode()
    assert html.count("passage passage--shared") == 2
    assert "passage passage--unique" in html and 'id="show-passages"' in html


def test_the_bound_before_the_alignment_never_turns_away_a_shared_pair():
    """shared_between skips the alignment when the two sentences have too little in common for
    it to score SHARED; over sentences reworded a little and a lot, it says exactly what the
    alignment alone says."""
    import random

    from rapidfuzz import fuzz

    from readingroom.coverage.passages import MIN_SHARED_CHARACTERS, SHARED, Sentence, _comparable, shared_between

    words = (
        "the convoy left the southern port on tuesday under naval escort after the blockade was lifted "
        "and officials said a second ship would follow within ten days carrying grain and oil"
    ).split()
    rng = random.Random(15)
    agree = shared = 0
    for _ in range(1500):
        start = rng.randrange(0, 10)
        own = words[start : start + rng.randrange(8, 20)]
        other = [rng.choice(words) if rng.random() < rng.choice([0.05, 0.15, 0.3]) else word for word in own]
        other = words[: rng.randrange(0, 5)] + other + words[: rng.randrange(0, 5)]
        a = Sentence(1, 0, len(" ".join(own)), " ".join(own))
        b = Sentence(2, 0, len(" ".join(other)), " ".join(other))
        short, long_ = (a, b) if len(a.text) <= len(b.text) else (b, a)
        alignment = fuzz.partial_ratio_alignment(_comparable(short.text), _comparable(long_.text), score_cutoff=SHARED)
        expected = alignment is not None and alignment.src_end - alignment.src_start >= MIN_SHARED_CHARACTERS
        agree += (shared_between(a, b) is not None) == expected
        shared += expected
    assert agree == 1500
    assert 300 < shared < 1200  # both kinds of pair were tried
