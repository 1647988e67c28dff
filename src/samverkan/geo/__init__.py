"""Maps: Swedish municipality and county shapes and names, inline SVG maps, the map page.

Public API
----------
Names: :func:`~samverkan.geo.names.municipality_name`, :func:`~samverkan.geo.names.county_name`,
:func:`~samverkan.geo.names.municipality_code`, :func:`~samverkan.geo.names.county_code`,
:func:`~samverkan.geo.names.county_of`.
Shapes: :func:`~samverkan.geo.shapes.municipality_shapes`, :func:`~samverkan.geo.shapes.county_shapes`,
:func:`~samverkan.geo.shapes.load_user_shapes`, :func:`~samverkan.geo.shapes.attribution`.
SVG: :func:`~samverkan.geo.svgmap.municipality_map_svg`, :func:`~samverkan.geo.svgmap.county_map_svg`,
:func:`~samverkan.geo.svgmap.resolve_counties`.
Page and print map: :func:`~samverkan.views.map_page.write_map_html`, :func:`~samverkan.views.map_page.write_map_svg`,
:func:`~samverkan.views.map_page.write_map_png`, :func:`~samverkan.views.map_page.map_facts`.
"""

from .names import (
    county_code,
    county_name,
    county_of,
    municipality_code,
    municipality_name,
)
from .shapes import attribution, county_shapes, load_user_shapes, municipality_shapes

__all__ = [
    "attribution",
    "county_code",
    "county_name",
    "county_of",
    "county_shapes",
    "load_user_shapes",
    "municipality_code",
    "municipality_name",
    "municipality_shapes",
]
