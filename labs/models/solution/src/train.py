"""Train a diabetes classifier and save it in MLflow format to --model_output."""
import argparse
import os

import mlflow.sklearn
import pandas as pd
from sklearn.linear_model import LogisticRegression

FEATURES = ["Pregnancies", "PlasmaGlucose", "DiastolicBloodPressure", "TricepsThickness", "SerumInsulin", "BMI",
            "DiabetesPedigree", "Age"]

parser = argparse.ArgumentParser()
parser.add_argument("--training_data", type=str)
parser.add_argument("--model_output", type=str)
args = parser.parse_args()

df = pd.read_csv(args.training_data)
model = LogisticRegression(C=100, solver="liblinear").fit(df[FEATURES], df["Diabetic"])
mlflow.sklearn.save_model(model, os.path.join(args.model_output, "model"))
print("Saved the model to", args.model_output)
