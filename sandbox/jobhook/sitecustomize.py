"""Loaded at start-up of a job process whose environment restricts packages.

A module whose distribution the job's environment does not include cannot be imported *by the learner's code*
(libraries the sandbox itself uses are not affected), so the job fails with ModuleNotFoundError as it would in an
Azure ML image that lacks the package.
"""
import json
import os
import sys


class _EnvironmentFinder:
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


def _install():
    path = os.environ.get("DP100_BLOCKED_MODULES")
    if not path or not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as handle:
        blocked = json.load(handle)
    sys.meta_path.insert(0, _EnvironmentFinder(blocked, os.path.abspath(os.getcwd())))


_install()
