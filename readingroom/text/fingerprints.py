"""Fingerprints of sentences and quotes: small integers that two texts share when they share
wording, so that a new document is compared only with the sentences and quotes that have some
of its words, found through an index, never with the whole library pair by pair.

A sentence's fingerprints are hashes of its *content-word shingles*: runs of ``SHINGLE`` words
after function words ("the", "of", "said") are dropped. Two wordings of one passage differ in
punctuation, quotation marks, an article or a tense here and there; their content-word runs stay
the same. Function-word runs ("one of the") would make every sentence a candidate of every
other, which is the cost the index is there to avoid.

A quote's fingerprints are its content words themselves: translations of one statement share
words, not runs of them.

Hashes are the first 8 bytes of BLAKE2b, as a signed 64-bit integer (what a database's
``bigint`` holds), so they are the same in every process and on every machine.
"""

from __future__ import annotations

import hashlib
import re

SHINGLE = 3

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

# English function words, and the verbs of reporting that every news sentence has.
STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can cannot could couldn't did didn't do does doesn't
    doing don't down during each either few for from further had hadn't has hasn't have haven't
    having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll
    i'm i've if in into is isn't it it's its itself just let's may me might more most must
    mustn't my myself neither no nor not now of off on once only or other ought our ours
    ourselves out over own per same says said say shall shan't she she'd she'll she's should
    shouldn't so some such than that that's the their theirs them themselves then there there's
    these they they'd they'll they're they've this those though through to too told under until
    up upon us very via was wasn't we we'd we'll we're we've were weren't what what's when
    when's where where's whether which while who who's whom whose why why's will with within
    without won't would wouldn't yet you you'd you'll you're you've your yours yourself
    yourselves mr mrs ms
    """.split()
)


def content_words(text: str) -> list[str]:
    """The text's words, case-folded and with typographic apostrophes made plain, less the
    function words."""
    words = (match.group().casefold().replace("’", "'") for match in _WORD.finditer(text))
    return [word for word in words if word not in STOPWORDS]


def stable_hash(value: str) -> int:
    """A signed 64-bit hash that is the same in every process."""
    digest = hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def sentence_fingerprints(text: str) -> set[int]:
    """The hashes of the sentence's content-word shingles (one shingle of all its content words
    when it has fewer than ``SHINGLE``)."""
    words = content_words(text)
    if not words:
        return set()
    if len(words) < SHINGLE:
        return {stable_hash(" ".join(words))}
    return {stable_hash(" ".join(words[i : i + SHINGLE])) for i in range(len(words) - SHINGLE + 1)}


def quote_fingerprints(text: str) -> set[int]:
    """The hashes of the quote's distinct content words."""
    return {stable_hash(word) for word in content_words(text)}
