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

import sys as _sys
import types as _types

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


class _CallableModule(_types.ModuleType):
    """``samverkan.compare`` is this package and also the API call ``samverkan.compare([...])``.

    Importing a subpackage makes it an attribute of its parent, so a function of the same name in
    ``samverkan/__init__.py`` would be replaced whenever ``samverkan.compare`` is imported; the
    package itself is therefore callable and calls :func:`samverkan.compare.run.compare`.
    """

    def __call__(self, packages, **options):
        from .run import compare

        return compare(packages, **options)


_sys.modules[__name__].__class__ = _CallableModule
