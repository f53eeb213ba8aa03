"""Step 4: find the web chrome around the article (sign-up prompts, teasers, photo captions,
aggregator wrappers) with general rules rather than a list of exact strings, helped by the
lines the article shares with other documents of its publication."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from .normalising import _normalise_lines
from .paragraphs import _Para
from .predicates import _ends_sentence, _is_fragment, _is_header_line, _is_headline_like, _word_count

# Generic web chrome, matched on short lines only (CHROME_MAX_WORDS).
_CHROME_LINE_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^sign (?:up|in)\b",
        r"\bsign in here\b",
        r"^(?:log ?in|register)(?: here| now)?$",
        r"^already (?:a member|a subscriber|subscribed|have an account)\b",
        r"^subscribe\b",
        r"\bsubscribe (?:now|today)\b",
        r"\bdownload (?:the|our) app\b",
        r"^(?:related|recommended|more|other|latest|popular|trending|top)\s+"
        r"(?:stories|articles|news|content|topics|reads|videos|headlines)\b[^.!?]{0,40}$",
        r"^(?:image|media|video|photo|audio) caption\s*,?$",
        r"\bcorrection or clarification\b",
        r"\bctrl\s*\+\s*enter\b",
        r"\bfree trial\b",
        r"\bdays? free$",
        r"^(?:our|editor[’']?s|staff) picks?$",
        r"^(?:start|continue|keep) reading\b",
        r"\bnews from\b.*\b(?:titles|sites|publications|sources)\b",
        r"\b\d+(?:[’']s|\+) (?:of )?(?:premium |trusted )?(?:global )?"
        r"(?:titles|sites|publications|sources)\b",
        r"^share (?:this )?(?:article|story|page|on \w+)?$",
        r"^(?:advertisement|advertising|sponsored(?: content)?|promoted)$",
        r"^(?:read|see) (?:more|also)(?:\s*:.*)?$",
        r"^follow us\b",
        r"\bcookies?\b.*\b(?:accept|consent|settings|policy)\b",
        r"^(?:skip to (?:main )?content|back to top)$",
        r"\ball rights reserved\b",
        # A copyright line, the page's buttons, a rule drawn in characters.
        r"^(?:©|\(c\) \d{4}|copyright\b)",
        r"^(?:share|copy link|print|e-?mail|save|comments?|listen|gift this article)$",
        r"^[\W_]+$",
        r"^advertisement\b",
        # A wire desk's initials at the end of the copy ("ab-cv/rlp").
        r"^[a-z]{2,5}(?:-[a-z]{2,5})*/[a-z]{2,5}$",
        # "Was this useful? Yes No", "Updated 6 min ago", "Tags: …", "With AFP".
        r"\b(?:helpful|useful)\?\s*yes\s*/?\s*no$",
        r"^(?:updated\s+)?\d+\s+(?:sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?)\s+ago$",
        r"^(?:tags|topics|filed under)\s*:",
        r"^[—–-]?\s*with (?:files|reporting) from\b[^.!?]{0,60}$",
        r"^with (?:afp|ap|reuters|agencies|wires?)$",
        # "4 min read", "4 min", "Listen · 8:41": reading and listening times.
        r"^(?:listen\b[^.!?]{0,30}?\s*[·|:(]?\s*)?\(?\d{1,2}(?::\d{2})?\s*(?:min(?:ute)?s?)?(?:\s+read)?\)?$",
        r"^listen to this\b[^.!?]{0,40}$",
        # Live pages' controls: "Load earlier entries", "Show key events only", "Show latest updates".
        r"^(?:load|show|see) (?:earlier|more|older|newer|latest|all|key)\b[^.!?]{0,40}$",
        r"\b(?:turn on|enable) javascript\b",
        # Comment prompts.
        r"\bcomments? (?:are|is|have been) (?:closed|disabled|off)\b",
        r"^(?:log ?in|sign ?in|register|subscribe)\b[^.!?]{0,30}\bto (?:comment|see (?:the )?comments)\b",
        r"^join the (?:conversation|discussion)\b",
        r"^comment on this\b",
        # Teaser labels: "Most read", "Related coverage" ("More Opinion": _SECTION_LABEL).
        r"^related\s+\w+$",
        r"^most (?:read|viewed|popular|shared|watched|commented)$",
        r"^back to\b[^.!?]{0,30}$",
        r"^more (?:columns|stories|articles|posts|reporting|from|by)\b",
        # Newsletter and app prompts, offers.
        r"\bin your inbox\b",
        r"^you(?: are|['’]re) receiving\b",
        r"^join (?:our|us)\b",
        r"\b\d{1,2} ?% off\b[^.!?]{0,40}\b(?:only|today|now|code)\b",
        # Who supplied the copy, and how to reach them.
        r"^(?:media|press) (?:contacts?|enquiries|inquiries)\s*:?$",
        r"^our standards\s*:",
        r"^sources?\s*:",
    )
)
CHROME_MAX_WORDS = 20

# A chrome line that introduces a list of other articles' headlines.
_TEASER_LABEL = re.compile(
    r"^[^:]{1,30}:$|^(?:More|MORE) (?:[A-Z]\w*|coverage|stories)$|^(?:related(?: \w+)?|most (?:read|viewed|popular))$",
    re.IGNORECASE,
)
TEASER_MAX_WORDS = 16
PROSE_MIN_WORDS = 15
_MENU_SEPARATOR = re.compile(r"\s+[|/›»>·]\s+")
MENU_PIECE_MAX_WORDS = 4

# Longer lines that are still chrome by how they start or what they hold.
_LONG_CHROME_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # "Related: …", "Most viewed: … · …", "Also in Opinion: …": a label and teasers.
        r"^(?:related(?: \w+)?|most (?:read|viewed|popular|shared)|also (?:in|on) [^:.!?]{1,25}|"
        r"more (?:on|from|in) [^:.!?]{1,25}|read (?:more|also|next)|see also)\s*:",
        # A wire slug or credit: "(Reporting by …; Editing by …)", "Reporting was contributed by …",
        # "Associated Press writers … contributed to this report", "Additional reporting by …".
        r"^\(?(?:additional )?(?:reporting|writing|editing)\b(?: was contributed)? by\b",
        r"\bcontributed (?:to )?(?:this|the) (?:report|story|article)\.?\)?$",
        # "This article was reproduced from …", "This transcript was produced with …".
        r"^this (?:article|story|transcript|report|text) (?:was|has been|is|may)\s+(?:\w+\s+)?(?:reproduced|republished|"
        r"produced|created|generated|provided|adapted|translated|updated|amended|corrected|originally|"
        r"contain|not be)\b",
        # An e-mail address: a contact or tips line, an author's note.
        r"[\w.+-]+@[\w-]+\.[\w.]+",
    )
)
LONG_CHROME_MAX_WORDS = 60

# An author's note at the end of the copy: "… is a writer and researcher in …", "… writes about
# trade for …", "… covers …" (a name of two to four words first).
_AUTHOR_NOTE = re.compile(
    r"^(?:[A-Z][\w’'-]+ ){1,3}[A-Z][\w’'-]+ (?:is (?:a|an|the|[\w’']+[’']s) [^.!?]{0,60}\b(?:writer|columnist|"
    r"correspondent|reporter|editor|contributor|journalist|author|researcher|critic)\b|writes (?:about|on|for)\b|"
    r"covers\b)"
)
AUTHOR_NOTE_MAX_WORDS = 45
# A photo's caption ends with its credit after the last sentence: "… March 26, 2024.
# REUTERS/Staff Photographer", "… 2023. - Karim Drissi / AFP", "… dive. (The Canadian Press)".
_TRAILING_CREDIT = re.compile(
    r"[.!?]\s+(?:[-–—]\s*|©\s*)?(?:(?:[^\s.!?/]+\s+){0,5}[^\s.!?/]*\s*/\s*(?:[^\s.!?/]+\s*){1,5}"
    r"|\((?:[A-Z][\w’'.-]*\s*/?\s*){1,6}\))\)?$"
)
# "Share: Facebook · X · Email", "Share   Save   Print", "Download", "Embed": page buttons.
_BUTTON_WORDS = frozenset(
    "share this story article page on via facebook twitter x email e-mail mail whatsapp linkedin "
    "reddit telegram bluesky threads print save copy link comment comments download embed "
    "subscribe newsletter gift".split()
)

# Credits at the END of a line mark the whole line as an image alt text or
# caption, however long ("…in Sevastopol, Crimea.Image source, Reuters").
_IMAGE_SOURCE = re.compile(r"image source\s*,\s*[^,.;:!?]{1,80}$", re.IGNORECASE)
_PHOTO_CREDIT = re.compile(
    r"(?:\b(?:Photograph|Photo|Picture|Illustration|Composite|Image|Video)s?\s*:\s*[^.!?:]{2,80}"
    r"|\((?:[Pp]hoto|[Pp]icture|[Ii]mage)s? by [^)]{2,80}\))$"
)
CAPTION_MAX_WORDS = 80
# A caption with its credit is short; longer paragraphs ending "… (Reuters)" are the copy itself.
CREDITED_CAPTION_MAX_WORDS = 45
# Case matters: "More Opinion", "More coverage", "Get the Morning Standard" are a site's own
# labels and offers; "More rain" or "Get the facts" may be a subheading.
_SECTION_LABEL = re.compile(r"^(?:More|MORE) (?:[A-Z]\w*|coverage|stories)$|^Get (?:the|our) [A-Z][^.!?]{1,40}$")
_CAPTION_MARKER = re.compile(r"^(?:image|media|video|photo|audio) caption\s*,?$", re.IGNORECASE)

STANDFIRST_MAX_WORDS = 60
ALT_TEXT_MAX_WORDS = 25


def _sibling_lines(sibling_texts: Sequence[str]) -> set[str]:
    lines = set()
    for text in sibling_texts:
        for line in _normalise_lines(text):
            if line:
                lines.add(_key(line))
    return lines


def _key(text: str) -> str:
    """Comparison key: case and spacing do not matter."""
    return " ".join(text.casefold().split())


@dataclass
class _Chrome:
    """Paragraphs found to be chrome so far, with their texts for repeat checks."""

    indexes: set[int] = field(default_factory=set)
    positions_by_key: dict[str, list[int]] = field(default_factory=dict)
    # Labels of a list of other articles ("Read more:", "More Opinion") and the teasers under them.
    teasers: set[int] = field(default_factory=set)

    def add(self, index: int, para: _Para) -> None:
        self.indexes.add(index)
        self.positions_by_key.setdefault(_key(para.text), []).append(index)

    def __contains__(self, index: object) -> bool:
        return index in self.indexes

    def positions(self, para: _Para) -> list[int]:
        return self.positions_by_key.get(_key(para.text), [])


def _find_boilerplate(paras: list[_Para], sibling_lines: set[str]) -> set[int]:
    """Indexes of paragraphs that are web chrome, not article text.

    Seeds come from generic patterns, credits and sibling documents; then the
    chrome grows to its neighbours by the rules in ``_joins_chrome`` until
    nothing changes."""
    chrome = _Chrome()
    # Menus above the headline are the page's header, which the title's rules read (masthead,
    # breadcrumb): below the article's first paragraph of prose, a menu line is a footer.
    first_prose = next((i for i, para in enumerate(paras) if _is_prose(para.text)), len(paras))
    for i, para in enumerate(paras):
        if para.structural:
            continue
        if _is_chrome_seed(para) or (i > first_prose and _is_menu_line(para.text)):
            chrome.add(i, para)
            if _TEASER_LABEL.search(para.text):
                chrome.teasers.add(i)
    dense = _is_dense(paras)
    changed = True
    while changed:
        changed = False
        for i, para in enumerate(paras):
            if i in chrome or para.structural:
                continue
            if _joins_chrome(i, paras, chrome, sibling_lines, dense):
                chrome.add(i, para)
                changed = True
    images = {i for i, para in enumerate(paras) if para.image_only}
    return chrome.indexes | images


def _is_chrome_seed(para: _Para) -> bool:
    text = para.text
    words = _word_count(text)
    if words <= CAPTION_MAX_WORDS and (_IMAGE_SOURCE.search(text) or _PHOTO_CREDIT.search(text)):
        return True
    # A line shared with a sibling document is never chrome on its own strength: two
    # articles of one publication may share a subheading or a quote, and what is kept
    # must not depend on which articles were imported first. It only joins chrome
    # found by the other rules (see ``_joins_chrome``).
    if words <= CHROME_MAX_WORDS and any(p.search(text) for p in _CHROME_LINE_PATTERNS):
        return True
    if words <= LONG_CHROME_MAX_WORDS and any(p.search(text) for p in _LONG_CHROME_PATTERNS):
        return True
    if words <= CREDITED_CAPTION_MAX_WORDS and _TRAILING_CREDIT.search(text.rstrip("*_ ")):
        return True
    if words <= AUTHOR_NOTE_MAX_WORDS and _AUTHOR_NOTE.match(text):
        return True
    return _is_button_row(text) or bool(_SECTION_LABEL.match(text))


def _is_prose(text: str) -> bool:
    return _word_count(text) >= PROSE_MIN_WORDS and _ends_sentence(text)


def _is_teaser(text: str) -> bool:
    """A headline: not a sentence, not the article's byline or date."""
    return _word_count(text) <= TEASER_MAX_WORDS and not _ends_sentence(text) and not _is_header_line(text)


