"""The web UI's URL guard: only http(s) URLs from the data become links."""

from __future__ import annotations

import pytest

from newsweave.web.render import environment, http_url


@pytest.mark.parametrize("value, expected", [
    ("https://news.example/a?b=1", "https://news.example/a?b=1"),
    ("  http://news.example/  ", "http://news.example/"),
    ("javascript:alert(1)", ""), ("JavaScript:alert(1)", ""), (" javascript:alert(1)", ""),
    ("data:text/html,<script>alert(1)</script>", ""), ("vbscript:x", ""),
    ("https:evil", ""), ("//evil.example/", ""), ("", ""), (None, ""),
])
def test_only_http_urls_become_links(value: object, expected: str) -> None:
    assert http_url(value) == expected


def test_the_filter_is_escaped_in_an_attribute() -> None:
    html = environment().from_string('<a href="{{ u|http_url }}">x</a>').render(
        u='https://news.example/a"><script>alert(1)</script>')
    assert "<script>" not in html and "&#34;&gt;&lt;script&gt;" in html
