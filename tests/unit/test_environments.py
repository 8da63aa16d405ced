"""The environments engine: versioning, curated environments, image hashes, builds and what a job may import."""
import pytest

from sandbox import environments as envs
from sandbox.environments import EnvironmentDefinition, conda_spec
from sandbox.errors import AlreadyExists, InvalidInput, NotFound


def definition(*pip: str, conda: tuple[str, ...] = (), python: str = "3.10", **kwargs) -> EnvironmentDefinition:
    return EnvironmentDefinition(conda=conda_spec(python, conda, pip), **kwargs)


# -- versioning ---------------------------------------------------------------------------------
def test_registering_an_identical_definition_keeps_the_version(ws):
    first = envs.register(ws, "training-env", definition("scikit-learn", "pandas"))
    again = envs.register(ws, "training-env", definition("scikit-learn", "pandas"))
    assert (first.version, again.version) == ("1", "1")


def test_a_changed_definition_adds_one(ws):
    envs.register(ws, "training-env", definition("scikit-learn"))
    changed = envs.register(ws, "training-env", definition("scikit-learn", "pandas"))
    assert changed.version == "2"
    # going back to the first definition is a change from the latest, so it is version 3
    assert envs.register(ws, "training-env", definition("scikit-learn")).version == "3"


def test_environment_variables_are_part_of_the_definition(ws):
    envs.register(ws, "e", definition("pandas"))
    assert envs.register(ws, "e", definition("pandas", environment_variables={"A": "1"})).version == "2"


def test_an_explicit_version_is_immutable(ws):
    envs.register(ws, "e", definition("pandas"), version="1")
    assert envs.register(ws, "e", definition("pandas"), version="1").version == "1"
    with pytest.raises(AlreadyExists, match="immutable"):
        envs.register(ws, "e", definition("numpy"), version="1")
    assert envs.register(ws, "e", definition("numpy")).version == "2"


def test_versions_must_be_strings(ws):
    with pytest.raises(InvalidInput, match='version="1"'):
        envs.register(ws, "e", definition("pandas"), version=1)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["AzureML-my-env", "azureml_env", "Microsoft-env", "microsoftml"])
def test_reserved_prefixes_are_refused(ws, name):
    with pytest.raises(InvalidInput, match="reserved for curated environments"):
        envs.register(ws, name, definition("pandas"))


def test_an_environment_needs_an_image_or_a_dockerfile(ws):
    with pytest.raises(InvalidInput, match="Docker image or Dockerfile"):
        envs.register(ws, "e", EnvironmentDefinition(image=None, conda=conda_spec("3.10")))


# -- curated environments -----------------------------------------------------------------------
def test_curated_environments_exist_in_every_workspace(ws):
    names = {e.name for e in envs.list_environments(ws)}
    assert {"AzureML-sklearn-1.5", "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu",
            "AzureML-sklearn-0.24-ubuntu18.04-py37-cpu"} <= names
    assert all(e.curated for e in envs.list_environments(ws) if e.name.startswith("AzureML-"))


@pytest.mark.parametrize("ref", [
    "AzureML-sklearn-1.5@latest", "azureml:AzureML-sklearn-1.5@latest", "AzureML-sklearn-1.5",
    "azureml:AzureML-sklearn-1.5:24", "azureml://registries/azureml/environments/sklearn-1.5/labels/latest",
    "azureml://registries/azureml/environments/sklearn-1.5/versions/24",
])
def test_curated_environments_are_addressable_like_in_azure(ws, ref):
    record = envs.resolve(ws, ref)
    assert record.name == "AzureML-sklearn-1.5" and record.curated


def test_curated_environments_list_realistic_packages(ws):
    record = envs.resolve(ws, "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest")
    names = {r.name for r in envs.requirements(record.definition)[0]}
    assert {"scikit-learn", "pandas", "numpy", "scipy", "azureml-core", "azureml-mlflow", "mlflow"} <= names


def test_resolve_refs_of_learner_environments(ws):
    envs.register(ws, "my-env", definition("pandas"))
    envs.register(ws, "my-env", definition("numpy"))
    assert envs.resolve(ws, "azureml:my-env:1").version == "1"
    assert envs.resolve(ws, "my-env:1").version == "1"
    assert envs.resolve(ws, "my-env@latest").version == "2"
    assert envs.resolve(ws, "my-env").version == "2"


