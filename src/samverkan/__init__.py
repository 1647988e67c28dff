"""samverkan: how regional collaboration really works.

Loads partner organisations, contacts and joint projects (with each party's role) into a graph;
measures collaboration density, ownership gaps and bridging actors; writes interactive network
views, a report, and benchmark comparisons across regions.
"""

__version__ = "0.1.0"
