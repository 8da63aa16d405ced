"""Train a small diabetes classifier: needs pandas and scikit-learn in the job's environment."""
import argparse

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

FEATURES = ["Pregnancies", "PlasmaGlucose", "DiastolicBloodPressure", "TricepsThickness", "SerumInsulin", "BMI",
            "DiabetesPedigree", "Age"]

parser = argparse.ArgumentParser()
parser.add_argument("--training_data", type=str)
args = parser.parse_args()

df = pd.read_csv(args.training_data)
X_train, X_test, y_train, y_test = train_test_split(df[FEATURES], df["Diabetic"], test_size=0.3, random_state=0)
model = LogisticRegression(solver="liblinear").fit(X_train, y_train)
print("accuracy", model.score(X_test, y_test))
