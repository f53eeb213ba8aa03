"""Who said a quotation, read from the grammar of its sentence (coverage/speakers.py)."""

import re

from readingroom.coverage.speakers import ORGANISATION, PERSON, Named, quote_speakers

QUOTE = re.compile(r"“[^”\n]+”|\"[^\"\n]+\"")


def speakers_of(text, **names):
    """Each quotation's speaker, by the name given for it (``Ann_Lee=PERSON`` marks every
    "Ann Lee" of the text as that person)."""
    ids = {}
    named = []
    for key, kind in names.items():
        surface = key.replace("_", " ")
        ids[len(ids) + 1] = surface
        for match in re.finditer(re.escape(surface), text):
            named.append(Named(match.start(), match.end(), len(ids), kind))
    quotes = [(m.start(), m.end()) for m in QUOTE.finditer(text)]
    return [ids.get(speaker) if speaker else None for speaker in quote_speakers(text, quotes, named)]


def test_it_takes_the_one_who_tells_not_the_one_told():
    text = "“We will rebuild the bridge before winter,” Ann Lee told Bo Park."
    assert speakers_of(text, Ann_Lee=PERSON, Bo_Park=PERSON) == ["Ann Lee"]


def test_it_reads_the_speaker_after_the_verb_past_an_apposition():
    text = "“The water rose faster than anyone expected,” said Ann Lee, 44, who has lived by the river since 1990."
    assert speakers_of(text, Ann_Lee=PERSON) == ["Ann Lee"]


def test_it_reads_the_speaker_before_a_colon():
    text = "Bo Park said: “Nobody told us the road would close tonight.”"
    assert speakers_of(text, Bo_Park=PERSON) == ["Bo Park"]


def test_a_pronoun_is_the_person_named_before_it():
    text = (
        "Ann Lee runs a bakery on the quay. Her shop lost power for two days.\n\n"
        "“We threw away everything in the fridges,” she said."
    )
    assert speakers_of(text, Ann_Lee=PERSON) == ["Ann Lee"]


def test_a_pronoun_is_not_a_name_of_its_own_sentence():
    text = "Cal Ortiz spoke first.\n\nDee Moss wanted to show “that the town can stand on its own”, he says."
    assert speakers_of(text, Cal_Ortiz=PERSON, Dee_Moss=PERSON) == ["Cal Ortiz"]


def test_of_two_people_in_a_sentence_the_one_who_said_something_is_he():
    text = (
        "Dee Moss is in trouble, Cal Ortiz, a professor of history, told reporters.\n\n"
        "“Nobody in the party will stand by him now,” he said."
    )
    assert speakers_of(text, Dee_Moss=PERSON, Cal_Ortiz=PERSON) == ["Cal Ortiz"]


def test_a_role_is_the_organisation_the_article_described_with_it():
    text = (
        "Harbour Works, the company that built the pier, said repairs would start on Monday.\n\n"
        "“Our engineers are on site and the work is on schedule,” the company said."
    )
    assert speakers_of(text, Harbour_Works=ORGANISATION) == ["Harbour Works"]


def test_a_name_in_apposition_to_a_role_is_the_speaker():
    text = "“We have seen nothing like it,” the head of the port authority, Eli Stone, said."
    assert speakers_of(text, Eli_Stone=PERSON) == ["Eli Stone"]


def test_a_quotation_without_a_verb_continues_the_one_before_it():
    text = "“The ferry will run again on Friday,” Ann Lee said. “Tickets bought for this week stay valid.”"
    assert speakers_of(text, Ann_Lee=PERSON) == ["Ann Lee", "Ann Lee"]


def test_a_paragraph_of_quotation_alone_continues_the_paragraph_before():
    text = "“The ferry will run again on Friday,” Ann Lee said.\n\n“Tickets bought for this week stay valid.”"
    assert speakers_of(text, Ann_Lee=PERSON) == ["Ann Lee", "Ann Lee"]


def test_somebody_the_article_does_not_name_is_no_speaker():
    text = "Ann Lee closed her shop early.\n\n“It was like the whole street went dark at once,” one resident said."
    assert speakers_of(text, Ann_Lee=PERSON) == [None]


def test_a_name_inside_the_quotation_is_not_its_speaker():
    text = "“Ann Lee did everything she could for the town,” he said."
    assert speakers_of(text, Ann_Lee=PERSON) == [None]


