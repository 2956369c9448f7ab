"""Decode the bytes of an HTML page to text, trusting its declarations only as far as they hold.

Order of evidence, strongest first: a byte-order mark; a declared charset (the HTTP header,
then `<meta charset>` / `http-equiv`, then the XML declaration); then the bytes themselves.
Declarations are often wrong, in two typical ways, and both are checked rather than obeyed:

* "UTF-8" declared over bytes that are not UTF-8 (a Shift-JIS page behind a UTF-8 template):
  strict decoding fails, so the bytes are examined instead.
* A single-byte charset (ISO-8859-1, ASCII, windows-1252) declared over anything at all: such
  a decoder never fails, so it proves nothing. UTF-8 that validates is taken as UTF-8; bytes
  whose non-ASCII bytes come in runs (how Shift-JIS, GBK, EUC-KR or Cyrillic/Greek code pages
  write text) are handed to charset_normalizer; isolated accented letters stay windows-1252.

Labels are mapped as browsers map them (WHATWG Encoding Standard): ISO-8859-1 and ASCII mean
windows-1252, Shift_JIS means its Microsoft superset cp932, GB2312/GBK mean GB18030, and a
UTF-16 label inside an ASCII-compatible page means UTF-8.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
PRESCAN_BYTES = 4096
DETECT_BYTES = 200_000

_META = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_HIGH_BYTES = bytes(range(0x80, 0x100))
_HIGH_RUN = re.compile(rb"[\x80-\xff]{2,}")

# WHATWG label → the decoder browsers use (Python codec names)
_WHATWG = {
    "ascii": "cp1252", "us-ascii": "cp1252", "latin-1": "cp1252", "latin1": "cp1252",
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "iso_8859-1": "cp1252", "l1": "cp1252",
    "windows-1252": "cp1252", "cp1252": "cp1252", "iso-8859-9": "cp1254", "latin5": "cp1254",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "ms_kanji": "cp932", "windows-31j": "cp932", "gb2312": "gb18030", "gbk": "gb18030",
    "x-gbk": "gb18030", "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "tis-620": "cp874",
    "iso-8859-11": "cp874", "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8",
    "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8",
}
_SINGLE_BYTE_PREFIXES = ("cp125", "iso8859-", "koi8", "mac-", "cp874", "cp437", "cp85")


def normalise_label(label: str | None) -> str | None:
    """The Python codec for a charset label as a browser reads it, or None if unknown."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    name = _WHATWG.get(key, key)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(raw: bytes, header: str | None = None) -> str | None:
    """The charset a page claims: HTTP header first, then meta tags, then the XML declaration."""
    if header and (found := normalise_label(header)):
        return found
    head = raw[:PRESCAN_BYTES]
    for pattern in (_META, _XML_DECL):
        m = pattern.search(head)
        if m and (found := normalise_label(m.group(1).decode("ascii", "replace"))):
            return found
    return None


def _single_byte(codec: str | None) -> bool:
    """A code page with one byte per character: it decodes any bytes, so it proves nothing."""
    return codec is not None and codec.startswith(_SINGLE_BYTE_PREFIXES)


def _looks_multibyte(raw: bytes) -> bool:
    """Non-ASCII bytes mostly in runs: a CJK encoding or a non-Latin code page, not accents."""
    sample = raw[:DETECT_BYTES]
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    if high < 8:
        return False
    in_runs = sum(len(m) for m in _HIGH_RUN.findall(sample))
    return in_runs / high >= 0.6


# what the detector may answer: the encodings web pages actually use (WHATWG's legacy list).
# Left to itself it prefers rarities on short texts (mac_cyrillic for a line of windows-1251).
WEB_ENCODINGS = [
    "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_15", "koi8_r", "koi8_u", "cp932",
    "shift_jis", "euc_jp", "iso2022_jp", "gb18030", "gb2312", "big5", "big5hkscs", "euc_kr",
    "cp949", "cp874", "tis_620",
]


def _detect(raw: bytes) -> str | None:
    best = from_bytes(raw[:DETECT_BYTES], cp_isolation=WEB_ENCODINGS).best()
    if best is None:
        return None
    return normalise_label(best.encoding)


def _try(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(raw: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """(text, codec used). Never fails: the last resort is windows-1252 with replacements."""
    for bom, name in BOMS:
        if raw.startswith(bom):
            return raw[len(bom):].decode(name, "replace"), name
    declared = declared_charset(raw, header_charset)
    # a declared multi-byte legacy charset that decodes cleanly is almost certainly right
    if (declared is not None and not _single_byte(declared) and declared != "utf-8"
            and (text := _try(raw, declared)) is not None):
        return text, declared
    if (text := _try(raw, "utf-8")) is not None:
        return text, "utf-8"
    multibyte = _looks_multibyte(raw)
    if declared is not None and _single_byte(declared) and not multibyte:
        return raw.decode(declared, "replace"), declared
    if multibyte and (guess := _detect(raw)):
        return _try(raw, guess) or raw.decode(guess, "replace"), guess
    fallback = declared if declared is not None and _single_byte(declared) else "cp1252"
    return raw.decode(fallback, "replace"), fallback
