"""Loaded at start-up of every job process (its folder is first on the job's PYTHONPATH).

1. Environments: a module whose distribution the job's environment does not include cannot be imported *by the
   learner's code* (libraries the sandbox itself uses are not affected), so the job fails with
   ModuleNotFoundError as it would in an Azure ML image that lacks the package.
2. MLflow: the job's run stays the active run for the whole job. MLflow forgets MLFLOW_RUN_ID once a run it
   resumed ends (autolog ends the run it started after `fit`), and later `log_metric` calls would create a new
   run; restoring the variable after `end_run` keeps every metric on the job's run, as learners expect. A model
   logged with no active run belongs to the job's run too (`runs:/<job>/model` finds it, as on Azure).
3. MLflow's scikit-learn flavour saves models with cloudpickle by default, as the MLflow 2.x of Azure's curated
   environments does. (MLflow 3.x defaults to skops, which refuses tree and ensemble models unless the learner
   lists "trusted types", so the canonical `mlflow.sklearn.log_model(model, "model")` would fail.)

The hook is on the path of every process the sandbox activates (`dp100 run`, notebooks, jobs); parts 1 and 2
act only in jobs (they need DP100_BLOCKED_MODULES / MLFLOW_RUN_ID).
"""
import importlib.abc
import importlib.util
import json
import os
import sys


class _EnvironmentFinder(importlib.abc.MetaPathFinder):
    def __init__(self, blocked, workdir):
        self.blocked = set(blocked)
        self.workdir = workdir

    def find_spec(self, fullname, path=None, target=None):
        if "." in fullname or fullname not in self.blocked:
            return None
        frame = sys._getframe(1)
        while frame is not None and (frame.f_code.co_filename.startswith("<frozen") or "importlib" in frame.f_code.co_filename):
            frame = frame.f_back
        if frame is None:
            return None
        filename = frame.f_code.co_filename
        learner = (filename.startswith("<") and not filename.startswith("<frozen")) or \
            os.path.abspath(filename).startswith(self.workdir)
        if learner:  # code typed with python -c, or a file of the job's own folder
            raise ModuleNotFoundError(f"No module named '{fullname}'", name=fullname)
        return None


class _MlflowRunKeeper(importlib.abc.MetaPathFinder):
    TARGET = "mlflow.tracking.fluent"

    def __init__(self, run_id):
        self.run_id = run_id
        self.busy = False

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.TARGET or self.busy:
            return None
        self.busy = True
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            self.busy = False
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        original_exec = loader.exec_module
        run_id = self.run_id

        def exec_module(module):
            original_exec(module)
            original_end = module.end_run

            def end_run(*args, **kwargs):
                result = original_end(*args, **kwargs)
                os.environ.setdefault("MLFLOW_RUN_ID", run_id)
                return result

            end_run.__doc__ = original_end.__doc__
            module.end_run = end_run
            import mlflow  # the public name is bound from fluent at package import; keep them the same

            if getattr(mlflow, "end_run", None) is original_end:
                mlflow.end_run = end_run

        loader.exec_module = exec_module
        return spec


class _AfterImport(importlib.abc.MetaPathFinder):
    """Run `patch(module)` right after the module `target` is first executed."""

    def __init__(self, target, patch):
        self.target = target
        self.patch = patch
        self.busy = False

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.target or self.busy:
            return None
        self.busy = True
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            self.busy = False
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        original_exec = loader.exec_module
        patch = self.patch

        def exec_module(module):
            original_exec(module)
            patch(module)

        loader.exec_module = exec_module
        return spec


def _pickle_sklearn_models(module):
    cloudpickle = getattr(module, "SERIALIZATION_FORMAT_CLOUDPICKLE", None)
    if cloudpickle is not None and hasattr(module, "_get_default_serialization_format"):
        module._get_default_serialization_format = lambda: cloudpickle


def _models_join_job_run(module):
    model = getattr(module, "Model", None)
    original = getattr(model, "log", None)
    if original is None or not hasattr(original, "__func__"):
        return
    func = original.__func__

    def log(cls, *args, **kwargs):
        run_id = os.environ.get("MLFLOW_RUN_ID")
        if not kwargs.get("run_id") and run_id:
            import mlflow

            if mlflow.active_run() is None:
                kwargs["run_id"] = run_id
        return func(cls, *args, **kwargs)

    log.__doc__ = func.__doc__
    model.log = classmethod(log)


def _install():
    sys.meta_path.insert(0, _AfterImport("mlflow.sklearn", _pickle_sklearn_models))
    path = os.environ.get("DP100_BLOCKED_MODULES")
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            blocked = json.load(handle)
        sys.meta_path.insert(0, _EnvironmentFinder(blocked, os.path.abspath(os.getcwd())))
    run_id = os.environ.get("MLFLOW_RUN_ID")
    if run_id:
        sys.meta_path.insert(0, _MlflowRunKeeper(run_id))
        sys.meta_path.insert(0, _AfterImport("mlflow.models.model", _models_join_job_run))


_install()