def _is_menu_line(text: str) -> bool:
    """A breadcrumb, a section menu or a footer: short pieces between " | ", " / ", " › ", " · "
    ("NEWS / LOCAL", "Opinion | Commentary", "Contact us | Advertise | Privacy")."""
    pieces = _MENU_SEPARATOR.split(text.strip())
    return (
        len(pieces) >= 2
        and all(0 < _word_count(piece) <= MENU_PIECE_MAX_WORDS and not _ends_sentence(piece) for piece in pieces)
        and not _is_header_line(text)
    )


def _is_button_row(text: str) -> bool:
    words = re.findall(r"[\w-]+", text.casefold())
    return 0 < len(words) <= 12 and all(word in _BUTTON_WORDS for word in words)


def _is_dense(paras: list[_Para]) -> bool:
    """No blank lines between paragraphs: groups then say nothing about layout."""
    boundaries = len(paras) - 1
    blank_boundaries = sum(a.group != b.group for a, b in pairwise(paras))
    return boundaries > 0 and blank_boundaries * 3 < boundaries


def _joins_chrome(
    i: int,
    paras: list[_Para],
    chrome: _Chrome,
    sibling_lines: set[str],
    dense: bool,
) -> bool:
    para = paras[i]
    if _is_header_line(para.text):
        return False  # a byline or a date line glued to a button is still the article's header
    before = paras[i - 1] if i > 0 and i - 1 in chrome else None  # chrome neighbours only
    after = paras[i + 1] if i + 1 < len(paras) and i + 1 in chrome else None
    glued = [n for n in (before, after) if n is not None and n.group == para.group]

    # A run of short lines glued (no blank line) to a chrome line is more of
    # the same menu/wrapper: "The Guardian - AU", "World", "One app." …
    if glued and _is_tight_chrome_candidate(para.text, _is_enclosed(i, paras, chrome, dense)):
        return True

    # Shared with a sibling document and sitting next to chrome. A shared
    # full sentence must be glued to it: across a blank line it may be a
    # quote both articles use.
    if (before or after) and _key(para.text) in sibling_lines:
        if glued or not _ends_sentence(para.text):
            return _word_count(para.text) <= STANDFIRST_MAX_WORDS

    # "Image caption," / "Media caption," introduce the caption paragraph.
    if before is not None and _CAPTION_MARKER.match(before.text):
        return _word_count(para.text) <= CAPTION_MAX_WORDS

    # Alt text right above a credited caption ("Kim Yo-jong" / "… Photograph: X").
    if after is not None and after in glued and _PHOTO_CREDIT.search(after.text):
        return _word_count(para.text) <= ALT_TEXT_MAX_WORDS and not _ends_sentence(para.text)

    # Under a label of other articles ("Read more:", "More Opinion"), their headlines.
    if before is not None and i - 1 in chrome.teasers and para.kind != "heading" and _is_teaser(para.text):
        chrome.teasers.add(i)
        return True

    # The same headline shown twice around a chrome run is a teaser …
    if _is_fragment(para.text) and chrome.positions(para):
        return True
    # … and the paragraph right after its last repetition is the teaser's standfirst.
    if before is not None and _is_last_repeated_headline(i - 1, before, chrome):
        return _is_standfirst(para.text)
    return False


