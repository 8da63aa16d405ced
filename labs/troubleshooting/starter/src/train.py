"""Train a decision tree on the diabetes data (a colleague's script)."""
import argparse
import os

import joblib
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

FEATURES = ["Pregnancies", "PlasmaGlucose", "DiastolicBloodPressure", "TricepsThickness", "SerumInsulin", "BMI",
            "DiabetesPedigree", "Age"]

parser = argparse.ArgumentParser()
parser.add_argument("--training-data", type=str, dest="training_data")
parser.add_argument("--max_depth", type=int, default=5)
args = parser.parse_args()

print("Reading", args.training_data)
df = pd.read_csv(args.training_data)
X, y = df[FEATURES], df["Diabetes"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)

model = DecisionTreeClassifier(max_depth=args.max_depth, random_state=0).fit(X_train, y_train)
accuracy = model.score(X_test, y_test)
print("accuracy", accuracy)

os.makedirs("outputs", exist_ok=True)
joblib.dump(model, "outputs/model.pkl")

from azureml.core import Run

Run.get_context().log("accuracy", accuracy)
