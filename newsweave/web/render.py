"""The pages' Jinja2 environment: autoescaping on for every template (article text
and titles are data, never markup), undefined names an error, and the filters the
templates share."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from importlib.resources import files
from typing import Any

import jinja2
import pycountry

from . import maps

# Scripts written right to left: their text gets dir="rtl" when its language is known
# (elsewhere dir="auto" lets the browser decide from the first strong character).
RTL_LANGS = frozenset({"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The one environment of the web UI (templates are read from the package)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(files("newsweave").joinpath("web/templates"))),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
        lstrip_blocks=True)
    env.globals.update(map_view=maps.map_view, place_count=maps.place_count,
                       feature_name=maps.feature_name)
    env.filters.update(day=day, when=when, language=language_name, direction=direction,
                       plural=plural, country=country_name, http_url=http_url)
    return env


def day(value: Any) -> str:
    """An ISO date or timestamp as ``2020-01-07`` ('' for none)."""
    if not value:
        return ""
    return str(value)[:10]


def when(value: Any) -> str:
    """An ISO timestamp as ``2020-01-07 14:05`` (date alone when it has no time)."""
    if not value:
        return ""
    text = str(value)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text[:16]
    if len(text) <= 10:
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%d %H:%M")


@lru_cache(maxsize=512)
def language_name(code: str | None) -> str:
    """``it`` as ``Italian``; an unknown code as itself."""
    if not code:
        return "unknown"
    found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    found = found or pycountry.languages.get(alpha_3=code)
    return found.name if found is not None else code


@lru_cache(maxsize=512)
def country_name(code: str | None) -> str:
    """``IQ`` as ``Iraq``; an unknown code as itself."""
    if not code:
        return ""
    found = pycountry.countries.get(alpha_2=code)
    return getattr(found, "common_name", None) or (found.name if found else code)


def direction(lang: str | None) -> str:
    """The ``dir`` attribute for text in ``lang``."""
    return "rtl" if (lang or "") in RTL_LANGS else "auto"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 article``, ``3 articles``."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def page(request: Any, template: str, context: dict[str, Any], status: int = 200) -> Any:
    """The HTML response of ``template`` with ``context``, plus what every page has:
    the request, the CSRF token of its forms, and the web settings."""
    from starlette.responses import HTMLResponse

    from .security import csrf_token, set_csrf_cookie

    state = request.app.state.newsweave
    html = environment().get_template(template).render(
        request=request, csrf_token=csrf_token(request), config=state.config,
        nav=request.url.path, **context)
    response = HTMLResponse(html, status_code=status)
    set_csrf_cookie(request, response)
    return response


def http_url(value: Any) -> str:
    """``value`` when it is an http(s) URL, else ``''``: a link to an article's page
    never gets a ``javascript:`` or ``data:`` URL from the data (autoescaping keeps it
    inside its attribute, but not from running when clicked)."""
    text = str(value or "").strip()
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    return text if scheme in ("http", "https") and text[len(scheme):].startswith("://") else ""
