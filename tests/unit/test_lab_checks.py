"""The check API: declaration order, points, and helpers that fail with messages saying what to change."""
import pytest

from labs.checks import Check, CheckFailed, check, collect, expect, same_rows
from labs.results import CheckResult, LabResult, overall_status


def test_checks_are_collected_in_file_order_with_points():
    @check("First", points=2, hint="do it")
    def first(ctx):
        return None

    @check("Second")
    def second(ctx):
        expect(False, "change this")

    checks = collect({"first": first, "helper": len, "second": second})
    assert [(c.name, c.points, c.hint) for c in checks] == [("first", 2, "do it"), ("second", 1, None)]
    assert isinstance(first, Check)
    with pytest.raises(CheckFailed, match="change this"):
        second(None)


def test_points_must_be_positive():
    with pytest.raises(ValueError):
        check("x", points=0)


def test_status_and_json_shape():
    checks = [CheckResult("a", "A", "pass", 2, 2), CheckResult("b", "B", "fail", 0, 1, "fix b", "hint b")]
    assert overall_status(checks, run_error=False) == "fail"
    assert overall_status(checks[:1], run_error=False) == "pass"
    assert overall_status(checks[:1], run_error=True) == "error"
    data = LabResult("lab", "fail", 2, 3, checks).to_dict()
    assert {"status", "score", "max_score", "checks"} <= set(data)
    assert set(data["checks"][1]) >= {"name", "status", "points", "message", "hint"}
    assert LabResult.from_dict(data).checks[1].hint == "hint b"


def test_same_rows_ignores_order():
    import pandas as pd

    a = pd.DataFrame({"x": [1, 2], "y": ["a", "b"]})
    assert same_rows(a.iloc[::-1], a) and not same_rows(a.head(1), a)


def test_sample_data_is_deterministic_and_learnable():
    from labs.sample_data import COLUMNS, diabetes_frame

    frame = diabetes_frame(2000, seed=3)
    assert tuple(frame.columns) == COLUMNS and frame.equals(diabetes_frame(2000, seed=3))
    assert frame["PatientID"].is_unique and 0.2 < frame["Diabetic"].mean() < 0.5
    assert frame.groupby("Diabetic")["PlasmaGlucose"].mean().diff().iloc[-1] > 10
