"""Source strings: files, folders, globs, stdin; order, hidden entries, depth limits."""

from __future__ import annotations

import io
import os

import pytest

from tests.ingest_helpers import DATA, collect, settings

FOLDER = DATA / "folder"


def names(docs):
    return [os.path.relpath(d.source, DATA) for d in docs]


def test_folder_is_walked_recursively_in_sorted_order():
    docs, skips = collect([str(FOLDER)])
    assert not skips
    assert names(docs) == ["folder/a.txt", "folder/sub/b.txt", "folder/sub/deeper/c.txt"]


def test_hidden_files_and_folders_are_skipped(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.txt").write_text("ref: refs/heads/main", encoding="utf-8")
    (tmp_path / ".DS_Store.txt").write_text("junk", encoding="utf-8")
    (tmp_path / "visible.txt").write_text("An article about the harbour.", encoding="utf-8")
    docs, skips = collect([str(tmp_path)])
    assert [os.path.basename(d.source) for d in docs] == ["visible.txt"] and not skips


def test_a_hidden_file_named_explicitly_is_read(tmp_path):
    path = tmp_path / ".draft.txt"
    path.write_text("Named on purpose.", encoding="utf-8")
    docs, _ = collect([str(path)])
    assert docs[0].text == "Named on purpose."


def test_depth_limit():
    docs, skips = collect([str(FOLDER)], config=settings(max_depth=1, fetch_linked_pages=False))
    assert names(docs) == ["folder/a.txt", "folder/sub/b.txt"]
    assert len(skips) == 1 and skips[0].source.endswith("sub/deeper")
    assert skips[0].reason == "E018 folder too deep: more than max_depth=1 levels"


def test_symlink_loop_is_not_followed(tmp_path):
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    try:
        (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    except OSError:
        pytest.skip("symlinks not available")
    docs, skips = collect([str(tmp_path)])
    assert [os.path.basename(d.source) for d in docs] == ["a.txt"]
    assert [os.path.basename(s.source) for s in skips] == ["loop"]
    assert skips[0].reason.startswith("E041 symbolic link loop: links back to ")


def test_glob_with_double_star():
    docs, skips = collect([str(FOLDER / "**" / "*.txt")])
    assert not skips
    assert names(docs) == ["folder/a.txt", "folder/sub/b.txt", "folder/sub/deeper/c.txt"]


def test_glob_one_level_and_matching_folders():
    docs, _ = collect([str(FOLDER / "*")])
    assert names(docs) == ["folder/a.txt", "folder/sub/b.txt", "folder/sub/deeper/c.txt"]
    docs, _ = collect([str(DATA / "*.html")])
    assert names(docs) == ["article_meta.html", "articolo_byline.html"]


def test_missing_path_and_empty_glob():
    _, skips = collect([str(DATA / "nope.txt"), str(DATA / "*.nothing")])
    assert [s.reason for s in skips] == ["E015 no such file or directory",
                                         "E016 glob matched no files"]
    assert skips[0].source == str(DATA / "nope.txt")


def test_impossible_path():
    _, skips = collect(["bad\x00name.txt"])
    assert [s.reason for s in skips] == ["E015 no such file or directory"]


def test_stdin_json_lines():
    stdin = io.StringIO('{"id": 1, "text": "From a pipe.", "source": "Wire"}\n'
                        "\n"
                        "{oops\n"
                        '{"id": 2, "text": "Second."}\n')
    docs, skips = collect(["-"], stdin=stdin)
    assert [(d.source, d.external_id, d.site) for d in docs] == [("<stdin>", "1", "Wire"),
                                                               ("<stdin>", "2", None)]
    assert [s.source for s in skips] == ["<stdin>#line 3"]
    assert skips[0].reason.startswith("E010 malformed JSON at line 3")


def test_sources_keep_their_order():
    docs, _ = collect([str(DATA / "article.md"), str(DATA / "article.txt"), "-"],
                      stdin=io.StringIO('{"text": "last"}\n'))
    assert [d.fmt for d in docs] == ["md", "txt", "jsonl"]


def test_relative_paths_become_absolute(monkeypatch):
    monkeypatch.chdir(DATA)
    docs, _ = collect(["article.txt"])
    assert docs[0].source == str(DATA / "article.txt")
