"""Checks for the data-assets lab."""
import ast

from labs.checks import check, expect, fail


def _table(ctx, version):
    from sandbox import mltables

    asset = ctx.data_asset("diabetes-table", version)
    expect(asset.type == "mltable", f"diabetes-table version {version} is a {asset.type} asset; use AssetTypes.MLTABLE.")
    folder = ctx.local_path(asset.path)
    try:
        doc = mltables.read_document(folder)
        return mltables.to_dataframe(doc, asset.path.rstrip("/") + "/", lambda: ctx.ws)
    except Exception as exc:  # the learner's MLTable file
        fail(f"diabetes-table version {version} cannot be read as a table: {exc}")


@check("diabetes-file version 1 is a uri_file of diabetes.csv", points=2,
       hint="Data(name='diabetes-file', version='1', type=AssetTypes.URI_FILE, path='./data/diabetes.csv')")
def file_asset(ctx):
    asset = ctx.data_asset("diabetes-file", "1")
    expect(asset.type == "uri_file", f"diabetes-file is a {asset.type} asset; use type=AssetTypes.URI_FILE.")
    local = ctx.local_path(asset.path)
    expect(local.is_file() and local.read_bytes() == (ctx.folder / "data" / "diabetes.csv").read_bytes(),
           "diabetes-file does not point at data/diabetes.csv; use path='./data/diabetes.csv'.")


@check("diabetes-folder version 1 is a uri_folder of the data folder", points=2,
       hint="Data(name='diabetes-folder', version='1', type=AssetTypes.URI_FOLDER, path='./data')")
def folder_asset(ctx):
    asset = ctx.data_asset("diabetes-folder", "1")
    expect(asset.type == "uri_folder", f"diabetes-folder is a {asset.type} asset; use type=AssetTypes.URI_FOLDER.")
    local = ctx.local_path(asset.path)
    names = sorted(p.name for p in local.iterdir()) if local.is_dir() else []
    expect({"diabetes.csv", "diabetes2.csv"} <= set(names),
           f"diabetes-folder holds {names or 'nothing'}; point it at the ./data folder.")


@check("diabetes-table version 1 is an mltable with all columns", points=2,
       hint="mltable.from_delimited_files(paths=[{'file': './table/diabetes.csv'}]).save('./table'), then "
            "Data(name='diabetes-table', type=AssetTypes.MLTABLE, path='./table')")
def table_v1(ctx):
    frame = _table(ctx, "1")
    expect(len(frame) == 10000, f"Version 1 of diabetes-table reads {len(frame)} rows; it should read 10,000.")
    expect("PatientID" in frame.columns and "Diabetic" in frame.columns,
           f"Version 1 of diabetes-table has columns {list(frame.columns)}; it should have every column of the CSV.")


@check("diabetes-table version 2 leaves out PatientID", points=2,
       hint="table.drop_columns(['PatientID']).save('./table'), then register ./table again without a version.")
def table_v2(ctx):
    versions = [a.version for a in ctx.data_versions("diabetes-table")]
    expect("2" in versions, f"diabetes-table has versions {versions or 'none'}; register it a second time to get version 2.")
    frame = _table(ctx, "2")
    expect("PatientID" not in frame.columns,
           "Version 2 of diabetes-table still has PatientID: save table.drop_columns(['PatientID']) before registering.")
    expect(len(frame) == 10000 and "Diabetic" in frame.columns,
           "Version 2 should keep every row and the other columns; drop only PatientID.")


@check("The mltable versions are numbered automatically", points=1,
       hint="Leave version= out of Data(...) for diabetes-table; create_or_update picks the next number.")
def automatic_versions(ctx):
    mltable_calls = []
    for call in ctx.calls("Data"):
        for kw in call.keywords:
            value = kw.value
            text = ast.unparse(value) if kw.arg == "type" else ""
            if "MLTABLE" in text or text.strip("'\"") == "mltable":
                mltable_calls.append(call)
    expect(mltable_calls, "Create the table assets with Data(..., type=AssetTypes.MLTABLE, ...).")
    expect(all(all(kw.arg != "version" for kw in call.keywords) for call in mltable_calls),
           "Do not pass version= for diabetes-table: let the service number its versions.")
