"""Sentence spans and tokens with exact offsets into the document (SPEC §6).

Every claim's evidence is a sentence span, so the splitter decides what an analyst sees as
"the sentence that carries it"; every later component reads tokens, so the tokenizer runs on
every sentence that holds a trigger. Both therefore have two hard constraints:

* offsets are Python ``str`` indices into the text exactly as read, end exclusive, never into a
  normalised copy, so that ``text[start:end]`` is the evidence verbatim;
* time is linear in the input, whatever the input. Both are passes of precompiled
  regular expressions whose repeated parts are possessive or guarded by a lookbehind, so the
  engine never rescans a run (a line of a million dots, 50 MB without a space); the Python
  code does bounded work per candidate boundary or per token.

Decisions the rules below encode, so that callers can rely on them:

* Contractions follow the Penn Treebank: "don't" is "do" + "n't", "can't" is "ca" + "n't",
  "Kim's" is "Kim" + "'s" (also "'ll", "'re", "'ve", "'d", "'m"); the clitic keeps the
  apostrophe as written, straight or curly, so consumers compare against both spellings.
* Hyphenated words ("Shahed-136", "mid-2024", "US-made"), decimals and grouped numbers
  ("1.3", "2.5bn", "10,000"), dotted abbreviations ("U.S.", "e.g.", "E.H.") and titles
  ("Mr.", "Gen.") are one token; a sentence-final period after "U.S." stays inside "U.S.".
* An ellipsis inside a quote usually marks omitted words, not a sentence end, so "..." or "…"
  splits only before a word that typically starts a sentence or before an opening quote.
* Hard-wrapped wire text breaks lines mid-sentence, so a single newline splits only after
  terminal punctuation or after a heading. A heading is a short line that starts a sentence,
  ends in neither punctuation nor a function word, and is followed by a line that its next
  word would have fitted on: a wrapped line broke exactly because that word did not fit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate
from operator import sub


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    lower: str


# --- sentences -------------------------------------------------------------------------------

_CLOSERS = "\"'”’»)]}"
_OPENERS = "\"'“‘«([{"

_WORD_AT = re.compile(r"[^\W\d_]{1,14}(?![^\W\d_])")
_SPEECH_TAIL = re.compile(
    r"(?:[A-Z][\w'’.-]{0,30}\s+){1,6}"  # "Deputy Defence Minister Jan Novak said."
    r"(?:said|says|added|adds|asked|replied|wrote|stated|told reporters|insisted|concluded)"
    r"\s*[.,;:]"
)
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
_LEADING_SPACE = re.compile(r"\s*+")
# A line that opens with one of these is a list item, never the continuation of a wrapped line.
_BULLETS = "•●▪◦‣"

# Abbreviations whose period (almost) never ends a sentence: a title binds to the name after
# it, a month to its day, "e.g." to its example.
_NEVER_FINAL = frozenset(
    [
        "Mr",
        "Mrs",
        "Ms",
        "Messrs",
        "Dr",
        "Gen",
        "Gens",
        "Lt",
        "Col",
        "Maj",
        "Capt",
        "Sgt",
        "Cpl",
        "Pvt",
        "Adm",
        "Cmdr",
        "Cdr",
        "Brig",
        "Gov",
        "Sen",
        "Sens",
        "Rep",
        "Reps",
        "Rev",
        "Prof",
        "St",
        "Mt",
        "Ft",
        "Atty",
        "Hon",
        "Amb",
        "Supt",
        "Insp",
        "Det",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Aug",
        "Sep",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
        "vs",
        "v",
        "e.g",
        "i.e",
        "cf",
        "viz",
        "approx",
        "est",
        "Fig",
    ]
)
# Abbreviations that end a sentence when they come last in it ("...sold by the U.S."): the
# period then does double duty, and only the next word can tell.
_MAY_END = frozenset(["Inc", "Corp", "Co", "Cos", "Ltd", "Jr", "Sr", "Bros", "etc", "al"])
# "No." is an abbreviation only before a number ("No. 5"); otherwise it is the word "no".
_NUMBER_SIGN = frozenset({"No", "no", "NO", "Nos", "nos"})
# Capitalised words that begin sentences far more often than they follow an abbreviation or
# an ellipsis inside one: after "U.S." or "…" they decide for a boundary.
_STARTERS = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "It",
        "Its",
        "He",
        "She",
        "They",
        "We",
        "I",
        "You",
        "But",
        "However",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "Then",
        "On",
        "At",
        "Meanwhile",
        "Also",
        "And",
        "Yet",
        "So",
        "Still",
        "Now",
        "After",
        "Before",
        "When",
        "While",
        "As",
        "If",
        "Since",
        "Although",
        "Though",
        "Despite",
        "According",
        "Last",
        "Earlier",
        "Later",
        "Some",
        "Many",
        "Most",
        "Other",
        "Others",
        "Both",
        "Each",
        "Such",
        "For",
        "With",
        "By",
        "Under",
        "Over",
        "Instead",
        "Moreover",
        "Furthermore",
        "Nevertheless",
        "Nonetheless",
        "His",
        "Her",
        "Their",
        "Our",
        "My",
        "What",
        "Why",
        "How",
        "Where",
        "Who",
        "No",
        "Not",
        "Only",
        "Even",
        "Until",
    ]
)
# Words a wrapped line often ends on and a heading almost never does.
_FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "for",
        "and",
        "or",
        "nor",
        "but",
        "by",
        "with",
        "from",
        "at",
        "as",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "will",
        "would",
        "could",
        "should",
        "may",
        "might",
        "can",
        "must",
        "shall",
        "its",
        "their",
        "his",
        "her",
        "our",
        "said",
        "says",
        "than",
        "into",
        "about",
        "after",
        "before",
        "over",
        "under",
        "not",
        "no",
        "if",
        "so",
        "such",
        "this",
        "these",
        "those",
        "than",
        "between",
        "against",
        "during",
        "without",
        "within",
    ]
)


# A candidate boundary is a whitespace gap after terminal punctuation (and any closing quotes
# or brackets), or a gap that starts with a newline. The lookbehind makes a match start only
# at the first character of a run of terminal punctuation, and the possessive quantifiers
# never backtrack into a run, which keeps the scan linear on a line of a million dots or a
# megabyte of spaces.
#
# Each pattern opens with one literal character, which the engine finds with a tight loop in
# C; a pattern opening with a character class instead tests every character of the document
# through a function call, which made that scan most of the cost of splitting. So each
# character that can open a gap has its own pattern and scan (see `split_sentences`).
#
# Most candidates are decided by the pattern itself, so that the loop reads the decision from
# `lastindex` without slicing out words:
#
# * `p`, `q`: the plain "word. Next": one period after two word characters, a gap with no
#   newline (`p`) or one (`q`), then a capital, a digit or an opening quote. That ends a
#   sentence (`_ends_sentence` is true) unless the word is an abbreviation; two word characters
#   before the period rule out an initial ("R.") and a dotted word ("U.S."), so only the listed
#   abbreviations remain, and lookbehinds fail wherever the text ends with one of them. Four
#   lowercase ASCII letters before the period, the commonest case, leave only the few listed
#   words with such an ending to exclude, a much shorter test than the whole list.
# * `r`: terminal punctuation, then a gap with two newlines or more: a paragraph ends.
# * `w`: any other terminal punctuation; no group: a newline without it.
#
# `p`, `q` and `r` are tried first, and where they fail, the general alternatives match the
# same span as they did without them, because every gap still ends at the first non-space.
def _not_after(words: frozenset[str]) -> str:
    """Negative lookbehinds, one per length (a lookbehind has a fixed width), that fail where
    the text before a period ends with one of `words`."""
    by_len: dict[int, list[str]] = {}
    for w in sorted(words):
        by_len.setdefault(len(w), []).append(re.escape(w))
    return "".join(f"(?<!(?:{'|'.join(ws)})\\.)" for _, ws in sorted(by_len.items()))


# the abbreviations that a period after two word characters can follow
_WORDY_ABBREVIATIONS = frozenset(
    w for w in _NEVER_FINAL | _MAY_END | _NUMBER_SIGN if len(w) > 1 and "." not in w
)
_PLAIN_AFTER = r"(?=[A-Z0-9\"'“‘«(\[{])"
# what follows the first character of a run of terminal punctuation
_AFTER_MARK = (
    r"(?:(?=\s)(?>(?<=[a-z]{4}\.)"
    + _not_after(frozenset(w for w in _WORDY_ABBREVIATIONS if re.fullmatch("[a-z]{4}", w[-4:])))
    + r"|(?<=\w\w\.)"
    + _not_after(_WORDY_ABBREVIATIONS)
    + r")(?:(?P<p>[^\S\n]++)"
    + _PLAIN_AFTER
    + r"|(?P<q>[^\S\n]*+\n[^\S\n]*+)"
    + _PLAIN_AFTER
    + r")"
    + r"|(?<![.!?…]{2})[.!?…]*+(?P<c>[\"'”’»)\]}]*+)"
    + r"(?:(?P<r>[^\S\n]*+\n[^\S\n]*+\n\s*+)(?=\S)|(?P<w>\s++)))"
)
_PERIOD_GAP = re.compile(r"\." + _AFTER_MARK)
# "!", "?" and "…" are rare: their scans run only where the document holds one (`in` is a
# memchr). Their patterns keep the period-only alternatives, which fail at once, so that the
# group numbers are the same in every pattern.
_MARK_GAPS = tuple((mark, re.compile(re.escape(mark) + _AFTER_MARK)) for mark in "!?…")
# A newline right after terminal punctuation, after one space or closing quote after it, or
# after another newline always lies inside an earlier gap (every newline opens or continues
# one); the lookbehinds drop those in C, and the loop skips the rarer others that do (see
# `split_sentences`).
_NEWLINE_GAP = re.compile(r"\n(?<![.!?…\n]\n)(?<![.!?…\n]\s\n)(?<![.!?…][\"'”’»)\]}]\n)\s*+")
_PLAIN_SAME_LINE = _PERIOD_GAP.groupindex["p"]
_PLAIN_NEXT_LINE = _PERIOD_GAP.groupindex["q"]
_PARAGRAPH = _PERIOD_GAP.groupindex["r"]
_START = re.Match.start
_HEADING_MAX_CHARS = 100
_HEADING_MAX_WORDS = 8
# lines longer than this are paragraphs, not hard-wrapped wire text (wrapped at ~50-80)
_WRAP_MAX_CHARS = 100
_WORD_BEFORE_CHARS = 32


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of a whole document, in order, each stripped of
    surrounding whitespace, end exclusive; every non-whitespace character belongs to exactly one
    span."""
    n = len(text)
    last = len(text.rstrip())
    spans: list[tuple[int, int]] = []
    sent_start = n - len(text.lstrip())
    line_start = sent_start
    # The gaps of every scan in the order of the text. Gaps never overlap except where a
    # newline lies inside the gap of terminal punctuation before it, which a scan of all the
    # characters at once would have consumed there; such a newline starts before the
    # `line_start` that the gap set (only gaps with a newline have one inside), and is skipped.
    gaps = list(_PERIOD_GAP.finditer(text, sent_start))
    gaps += _NEWLINE_GAP.finditer(text, sent_start)
    for mark, pattern in _MARK_GAPS:
        if mark in text:
            gaps += pattern.finditer(text, sent_start)
    gaps.sort(key=_START)
    for m in gaps:
        kind = m.lastindex
        if kind in (_PLAIN_SAME_LINE, _PLAIN_NEXT_LINE):
            # "word. Next" (see `_PERIOD_GAP`): a boundary unless it ends a list number
            at, gap_end = m.span()
            if kind == _PLAIN_NEXT_LINE:
                line_start = gap_end
            if at - sent_start > 3 or not text[sent_start:at].isdigit():
                spans.append((sent_start, at + 1))
                sent_start = gap_end
            continue
        if kind == _PARAGRAPH:
            spans.append((sent_start, m.start(kind)))
            sent_start = line_start = m.end()
            continue
        if kind is None:
            # a newline with no terminal punctuation before it
            end = m.start()
            if end < line_start:
                continue  # inside the gap of terminal punctuation (see above)
            gap_end = m.end()
            if gap_end >= n:
                break
            if text[end - 1].isspace():
                end = line_start + len(text[line_start:end].rstrip())
            if (
                m.group().count("\n") > 1
                or text[gap_end] in _BULLETS
                or (sent_start == line_start and _is_heading(text, line_start, end, gap_end))
            ):
                spans.append((sent_start, end))
                sent_start = gap_end
            line_start = gap_end
            continue
        # terminal punctuation, then a gap with at most one newline
        gap_end = m.end()
        if gap_end >= n:
            break
        end = m.start(kind)
        newline = "\n" in text[end:gap_end]
        if newline:
            line_start = gap_end
        if _ends_sentence(text, m.start(), m.start("c"), end, gap_end, newline) and not (
            # a list number ("1. Drones were sent.") is never a sentence on its own
            m.start() - sent_start <= 3 and text[sent_start : m.start()].isdigit()
        ):
            spans.append((sent_start, end))
            sent_start = gap_end
    if sent_start < last:
        spans.append((sent_start, last))
    return spans