def test_an_unknown_environment_names_similar_ones(ws):
    envs.register(ws, "training-env", definition("pandas"))
    with pytest.raises(NotFound, match="Did you mean 'training-env'"):
        envs.resolve(ws, "trainng-env")
    with pytest.raises(NotFound, match="Versions of 'training-env': 1"):
        envs.resolve(ws, "training-env:7")


# -- image hash ----------------------------------------------------------------------------------
def test_the_image_hash_ignores_name_and_version(ws):
    a = envs.register(ws, "one", definition("scikit-learn", "pandas"))
    b = envs.register(ws, "two", definition("scikit-learn", "pandas"), version="9")
    assert a.image_hash == b.image_hash and a.image_name == b.image_name


def test_the_image_hash_follows_packages_order_channels_and_base_image():
    base = envs.image_hash(definition("scikit-learn", "pandas"))
    assert envs.image_hash(definition("pandas", "scikit-learn")) != base
    assert envs.image_hash(definition("scikit-learn", "pandas", python="3.9")) != base
    assert envs.image_hash(definition("scikit-learn", "pandas", image="mcr.microsoft.com/azureml/other")) != base
    other_channels = EnvironmentDefinition(conda=conda_spec("3.10", (), ("scikit-learn", "pandas"), ("defaults",)))
    assert envs.image_hash(other_channels) != base
    # the conda environment's own name and environment variables do not change the image
    renamed = EnvironmentDefinition(conda=conda_spec("3.10", (), ("scikit-learn", "pandas"), name="other"),
                                    environment_variables={"X": "1"})
    assert envs.image_hash(renamed) == base


# -- builds ---------------------------------------------------------------------------------------
def test_a_build_succeeds_and_a_second_build_of_the_same_image_is_cached(ws):
    record = envs.register(ws, "e", definition("scikit-learn", "pandas"))
    first = envs.build(ws, record)
    assert first.ok and not first.cached and first.error is None
    assert first.image == f"dp100.azurecr.io/azureml/azureml_{record.image_hash}"
    assert any("Successfully tagged" in line for line in first.log)
    twin = envs.register(ws, "twin", definition("scikit-learn", "pandas"))
    second = envs.build(ws, twin)
    assert second.ok and second.cached and second.image == first.image


def test_a_missing_package_fails_the_build_and_names_it(ws):
    record = envs.register(ws, "xgb-env", definition("scikit-learn", "surely-not-installed-pkg==1.0"))
    result = envs.build(ws, record)
    assert not result.ok and not result.cached
    assert result.error.startswith(
        "Image build failed: ERROR: Could not find a version that satisfies the requirement "
        "surely-not-installed-pkg==1.0 (from the environment 'xgb-env' version 1).")
    assert "remove surely-not-installed-pkg from the environment or install it with pip" in result.error
    assert any("No matching distribution found for surely-not-installed-pkg" in line for line in result.log)
    # failures are not cached: installing the package later lets the same definition build
    assert not ws.store.one("SELECT 1 FROM environment_builds WHERE hash = ?", record.image_hash)


def test_conda_names_map_to_python_distributions(ws):
    record = envs.register(ws, "e", definition(conda=("py-xgboost-not-real",)))
    assert "py-xgboost-not-real" in envs.build(ws, record).error
    mapped = envs.parse_conda("py-xgboost=1.7")
    assert mapped.name == "xgboost" and mapped.specifier == "==1.7.*"
    assert envs.parse_conda("conda-forge::scikit-learn==1.0.2").name == "scikit-learn"
    assert envs.parse_conda("mkl").system


def test_names_are_normalised(ws):
    record = envs.register(ws, "e", definition("Scikit_Learn", conda=("scikit-learn",)))
    assert envs.build(ws, record).ok


def test_a_pin_the_runtime_does_not_meet_is_a_warning_not_a_failure(ws):
    record = envs.register(ws, "old", definition("scikit-learn==0.20.3"))
    result = envs.build(ws, record)
    assert result.ok
    assert any(line.startswith("WARNING: scikit-learn==0.20.3 was requested") for line in result.log)


