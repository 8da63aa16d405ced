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
# TODO: add the --reg-rate argument (a float, default 0.01)
args = parser.parse_args()

run = Run.get_context()
df = run.input_datasets["training_data"].to_pandas_dataframe()
X, y = df[FEATURES].values, df["Diabetic"].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)

reg = 0.01  # TODO: use the --reg-rate argument
# TODO: log the regularization rate as "Regularization Rate"
model = LogisticRegression(C=1 / reg, solver="liblinear").fit(X_train, y_train)
accuracy = model.score(X_test, y_test)
# TODO: log the accuracy as "Accuracy"

# TODO: save the model to outputs/diabetes_model.pkl
run.complete()
