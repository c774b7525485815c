"""The map, place and entity pages without a browser: the projection, framing,
clustering and tiles of ``newsweave.web.maps``, the shipped outlines and the tool
that makes them, and the place and entity services and pages on both backends over
our own fixture news (tests/data/webmap: Iraq's floods, a French rail strike)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import newsweave
from newsweave.api import ServeConfig, create_app
from newsweave.errors import NotFound
from newsweave.service import entity_page as entities
from newsweave.service import places
from newsweave.store.open import open_store
from newsweave.web import maps
from tools import make_outlines

DATA = Path(__file__).resolve().parent / "data" / "webmap"
BAGHDAD = {"id": 1, "name": "Baghdad", "lat": 33.34, "lon": 44.40, "country": "IQ",
           "feature": "city", "count": 4}
MOSUL = {"id": 2, "name": "Mosul", "lat": 36.34, "lon": 43.12, "country": "IQ",
         "feature": "city", "count": 3}
IRAQ = {"id": 3, "name": "Iraq", "lat": 33.0, "lon": 44.0, "country": "IQ",
        "feature": "country", "count": 5}
PARIS = {"id": 4, "name": "Paris", "lat": 48.85, "lon": 2.35, "country": "FR",
         "feature": "city", "count": 2}


# -- projection ----------------------------------------------------------------------
def test_web_mercator_puts_the_world_in_a_square() -> None:
    assert maps.project(0, 0) == pytest.approx((500, 500))
    assert maps.project(-180, maps.MAX_LAT) == pytest.approx((0, 0), abs=1e-6)
    assert maps.project(180, -maps.MAX_LAT) == pytest.approx((1000, 1000), abs=1e-6)
    assert maps.project(10, 89.9)[1] == pytest.approx(0, abs=1e-6)  # clamped at the edge


@pytest.mark.parametrize("lon, lat", [(44.4, 33.34), (-74.0, 40.7), (151.2, -33.9), (0, 0)])
def test_unproject_inverts_project(lon: float, lat: float) -> None:
    assert maps.unproject(*maps.project(lon, lat)) == pytest.approx((lon, lat))


# -- outlines ------------------------------------------------------------------------
def test_the_shipped_outlines_load_once_and_are_small() -> None:
    path = files("newsweave").joinpath(maps.OUTLINES)
    text = path.read_text(encoding="utf-8")
    assert len(text.encode()) < 300_000
    assert "Natural Earth" in json.loads(text)["source"]
    shapes = maps.outlines()
    assert shapes is maps.outlines()  # read and projected once
    codes = [o.code for o in shapes if o.code]
    assert len(codes) == len(set(codes)) > 170
    assert {"IQ", "FR", "XK", "US", "RU", "FJ"} <= set(codes)
    iraq = maps.outlines_by_code()["IQ"]
    x, y = maps.project(44.4, 33.34)  # Baghdad lies inside Iraq's box
    assert iraq.box[0] < x < iraq.box[2] and iraq.box[1] < y < iraq.box[3]
    assert iraq.d.startswith("M") and iraq.d.endswith("z")


def test_framing_a_country_uses_its_main_part() -> None:
    france = maps.outlines_by_code()["FR"]  # with French Guiana, across the Atlantic
    assert france.box[2] - france.box[0] > 3 * (france.main_box[2] - france.main_box[0])
    west, _ = maps.project(-5.5, 46)
    east, _ = maps.project(8.2, 46)  # mainland (Corsica is a part of its own)
    assert france.main_box[0] == pytest.approx(west, abs=3)
    assert france.main_box[2] == pytest.approx(east, abs=3)


def test_rings_across_the_antimeridian_do_not_cross_the_map() -> None:
    russia = maps.outlines_by_code()["RU"]
    for ring in russia.d.split("M")[1:]:
        x = float(ring.split(" ")[0])
        steps = ring[ring.index("l") + 1:-1].replace("-", " -").split()
        dxs = [float(v) for v in steps[::2]]
        assert all(abs(dx) < 300 for dx in dxs), "a step jumps across the world"
        assert -500 < x < 1500


def test_make_outlines_decodes_topojson() -> None:
    topology = {
        "type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": [[[0, 0], [10, 0], [0, 10]], [[10, 10], [-10, 0], [0, -10]]],
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "id": "368", "properties": {"name": "Iraq"}, "arcs": [[0, 1]]},
            {"type": "Polygon", "properties": {"name": "Kosovo"}, "arcs": [[~1, ~0]]},
            {"type": "Polygon", "properties": {"name": "Nowhere"}, "arcs": [[0]]}]}}}
    out = make_outlines.feature_collection(topology)
    by_name = {f["properties"]["name"]: f for f in out["features"]}
    assert by_name["Iraq"]["properties"]["iso_a2"] == "IQ"
    assert by_name["Kosovo"]["properties"]["iso_a2"] == "XK"
    assert by_name["Iraq"]["geometry"]["coordinates"] == [[[[0, 0], [10, 0], [10, 10],
                                                            [0, 10], [0, 0]]]]
    assert by_name["Kosovo"]["geometry"]["coordinates"][0][0][:2] == [[0, 0], [0, 10]]
    assert by_name["Nowhere"]["properties"]["iso_a2"] is None


# -- framing -------------------------------------------------------------------------
def _contains(view: maps.View, lon: float, lat: float) -> bool:
    x, y = maps.project(lon, lat)
    return view.x <= x <= view.x + view.width and view.y <= y <= view.y + view.height


def test_a_story_in_iraq_shows_iraq_and_its_neighbours_not_the_world() -> None:
    drawn = maps.map_view([BAGHDAD, MOSUL, IRAQ])
    view = drawn.view
    assert view.width < 120  # about 40° of longitude at most, not 360
    assert view.height == pytest.approx(view.width * maps.ASPECT)
    assert _contains(view, 44.4, 33.34) and _contains(view, 43.12, 36.34)
    iraq = maps.outlines_by_code()["IQ"].main_box
    assert view.x <= iraq[0] and iraq[2] <= view.x + view.width
    shown = {s.code for s in drawn.shapes}
    assert {"IQ", "SY", "IR", "TR", "SA", "JO", "KW"} <= shown
    assert "US" not in shown and "BR" not in shown


def test_one_point_gets_a_regional_view_and_nothing_gets_the_world() -> None:
    one = maps.map_view([BAGHDAD]).view
    assert one.width == pytest.approx(maps.MIN_SPAN)
    assert _contains(one, 44.4, 33.34)
    world = maps.map_view([]).view
    assert world.width == pytest.approx(maps.WORLD)
    assert maps.map_view([]).markers == [] and "no place" in maps.map_view([]).label


def test_views_stay_inside_the_world() -> None:
    for lon, lat in [(-179, 80), (179, -80), (0, 0)]:
        v = maps.map_view([{"id": 1, "name": "x", "lat": lat, "lon": lon}]).view
        assert 0 <= v.x and v.x + v.width <= maps.WORLD + 1e-9
        assert 0 <= v.y and v.y + v.height <= maps.WORLD + 1e-9


def test_places_without_coordinates_are_listed_not_plotted() -> None:
    drawn = maps.map_view([BAGHDAD, {"id": 9, "name": "Nowhere", "lat": None, "lon": None},
                           {"id": 10, "name": "Bad", "lat": 123, "lon": 0}])
    assert drawn.plotted == 1 and len(drawn.markers) == 1


# -- clustering ----------------------------------------------------------------------
def test_nearby_markers_cluster_at_a_wide_view_and_part_when_zoomed() -> None:
    world = maps.frame([])
    merged = maps.cluster([BAGHDAD, MOSUL, PARIS], world)
    assert [len(m.places) for m in merged] == [2, 1]
    assert merged[0].lead["name"] == "Baghdad" and merged[0].count == 7
    zoomed = maps.view_of_bbox(43.12, 33.34, 44.40, 36.34)
    assert [len(m.places) for m in maps.cluster([BAGHDAD, MOSUL], zoomed)] == [1, 1]


def test_clusters_are_deterministic_and_drop_what_is_off_view() -> None:
    view = maps.map_view([BAGHDAD]).view
    a = maps.cluster([PARIS, MOSUL, BAGHDAD], view)
    b = maps.cluster([BAGHDAD, PARIS, MOSUL], view)
    assert [[p["id"] for p in m.places] for m in a] == [[p["id"] for p in m.places] for m in b]
    assert all(p["name"] != "Paris" for m in a for p in m.places)


def test_markers_link_and_say_what_they_are() -> None:
    drawn = maps.map_view([BAGHDAD, MOSUL, PARIS], view=maps.frame([]))
    cluster, single = drawn.markers
    assert single.href == "/ui/places/4" and single.label == "Paris, France: 2 articles"
    assert cluster.places == 2 and cluster.href.startswith("/ui/places?bbox=")
    assert "2 places around Baghdad" in cluster.label and "Mosul" in cluster.label
    same = maps.Marker(0, 0, [BAGHDAD, {**BAGHDAD, "id": 7}], 8)
    assert maps.marker_href(same, "/ui/places") == "/ui/places/1"


def test_countries_are_shaded_links_and_divisions_are_discs() -> None:
    diyala = {"id": 5, "name": "Diyala", "lat": 33.9, "lon": 45.0, "country": "IQ",
              "feature": "admin1"}
    drawn = maps.map_view([IRAQ, diyala])
    shaded = [s for s in drawn.shapes if s.shaded]
    assert [(s.code, s.href) for s in shaded] == [("IQ", "/ui/places/3")]
    assert shaded[0].label == "Iraq (country): 5 articles"
    assert [a.name for a in drawn.areas] == ["Diyala"]
    assert [m.label for m in drawn.markers] == ["Diyala, Iraq"]  # Iraq is its outline


def test_tiles_only_when_a_tile_url_is_set() -> None:
    assert maps.map_view([BAGHDAD]).tiles == []
    drawn = maps.map_view([BAGHDAD], tile_url="https://{s}.tiles.example/{z}/{x}/{y}.png")
    assert 0 < len(drawn.tiles) <= maps.MAX_TILES
    first = drawn.tiles[0]
    z, x, y = (int(v) for v in first.href.rsplit(".", 1)[0].split("/")[-3:])
    assert first.size == pytest.approx(maps.WORLD / 2 ** z)
    assert (first.x, first.y) == pytest.approx((x * first.size, y * first.size))
    # the tile under Baghdad is among them
    bx, by = maps.project(44.4, 33.34)
    assert any(t.x <= bx < t.x + t.size and t.y <= by < t.y + t.size for t in drawn.tiles)
    world = maps.tiles(maps.frame([]), "https://t.example/{z}/{x}/{y}.png")
    assert len(world) <= maps.MAX_TILES
    for bad in ("javascript:alert(1)/{z}/{x}/{y}", "https://t.example/tile.png", "ftp://x/{z}/{x}/{y}"):
        assert maps.tiles(maps.frame([]), bad) == []


def test_place_count_reads_whatever_count_a_place_has() -> None:
    assert maps.place_count({"count": 3}) == 3
    assert maps.place_count({"articles": [1, 2]}) == 2
    assert maps.place_count({"mentions": 5}) == 5
    assert maps.place_count({}) == 0


# -- services and pages on both backends ---------------------------------------------------
@pytest.fixture(scope="module", params=("sqlite", "postgres"))
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
       ) -> Iterator[str]:
    server = request.getfixturevalue("pg_server") if request.param == "postgres" else None
    location = server.create() if server else str(tmp_path_factory.mktemp("webmap") / "m.db")
    try:
        with newsweave.open(location, settings={"fetch_linked_pages": False}) as nw:
            assert nw.ingest([str(DATA)])["new"] == 6
        yield location
    finally:
        if server is not None:
            server.drop(location)


@pytest.fixture(scope="module")
def store(db: str) -> Iterator[Any]:
    s = open_store(db, readonly=True)
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(ServeConfig(db=db))) as c:
        yield c


def _id(store: Any, name: str) -> int:
    found = entities.find_entities(store, name, None, 5)
    assert found, f"no entity named {name}"
    return int(found[0]["id"])


def test_map_places_most_articles_first(store: Any) -> None:
    got = places.map_places(store)
    names = [p["name"] for p in got]
    assert {"Baghdad", "Mosul", "Kirkuk", "Paris", "Lyon", "Iraq", "France"} <= set(names)
    assert [p["articles"] for p in got] == sorted((p["articles"] for p in got), reverse=True)
    assert all(-90 <= p["lat"] <= 90 for p in got)
    french = places.map_places(store, country="FR")
    assert {p["country"] for p in french} == {"FR"} and "Paris" in [p["name"] for p in french]
    boxed = places.map_places(store, bbox=(40.0, 30.0, 50.0, 38.0))
    assert "Baghdad" in [p["name"] for p in boxed] and "Paris" not in [p["name"] for p in boxed]
    assert len(places.map_places(store, limit=2)) == 2


def test_places_page_counts_stories_and_pages(store: Any) -> None:
    first = places.places_page(store, 3)
    assert len(first["items"]) == 3 and first["next_cursor"]
    rest = places.places_page(store, 100, first["next_cursor"])
    ids = [p["id"] for p in first["items"] + rest["items"]]
    assert len(ids) == len(set(ids)) == len(places.map_places(store))
    baghdad = next(p for p in first["items"] + rest["items"] if p["name"] == "Baghdad")
    assert baghdad["stories"] == 2 and baghdad["stories_at_least"] is False
    countries = {c["country"]: c for c in places.place_countries(store)}
    assert set(countries) == {"IQ", "FR"} and countries["IQ"]["articles"] > 0


def test_place_page_and_a_non_place(store: Any) -> None:
    page = places.place_page(store, _id(store, "Baghdad"))
    assert page["place"]["country"] == "IQ" and page["articles"] == 4
    assert {s["title"] for s in page["stories"]} >= {
        "Floods cut the road between Baghdad and Mosul"}
    with pytest.raises(NotFound, match="not a place"):
        places.place_page(store, _id(store, "Karim Haddad"))
    with pytest.raises(NotFound):
        places.place_page(store, 424242)


def test_entity_page_has_its_aliases_timeline_neighbours_stories_and_quotes(store: Any) -> None:
    page = entities.entity_page(store, _id(store, "Karim Haddad"))
    assert page["type"] == "PER" and page["articles"] == 4 and not page["sampled"]
    langs = {g["lang"]: [a["alias"] for a in g["aliases"]] for g in page["aliases_by_language"]}
    assert set(langs) == {"en", "it", "fr", "es"} and "Karim Haddad" in langs["fr"]
    t = page["timeline"]
    assert t["unit"] == "day" and t["first"] == "2026-03-02" and t["last"] == "2026-03-20"
    assert sum(b["n"] for b in t["buckets"]) == 4 and len(t["buckets"]) == 19
    assert {"Baghdad", "Mosul"} <= {c["name"] for c in page["co_occurring"]}
    assert len(page["stories"]) == 2
    by = page["quotes_by"]
    assert by and all(q["speaker_entity"]["name"] == "Karim Haddad" for q in by)
    assert "We have sent every pump we have to Samarra," in [q["text"] for q in by]
    about = page["quotes_about"]
    assert [q["speaker"] for q in about] == ["Salim Jaber"]
    assert "Karim Haddad" in about[0]["text"]


def test_entity_list_by_type_and_name(store: Any) -> None:
    people = entities.entity_list(store, 50, type_="PER")["items"]
    assert {"Karim Haddad", "Claire Dumont"} <= {e["name"] for e in people}
    assert all(e["type"] == "PER" for e in people)
    assert [e["name"] for e in entities.entity_list(store, 50, name="hadd")["items"]] == [
        "Karim Haddad"]
    assert entities.entity_list(store, 50, name="DUMONT")["items"][0]["name"] == "Claire Dumont"
    assert entities.entity_list(store, 50, name="zzzz")["items"] == []
    assert entities.entity_list(store, 50, name="mos", type_="PER")["items"] == []
    with pytest.raises(ValueError, match="type must be one of"):
        entities.entity_list(store, 50, type_="CAT")


def test_pages_render_with_the_map(client: TestClient, store: Any) -> None:
    html = client.get("/ui/places").text
    assert "<svg" in html and 'class="marker' in html and "/ui/places/" in html
    assert 'aria-label="Iraq (country)' in html
    assert "Kirkuk" in html and "Every place" in html
    fr = client.get("/ui/places", params={"country": "fr"}).text
    assert "Places in France" in fr and "Kirkuk" not in fr
    baghdad = _id(store, "Baghdad")
    place = client.get(f"/ui/places/{baghdad}")
    assert place.status_code == 200 and "On the map" in place.text
    assert "Floods cut the road between Baghdad and Mosul" in place.text
    person = _id(store, "Karim Haddad")
    assert client.get(f"/ui/places/{person}", follow_redirects=False).headers[
        "location"] == f"/ui/entities/{person}"
    entity = client.get(f"/ui/entities/{person}").text
    for part in ("Mentions over time", 'class="bar"', "Names by language", "Named with",
                 "Quotes by Karim Haddad", "Quotes about Karim Haddad", "Salim Jaber"):
        assert part in entity
    listed = client.get("/ui/entities", params={"type": "PER", "q": "dum"}).text
    assert "Claire Dumont" in listed and "Karim Haddad" not in listed


@pytest.mark.parametrize("path, reason", [
    ("/ui/places?country=Iraq", "two-letter ISO code"),
    ("/ui/places?bbox=1,2,3", "four numbers"),
    ("/ui/places?bbox=10,50,20,40", "not west,south,east,north"),
    ("/ui/places?bbox=170,0,-170,10", "not west,south,east,north"),
    ("/ui/places?bbox=nan,0,1,1", "not west,south,east,north"),
    ("/ui/entities?type=CAT", "type must be one of"),
    ("/ui/entities/424242", "no entity with id 424242"),
    ("/ui/places/424242", "no entity with id 424242"),
])
def test_bad_requests_are_pages_that_say_why(client: TestClient, path: str, reason: str) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert reason in response.text and "Traceback" not in response.text


def test_a_cluster_link_zooms_the_map(client: TestClient) -> None:
    html = client.get("/ui/places").text
    start = html.index('href="/ui/places?bbox=')
    href = html[start + 6:html.index('"', start + 6)].replace("&amp;", "&")
    zoomed = client.get(href)
    assert zoomed.status_code == 200 and "in this part of the map" in zoomed.text
    assert "Iraq" in zoomed.text and "Paris" not in zoomed.text


def test_a_cluster_is_named_after_its_weightiest_then_largest_place() -> None:
    diyala = {"id": 5, "name": "Diyala", "lat": 34.04, "lon": 45.03, "country": "IQ",
              "feature": "admin1"}
    town = {"id": 6, "name": "Al Miqdadiyah", "lat": 33.98, "lon": 44.94, "country": "IQ",
            "feature": "city"}
    [marker] = maps.cluster([town, diyala], maps.frame([]))
    assert marker.lead["name"] == "Diyala"


def test_few_markers_are_named_on_the_map_many_are_not() -> None:
    few = maps.map_view([BAGHDAD, PARIS])
    assert sorted(m.name for m in few.markers) == ["Baghdad", "Paris"]
    many = [{"id": i, "name": f"P{i}", "lat": -60 + 8 * i, "lon": -170 + 20 * i}
            for i in range(maps.NAMED + 2)]
    assert all(m.name == "" for m in maps.map_view(many).markers)


def test_names_in_right_to_left_scripts_are_marked_so() -> None:
    from types import SimpleNamespace

    from newsweave.web.render import environment

    entity = {"id": 1, "name": "بغداد", "type": "LOC", "key": "gn:98182", "articles": 2,
              "mentions": 2, "sample": 2000, "sampled": False,
              "place": {"place_id": "gn:98182", "name": "Baghdad", "feature": "city",
                        "country": "IQ", "admin1": "07", "lat": 33.34, "lon": 44.4},
              "aliases_by_language": [{"lang": "ar", "mentions": 2,
                                       "aliases": [{"alias": "بغداد", "n": 2}]}],
              "timeline": entities.mention_timeline([]), "co_occurring": [], "stories": [],
              "quotes_by": [], "quotes_about": [{
                  "text": "<script>alert(1)</script> بغداد", "speaker": "سليم", "lang": "ar",
                  "speaker_entity": None, "direct": True, "article": 3,
                  "article_title": "عنوان", "published": None, "story": None}]}
    html = environment().get_template("entity.html").render(
        entity=entity, as_place=True, bars=[], nav="/ui/places/1", csrf_token="t",
        config=SimpleNamespace(web_tile_url=""), entity_map=maps.entity_map(entity),
        entity_places=maps.entity_places(entity))
    assert '<dd lang="ar" dir="rtl"><bdi>بغداد</bdi>' in html
    assert '<blockquote lang="ar" dir="rtl">' in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert '<h1 dir="auto">بغداد</h1>' in html and 'aria-label="بغداد, Iraq: 2 articles"' in html


def test_an_entity_map_frames_its_place_and_the_places_near_it() -> None:
    lyon = {"place_id": "gn:2", "name": "Lyon", "feature": "city", "country": "FR",
            "lat": 45.75, "lon": 4.85}
    baghdad = {**{k: BAGHDAD[k] for k in ("name", "feature", "country", "lat", "lon")},
               "place_id": "gn:1"}
    paris = {"id": 4, "name": "Paris", "articles": 2,
             "place": {"place_id": "gn:3", "name": "Paris", "feature": "city", "country": "FR",
                       "lat": 48.85, "lon": 2.35},
             "co_occurring": [{"id": 9, "name": "Lyon", "articles": 2, "place": lyon},
                              {"id": 1, "name": "Baghdad", "articles": 1, "place": baghdad},
                              {"id": 7, "name": "Someone", "articles": 2, "place": None}]}
    listed = maps.entity_places(paris)
    assert [p["name"] for p in listed] == ["Paris", "Lyon", "Baghdad"] and listed[0]["current"]
    drawn = maps.entity_map(paris)
    assert drawn is not None and _contains(drawn.view, 4.85, 45.75)  # Lyon is near
    assert not _contains(drawn.view, 44.4, 33.34)  # Baghdad is not: no world map
    assert [m.current for m in drawn.markers] == [True, False]
    person = {"id": 7, "name": "Someone", "articles": 2, "place": None,
              "co_occurring": paris["co_occurring"]}
    assert len(maps.entity_map(person).markers) == 2  # framed on the places named with it
    assert maps.entity_map({**person, "co_occurring": []}) is None