def _is_tight_chrome_candidate(text: str, enclosed: bool) -> bool:
    if _is_headline_like(text):
        return True
    if _word_count(text) <= 8 and len(text) <= 60:
        # A short *sentence* ("One app.") joins only when chrome encloses it;
        # "He declined to comment." right above "Advertisement" is article text.
        return enclosed or not _ends_sentence(text)
    return False


def _is_enclosed(i: int, paras: list[_Para], chrome: _Chrome, dense: bool) -> bool:
    """Chrome on both sides, or chrome on one side and the file's edge on the
    other (an aggregator header starts the file). Without blank lines
    (``dense``) the edge says nothing, so both sides must be chrome."""
    edge_counts = not dense
    before = i - 1 in chrome or (edge_counts and i == 0)
    after = i + 1 in chrome or (edge_counts and i == len(paras) - 1)
    return before and after


def _is_last_repeated_headline(index: int, para: _Para, chrome: _Chrome) -> bool:
    if not _is_headline_like(para.text):
        return False
    positions = chrome.positions(para)
    return len(positions) >= 2 and index == max(positions)


def _is_standfirst(text: str) -> bool:
    sentences = len(re.findall(r"[.!?…](?:\s|$)", text))
    return _word_count(text) <= STANDFIRST_MAX_WORDS and sentences <= 2


def _leading_run(paras: list[_Para], removed: set[int]) -> list[str]:
    """Texts of the removed paragraphs at the very top (an aggregator header)."""
    header = []
    for i, para in enumerate(paras):
        if i not in removed:
            break
        header.append(para.text)
    return header
