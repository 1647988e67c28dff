"""Benchmark regions fairly: the same key figures per region, a null model, links between regions, change over time.

Public API
----------
:func:`run_compare`
    Packages (each a region) or one package split ``by`` an attribute → computed and written.
:func:`run_compare_config`
    The same from a ``samverkan.toml`` (format: :mod:`samverkan.compare.config`).
:func:`compare_regions` / :func:`write_compare`
    Compute only / write a computed result.
:func:`regions_from_packages`, :func:`split_package`, :func:`inter_region`
    Regions and the links between them (:mod:`samverkan.compare.regions`).
:func:`null_model`, :func:`rewire`
    Degree-preserving curveball rewiring (:mod:`samverkan.compare.nullmodel`).
:func:`compare_snapshots`
    One region at two times (:mod:`samverkan.compare.overtime`).
"""

from .config import CompareConfig, CompareOptions, OverTimeSpec, load_config
from .nullmodel import NullModelResult, null_model, rewire
from .overtime import OverTimeResult, Snapshot, compare_snapshots
from .regions import InterRegion, Region, RegionSet, inter_region, regions_from_packages, split_package
from .run import CompareResult, compare_regions, run_compare, run_compare_config, write_compare

__all__ = [
    "CompareConfig",
    "CompareOptions",
    "CompareResult",
    "InterRegion",
    "NullModelResult",
    "OverTimeResult",
    "OverTimeSpec",
    "Region",
    "RegionSet",
    "Snapshot",
    "compare_regions",
    "compare_snapshots",
    "inter_region",
    "load_config",
    "null_model",
    "regions_from_packages",
    "rewire",
    "run_compare",
    "run_compare_config",
    "split_package",
    "write_compare",
]
