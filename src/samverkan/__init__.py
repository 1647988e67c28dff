"""samverkan: how regional collaboration really works.

Loads partner organisations, contacts and joint projects (with each party's role) into a graph;
measures collaboration density, ownership gaps and bridging actors; writes interactive network
views, a report, and benchmark comparisons across regions.

The Python API (``docs/python-api.md``)::

    import samverkan
    pkg = samverkan.read_package("data/sodertorn-2009")
    a = samverkan.analyse(pkg, lang="en")      # nothing written
    a.organisations, a.ties, a.projects, a.findings, a.white_spots, a.summary
    a.write("reports/sodertorn")               # every file `samverkan analyse` writes
    c = samverkan.compare([pkg, "data/orebro-2014"])

The names below are imported on first use, so ``import samverkan`` stays fast.
"""

__version__ = "0.1.0"

__all__ = [
    "read_package",
    "analyse",
    "compare",
    "Analysis",
    "AnalysisResult",
    "AnalysisOptions",
    "CompareResult",
    "Package",
    "SamverkanError",
    "InputError",
    "UsageError",
    "__version__",
]

_WHERE = {
    "read_package": "api",
    "analyse": "api",
    "compare": "compare",  # the subpackage, callable: samverkan.compare([...]) is samverkan.api.compare
    "Analysis": "api",
    "AnalysisResult": "analysis",
    "AnalysisOptions": "analysis",
    "CompareResult": "compare.run",
    "Package": "io.package",
    "SamverkanError": "errors",
    "InputError": "errors",
    "UsageError": "errors",
}


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'samverkan' has no attribute '{name}'")
    import importlib

    imported = importlib.import_module(f"{__name__}.{module}")
    value = imported if module == name else getattr(imported, name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
