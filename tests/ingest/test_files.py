"""`armstrace.ingest.files`: every kind of file, gzip, folders with glob filters, size caps."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from armstrace.errors import InputError
from armstrace.ingest.files import folder_files, kind_of, read_file, read_paths, sniff
from armstrace.models import Document

FIXTURES = Path(__file__).parent / "fixtures"
JSONL = b'{"id": "j1", "text": "Iran shipped drones to Russia, officials said."}\n'
TEXT = b"Japan will provide five patrol boats to the Philippines, the ministry said.\n"


@pytest.mark.parametrize(
    "name, kind",
    [
        ("a.txt", "text"),
        ("a.md", "text"),
        ("a.jsonl", "jsonl"),
        ("a.html", "html"),
        ("a.HTM", "html"),
        ("a.html.gz", "html"),
        ("a.rss", "feed"),
        ("a.atom.gz", "feed"),
        ("a.xml", "feed"),
        ("a.opml", "opml"),
        ("a.pdf", None),
        ("a.gz", None),
    ],
)
def test_kind_by_suffix(name: str, kind: str | None) -> None:
    assert kind_of(Path(name)) == kind


@pytest.mark.parametrize(
    "head, kind",
    [
        (b'{"id": 1}', "jsonl"),
        (b"Plain words.", "text"),
        (b"\xef\xbb\xbf<!DOCTYPE html><p>", "html"),
        (b'<?xml version="1.0"?><rss version="2.0">', "feed"),
        (b"<feed xmlns=", "feed"),
        (b"<opml version='2.0'>", "opml"),
        (b"<note>x</note>", "xml"),
    ],
)
def test_sniff(head: bytes, kind: str) -> None:
    assert sniff(head) == kind


def _docs(items: list[Document | InputError]) -> list[Document]:
    return [d for d in items if isinstance(d, Document)]


def test_gzip_files_of_any_kind_read_like_the_plain_ones(tmp_path: Path) -> None:
    html = FIXTURES / "html" / "normal.html"
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(html.read_bytes()))
    (tmp_path / "notes.txt.gz").write_bytes(gzip.compress(TEXT))
    (tmp_path / "docs.jsonl.gz").write_bytes(gzip.compress(JSONL))
    feed = FIXTURES / "feeds" / "atom.xml"
    (tmp_path / "feed.atom.gz").write_bytes(gzip.compress(feed.read_bytes()))
    (tmp_path / "secretly-gzipped.html").write_bytes(gzip.compress(html.read_bytes()))
    items = list(read_paths([str(tmp_path)]))
    docs = _docs(items)
    assert len(docs) == len(items) == 5
    by_path = {Path(d.source_path or "").name: d for d in docs}
    assert by_path["page.html.gz"].title == "Frigate sale approved"
    assert by_path["notes.txt.gz"].text == TEXT.decode()
    assert by_path["docs.jsonl.gz"].id == "j1"
    assert by_path["feed.atom.gz"].outlet == "Atom Test Journal"
    assert by_path["secretly-gzipped.html"].text == by_path["page.html.gz"].text


def test_a_gzip_bomb_is_one_error(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.txt.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as fh:
        for _ in range(50):
            fh.write(b"\0" * 1_000_000)
    (item,) = read_file(bomb, max_bytes=1_000_000)
    assert isinstance(item, InputError)
    assert "decompresses to more than 1,000,000 bytes" in str(item)


def test_a_1_gb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "huge.html"
    with big.open("wb") as fh:
        fh.truncate(1 << 30)  # sparse: costs no disk
    (item,) = read_file(big)
    assert isinstance(item, InputError)
    assert "file too large (1,073,741,824 bytes > limit 10,000,000" in str(item)


def test_folders_walk_with_globs_and_skip_hidden(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(TEXT)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_bytes((FIXTURES / "html" / "normal.html").read_bytes())
    (tmp_path / "sub" / "c.jsonl").write_bytes(JSONL)
    (tmp_path / "image.png").write_bytes(b"\x89PNG\0\0")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "d.txt").write_bytes(TEXT)
    (tmp_path / ".hidden.txt").write_bytes(TEXT)
    names = lambda *a: [f.relative_to(tmp_path).as_posix() for f in folder_files(tmp_path, *a)]  # noqa: E731
    assert names() == ["a.txt", "sub/b.html", "sub/c.jsonl"]
    assert names(["*.html"]) == ["sub/b.html"]
    assert names(["sub/*"], ["*.jsonl"]) == ["sub/b.html"]
    assert names((), ["sub/*"]) == ["a.txt"]
    (err,) = read_paths([str(tmp_path)], include=["*.pdf"])
    assert isinstance(err, InputError) and "folder holds no *.pdf files" in str(err)


def test_every_document_carries_its_file_and_bad_files_fail_alone(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "html", tmp_path / "html")
    (tmp_path / "doc.txt").write_bytes(b"(Reuters) - Body of a wire story.\n")
    (tmp_path / "x.jsonl").write_bytes(JSONL + b"not json\n")
    items = list(read_paths([str(tmp_path)]))
    errors = [str(e) for e in items if isinstance(e, InputError)]
    assert len(errors) == 3 and any("x.jsonl:2: not JSON" in e for e in errors)
    for doc in _docs(items):
        assert doc.source_path and Path(doc.source_path).exists()
    txt = next(d for d in _docs(items) if d.id.endswith("doc.txt"))
    assert txt.via == ("Reuters",)


def test_xml_suffix_holding_html_or_opml_is_read_as_what_it_is(tmp_path: Path) -> None:
    page = tmp_path / "page.xml"
    page.write_bytes((FIXTURES / "html" / "normal.html").read_bytes())
    (doc,) = read_file(page)
    assert isinstance(doc, Document) and doc.title == "Frigate sale approved"
    opml = tmp_path / "list.xml"
    opml.write_bytes((FIXTURES / "feeds" / "list.opml").read_bytes())
    (err,) = read_file(opml)
    assert isinstance(err, InputError) and "lists 2 feeds" in str(err)
