"""dp100 sandbox facade of the Azure ML SDK v1 (`azureml-core`)."""

from sandbox.coverage import install_finder as _install_finder

_install_finder()  # importing a part of the SDK the sandbox does not emulate yet says so
