"""`armstrace.ingest.encoding`: declarations are believed only as far as the bytes agree."""

from __future__ import annotations

import codecs

import pytest

from armstrace.ingest.encoding import declared_charset, decode_html, normalise_label

JA = (
    "沿岸警備艇五隻を引き渡す計画を発表した。"
    "防衛省によると、艇は来年末までに順次引き渡される予定である。"
) * 3
FR = "Le ministère a livré deux frégates à la marine, a déclaré le porte-parole — « une étape »."
RU = "Министерство обороны сообщило о поставке двух фрегатов военно-морскому флоту страны."


def page(meta: str, text: str) -> str:
    return f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>"


@pytest.mark.parametrize(
    "raw, header, codec, text",
    [
        (page('<meta charset="utf-8">', FR).encode("utf-8"), None, "utf-8", FR),
        (page("", FR).encode("cp1252"), None, "cp1252", FR),
        (page('<meta charset="iso-8859-1">', FR).encode("cp1252"), None, "cp1252", FR),
        (page('<meta charset="iso-8859-1">', FR).encode("utf-8"), None, "utf-8", FR),
        (page('<meta charset="utf-8">', JA).encode("shift_jis"), None, "cp932", JA),
        (page('<meta charset="iso-8859-1">', JA).encode("shift_jis"), None, "cp932", JA),
        (page("", JA).encode("shift_jis"), None, "cp932", JA),
        (
            page(
                '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">', JA
            ).encode("shift_jis"),
            None,
            "cp932",
            JA,
        ),
        (page("", JA).encode("euc_jp"), "EUC-JP", "euc_jp", JA),
        (page('<meta charset="iso-8859-1">', RU).encode("cp1251"), None, "cp1251", RU),
        (
            codecs.BOM_UTF8 + page('<meta charset="iso-8859-1">', FR).encode("utf-8"),
            None,
            "utf-8",
            FR,
        ),
        (codecs.BOM_UTF16_LE + page("", FR).encode("utf-16-le"), None, "utf-16-le", FR),
        (page('<meta charset="utf-8">', FR).encode("cp1252"), "windows-1252", "cp1252", FR),
    ],
)
def test_decode(raw: bytes, header: str | None, codec: str, text: str) -> None:
    decoded, used = decode_html(raw, header)
    assert (used, text in decoded) == (codec, True)


@pytest.mark.parametrize(
    "label, codec",
    [
        ("ISO-8859-1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("Shift_JIS", "cp932"),
        ("gb2312", "gb18030"),
        ("UTF-16", "utf-8"),
        ("utf8", "utf-8"),
        ("no-such-thing", None),
        ("", None),
    ],
)
def test_labels_map_as_browsers_map_them(label: str, codec: str | None) -> None:
    assert normalise_label(label) == codec


def test_header_beats_meta_and_xml_declaration_counts() -> None:
    raw = page('<meta charset="utf-8">', "x").encode()
    assert declared_charset(raw, "latin-1") == "cp1252"
    assert declared_charset(b'<?xml version="1.0" encoding="Shift_JIS"?><html/>') == "cp932"
