"""The analysis's suggestion and missing-tie tables name the organisations; with no row they need
no names, and the empty columns are as before (issue 16)."""

import pandas as pd

from samverkan.analysis import _missing_ties, _suggestions
from samverkan.io.package import empty_package


def a_package():
    pkg = empty_package()
    pkg.tables["organisations"] = pd.DataFrame({"id": ["a", "b"], "name": ["A kommun", "B kommun"], "type": ["other", "other"]})
    return pkg


def test_empty_tables_have_the_name_columns_typed_as_with_all_names():
    pkg = a_package()
    suggested, missing = _suggestions(pkg, pd.DataFrame(columns=["kind"]), None), _missing_ties(pkg, None)
    assert suggested.empty and missing.empty
    assert list(suggested.columns) == ["target_group", "municipality", "organisation", "organisation_name", "reason", "score"]
    assert list(missing.columns) == ["organisation_a", "name_a", "organisation_b", "name_b", "overlap", "shared", "target_groups", "municipalities"]
    names = dict(zip(pkg.organisations["id"].astype(str), pkg.organisations["name"].astype(str)))  # every name, as when there are rows
    assert suggested["organisation_name"].dtype == pd.Series([], dtype=object).map(names).fillna("").dtype
    assert missing["name_a"].dtype == missing["name_b"].dtype == suggested["organisation_name"].dtype
