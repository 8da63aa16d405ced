"""Checks for the workspace-datastores lab."""
from labs.checks import check, expect

FILES = {"diabetes.csv": (10000, 0), "diabetes2.csv": (2000, 1)}


@check("Connects with Workspace.from_config()", points=1,
       hint="ws = Workspace.from_config() reads config.json, so no ids are typed into the code.")
def connects_from_config(ctx):
    expect(ctx.calls("Workspace.from_config") or ctx.calls("from_config"),
           "Create the workspace object with Workspace.from_config() rather than Workspace(...) or Workspace.get(...).")


@check("The data folder is on the default datastore under diabetes-data/", points=2,
       hint="ws.get_default_datastore().upload(src_dir='data', target_path='diabetes-data', overwrite=True)")
def uploaded_to_default(ctx):
    files = ctx.datastore_files("workspaceblobstore", "diabetes-data")
    for name, (rows, seed) in FILES.items():
        expect(f"diabetes-data/{name}" in files,
               f"diabetes-data/{name} is not on the default datastore (found: {', '.join(files) or 'nothing'}). "
               "Upload the whole data folder with target_path='diabetes-data'.")
    from sandbox import datastores

    on_store = datastores.root(ctx.ws, "workspaceblobstore") / "diabetes-data" / "diabetes.csv"
    expect(on_store.read_bytes() == (ctx.folder / "data" / "diabetes.csv").read_bytes(),
           "diabetes-data/diabetes.csv differs from data/diabetes.csv: upload the file unchanged.")


@check("A blob datastore training_data points at dp100labstorage/training-data", points=2,
       hint="Datastore.register_azure_blob_container(workspace=ws, datastore_name='training_data', "
            "container_name='training-data', account_name='dp100labstorage', account_key='...')")
def blob_datastore_registered(ctx):
    store = ctx.datastore("training_data", kind="AzureBlob")
    expect(store.account_name == "dp100labstorage",
           f"training_data uses the storage account {store.account_name!r}; it should be 'dp100labstorage'.")
    expect(store.container == "training-data",
           f"training_data points at the container {store.container!r}; it should be 'training-data'.")
    expect(store.credential_type == "AccountKey",
           f"training_data authenticates with {store.credential_type}; pass account_key=... when registering.")


@check("raw/diabetes.csv is on the training_data datastore", points=2,
       hint="training_store.upload_files(files=['data/diabetes.csv'], target_path='raw', overwrite=True)")
def uploaded_to_own_store(ctx):
    files = ctx.datastore_files("training_data")
    expect("raw/diabetes.csv" in files,
           f"training_data holds {', '.join(files) or 'no files'}; upload data/diabetes.csv with target_path='raw'.")


@check("Lists the workspace's datastores", points=1,
       hint="ws.datastores is a dict: for name, store in ws.datastores.items(): print(name, store.datastore_type)")
def lists_datastores(ctx):
    import ast

    uses = [n for n in ast.walk(ctx.tree()) if isinstance(n, ast.Attribute) and n.attr == "datastores"]
    expect(uses or ctx.calls("Datastore.list"),
           "Loop over ws.datastores (or Datastore.list(ws)) and print each datastore's name and type.")
