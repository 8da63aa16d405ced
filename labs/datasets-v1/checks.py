"""Checks for the datasets-v1 lab."""
import pandas as pd

from labs.checks import check, expect, same_rows


@check("diabetes-tabular version 1 is a tabular dataset of diabetes.csv", points=2,
       hint="Dataset.Tabular.from_delimited_files(path=(datastore, 'diabetes-data/diabetes.csv')).register(workspace=ws, name='diabetes-tabular')")
def tabular_registered(ctx):
    reg = ctx.dataset("diabetes-tabular", 1)
    expect(reg.definition.kind == "tabular",
           "Version 1 of diabetes-tabular is a file dataset; create it with Dataset.Tabular.from_delimited_files.")
    frame = ctx.dataset_frame("diabetes-tabular", 1)
    expect(len(frame) == 10000,
           f"Version 1 of diabetes-tabular has {len(frame)} rows; it should cover diabetes.csv only (10,000 rows).")
    expect(same_rows(frame, ctx.diabetes(10000, 0)),
           "Version 1 of diabetes-tabular does not hold the rows of diabetes.csv; point it at that file, with its header.")


@check("diabetes-files is a file dataset of both CSV files", points=2,
       hint="Dataset.File.from_files(path=(datastore, 'diabetes-data/*.csv')).register(workspace=ws, name='diabetes-files')")
def file_dataset_registered(ctx):
    from sandbox import datasets

    reg = ctx.dataset("diabetes-files")
    expect(reg.definition.kind == "file",
           "diabetes-files is a tabular dataset; create it with Dataset.File.from_files so it hands over the files.")
    names = sorted(rel.rsplit("/", 1)[-1] for _, rel in datasets.files_of(ctx.ws, reg.definition))
    expect(names == ["diabetes.csv", "diabetes2.csv"],
           f"diabetes-files covers {names}; it should cover both CSV files (use the pattern 'diabetes-data/*.csv').")


@check("diabetes-tabular version 2 covers both files", points=2,
       hint="Register the two-file tabular dataset under the same name with create_new_version=True.")
def new_version_registered(ctx):
    versions = [r.version for r in ctx.dataset_versions("diabetes-tabular")]
    expect(2 in versions, f"diabetes-tabular has versions {versions or 'none'}; register the two-file dataset as "
                          "version 2 (create_new_version=True).")
    reg = ctx.dataset("diabetes-tabular", 2)
    expect(reg.definition.kind == "tabular", "Version 2 of diabetes-tabular must be a tabular dataset.")
    frame = ctx.dataset_frame("diabetes-tabular", 2)
    expected = pd.concat([ctx.diabetes(10000, 0), ctx.diabetes(2000, 1)], ignore_index=True)
    expect(len(frame) == 12000 and same_rows(frame, expected),
           f"Version 2 has {len(frame)} rows; it should read both CSV files (12,000 rows).")


@check("Reads version 1 again by number", points=2,
       hint="first = Dataset.get_by_name(ws, name='diabetes-tabular', version=1); first.to_pandas_dataframe()")
def reads_version_one(ctx):
    calls = ctx.calls("get_by_name")
    expect(calls, "Get the dataset with Dataset.get_by_name(ws, name='diabetes-tabular', version=1).")
    asked = [ctx.keyword(c, "version") if ctx.keyword(c, "version") is not None else
             (getattr(c.args[2], "value", None) if len(c.args) > 2 else None) for c in calls]
    expect(any(v in (1, "1") for v in asked),
           "Pass version=1 to Dataset.get_by_name: without it you get the latest version (2).")
    expect(ctx.calls("to_pandas_dataframe"), "Load version 1 with .to_pandas_dataframe() and print its row count.")
