"""Map shapes: Sweden's municipalities and counties (bundled), or a user's own GeoJSON.

Conventions
-----------
A :class:`Shape` holds one area as polygons of rings of ``(longitude, latitude)`` points (WGS84),
its ``code`` (the key data are matched on), ``name`` and, for Swedish municipalities, its county
code. The bundled shapes are ``okfse/sweden-geojson`` (commit ff67bcb), copied unchanged (see
``data/SOURCE.json``): 290 municipalities keyed by the four-digit kommunkod and 21 counties keyed
by the two-digit länskod. They are loaded once per process (:func:`functools.lru_cache`).

Projection: equirectangular with the longitude scaled by cos(mean latitude) of the area shown
(``x = (lon - lon0)·cos φ0``, ``y = -(lat - lat0)``). At Swedish latitudes and at county or
region scale this keeps shapes recognisable; it is not equal-area and not for measuring.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

__all__ = [
    "COUNTY_NAMES",
    "Shape",
    "attribution",
    "bbox",
    "county_shapes",
    "load_user_shapes",
    "municipality_shapes",
    "project",
]

# Official county names (SCB); the shapes carry only the short form ("Stockholm").
COUNTY_NAMES = {
    "01": "Stockholms län",
    "03": "Uppsala län",
    "04": "Södermanlands län",
    "05": "Östergötlands län",
    "06": "Jönköpings län",
    "07": "Kronobergs län",
    "08": "Kalmar län",
    "09": "Gotlands län",
    "10": "Blekinge län",
    "12": "Skåne län",
    "13": "Hallands län",
    "14": "Västra Götalands län",
    "17": "Värmlands län",
    "18": "Örebro län",
    "19": "Västmanlands län",
    "20": "Dalarnas län",
    "21": "Gävleborgs län",
    "22": "Västernorrlands län",
    "23": "Jämtlands län",
    "24": "Västerbottens län",
    "25": "Norrbottens län",
}


@dataclass(frozen=True)
class Shape:
    """One area: ``polygons`` is a tuple of polygons, each a tuple of rings of (lon, lat)."""

    code: str
    name: str
    polygons: tuple
    county: str = ""
    short_name: str = ""
    label: tuple | None = None  # (lon, lat) of a point inside, when the source gives one
    properties: dict = field(default_factory=dict, compare=False, hash=False)

    def bounds(self) -> tuple[float, float, float, float]:
        """(min lon, min lat, max lon, max lat), computed once."""
        cached = self.__dict__.get("_bounds")
        if cached is not None:
            return cached
        self.__dict__["_bounds"] = value = self._bounds_now()
        return value

    def _bounds_now(self) -> tuple[float, float, float, float]:
        xs = [p[0] for poly in self.polygons for ring in poly for p in ring]
        ys = [p[1] for poly in self.polygons for ring in poly for p in ring]
        return min(xs), min(ys), max(xs), max(ys)

    def centre(self) -> tuple[float, float]:
        """The label point if known, else the area-weighted centroid of the largest polygon's outer ring."""
        if self.label is not None:
            return self.label
        ring = max((poly[0] for poly in self.polygons), key=lambda r: abs(_area(r)))
        a = _area(ring)
        if a == 0:
            return (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))
        cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
            cross = x0 * y1 - x1 * y0
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        return cx / (6 * a), cy / (6 * a)


def _area(ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1])) / 2


def _polygons(geometry) -> tuple:
    """GeoJSON Polygon/MultiPolygon coordinates as a tuple of polygons of tuples of (lon, lat)."""
    if not geometry:
        return ()
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        coords = [coords]
    elif kind != "MultiPolygon":
        return ()
    return tuple(tuple(tuple((float(p[0]), float(p[1])) for p in ring) for ring in poly if len(ring) >= 3) for poly in coords)


