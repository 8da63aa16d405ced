import argparse

import mlflow
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

parser = argparse.ArgumentParser()
parser.add_argument("--training_data", type=str)
parser.add_argument("--reg_rate", type=float, default=0.01)
args = parser.parse_args()

df = pd.read_csv(args.training_data)
X = df[["Pregnancies", "PlasmaGlucose", "BMI"]].values
y = df["Diabetic"].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
model = LogisticRegression(C=1 / args.reg_rate, max_iter=500).fit(X_train, y_train)
mlflow.log_param("reg_rate", args.reg_rate)
mlflow.log_metric("accuracy", float(model.score(X_test, y_test)))
print("accuracy:", model.score(X_test, y_test))