def test_sdk_packages_are_always_provided(ws):
    record = envs.register(ws, "e", definition("azureml-core", "azureml-defaults~=1.61.0", "azure-ai-ml", "mltable",
                                              "azureml-mlflow", "mlflow", "azureml-dataset-runtime[pandas,fuse]"))
    assert envs.build(ws, record).ok


def test_a_url_requirement_cannot_be_installed_without_network(ws):
    record = envs.register(ws, "e", definition("git+https://github.com/org/repo.git"))
    result = envs.build(ws, record)
    assert not result.ok and "no network" in result.error


def test_dockerfile_pip_installs_are_resolved(ws, tmp_path):
    (tmp_path / "requirements.txt").write_text("pandas\nnot-a-real-package-xyz\n")
    (tmp_path / "Dockerfile").write_text(
        "FROM mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest\n"
        "COPY requirements.txt .\n"
        "RUN pip install scikit-learn && \\\n    pip install -r requirements.txt\n")
    defn = envs.definition_from_build(ws, tmp_path)
    record = envs.register(ws, "docker-env", defn)
    result = envs.build(ws, record)
    assert not result.ok and "not-a-real-package-xyz" in result.error
    (tmp_path / "requirements.txt").write_text("pandas\n")
    fixed = envs.register(ws, "docker-env", envs.definition_from_build(ws, tmp_path))
    assert fixed.version == "2" and envs.build(ws, fixed).ok
    allowed = envs.allowed_distributions(ws, fixed)
    assert {"pandas", "scikit-learn", "numpy"} <= allowed


# -- what a job may import ---------------------------------------------------------------------------
def test_allowed_distributions_include_declared_packages_and_their_requirements(ws):
    record = envs.register(ws, "sk", definition("scikit-learn"))
    allowed = envs.allowed_distributions(ws, record)
    assert {"scikit-learn", "numpy", "scipy", "joblib", "threadpoolctl"} <= allowed
    assert "pandas" not in allowed


def test_allowed_distributions_include_the_always_provided_sdk_and_mlflow_dependencies(ws):
    allowed = envs.allowed_distributions(ws, envs.register(ws, "bare", definition()))
    assert {"azureml-core", "azure-ai-ml", "mlflow", "mlflow-skinny", "pip", "setuptools"} <= allowed
    assert {"pyyaml", "packaging", "protobuf"} <= allowed  # what mlflow itself imports
    assert "scikit-learn" not in allowed


def test_requested_extras_bring_their_packages(ws):
    record = envs.register(ws, "e", definition("azureml-dataset-runtime[pandas]"))
    assert "pandas" in envs.allowed_distributions(ws, record)


def test_no_restriction_without_environment_or_with_user_managed_dependencies(ws):
    assert envs.allowed_distributions(ws, None) is None
    managed = envs.register(ws, "mine", definition("pandas", user_managed_dependencies=True))
    assert envs.allowed_distributions(ws, managed) is None
    custom_image = envs.register(ws, "img", EnvironmentDefinition(image="python:3.11-slim"))
    assert envs.allowed_distributions(ws, custom_image) is None


def test_a_curated_image_brings_the_curated_packages(ws):
    record = envs.register(ws, "on-curated", EnvironmentDefinition(image="mcr.microsoft.com/azureml/curated/sklearn-1.5:latest"))
    assert {"scikit-learn", "pandas"} <= envs.allowed_distributions(ws, record)


# -- listing and archiving --------------------------------------------------------------------------
def test_list_shows_latest_versions_and_archive_hides(ws):
    envs.register(ws, "a-env", definition("pandas"))
    envs.register(ws, "a-env", definition("numpy"))
    latest = {e.name: e.version for e in envs.list_environments(ws)}
    assert latest["a-env"] == "2"
    assert [e.version for e in envs.list_environments(ws, "a-env")] == ["1", "2"]
    envs.set_archived(ws, "a-env", "2", True)
    assert envs.get(ws, "a-env", label="latest").version == "1"
    assert [e.version for e in envs.list_environments(ws, "a-env")] == ["1"]


def test_anonymous_environments_are_named_by_their_hash(ws):
    first = envs.register_anonymous(ws, definition("pandas"))
    again = envs.register_anonymous(ws, definition("pandas"))
    assert first.name == envs.ANONYMOUS_NAME and first.version == again.version and len(first.version) == 32
    assert envs.ANONYMOUS_NAME not in {e.name for e in envs.list_environments(ws)}