def _read_bundled(name: str) -> dict:
    return json.loads(resources.files("samverkan.geo").joinpath("data", name).read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def municipality_shapes() -> dict[str, Shape]:
    """Sweden's 290 municipalities, keyed by four-digit code ("0126" → Huddinge), in code order."""
    shapes = {}
    for feature in _read_bundled("swedish_municipalities.geojson")["features"]:
        p = feature["properties"]
        point = p.get("geo_point_2d")
        label = (float(point[1]), float(point[0])) if point else None  # the file writes [lat, lon]
        code = str(p["id"]).zfill(4)
        shapes[code] = Shape(code=code, name=p["kom_namn"], short_name=p["kom_namn"], county=str(p["lan_code"]).zfill(2), polygons=_polygons(feature["geometry"]), label=label)
    return dict(sorted(shapes.items()))


@functools.lru_cache(maxsize=1)
def county_shapes() -> dict[str, Shape]:
    """Sweden's 21 counties keyed by two-digit code ("01" → Stockholms län), in code order."""
    shapes = {}
    for feature in _read_bundled("swedish_regions.geojson")["features"]:
        p = feature["properties"]
        code = f"{int(p['l_id']):02d}"
        shapes[code] = Shape(code=code, name=COUNTY_NAMES.get(code, p["name"]), short_name=p["name"], county=code, polygons=_polygons(feature["geometry"]))
    return dict(sorted(shapes.items()))


@functools.lru_cache(maxsize=1)
def _source() -> dict:
    return _read_bundled("SOURCE.json")


def attribution(lang: str = "sv") -> str:
    """The source line to show under every map drawn from the bundled shapes."""
    texts = _source()["attribution"]
    return texts.get(lang, texts["en"])


def load_user_shapes(path, key: str, *, name_key: str | None = None) -> tuple[dict[str, Shape], str | None]:
    """Shapes from a user's GeoJSON file, keyed by the property `key` (a code or a name).

    Parameters
    ----------
    path : str or os.PathLike
        A GeoJSON ``FeatureCollection`` of Polygon/MultiPolygon features in longitude/latitude.
    key : str
        The property whose value the package's municipality or region column holds.
    name_key : str, optional
        A property with a display name; default ``name``/``navn``/``namn`` when present, else `key`.

    Returns
    -------
    (dict, str or None)
        The shapes by key, and ``None``; or ``{}`` and one sentence saying why there are none
        (missing file, not GeoJSON, no such property).
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return {}, f"{path}: no such file"
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {}, f"{path}: not a GeoJSON file ({exc.__class__.__name__}: {exc})"
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        return {}, f"{path}: not a GeoJSON FeatureCollection with features"
    shapes: dict[str, Shape] = {}
    seen_keys: set = set()
    for feature in features:
        props = (feature or {}).get("properties") or {}
        seen_keys.update(props)
        value = props.get(key)
        if value is None or str(value).strip() == "":
            continue
        polygons = _polygons((feature or {}).get("geometry"))
        if not polygons:
            continue
        code = str(value).strip()
        label_key = name_key or next((k for k in ("name", "navn", "namn", "NAME") if k in props), key)
        name = str(props.get(label_key) or code)
        if code in shapes:  # a region split over several features: join the polygons
            old = shapes[code]
            shapes[code] = Shape(code=code, name=old.name, short_name=old.short_name, polygons=old.polygons + polygons, properties=old.properties)
        else:
            shapes[code] = Shape(code=code, name=name, short_name=name, polygons=polygons, properties=dict(props))
    if not shapes:
        known = ", ".join(sorted(map(str, seen_keys))[:12]) or "none"
        return {}, f"{path}: no feature has the property '{key}' (properties found: {known})"
    return shapes, None


def bbox(shapes, *, pad: float = 0.0) -> tuple[float, float, float, float]:
    """The (min lon, min lat, max lon, max lat) around `shapes`, widened by `pad` × its size on each side."""
    bounds = [s.bounds() for s in shapes]
    x0, y0 = min(b[0] for b in bounds), min(b[1] for b in bounds)
    x1, y1 = max(b[2] for b in bounds), max(b[3] for b in bounds)
    dx, dy = (x1 - x0) * pad, (y1 - y0) * pad
    return x0 - dx, y0 - dy, x1 + dx, y1 + dy


def project(box: tuple[float, float, float, float], width: float):
    """A function (lon, lat) → (x, y) in pixels fitting `box` into `width`; and the height.

    Equirectangular with cos(mean latitude) scaling (see the module docstring).

    Examples
    --------
    >>> to_xy, height = project((18.0, 59.0, 19.0, 60.0), 100)
    >>> to_xy(18.0, 60.0), round(height, 1)
    ((0.0, 0.0), 197.0)
    """
    x0, y0, x1, y1 = box
    k = math.cos(math.radians((y0 + y1) / 2))
    span_x = max((x1 - x0) * k, 1e-9)
    scale = width / span_x
    height = (y1 - y0) * scale

    def to_xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - x0) * k * scale, (y1 - lat) * scale

    return to_xy, height