def _ends_sentence(text: str, at: int, closers: int, end: int, nxt: int, newline: bool) -> bool:
    """Whether terminal punctuation text[at:closers], then closers up to `end`, ends a sentence,
    given the first character after the gap at `nxt`."""
    ch = text[nxt]
    if ch.islower():
        return False
    if closers < end:
        # A quote or bracket closed after the punctuation ends at least a quoted sentence,
        # unless only its attribution follows ('...conditions." Rumsfeld said.'): splitting
        # there would cut the quote from its speaker (SPEC §5).
        return _SPEECH_TAIL.match(text, nxt) is None
    if closers - at == 1 and text[at] == ".":
        kind = _abbreviation(text, at, ch)
        if kind == "never":
            return False
        if kind == "may":
            return ch in _OPENERS or _starts_sentence(text, nxt)
    elif "!" not in text[at:closers] and "?" not in text[at:closers]:
        # "..." or "…": an omission inside a quote unless a sentence plainly begins
        return ch in _OPENERS or _starts_sentence(text, nxt)
    return newline or ch.isupper() or ch.isdigit() or ch in _OPENERS


def _abbreviation(text: str, at: int, following: str) -> str:
    """'never', 'may' or '' for the word before the period at `at`."""
    seg = text[max(0, at - _WORD_BEFORE_CHARS) : at]
    if not seg or seg[-1].isspace():
        return ""
    parts = seg.rsplit(None, 1)  # the last word, and whether anything precedes it
    if (
        len(parts) == 1
        and at > _WORD_BEFORE_CHARS
        and not text[at - _WORD_BEFORE_CHARS - 1].isspace()
    ):
        return ""  # longer than any abbreviation
    # "Lambert-St." is "St." to the reader
    word = parts[-1].lstrip(_OPENERS).rpartition("-")[2].rpartition("—")[2]
    if word in _NEVER_FINAL:
        return "never"
    if word in _NUMBER_SIGN:
        return "never" if following.isdigit() else ""
    if (
        word in _MAY_END
        or (len(word) == 1 and word.isupper())
        or ("." in word and _DOTTED.fullmatch(word))
    ):
        return "may"
    return ""


