"""Train a diabetes classifier as a command job tracked by MLflow."""
import argparse

import mlflow
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

FEATURES = ["Pregnancies", "PlasmaGlucose", "DiastolicBloodPressure", "TricepsThickness", "SerumInsulin", "BMI",
            "DiabetesPedigree", "Age"]

parser = argparse.ArgumentParser()
parser.add_argument("--training_data", type=str)
parser.add_argument("--reg_rate", type=float, default=0.01)
args = parser.parse_args()

# TODO 1a: turn on autologging for scikit-learn

# Inside a job, start_run() continues the job's own run, so everything below is logged on it.
with mlflow.start_run():
    df = pd.read_csv(args.training_data)
    X_train, X_test, y_train, y_test = train_test_split(df[FEATURES], df["Diabetic"], test_size=0.3, random_state=0)
    model = LogisticRegression(C=1 / args.reg_rate, solver="liblinear").fit(X_train, y_train)

    # TODO 1b: compute the ROC AUC on the test split and log it as "AUC"
