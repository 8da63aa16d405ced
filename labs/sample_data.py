"""Small, generated diabetes-style data for labs and lessons.

The table has the shape learners meet in DP-100 material (one row per
patient, nine numeric features and a 0/1 ``Diabetic`` label) but every value
is generated here with numpy from a fixed seed, so the same ``(n, seed)``
always gives the same frame.  ``Diabetic`` is drawn from a logistic model of
glucose, BMI, age, pregnancies and pedigree, so a plain logistic regression
or a small tree learns it well above chance (AUC around 0.85).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

COLUMNS: tuple[str, ...] = (
    "PatientID",
    "Pregnancies",
    "PlasmaGlucose",
    "DiastolicBloodPressure",
    "TricepsThickness",
    "SerumInsulin",
    "BMI",
    "DiabetesPedigree",
    "Age",
    "Diabetic",
)
FEATURES: tuple[str, ...] = COLUMNS[1:-1]
LABEL = "Diabetic"


def diabetes_frame(n: int = 10000, seed: int = 0) -> pd.DataFrame:
    """Return ``n`` deterministic patient rows (see module docstring)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    rng = np.random.default_rng(seed)
    patient_id = rng.choice(np.arange(1_000_000, 2_000_000), size=n, replace=False)
    age = np.clip(np.round(21 + rng.gamma(2.0, 8.0, n)), 21, 77).astype(int)
    pregnancies = np.clip(rng.poisson(np.where(age > 30, 3.5, 1.2)), 0, 14).astype(int)
    glucose = np.clip(np.round(rng.normal(108, 27, n)), 44, 192).astype(int)
    diastolic = np.clip(np.round(rng.normal(71, 16, n)), 24, 117).astype(int)
    triceps = np.clip(np.round(rng.normal(28, 14, n)), 7, 93).astype(int)
    insulin = np.clip(np.round(rng.lognormal(4.4, 0.9, n) + 0.4 * glucose), 14, 799).astype(int)
    bmi = np.round(np.clip(rng.normal(31.5, 9.5, n), 18.2, 56.0), 6)
    pedigree = np.round(np.clip(rng.lognormal(-1.2, 0.7, n), 0.078, 2.3), 6)

    z = (
        -1.0
        + 0.045 * (glucose - 108)
        + 0.09 * (bmi - 31.5)
        + 0.05 * (age - 35)
        + 0.12 * (pregnancies - 2.5)
        + 0.8 * (pedigree - 0.4)
    )
    prob = 1.0 / (1.0 + np.exp(-z))
    diabetic = (rng.random(n) < prob).astype(int)

    return pd.DataFrame(
        {
            "PatientID": patient_id.astype(int),
            "Pregnancies": pregnancies,
            "PlasmaGlucose": glucose,
            "DiastolicBloodPressure": diastolic,
            "TricepsThickness": triceps,
            "SerumInsulin": insulin,
            "BMI": bmi,
            "DiabetesPedigree": pedigree,
            "Age": age,
            "Diabetic": diabetic,
        },
        columns=list(COLUMNS),
    )


def write_diabetes_csv(path: str | Path, n: int = 10000, seed: int = 0) -> Path:
    """Write ``diabetes_frame(n, seed)`` to ``path`` as CSV (no index); return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    diabetes_frame(n, seed).to_csv(target, index=False)
    return target