def _starts_sentence(text: str, at: int) -> bool:
    m = _WORD_AT.match(text, at)
    return m is not None and m.group() in _STARTERS


def _is_heading(text: str, start: int, end: int, nxt: int) -> bool:
    """Whether the line text[start:end], which starts a sentence and has no terminal
    punctuation, is a heading rather than the first line of a hard-wrapped sentence."""
    if not 0 < end - start <= _HEADING_MAX_CHARS:
        return False
    ch = text[nxt]
    if not (ch.isupper() or ch.isdigit() or (ch in _OPENERS and text[nxt + 1 : nxt + 2].isupper())):
        return False
    line = text[start:end]
    if line[0].islower() or not (line[-1].isalnum() or line[-1] in _CLOSERS):
        return False
    words = line.split()
    if len(words) > _HEADING_MAX_WORDS or words[-1].lower() in _FUNCTION_WORDS:
        return False
    if nxt + _WRAP_MAX_CHARS <= len(text) and text.find("\n", nxt, nxt + _WRAP_MAX_CHARS) == -1:
        return True  # the next line is longer than any wrapped line: the text is not wrapped
    # Hard-wrapped text, or short lines. A wrapped line broke because the next word did not
    # fit, so a heading's next line must be long enough to have taken the heading plus that
    # word. A wrapped first line can still be short where a dateline was cut off before it
    # ("The Pratt and Whitney Government\nProducts Division..."), so the next line must also
    # open the way sentences do.
    m = _WORD_AT.match(text, nxt)
    if m is None or m.group() not in _STARTERS:
        return False
    need = len(line) + 1 + m.end() - nxt
    return nxt + need <= len(text) and text.find("\n", nxt, nxt + need) == -1


