"""Bad inputs become one Skipped each, with a clear reason; encodings decode right."""

from __future__ import annotations

import codecs
import os

import pytest

from newsweave.ingest.decode import binary_kind, decode_bytes, gunzip
from newsweave.ingest.sources import os_error_reason
from tests.ingest_helpers import DATA, article_html, collect, gz, settings, warc_bytes

WESTERN = "“Il porto è più grande”, disse il sindaco: costa 5 €, più o meno – già."


def only_skip(path, **kwargs):
    docs, skips = collect([str(path)], **kwargs)
    assert not docs, docs
    assert len(skips) == 1, skips
    return skips[0]


# --- encodings ------------------------------------------------------------------

@pytest.mark.parametrize(("encoding", "data"), [
    ("utf-8", WESTERN.encode("utf-8")),
    ("utf-8 with BOM", codecs.BOM_UTF8 + WESTERN.encode("utf-8")),
    ("utf-16-le with BOM", codecs.BOM_UTF16_LE + WESTERN.encode("utf-16-le")),
    ("utf-16-be with BOM", codecs.BOM_UTF16_BE + WESTERN.encode("utf-16-be")),
    ("cp1252", WESTERN.encode("cp1252")),
])
def test_encodings(tmp_path, encoding, data):
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    docs, skips = collect([str(path)])
    assert not skips and docs[0].text == WESTERN, encoding


def test_latin1(tmp_path):
    text = "Straße über größere Brücken; la città è più bella; déjà vu à Noël."
    path = tmp_path / "latin1.txt"
    path.write_bytes(text.encode("latin-1"))
    docs, _ = collect([str(path)])
    assert docs[0].text == text


@pytest.mark.parametrize(("text", "codec"), [
    ("Привет, это короткая новость о погоде в Москве и Петербурге.", "cp1251"),
    ("Zażółć gęślą jaźń, powiedział rzecznik ratusza w Warszawie.", "cp1250"),
])
def test_non_western_code_pages_are_not_read_as_cp1252(text, codec):
    assert decode_bytes(text.encode(codec)).text == text


def test_declared_charset_is_tried_first():
    assert decode_bytes("città".encode("iso-8859-15"), "ISO-8859-15").text == "città"


def test_utf8_wins_over_a_wrong_declaration():
    assert decode_bytes("città".encode(), "iso-8859-1").text == "città"


def test_html_meta_charset(tmp_path):
    path = tmp_path / "page.html"
    html = article_html("Новости порта", paragraphs=["Порт Валдоро открыл новый причал. " * 8])
    path.write_bytes(html.replace("utf-8", "windows-1251").encode("cp1251"))
    docs, _ = collect([str(path)])
    assert docs[0].title == "Новости порта"


def test_utf16_without_bom():
    assert decode_bytes("News from the harbour".encode("utf-16-le")).text == \
        "News from the harbour"


def test_undecodable(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 4)
    assert only_skip(path).reason.startswith("E005 undecodable text")


# --- bad files --------------------------------------------------------------------

@pytest.mark.parametrize("content", [b"", b"   \n\t\n", codecs.BOM_UTF8 + b"  \n"])
def test_empty(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert only_skip(path).reason.startswith("E001 empty input")


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200), "JPEG image"),
    ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
    ("archive", b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "ZIP archive"),
    ("program", b"\x7fELF\x02\x01\x01\x00" + bytes(50), "ELF executable"),
    ("blob.dat", b"abc\x00\x01\x02\x03\xfe\xff\x00\x10" * 10, "data with NUL bytes"),
])
def test_binary(tmp_path, name, data, kind):
    path = tmp_path / name
    path.write_bytes(data)
    reason = only_skip(path).reason
    assert reason.startswith("E002 binary content") and kind in reason


def test_binary_kind_leaves_text_alone():
    assert binary_kind(b"MZ starts this text, which is not an executable") is None
    assert binary_kind(codecs.BOM_UTF16_LE + "text".encode("utf-16-le")) is None


def test_too_large_is_checked_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("x" * 2_000, encoding="utf-8")
    skip = only_skip(path, config=settings(max_input_bytes=1_000))
    assert skip.reason == "E003 too large: 2000 bytes exceeds max_input_bytes=1000"


def test_gzip_bomb_is_capped(tmp_path):
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gz(b"a" * 100_000))
    skip = only_skip(path, config=settings(max_input_bytes=10_000))
    assert skip.reason.startswith("E003 too large")


def test_unsupported_extension(tmp_path):
    path = tmp_path / "script.py"
    path.write_text("print('hello')\n", encoding="utf-8")
    assert only_skip(path).reason == "E004 unsupported file type '.py'"


def test_malformed_html(tmp_path):
    path = tmp_path / "broken.html"
    path.write_text("<html><head><title></title></head><body><div><script>var x = 1;"
                    "</script></div></body></html>", encoding="utf-8")
    assert only_skip(path).reason.startswith("E006 malformed HTML")


