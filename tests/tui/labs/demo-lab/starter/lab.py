from azureml.core import Workspace

# TODO: connect to the workspace and print its name
ws = None