# --- tokens ----------------------------------------------------------------------------------

_CLITIC = r"(?i:[sdm]|ll|re|ve)\b"
# Each match is the whitespace before a token and the token, so matches are contiguous and the
# engine never tries and fails a match at a space; only a run of trailing whitespace matches
# without a token. Contiguity is also what lets `token_columns` read offsets from the lengths
# of the matches instead of from match objects. There are no groups: ``findall`` then returns
# one plain string per match rather than a tuple per token.
_TOKEN = re.compile(
    r"\s*+(?:"
    # fast paths, which most tokens take: a word of letters that nothing joins to the next
    # characters, and punctuation that never joins anything. The ASCII word comes first
    # because the engine tests [a-zA-Z] against a bitmap but [^\W\d_] through Unicode
    # category lookups; where it fails (a non-ASCII letter follows), the general form runs.
    r"[a-zA-Z]++(?![-.'’\w])"
    r"|[^\W\d_]++(?![-.'’\w])"
    r"|[^\w\s.'’`\-]"
    # titles and other period-final abbreviations, guarded so most words skip the alternation
    r"|(?=[A-Za-z]{1,6}\.)(?:Mr|Mrs|Ms|Messrs|Dr|Gen|Gens|Lt|Col|Maj|Capt|Sgt|Cpl|Pvt|Adm|Cmdr"
    r"|Cdr|Brig|Gov|Sen|Sens|Rep|Reps|Rev|Prof|St|Mt|Ft|Atty|Hon|Amb|Supt|Insp|Det|Jan|Feb|Mar"
    r"|Apr|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Corp|Co|Cos|Ltd|Jr|Sr|Bros|vs|approx|est|etc|al)\.(?!\w)"
    r"|No\.(?=\s*\d)"
    # dotted abbreviations: U.S., e.g., E.H., U.S.-made
    r"|[^\W\d_](?:\.[^\W\d_](?!\w))+\.?(?:-\w+)*"
    # a middle initial: Christopher R. Hill
    r"|[A-Z]\.(?=\s+[A-Z])"
    # do|n't, Kim|'s
    r"|(?=\w++['’])\w+(?=(?i:n['’]t)\b)"
    r"|(?i:n['’]t)\b"
    rf"|(?<=[\w.])['’]{_CLITIC}"  # "U.S.'s" too
    # words: hyphens, decimals, thousands groups and non-clitic apostrophes stay inside
    rf"|\w+(?:[-.]\w+|(?<=\d),\d{{3}}(?!\d)|['’](?!{_CLITIC})\w+)*"
    r"|\.{2,}|-{2,}|''|``"
    r"|[^\w\s]"
    # "or nothing", written as an empty alternative rather than as "(...)?": the engine runs
    # an optional group through its general repeat machinery, which saves and restores the
    # group marks at every alternative tried inside it, per token; the result is the same
    r"|)"
)