@pytest.mark.parametrize("content", [
    "<?xml version='1.0'?><rss version='2.0'><channel><title>Cut</title><item><title>x",
    "this is not xml at all",
])
def test_malformed_feed(tmp_path, content):
    path = tmp_path / "broken.rss"
    path.write_text(content, encoding="utf-8")
    assert only_skip(path).reason.startswith("E007 malformed feed: ")


def test_truncated_feed_keeps_the_entries_before(tmp_path):
    path = tmp_path / "cut.rss"
    path.write_text("<?xml version='1.0'?><rss version='2.0'><channel><title>Cut</title>"
                    "<item><title>Whole entry</title><description>Complete.</description>"
                    "</item><item><title>Half an ent", encoding="utf-8")
    docs, skips = collect([str(path)])
    assert docs[0].title == "Whole entry" and docs[0].text == "Complete."
    assert skips[-1].reason.startswith("E007 malformed feed: ")


def test_xml_that_is_not_a_feed(tmp_path):
    path = tmp_path / "sitemap.xml"
    path.write_text("<?xml version='1.0'?><urlset><url><loc>https://a.example/</loc></url>"
                    "</urlset>", encoding="utf-8")
    assert only_skip(path).reason.startswith("E004 unsupported file type '.xml")


def _pages(count):
    return [(f"https://news.example.org/{n}", article_html(f"Page {n}")) for n in range(count)]


@pytest.mark.parametrize("cut", [-120, -700])
def test_truncated_warc_keeps_the_records_before(tmp_path, cut):
    data = warc_bytes(_pages(3))
    path = tmp_path / "cut.warc"
    path.write_bytes(data[:cut])
    docs, skips = collect([str(path)])
    assert 1 <= len(docs) <= 2 and [d.title for d in docs] == [f"Page {n}" for n in
                                                                 range(len(docs))]
    assert len(skips) == 1 and skips[0].reason.startswith("E008 malformed WARC")


def test_not_a_warc(tmp_path):
    path = tmp_path / "fake.warc"
    path.write_text("hello world this is not a warc file\n", encoding="utf-8")
    assert only_skip(path).reason.startswith("E008 malformed WARC")


def test_truncated_warc_gz(tmp_path):
    data = warc_bytes(_pages(3), compress=True)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[:-150])
    docs, skips = collect([str(path)])
    assert [d.title for d in docs] == ["Page 0", "Page 1"]
    assert len(skips) == 1 and skips[0].reason.startswith("E009 truncated or corrupt gzip")


def test_truncated_gzip_jsonl_keeps_complete_lines(tmp_path):
    lines = "".join(f'{{"id": "{n}", "text": "Record number {n} of the export."}}\n'
                    for n in range(200))
    path = tmp_path / "export.jsonl.gz"
    data = gz(lines.encode())
    path.write_bytes(data[: len(data) // 2])
    docs, skips = collect([str(path)])
    assert docs and [d.external_id for d in docs] == [str(n) for n in range(len(docs))]
    assert len(skips) == 1 and skips[0].reason.startswith("E009 truncated or corrupt gzip")


def test_truncated_gzip_text(tmp_path):
    path = tmp_path / "article.txt.gz"
    data = gz((DATA / "article.txt").read_bytes())
    path.write_bytes(data[:-10])
    assert only_skip(path).reason.startswith("E009 truncated or corrupt gzip")


def test_gunzip_reports_corruption():
    data = gz(b"hello world " * 100)
    assert gunzip(data, 10_000).error is None
    broken = data[:20] + b"\x00" * 10 + data[30:]
    assert gunzip(broken, 10_000).error is not None


def test_too_many_records(tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text("".join(f'{{"text": "record {n}"}}\n' for n in range(5)), encoding="utf-8")
    docs, skips = collect([str(path)], config=settings(max_records_per_source=3))
    assert [d.text for d in docs] == ["record 0", "record 1", "record 2"]
    assert [s.reason for s in skips] == ["E019 too many records: more than "
                                         "max_records_per_source=3"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root reads files whatever their mode")
def test_permission_denied(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("private", encoding="utf-8")
    path.chmod(0)
    try:
        assert only_skip(path).reason == "E020 permission denied"
    finally:
        path.chmod(0o600)


def test_permission_error_reason():
    assert os_error_reason(PermissionError(13, "Permission denied")) == "E020 permission denied"
    assert os_error_reason(FileNotFoundError(2, "gone")).startswith("E015")


def test_one_bad_input_does_not_stop_the_batch(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(20))
    docs, skips = collect([str(tmp_path), str(tmp_path / "missing.txt"),
                           str(DATA / "article.txt")])
    assert len(docs) == 1 and len(skips) == 3

