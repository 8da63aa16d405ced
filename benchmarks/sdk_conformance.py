"""How closely the sandbox's SDK facades match the real Azure ML SDKs: names and signatures, module by module.

    python benchmarks/sdk_conformance.py            # report (installs the real SDKs once into a throwaway venv)
    python benchmarks/sdk_conformance.py --json out.json
    python benchmarks/sdk_conformance.py --module azure.ai.ml.entities --details

It installs the pinned real packages (azure-ai-ml, azureml-core, azure-identity) into a virtual environment under
the temp folder (kept between runs, keyed by the versions), then runs the same small inspector twice: in that
venv against the real packages, and in a sandbox-activated interpreter against the facades. For every module the
facades provide (public modules of azure.ai.ml, azureml.core, azureml.data, azureml.exceptions, azure.identity),
it compares the public names (`__all__`, else public classes and functions defined in the package) and, for each
function, class constructor and public method present in both, the signature: parameter names and order (what
positional calls bind to), missing parameters (unless the facade takes **kwargs and the parameter is keyword-only
or defaulted), and defaults. Nothing here is timed; it measures conformance, not speed.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PINNED = ("azure-ai-ml==1.35.2", "azureml-core==1.61.0", "azure-identity==1.25.1")
ROOTS = ("azure.ai.ml", "azureml.core", "azureml.data", "azureml.exceptions", "azure.identity")

INSPECTOR = r'''
import importlib, inspect, json, sys, warnings
warnings.filterwarnings("ignore")

def params(obj):
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    out = []
    for p in sig.parameters.values():
        if p.name in ("self", "cls"):
            continue
        default = None if p.default is inspect.Parameter.empty else repr(p.default)
        if default is not None and " object at 0x" in default:
            default = "<object>"
        out.append([p.name, p.kind.name, default])
    return out

def describe(name, obj, package):
    if inspect.isclass(obj):
        methods = {}
        for attr, value in inspect.getmembers(obj):
            if attr.startswith("_") or not callable(value):
                continue
            owner = next((k for k in obj.__mro__ if attr in vars(k)), None)
            if owner is None or not getattr(owner, "__module__", "").startswith(package):
                continue
            methods[attr] = params(value)
        return {"kind": "class", "init": params(obj), "methods": methods}
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return {"kind": "function", "params": params(obj)}
    return {"kind": "other"}

result = {}
for module_name in json.loads(sys.argv[1]):
    package = module_name.split(".")[0]
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        result[module_name] = {"error": f"{type(exc).__name__}: {exc}"}
        continue
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n, v in vars(module).items() if not n.startswith("_") and (inspect.isclass(v) or
                 inspect.isfunction(v)) and getattr(v, "__module__", "").startswith(package)]
    entries = {}
    for name in names:
        try:
            obj = getattr(module, name)
        except Exception as exc:
            entries[name] = {"kind": "error", "error": str(exc)[:200]}
            continue
        if inspect.ismodule(obj):
            continue
        entries[name] = describe(name, obj, package)
    result[module_name] = {"names": entries}
json.dump(result, sys.stdout)
'''


def facade_modules() -> list[str]:
    sdk = ROOT / "sandbox" / "sdk"
    found = []
    for path in sorted(sdk.rglob("*.py")):
        rel = path.relative_to(sdk).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not parts or any(p.startswith("_") for p in parts):
            continue
        name = ".".join(parts)
        if any(name == r or name.startswith(r + ".") for r in ROOTS):
            found.append(name)
    return found


def real_venv() -> Path:
    key = "-".join(p.replace("==", "") for p in PINNED)
    folder = Path(tempfile.gettempdir()) / f"dp100-conformance-{key}"
    python = folder / "bin" / "python"
    if not (folder / ".ready").exists():
        print(f"Installing {', '.join(PINNED)} into {folder} (once) ...", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(folder)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PINNED], check=True)
        (folder / ".ready").write_text("ok")
    return python


def inspect_with(python: str, modules: list[str], env: dict[str, str]) -> dict:
    out = subprocess.run([python, "-c", INSPECTOR, json.dumps(modules)], capture_output=True, text=True, env=env,
                         cwd=tempfile.gettempdir())
    if out.returncode != 0:
        raise SystemExit(f"inspector failed ({python}):\n{out.stderr[-3000:]}")
    return json.loads(out.stdout)


def sandbox_env() -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    from sandbox.activation import child_env

    home = Path(tempfile.mkdtemp(prefix="dp100-conformance-home-"))
    return child_env({**os.environ, "DP100_HOME": str(home)}, workspace=home / "workspace")


def compare_params(real: list | None, ours: list | None) -> list[str]:
    """Why a call written for the real signature would bind differently (or fail) against ours."""
    if real is None or ours is None:
        return []
    problems = []
    ours_by_name = {p[0]: p for p in ours}
    has_kwargs = any(p[1] == "VAR_KEYWORD" for p in ours)
    has_args = any(p[1] == "VAR_POSITIONAL" for p in ours)
    real_pos = [p[0] for p in real if p[1] in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")]
    our_pos = [p[0] for p in ours if p[1] in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")]
    common = min(len(real_pos), len(our_pos))
    if real_pos[:common] != our_pos[:common]:
        problems.append(f"positional order: real ({', '.join(real_pos)}) vs sandbox ({', '.join(our_pos)})")
    for name, kind, default in real:
        if kind in ("VAR_POSITIONAL", "VAR_KEYWORD"):
            continue
        mine = ours_by_name.get(name)
        if mine is None:
            positional = kind in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD") and default is None
            if positional and not has_args:
                problems.append(f"missing parameter {name}")
            elif not has_kwargs and not (positional and has_args):
                problems.append(f"missing parameter {name}")
            continue
        if default is not None and mine[2] is not None and default != mine[2] and "<object>" not in (default, mine[2]):
            problems.append(f"default of {name}: real {default} vs sandbox {mine[2]}")
        if default is not None and mine[2] is None and mine[1] not in ("VAR_POSITIONAL", "VAR_KEYWORD"):
            problems.append(f"{name} is optional in the real SDK (default {default}) but required here")
    real_names = {p[0] for p in real}
    for name, kind, default in ours:
        if name not in real_names and default is None and kind not in ("VAR_POSITIONAL", "VAR_KEYWORD"):
            problems.append(f"extra required parameter {name}")
    return problems


def compare(real: dict, ours: dict) -> dict:
    report = {}
    for module, real_info in real.items():
        our_info = ours.get(module, {})
        if "error" in real_info:
            report[module] = {"error": "real: " + real_info["error"]}
            continue
        real_names = real_info["names"]
        our_names = our_info.get("names", {})
        present = sorted(n for n in real_names if n in our_names and our_names[n].get("kind") != "error")
        missing = sorted(n for n in real_names if n not in present)
        mismatches: dict[str, list[str]] = {}
        missing_methods: dict[str, list[str]] = {}
        methods_total = methods_present = 0
        for name in present:
            r, o = real_names[name], our_names[name]
            if r["kind"] == "function":
                found = compare_params(r.get("params"), o.get("params"))
                if found:
                    mismatches[name] = found
            elif r["kind"] == "class":
                found = [f"__init__: {p}" for p in compare_params(r.get("init"), o.get("init"))]
                for method, sig in r.get("methods", {}).items():
                    methods_total += 1
                    if method not in o.get("methods", {}):
                        missing_methods.setdefault(name, []).append(method)
                        continue
                    methods_present += 1
                    found += [f"{method}: {p}" for p in compare_params(sig, o["methods"][method])]
                if found:
                    mismatches[name] = found
        report[module] = {"real": len(real_names), "present": present, "missing": missing,
                          "mismatches": mismatches, "missing_methods": missing_methods,
                          "methods": [methods_present, methods_total],
                          **({"error": "sandbox: " + our_info["error"]} if "error" in our_info else {})}
    return report


def print_report(report: dict, details: bool) -> None:
    total_real = total_present = total_mismatched = m_present = m_total = 0
    print(f"{'module':<44} {'real':>5} {'both':>5} {'missing':>7} {'sig.diff':>8} {'methods':>9}")
    for module, info in report.items():
        if "real" not in info:
            print(f"{module:<44} {info.get('error')}")
            continue
        total_real += info["real"]
        total_present += len(info["present"])
        total_mismatched += len(info["mismatches"])
        m_present += info["methods"][0]
        m_total += info["methods"][1]
        methods = f"{info['methods'][0]}/{info['methods'][1]}"
        print(f"{module:<44} {info['real']:>5} {len(info['present']):>5} {len(info['missing']):>7} "
              f"{len(info['mismatches']):>8} {methods:>9}")
        if details:
            if info["missing"]:
                print("    missing: " + ", ".join(info["missing"]))
            for name, problems in info["mismatches"].items():
                for problem in problems:
                    print(f"    {name}: {problem}")
            for name, methods in info["missing_methods"].items():
                print(f"    {name}: missing methods {', '.join(methods)}")
    share = 100 * total_present / total_real if total_real else 0
    mshare = 100 * m_present / m_total if m_total else 0
    print(f"\nTOTAL: {total_present}/{total_real} public names present ({share:.0f}%), "
          f"{total_mismatched} of them with signature differences (parameter names, order or defaults); "
          f"{m_present}/{m_total} public methods of those classes present ({mshare:.0f}%).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", help="Only these modules.")
    parser.add_argument("--details", action="store_true", help="List missing names and each signature difference.")
    parser.add_argument("--json", type=Path, help="Also write the full report as JSON here.")
    options = parser.parse_args()
    modules = options.module or facade_modules()
    real = inspect_with(str(real_venv()), modules, {k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    ours = inspect_with(sys.executable, modules, sandbox_env())
    report = compare(real, ours)
    print(f"SDK conformance: sandbox facades vs {', '.join(PINNED)}\n")
    print_report(report, options.details)
    if options.json:
        options.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