class _TokenSlots:
    """Token's memory layout without its frozen `__setattr__`: a scratch object to fill.

    A frozen dataclass sets each field through a method call, in its `__init__` and through
    the slot descriptors' `__set__` alike. Plain attribute stores on this mutable twin are the
    interpreter's fastest path to a slot; assigning `__class__` afterwards (allowed because
    both classes have exactly the same slots) makes the object a genuine, frozen `Token`. The
    same device builds lexicon mentions (`lexicon._MentionSlots`).
    """

    __slots__ = Token.__slots__
    start: int
    end: int
    text: str
    lower: str


_new = object.__new__


def make_token(start: int, end: int, text: str, lower: str) -> Token:
    """Token(start, end, text, lower), built the cheap way (see `_TokenSlots`)."""
    t = _new(_TokenSlots)
    t.start = start
    t.end = end
    t.text = text
    t.lower = lower
    t.__class__ = Token  # type: ignore[assignment]  # see the _TokenSlots docstring
    return t  # type: ignore[return-value]  # it is a Token now


def token_columns(
    text: str, start: int = 0, end: int | None = None
) -> tuple[list[int], list[int], list[str]]:
    """Starts, ends and texts of the tokens of text[start:end], offsets into the full text.

    The tokens of `tokenize` as three parallel lists, for callers that index tokens by
    position (`SentenceView`) and need no `Token` objects. ``findall`` returns every match
    as a string without building a match object; because matches are contiguous from
    `start`, running sums of their lengths are the token ends, and a token is its match
    without the leading whitespace. Every step stays in C. (With the whitespace and the
    token as two groups, ``findall`` builds a tuple per token, which costs more than the
    stripping.)
    """
    found = _TOKEN.findall(text, start, len(text) if end is None else end)
    while found and (not found[-1] or found[-1].isspace()):
        found.pop()  # trailing whitespace, and the empty match findall ends on
    ends = list(accumulate(map(len, found), initial=start))
    del ends[0]
    texts = list(map(str.lstrip, found))
    return list(map(sub, ends, map(len, texts))), ends, texts


def make_tokens(
    starts: list[int], ends: list[int], texts: list[str], lowers: list[str]
) -> list[Token]:
    """Token(start, end, text, lower) for each position of the four lists."""
    return list(map(make_token, starts, ends, texts, lowers))


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of text[start:end] with offsets into the full text."""
    starts, ends, texts = token_columns(text, start, end)
    return make_tokens(starts, ends, texts, list(map(str.lower, texts)))
