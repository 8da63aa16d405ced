"""Train a diabetes classifier; run as an Azure ML experiment script."""
import argparse
import os

import joblib
from azureml.core import Run
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

FEATURES = ["Pregnancies", "PlasmaGlucose", "DiastolicBloodPressure", "TricepsThickness", "SerumInsulin", "BMI",
            "DiabetesPedigree", "Age"]

parser = argparse.ArgumentParser()
parser.add_argument("--input-data", type=str, help="the training dataset (id)")
parser.add_argument("--reg-rate", type=float, dest="reg_rate", default=0.01)
args = parser.parse_args()

run = Run.get_context()
df = run.input_datasets["training_data"].to_pandas_dataframe()
X, y = df[FEATURES].values, df["Diabetic"].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)

reg = args.reg_rate
run.log("Regularization Rate", reg)
model = LogisticRegression(C=1 / reg, solver="liblinear").fit(X_train, y_train)
accuracy = model.score(X_test, y_test)
run.log("Accuracy", float(accuracy))

os.makedirs("outputs", exist_ok=True)
joblib.dump(model, "outputs/diabetes_model.pkl")
run.complete()
