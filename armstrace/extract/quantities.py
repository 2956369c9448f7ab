"""Amounts in a sentence: how many or how much, and how firmly the writer put it (SPEC §3).

A claim's quantity is `{"value", "qualifier", "unit"}`. This module finds the expressions a
quantity can be read from; pairing one with an item is left to the caller
(`pipeline._quantity_for`), which knows where the items are. Decisions the rules encode:

* The qualifier is one of SPEC §3's four. A hedge ("about", "some", "nearly", "an estimated",
  "300 or so", "300-odd") is `approx`; a floor ("over", "more than", "at least", "300-plus")
  is `at_least`; a ceiling ("up to", "fewer than", "as many as") is `at_most`; else `exact`.
* A vague amount is its floor, as SPEC §3 reads "hundreds of drones" (100, at_least): the
  plural magnitude itself ("dozens of" 12, "tens of thousands of" 10,000), "several" 3, "a
  few" 2. SPEC §3 has no range form, so "20 to 30", "20-30" and "between 20 and 30" are the
  floor both ends agree on: 20, at_least.
* The span covers qualifier, currency and measure word, so that the caller's gap test between
  quantity and item sees only the words in between.
* `unit` is set only where the expression itself names what is counted: an ISO 4217 code for
  money ("$" is USD, "¥" JPY), or a measure or container word ("tonnes", "containers"). A plain
  count leaves it None and the caller takes the item's head noun: there the counted noun *is*
  the item, a lexicon mention that the span must not swallow.
* Numbers that are not amounts are skipped: years (bare 1900-2100 with nothing countable after
  it), dates, times, ordinals, percentages, durations, distances, calibres ("155mm"), compounds
  ("10-year", "500-kg bomb") and designations ("S-400", "Leopard 2", "Type 055"). Returning
  them would hand the caller "400 S-400s".

Time is linear in the input: one precompiled scan for candidate starts, then per candidate a
bounded look back (`_LOOKBACK` characters) and anchored, possessive matches forward, and the
scan resumes after whatever a candidate consumed, so a megabyte of digits is read once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class QuantityHit:
    start: int
    end: int
    value: int | float
    qualifier: str
    unit: str | None
    unit_start: int | None
    unit_end: int | None
    is_money: bool


def _words_of(text: str) -> list[str]:
    """A word list written as one string, which keeps the vocabularies below readable."""
    return text.split()


_CARDINALS = {
    w: (i, "u" if i < 10 else "t")
    for i, w in enumerate(
        _words_of(
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
            "fifteen sixteen seventeen eighteen nineteen"
        ),
        1,
    )
}
_CARDINALS |= {
    w: (10 * i, "x")
    for i, w in enumerate(_words_of("twenty thirty forty fifty sixty seventy eighty ninety"), 2)
}
_CARDINALS |= {
    "hundred": (100, "h"),
    "dozen": (12, "d"),
    "thousand": (10**3, "s"),
    "million": (10**6, "s"),
    "billion": (10**9, "s"),
    "trillion": (10**12, "s"),
}
# which word may follow which: unit, teen, tens, hundred, scale, dozen, and "a"/"several" (v)
_NEXT_OK = {"u": "hsd", "t": "hsd", "x": "usd", "h": "utxs", "s": "utx", "v": "hsd", "d": ""}
_ABBR = {
    "k": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "bln": 10**9,
    "tn": 10**12,
    "trn": 10**12,
    "lakh": 10**5,
    "lakhs": 10**5,
    "crore": 10**7,
    "crores": 10**7,
    "hundred": 100,
    "dozen": 12,
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
}
_PLURALS = {
    "tens": 10,
    "dozens": 12,
    "scores": 20,
    "hundreds": 100,
    "thousands": 10**3,
    "millions": 10**6,
    "billions": 10**9,
    "trillions": 10**12,
}
_VAGUE = {"couple": ("approx", 2), "pair": ("exact", 2), "handful": ("at_least", 2)}

# phrase before a number -> SPEC §3 qualifier ("between" opens a range)
_QUALIFIER_PHRASES = {
    "approx": "about|around|roughly|some|nearly|almost|approximately|approx.|circa|estimated|"
    "an estimated|close to|more or less|just about",
    "at_least": "over|above|exceeding|more than|at least|upwards of|in excess of|no fewer than|"
    "no less than|not less than|not fewer than|a minimum of|well over|just over|"
    "well above|greater than",
    "at_most": "under|below|up to|fewer than|less than|no more than|not more than|at most|"
    "a maximum of|as many as|as much as|just under|just below",
    "between": "between",
}
_QUALIFIERS = {
    tuple(phrase.split()): qual
    for qual, phrases in _QUALIFIER_PHRASES.items()
    for phrase in phrases.split("|")
}
_SUFFIX_QUAL = {
    "more": "at_least",
    "above": "at_least",
    "over": "at_least",
    "so": "approx",
    "fewer": "at_most",
    "less": "at_most",
    "+": "at_least",
    "-plus": "at_least",
    "-odd": "approx",
    "-strong": "",
}

_PREFIX_CODES = {
    "$": "USD",
    "US$": "USD",
    "U$": "USD",
    "$US": "USD",
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "NT$": "TWD",
    "HK$": "HKD",
    "S$": "SGD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₩": "KRW",
    "₽": "RUB",
    "₴": "UAH",
    "₹": "INR",
    "Rs": "INR",
    "RMB": "CNY",
}
# the first key found in a currency word names its code; qualified dollars come before "dollar"
_WORD_CODES = (
    ("australian", "AUD"),
    ("canadian", "CAD"),
    ("taiwan", "TWD"),
    ("hong", "HKD"),
    ("singapore", "SGD"),
    ("dollar", "USD"),
    ("dlr", "USD"),
    ("swiss", "CHF"),
    ("french", "FRF"),
    ("mark", "DEM"),
    ("pound", "GBP"),
    ("sterling", "GBP"),
    ("stg", "GBP"),
    ("euro", "EUR"),
    ("yen", "JPY"),
    ("yuan", "CNY"),
    ("renminbi", "CNY"),
    ("won", "KRW"),
    ("uble", "RUB"),
    ("hryvn", "UAH"),
    ("rupee", "INR"),
    ("shekel", "ILS"),
    ("lira", "TRY"),
    ("zlot", "PLN"),
    ("riyal", "SAR"),
    ("dirham", "AED"),
    ("rmb", "CNY"),
)
_CODES = "USD|EUR|GBP|JPY|CNY|RMB|KRW|RUB|UAH|INR|AUD|CAD|CHF|TWD|ILS|SAR|AED|PLN|HKD|SGD"

_MONTHS = frozenset(
    _words_of(
        "January February March April May June July August September October November December "
        "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
    )
)
# words before a bare 1900-2100 that make it a year, whatever follows ("Ukraine's 1991 borders")
_YEAR_BEFORE = frozenset(
    _words_of(
        "in since by from until till through throughout during before after of to between early "
        "late mid circa year fiscal fy the its their this that last next summer spring autumn fall "
        "winter a an s"
    )
) | {m.lower() for m in _MONTHS}
# names a number belongs to when it follows them after one space: "Leopard 2", "Type 055"
_DESIGNATIONS = frozenset(
    _words_of(
        "Type Mk Mark Model Block Batch Tranche Flight Phase Series Version Increment Lot Project "
        "Stream Article Resolution Section Chapter Paragraph Clause Annex Protocol Unit Route "
        "Highway Gate Pier Building Room Apollo Soyuz Falcon Leopard Challenger Merkava Arrow "
        "Mirage Boeing Airbus Embraer Sukhoi Su MiG Mi Ka Il Tu Yak Kh Shahed Mohajer Geran Lancet "
        "Orlan Zala Hwasong Pukguksong Nodong Taepodong Unha Chollima Malligyong Kwangmyongsong "
        "Haeil Shahab Fateh Ghadr Sejjil Zolfaghar Dezful Kheibar Khorramshahr Emad Qiam Toufan "
        "Strela Zuzana Patriot Iskander Tochka Tor Buk Harpy Spike Heron Hermes Gripen No Nos "
        "Number number"
    )
)
# upper-case words that are actors or currencies, not model names, before a number
_NOT_DESIGNATIONS = frozenset(
    _words_of(
        "A I US UK EU UAE USA UN ROK DPRK PRC NATO KSA DRC IDF IRGC GCC AU "
        + _CODES.replace("|", " ")
    )
)
_ONE_BEFORE = frozenset(_words_of("no the this that any every each which"))
_ONE_AFTER = frozenset(_words_of("of another day time point way side hand thing by after or and"))
_GROUP_NOUNS = frozenset(
    _words_of(
        "countries nations sides leaders governments states parties allies neighbours neighbors "
        "men women companies firms ministers presidents militaries armies navies powers capitals "
        "koreas"
    )
)
_COUNT_NOUNS = frozenset(
    _words_of(
        "aircraft personnel people men women staff materiel equipment ammunition artillery "
        "weaponry hardware"
    )
)
_NOT_PLURAL = frozenset(
    _words_of(
        "its has was does goes says as yes whereas always perhaps towards afterwards besides "
        "sometimes ours theirs news thus plus unless"
    )
)
_FUNCTION = frozenset(
    _words_of(
        "the a an and or but of to in on at for by with from as is are was were be been has have "
        "had will would could should may might can this that these those it its he she they we "
        "which who"
    )
)

_WS = r"[ \t\r\n\u00a0\u202f\u2009]"
_CUR_PREFIX = (
    r"(?:U(?:\.?S\.?)? ?\$|\$US|AU?\$|CA?\$|NT\$|HK\$|S\$|[$€£¥₩₽₴₹]|Rs\.?|"
    rf"(?:{_CODES})(?=[ \u00a0]?\d)){_WS}?(?=\d)"
)
# The leading class lets the engine skip in C to a possible first character; "a" and "half"
# are checked for their magnitude word here, since "a" alone is in every sentence.
_CARDINAL_RE = "|".join(w for w, (_, k) in _CARDINALS.items() if k in "utx")


def _by_first_letter(words: list[str]) -> str:
    """An alternation of `words`, matched case-insensitively, grouped by first letter.

    The engine skips an alternative whose first character does not fit only when that
    character is a case-sensitive literal or class; under (?i) it enters every alternative.
    Opening each group with an explicit class ("[tT]") lets it skip all but one group at each
    word start, where the flat list of some forty words was tried word by word. The first
    character of a candidate is always ASCII (the lookahead in `_CANDIDATE` says so), so
    "[tT]" accepts exactly what (?i:t) would there. The words are letters only and a word
    boundary follows the alternation, so at most one word fits and their order is immaterial.
    """
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[0].lower(), []).append(w[1:])
    return "|".join(
        f"[{c}{c.upper()}](?i:{'|'.join(rests)})" for c, rests in sorted(groups.items())
    )


_CANDIDATE_BODY = (
    r"(?:"
    rf"(?P<cur>{_CUR_PREFIX})"
    r"|(?P<d>\d)"
    rf"|(?P<w>(?:{_by_first_letter(['several', *_CARDINAL_RE.split('|'), *_PLURALS])})\b"
    rf"|[aA](?i:n?(?={_WS}++(?:few|couple|handful|pair|hundred|thousand|million|billion"
    rf"|trillion|dozen)\b))|[hH](?i:alf(?={_WS}++an?{_WS})))"
    r")"
)
_CANDIDATE = re.compile(r"(?=[\d$€£¥₩₽₴₹A-Za-z])(?<![\w.,/:#+])" + _CANDIDATE_BODY)
# `_CANDIDATE` opens with assertions, so `search` gives the engine no first character to skip
# to: it runs the whole pattern at every position of the sentence, which made the scan for
# candidates the dearest regex of the pipeline. `_SCAN` is the same alternatives behind a
# consumed character that `_CANDIDATE`'s lookbehind accepts and a lookahead for a character
# they can begin with (the letters are derived from the same word lists, so the lookahead
# rejects only what every alternative would). Opening with a character class, it lets the
# engine skip in C to such a character; the lookahead turns away most words at once, and the
# alternatives each begin with a literal or class the engine checks before entering it. One
# `search` thus finds the next candidate start, where a Python loop used to try `_CANDIDATE`
# after every word; `_next_candidate` then takes the match object from `_CANDIDATE` at that
# start, so its groups and span are exactly those `_CANDIDATE.search` would give.
_FIRST_CHARS = (
    {k[0] for k in _PREFIX_CODES}
    | {code[0] for code in _CODES.split("|")}
    | {
        c
        for w in ("several", *_CARDINAL_RE.split("|"), *_PLURALS, "a", "half")
        for c in (w[0].lower(), w[0].upper())
    }
)
_SCAN = re.compile(
    r"[^\w.,/:#+](?=[\d"
    + "".join(re.escape(c) for c in sorted(_FIRST_CHARS))
    + "])"
    + _CANDIDATE_BODY
)
_CUR_AT = re.compile(_CUR_PREFIX)
_RUN = re.compile(r"\d++")
_ALPHA = re.compile(r"[^\W\d_]++")
_GROUPS = re.compile(
    r"(?:,\d{3}(?!\d))++|(?:\.\d{3}(?!\d)){2,}+"
    r"|(?:[ \u00a0\u202f\u2009]\d{3}(?![\w-]))++(?!\s*+-?\s*+(?i:mm|millim|cm|calib))"
)
_SCALE_WORDS = (
    r"thousand|million|billion|trillion|hundred|dozen|mln|mn|bln|bn|trn|tn|lakhs?|crores?"
)
_DECIMAL_COMMA = re.compile(rf",(\d{{1,2}})(?!\d)(?={_WS}?(?i:{_SCALE_WORDS})\b)")
_SCALE = re.compile(rf"(?:{_WS}|-)?(?P<w>(?i:{_SCALE_WORDS}))\b|(?P<a>[kKmMbB])(?!\w)")
_NEXT_NUMWORD = re.compile(rf"(?:{_WS}++(?P<and>and{_WS}++)?|-)(?P<w>[A-Za-z]++)")
_NEXT_WORD = re.compile(rf"{_WS}*+([^\W\d_]++)")
_HALF = re.compile(rf"{_WS}++an?{_WS}++(?P<w>(?i:hundred|thousand|million|billion|dozen))\b")
_PLURAL_OF = re.compile(rf"{_WS}++of{_WS}++(?P<w>(?i:{'|'.join(_PLURALS)}))\b")
_OF_MORE = re.compile(rf"{_WS}++(?i:of|more)\b")
_RANGE = re.compile(rf"{_WS}*+[-–—‑]{_WS}*+|{_WS}++(?P<c>to|or|and){_WS}++")
_CUR_WORD = re.compile(
    rf"(?:{_WS}++|-)(?P<c>(?i:(?:(?:U\.?S\.?|American|Australian|Canadian"
    r"|(?:New )?Taiwan(?:ese)?|Hong Kong|Singapore) )?(?:dollars?|dlrs?)|stg"
    r"|(?:Swiss|French) francs?|(?:Deutsche|German) marks|pounds? sterling|sterling|pounds?"
    r"|euros?|yen|yuan|renminbi|won|ro?ubles?|hryvn[iy]as?|rupees?|shekels?|liras?|zlotys?"
    rf"|riyals?|dirhams?)|{_CODES})\b"
)
_OF_CUR_WORD = re.compile(rf"{_WS}++of{_CUR_WORD.pattern}")
_SUFFIX = re.compile(
    rf"{_WS}++or{_WS}++(?P<q>(?i:more|so|fewer|less|above|over))\b"
    r"|(?P<s>\+|(?i:-plus|-odd|-strong))(?![\w+])"
)
_MEASURE = re.compile(
    rf"(?:{_WS}++(?P<u>(?i:metric tons|metric tonnes|short tons|tons?|tonnes?|kilotons?|megatons?"
    r"|kilotonnes?|megatonnes?|kilogra(?:m|mme)s?|kilos|kgs?|pounds|lbs?|litres?|liters?"
    r"|barrels|gallons|units?|pieces|containers?|shipments?|consignments?|batch(?:es)?|crates?"
    r"|boxes|truckloads?|trainloads?|railcars?|wagons?|pallets?))|(?P<a>kgs?|lbs?))(?!\w)"
)
_NOT_AMOUNT = re.compile(
    r"\s*+(?:%|(?i:per\s?cent|percent|pct|percentage)\b|[x×]\s*+\d)|['’]s\b|[-‑]?[^\W\d_]"
    r"|\s++(?i:seconds?|minutes?|hours?|hrs|days?|nights?|weeks?|months?|years?|yrs|decades?"
    r"|centur(?:y|ies)|times|fold|degrees?|km|kms|kilomet(?:er|re)s?|miles?|nautical"
    r"|met(?:er|re)s?|m|feet|foot|ft|yards?|inch(?:es)?|mm|millimet(?:er|re)s?|cm|calibre"
    r"|caliber|cal|mph|knots?|kph|km/h|a\.m\.|p\.m\.|am|pm|gmt|utc|points?|seats?|votes?|mw"
    r"|gw|kw|hp|horsepower|cents?|cts|hectares?|acres?|square|sq|bc|ad|bce|thirds?|quarters?"
    r"|halves|fifths?|tenths?)(?![\w/])"
)
_MONTH_AFTER = re.compile(rf"{_WS}++(?:of{_WS}++)?(?:{'|'.join(_MONTHS)})\b")
_LOOKBACK = 48
_MAX_DIGITS = 18


@dataclass(slots=True)
class _Num:
    value: Decimal
    end: int
    mult: int = 1  # the scale word's factor, so that "1-2 million" can lend it to the 1
    implied: str | None = None  # a qualifier the wording carries: "dozens of" is at_least
    plain4: bool = False  # four bare digits: perhaps a year
    words: bool = False
    lone_one: bool = False
    attached: bool = False  # "2m", "5k": a million or metres? decided by what follows
    code: str | None = None
    unit: tuple[int, int] | None = None


def find_quantities(
    text: str, start: int = 0, end: int | None = None, *, before: int | None = None
) -> list[QuantityHit]:
    """Quantity expressions within text[start:end], offsets into `text`, in order, disjoint.

    With `before`, the scan stops at the first number (or currency sign) that begins at or
    after that offset. What it returns is the start of the full list, since each hit depends
    only on the text from the end of the one before it, and it holds every hit that ends by
    `before`. Assembly takes no quantity that ends after the last item of a sentence, so the
    rest of the sentence is not read.
    """
    end = len(text) if end is None else min(end, len(text))
    stop = end if before is None else min(before, end)
    hits: list[QuantityHit] = []
    pos = floor = max(0, start)
    while (m := _next_candidate(text, pos, end)) is not None and m.start() < stop:
        hit, resume = _read(text, m, floor, end)
        if hit is not None:
            hits.append(hit)
            pos = floor = hit.end
        else:
            pos = max(resume, m.start() + 1)
    return hits


def _next_candidate(text: str, pos: int, end: int) -> re.Match[str] | None:
    """``_CANDIDATE.search(text, pos, end)``, trying the pattern only where it can match.

    A match starts at `pos` only if the character before it (or the start of the text)
    passes the lookbehind, so the scan for the character before a start begins at pos - 1.
    """
    if pos >= end:
        return None
    if pos == 0:
        m = _CANDIDATE.match(text, 0, end)
        if m is not None:
            return m
    before = _SCAN.search(text, max(0, pos - 1), end)
    if before is None:
        return None
    return _CANDIDATE.match(text, before.start() + 1, end)


def _read(text: str, m: re.Match[str], floor: int, end: int) -> tuple[QuantityHit | None, int]:
    """The hit a candidate start opens, or None and where to resume the scan."""
    p = m.start()
    if p > 1 and text[p - 1] in "-‑–" and text[p - 2].isalnum():
        return None, p + 1  # "Su-34", "mid-2023", "COVID-19", "one-way"
    num = _number(text, m.end("cur") if m.group("cur") else p, end)
    if num is None or isinstance(num, int):
        return None, num or p + 1
    if m.group("cur"):
        num.code = _PREFIX_CODES.get(
            m.group("cur").strip().replace(".", "").replace(" ", ""), m.group("cur").strip()
        )
        num.unit = (p, p + len(m.group("cur").rstrip()))
    lo = max(floor, p - _LOOKBACK)
    before = _words_before(text, p, lo)
    hs, qual, name = p, None, False
    if p > lo and text[p - 1] == "~":
        hs, qual = p - 1, "approx"
    elif before:
        hs, qual = _qualifier(before, hs)
        w0, s0 = before[0][1], before[0][0]
        tight = s0 + len(w0) + 1 == p
        if (
            not num.words
            and num.code is None
            and ((tight and _designation(w0)) or w0.rstrip(".") in _MONTHS)
        ):
            return None, num.end
        # "Nord Stream 2", "City 17": a name unless something countable follows, as after
        # "sold Ukraine 31" it does
        name = (
            tight
            and qual is None
            and not num.words
            and w0[0].isupper()
            and w0.lower() not in _FUNCTION
        )
    q = num.end
    ranged = False
    rng = _RANGE.match(text, q, end)
    if rng and (rng.group("c") != "and" or qual == "between"):
        q2 = rng.end()
        if (cm := _CUR_AT.match(text, q2, end)) is not None:
            q2 = cm.end()
        second = _number(text, q2, end) if q2 < end and not text[q2].isspace() else None
        if isinstance(second, _Num):
            if (
                num.plain4
                and 1900 <= num.value <= 2100
                and (
                    (second.plain4 and 1900 <= second.value <= 2100)
                    or (rng.group("c") is None and second.end - q2 == 2)
                )
            ):
                return None, num.end  # "2022-23", "2022 to 2024"
            if num.mult == 1 and second.mult > 1 and num.value * second.mult <= second.value:
                num.value *= second.mult
            if second.value > num.value:
                ranged, q, num.plain4 = True, second.end, False
                num.attached = num.attached or second.attached
                num.code = num.code or second.code
    if qual == "between":
        hs, qual = (hs, None) if ranged else (p, None)
    if num.code is None and (cw := _CUR_WORD.match(text, q, end)) is not None:
        word = cw.group("c")
        scaled = num.mult > 1 or num.implied is not None
        if not (word.lower().startswith("pound") and not scaled and "sterling" not in word) and (
            word.lower() != "won" or num.value >= 1000
        ):
            num.code, num.unit, q = _word_code(word), cw.span("c"), cw.end()
    if num.attached and num.code is None and not _countable(text, q, end):
        return None, num.end  # "500m" is metres unless shells follow
    suffix = None
    if (sm := _SUFFIX.match(text, q, end)) is not None:
        suffix = _SUFFIX_QUAL[(sm.group("q") or sm.group("s")).lower()]
        q = sm.end()
    unit = None
    if num.code is None and (mu := _MEASURE.match(text, q, end)) is not None:
        g = "u" if mu.group("u") else "a"
        unit, num.unit, q = mu.group(g), mu.span(g), mu.end()
    if _NOT_AMOUNT.match(text, q, end) or (not num.words and _MONTH_AFTER.match(text, q, end)):
        return None, num.end
    if text.startswith((",", ".", ":", "/"), q) and text[q + 1 : q + 2].isdigit():
        return None, num.end
    if num.code is None and unit is None and not ranged:
        prev = before[0][1].lower() if before else ""
        year = num.plain4 and 1900 <= num.value <= 2100
        if (
            (year and qual is None and prev in _YEAR_BEFORE)
            or (year and not _countable(text, q, end))
            or (name and not _countable(text, q, end, names=True))
        ):
            return None, num.end
        nxt = _NEXT_WORD.match(text, q, end)
        after = nxt.group(1).lower() if nxt else ""
        if num.lone_one and (prev in _ONE_BEFORE or not after or after in _ONE_AFTER):
            return None, num.end
        if (
            num.words
            and prev in ("the", "both", "these", "those", "all")
            and (after in _GROUP_NOUNS)
        ):
            return None, num.end
    qualifier = qual or ("at_least" if ranged else None) or suffix or num.implied or "exact"
    value = int(num.value) if num.value == num.value.to_integral_value() else float(num.value)
    if num.code is not None:
        unit = num.code
    us, ue = num.unit if num.unit else (None, None)
    return QuantityHit(hs, q, value, qualifier, unit, us, ue, num.code is not None), q


def _number(text: str, p: int, end: int) -> _Num | int | None:
    """The number at p, digits or words, with its scale word; an int is where a run too long
    to be an amount ends, so the scan skips it whole."""
    if p >= end:
        return None
    if text[p].isdigit():
        num = _digits(text, p, end)
        if isinstance(num, _Num) and (sc := _SCALE.match(text, num.end, end)) is not None:
            word = (sc.group("w") or sc.group("a")).lower()
            num.mult, num.end, num.plain4 = _ABBR[word], sc.end(), False
            num.value *= num.mult
            num.attached = sc.group("a") is not None
        return num
    word = _ALPHA.match(text, p, end)
    return _words(text, p, word.group().lower(), end) if word else None


def _digits(text: str, p: int, end: int) -> _Num | int | None:
    run = _RUN.match(text, p, end)
    if run is None:
        return None
    q, whole, frac = run.end(), run.group(), ""
    if q - p > _MAX_DIGITS:
        return q
    if q - p <= 3 and (g := _GROUPS.match(text, q, end)) is not None:
        if g.end() - p > 2 * _MAX_DIGITS:
            return g.end()
        whole += "".join(c for c in g.group() if c.isdigit())
        q = g.end()
    elif q - p <= 3 and (dc := _DECIMAL_COMMA.match(text, q, end)) is not None:
        frac, q = dc.group(1), dc.end()
    if not frac and text.startswith(".", q) and (f := _RUN.match(text, q + 1, end)) is not None:
        if f.end() - q > _MAX_DIGITS:
            return f.end()
        frac, q = f.group(), f.end()
    plain = q - p == 4 and not frac
    return _Num(Decimal(f"{whole}.{frac}" if frac else whole), q, plain4=plain)


def _words(text: str, p: int, w: str, end: int) -> _Num | None:
    q = p + len(w)
    if w in _PLURALS:
        value = _PLURALS[w]
        while (po := _PLURAL_OF.match(text, q, end)) and _PLURALS[po.group("w").lower()] > value:
            value, q = value * _PLURALS[po.group("w").lower()], po.end()
        num = _Num(Decimal(value), q, value, "at_least", words=True)
        if (oc := _OF_CUR_WORD.match(text, q, end)) is not None:
            num.code, num.unit, num.end = _word_code(oc.group("c")), oc.span("c"), oc.end()
        elif (om := _OF_MORE.match(text, q, end)) is not None:
            num.end = om.end()
        else:
            return None
        return num
    if w == "half":
        h = _HALF.match(text, q, end)
        if h is None:
            return None
        mult = _CARDINALS[h.group("w").lower()][0]
        return _Num(Decimal(mult) / 2, h.end(), mult, words=True)
    implied, need_more = None, w in ("a", "an")
    if need_more:
        nm = _NEXT_NUMWORD.match(text, q, end)
        nxt = nm.group("w").lower() if nm and not nm.group("and") and "-" not in nm.group() else ""
        if nm and nxt in _VAGUE:
            of = _OF_MORE.match(text, nm.end(), end)
            if of is None or not of.group().rstrip().lower().endswith("of"):
                return None
            implied, value = _VAGUE[nxt]
            return _Num(Decimal(value), of.end(), implied=implied, words=True)
        if nm and nxt == "few":
            cur, kind, q, implied, need_more = 2, "v", nm.end(), "at_least", False
        elif nxt in _CARDINALS and _CARDINALS[nxt][1] in "hsd":
            cur, kind = 1, "v"
        else:
            return None
    elif w == "several":
        cur, kind, implied = 3, "v", "at_least"
    elif w in _CARDINALS:
        cur, kind = _CARDINALS[w]
    else:
        return None
    total, mult, last_scale, count = 0, 1, 10**15, 1
    while (nm := _NEXT_NUMWORD.match(text, q, end)) is not None:
        v, k = _CARDINALS.get(nm.group("w").lower(), (0, ""))
        if (
            not k
            or k not in _NEXT_OK[kind]
            or (nm.group("and") and kind not in "hs")
            or ("-" in nm.group() and not (kind == "x" and k == "u"))
            or (k == "s" and v >= last_scale)
        ):
            break
        if k in "utx":
            cur += v
        elif k in "hd":
            cur, mult = cur * v, mult * v
        else:
            total, cur, last_scale, mult = total + cur * v, 0, v, v
        kind, q, count = k, nm.end(), count + 1
    if need_more and count == 1:
        return None
    return _Num(
        Decimal(total + cur), q, mult, implied, words=True, lone_one=(w == "one" and count == 1)
    )


# a whitespace run and the word before it, read on the reversed text before a candidate; the
# class is the letters and "." of `_words_before_slow` plus a few numeric characters
# (superscripts, vulgar fractions) that `_words_before` checks for
_REV_WORD = re.compile(r"\s++((?:[^\W\d_]|\.)++)")


def _words_before(text: str, p: int, lo: int) -> list[tuple[int, str]]:
    """Up to four words before p, nearest first, each ending in whitespace, none before lo.

    One anchored match per word on the reversed text instead of a Python step per character
    (it runs for every candidate number); a word with a character the regex class takes but
    `str.isalpha` does not is read again by `_words_before_slow`, the definition.
    """
    rev = text[lo:p][::-1]
    n = p - lo
    out: list[tuple[int, str]] = []
    pos = 0
    while len(out) < 4 and (m := _REV_WORD.match(rev, pos)) is not None:
        word = m.group(1)[::-1]
        if not word.replace(".", "").isalpha() and word.strip("."):
            return _words_before_slow(text, p, lo)
        pos = m.end()
        if pos == n and lo > 0 and text[lo - 1].isalnum():
            break  # the word runs on before lo: not a whole word
        out.append((p - pos, word))
    return out


def _words_before_slow(text: str, p: int, lo: int) -> list[tuple[int, str]]:
    """`_words_before`, one character at a time."""
    out: list[tuple[int, str]] = []
    i = p
    while len(out) < 4:
        j = i
        while j > lo and text[j - 1].isspace():
            j -= 1
        k = j
        while k > lo and (text[k - 1].isalpha() or text[k - 1] == "."):
            k -= 1
        if j == i or k == j or (k == lo and k > 0 and text[k - 1].isalnum()):
            break
        out.append((k, text[k:j]))
        i = k
    return out


def _qualifier(before: list[tuple[int, str]], hs: int) -> tuple[int, str | None]:
    words = [w.lower() for _, w in before]
    for n in (3, 2, 1):
        if len(words) >= n and (q := _QUALIFIERS.get(tuple(reversed(words[:n])))):
            return before[n - 1][0], q
    return hs, None


def _designation(word: str) -> bool:
    word = word.rstrip(".")
    if word in _NOT_DESIGNATIONS or "." in word:
        return False
    return (
        word in _DESIGNATIONS
        or (len(word) == 1 and word.isupper())
        or any(c.isupper() for c in word[1:])
    )


def _word_code(word: str) -> str:
    low = word.lower()
    return next((code for key, code in _WORD_CODES if key in low), word.upper())


def _plural(word: str) -> bool:
    low = word.lower()
    return low in _COUNT_NOUNS or (
        len(low) > 3
        and low.endswith("s")
        and not low.endswith(("ss", "us", "is"))
        and low not in _NOT_PLURAL
    )


def _countable(text: str, q: int, end: int, names: bool = False) -> bool:
    """Whether something countable follows q: "drones", "new drones", "of the drones", and
    with `names` any capitalised name ("31 Abrams")."""
    w1 = _NEXT_WORD.match(text, q, end)
    if w1 is None:
        return False
    if names and w1.group(1)[0].isupper():
        return True
    w2 = _NEXT_WORD.match(text, w1.end(), end)
    a, b = w1.group(1).lower(), w2.group(1).lower() if w2 else ""
    if a == "of":
        return b in ("the", "them", "these", "those", "its", "their", "his", "her", "our")
    if a in _FUNCTION:
        return False
    if _plural(a):
        return b not in ("the", "a", "an", "its", "their", "his", "her")  # "2023 marks the"
    return _plural(b) and b not in _FUNCTION
