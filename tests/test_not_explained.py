"""A leaf under `not` is worded as it is: false when it makes the `not` true."""

from __future__ import annotations

from defa_check.evaluate.document import check_data
from defa_check.evaluate.engine import Selection
from defa_check.packs.loader import Catalog

from .conftest import AS_OF


def test_a_pass_under_not_says_what_the_data_does_not_include(bundled_catalog: Catalog) -> None:
    """LA-SENSITIVE-001 requires `not: data_categories under [race, religion, ...]`: ordinary
    customer data passes, and the evidence said the opposite ("the data include data under ...")."""
    manifest = {
        "manifest_version": 1,
        "organization": {"name": "X", "home_country": "LA"},
        "flows": [{"id": "orders", "from": "LA", "to": "LA", "data_categories": ["user.name"]}],
    }
    selection = Selection(countries=frozenset({"LA"}), rule_ids=frozenset({"LA-SENSITIVE-001"}))
    result = check_data(manifest, bundled_catalog, AS_OF, selection)
    assert result.report is not None
    [finding] = result.report.findings
    assert finding.status.value == "pass"
    assert len(finding.evidence) == 1
    # The categories by their taxonomy names: race (user.demographic.race_ethnicity) first.
    assert finding.evidence[0].startswith("the data do not include race, "), finding.evidence
