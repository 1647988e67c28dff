"""Views: interactive network pages, the map of efforts and static figures.

Every page is one self-contained HTML file that works offline (no CDN, no web fonts); every
figure is a PNG and an SVG. Heavy libraries (matplotlib, igraph) are imported where needed.
"""

from samverkan.views.efforts import write_efforts_html
from samverkan.views.figures import write_static_figures
from samverkan.views.layout import compute_layout
from samverkan.views.network import write_ego_html, write_network_html, write_two_mode_html

__all__ = [
    "write_network_html",
    "write_two_mode_html",
    "write_ego_html",
    "write_efforts_html",
    "write_static_figures",
    "compute_layout",
]
