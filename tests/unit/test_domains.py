"""The registry of sandbox domains drives `sandbox ls`, `sandbox status` and the explorer."""
import sys
import types

import pytest

from sandbox import domains


@pytest.fixture
def widgets_domain(monkeypatch):
    module = types.ModuleType("sandbox_test_widgets")
    module.ls_rows = lambda ws, name=None: [{"name": "w1", "state": "Healthy"}, {"name": "w2", "state": "Failed"}]
    monkeypatch.setitem(sys.modules, "sandbox_test_widgets", module)
    domain = domains.Domain("widgets", "Widgets", "sandbox_test_widgets", node="widget")
    monkeypatch.setattr(domains, "DOMAINS", [*domains.DOMAINS, domain])
    return domain


def test_a_registered_domain_is_counted_listed_and_shown_in_the_explorer(ws, widgets_domain):
    assert domains.counts(ws)["widgets"] == 2
    assert [r["name"] for r in domains.get("widgets").rows(ws)] == ["w1", "w2"]
    from course.tui.services.explorer import Explorer

    sections = {n.key: n for n in Explorer(ws.root).sections()}
    widgets = sections[("section", "widgets")]
    assert widgets.label == "Widgets (2)"
    assert [(c.key, c.status) for c in widgets.children] == [(("widget", "w1"), "Healthy"), (("widget", "w2"), "Failed")]


def test_every_domain_lists_and_counts_on_a_fresh_workspace(ws):
    counts = domains.counts(ws)
    assert set(counts) == set(domains.kinds())
    assert counts["datastores"] == 2 and counts["environments"] >= 1
    for domain in domains.DOMAINS:
        assert all("name" in row for row in domain.rows(ws))


def test_an_unknown_kind_suggests_the_close_one():
    with pytest.raises(KeyError, match="Did you mean 'jobs'"):
        domains.get("job")