def test_the_verb_just_before_a_quotation_beats_a_role_after_it():
    text = "Asked about the talks, Ann Lee replied, “We will sign when we are ready,” the minister emphasised."
    assert speakers_of(text, Ann_Lee=PERSON) == ["Ann Lee"]


def test_a_noun_spelled_like_a_verb_of_naming_is_not_that_verb():
    text = (
        "Gov. Ann Lee, speaking on Friday, called the crews who answered the harbour’s distress call "
        "“the finest people this state has ever trained,” and said they had saved lives."
    )
    assert speakers_of(text, Ann_Lee=PERSON) == ["Ann Lee"]


def test_the_agent_of_a_passive_verb_is_the_speaker():
    text = "The new sea wall was called “a careful and honest answer to the flood” by Mayor Ann Lee."
    assert speakers_of(text, Ann_Lee=PERSON) == ["Ann Lee"]


def test_a_pronoun_inside_what_somebody_reports_is_that_person():
    text = (
        "Bo Park spoke to the crews first.\n\n"
        "Ann Lee said the town would pay and that she had told her staff to “find every family a bed tonight”."
    )
    assert speakers_of(text, Bo_Park=PERSON, Ann_Lee=PERSON) == ["Ann Lee"]


def test_who_thanks_somebody_says_the_words_of_the_thanks():
    text = "Ann Lee thanked Bo Park for the loan, “for standing by us when every bank said no”, at the opening."
    assert speakers_of(text, Ann_Lee=PERSON, Bo_Park=PERSON) == ["Ann Lee"]


def test_the_one_quoted_as_saying_is_the_speaker_not_who_quotes_them():
    text = "Ann Lee runs the ferry.\n\n“We will sail again once the harbour wall is safe,” local radio quoted her as saying."
    assert speakers_of(text, Ann_Lee=PERSON) == ["Ann Lee"]


def test_a_quotation_paragraph_continues_across_a_paragraph_of_narration():
    text = (
        "“The ferry will run again on Friday,” Ann Lee said.\n\n"
        "The crossing has been closed since the storm damaged the pier.\n\n"
        "“Tickets bought for this week stay valid.”"
    )
    assert speakers_of(text, Ann_Lee=PERSON) == ["Ann Lee", "Ann Lee"]


def test_a_quotation_paragraph_does_not_continue_past_somebody_else_speaking():
    text = (
        "“The ferry will run again on Friday,” Ann Lee said.\n\n"
        "Bo Park, who owns the kiosk on the pier, said he had heard nothing of it.\n\n"
        "“Tickets bought for this week stay valid.”"
    )
    assert speakers_of(text, Ann_Lee=PERSON, Bo_Park=PERSON) == ["Ann Lee", None]


def test_a_pronoun_finds_the_person_named_a_few_paragraphs_before():
    text = (
        "There is more at stake than ferries, according to Ann Lee, a historian of the coast.\n\n"
        "The island lost its bank in 2019 and its school in 2021.\n\n"
        "Most of its shops now close in winter.\n\n"
        "“Without the boat the island empties for good,” she said."
    )
    assert speakers_of(text, Ann_Lee=PERSON) == ["Ann Lee"]


def quotations_of(text, **names):
    """The quotations ``quotations`` finds, as (words, speaker's name), names marked as in ``speakers_of``."""
    from readingroom.coverage.quotes import quotations

    ids, named = {}, []
    for key, kind in names.items():
        surface = key.replace("_", " ")
        ids[len(ids) + 1] = surface
        named += [Named(m.start(), m.end(), len(ids), kind) for m in re.finditer(re.escape(surface), text)]
    return [(q.text, ids.get(q.speaker_id)) for q in quotations(text, named)]


def test_a_quotation_running_on_over_paragraphs_is_found_and_is_of_who_is_named_at_its_end():
    text = (
        "Bo Park closed the kiosk early.\n\n"
        "“We have sold nothing since the pier shut and the buses stopped coming down to the harbour.\n\n"
        "“If the ferry does not run by June we will not open again,” Ann Lee said."
    )
    assert quotations_of(text, Bo_Park=PERSON, Ann_Lee=PERSON) == [
        ("We have sold nothing since the pier shut and the buses stopped coming down to the harbour.", "Ann Lee"),
        ("If the ferry does not run by June we will not open again,", "Ann Lee"),
    ]


def test_a_mark_left_open_with_no_quotation_after_it_is_no_quotation():
    text = 'The old pier was 40 feet long and 6" thick in places, Ann Lee said.\n\nIt was rebuilt in 1990.'
    assert quotations_of(text, Ann_Lee=PERSON) == []
