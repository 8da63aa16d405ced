"""Train a small diabetes classifier on whatever compute the job runs on."""
import argparse
import os
import platform

import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

FEATURES = ["Pregnancies", "PlasmaGlucose", "DiastolicBloodPressure", "TricepsThickness", "SerumInsulin", "BMI",
            "DiabetesPedigree", "Age"]

parser = argparse.ArgumentParser()
parser.add_argument("--training_data", type=str)
args = parser.parse_args()

print("Running on", platform.node(), "with", os.cpu_count(), "CPUs")
df = pd.read_csv(args.training_data)
X_train, X_test, y_train, y_test = train_test_split(df[FEATURES], df["Diabetic"], test_size=0.3, random_state=0)
model = DecisionTreeClassifier(max_depth=5, random_state=0).fit(X_train, y_train)
print("accuracy", model.score(X_test, y_test))
