"""A small runner for prompt-flow-style DAG flows of Python nodes (part of the lab; you do not need to edit it).

It reads `flow.dag.yaml`, works out the order of the nodes from their `${...}` references (as prompt flow does),
runs each node's Python function, and records a trace: one span per node with its inputs, output and duration.

    flow = load_flow("flow")
    outputs, spans = run_flow(flow, {"question": "..."}, variant="variant_1")

Node YAML: `name`, `source: {path: retrieve.py, function: retrieve}`, `inputs` (literals or `${inputs.x}` /
`${node.output}`), optional `variants: {variant_1: {inputs: {...}}}` whose inputs replace the defaults when the
flow runs with that variant (prompt flow puts variants on LLM nodes; here the "LLM" node is simulated).
"""
from __future__ import annotations

import importlib.util
import re
import time
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any, Callable

import yaml

REF = re.compile(r"^\$\{(\w+)\.(\w+)\}$")


@dataclass
class Flow:
    folder: Path
    spec: dict
    order: list[str]
    functions: dict[str, Callable[..., Any]]


def _refs(value: Any) -> list[tuple[str, str]]:
    if isinstance(value, str):
        m = REF.match(value.strip())
        return [m.groups()] if m else []
    return []


def load_flow(folder: str | Path) -> Flow:
    folder = Path(folder)
    spec = yaml.safe_load((folder / "flow.dag.yaml").read_text(encoding="utf-8"))
    nodes = {n["name"]: n for n in spec.get("nodes", [])}
    deps: dict[str, set[str]] = {}
    for name, node in nodes.items():
        deps[name] = set()
        for value in (node.get("inputs") or {}).values():
            for source, field in _refs(value):
                if source == "inputs":
                    if field not in (spec.get("inputs") or {}):
                        raise ValueError(f"node {name}: flow input {field!r} is not declared under inputs:")
                elif source in nodes and field == "output":
                    deps[name].add(source)
                else:
                    raise ValueError(f"node {name}: reference ${{{source}.{field}}} names no flow input or node output")
    try:
        order = list(TopologicalSorter(deps).static_order())
    except CycleError as exc:
        raise ValueError(f"the nodes reference each other in a cycle: {exc.args[1]}") from None
    functions = {}
    for name, node in nodes.items():
        source = node.get("source") or {}
        path = folder / source.get("path", "")
        spec_ = importlib.util.spec_from_file_location(f"flow_node_{name}", path)
        if spec_ is None or not path.is_file():
            raise ValueError(f"node {name}: no Python file {path}")
        module = importlib.util.module_from_spec(spec_)
        spec_.loader.exec_module(module)
        functions[name] = getattr(module, source.get("function", name))
    return Flow(folder, spec, order, functions)


def run_flow(flow: Flow, inputs: dict[str, Any], variant: str | None = None) -> tuple[dict[str, Any], list[dict]]:
    nodes = {n["name"]: n for n in flow.spec["nodes"]}
    results: dict[str, Any] = {}
    spans: list[dict] = []

    def resolve(value: Any) -> Any:
        refs = _refs(value)
        if not refs:
            return value
        source, field = refs[0]
        return inputs[field] if source == "inputs" else results[source]

    for name in flow.order:
        node = nodes[name]
        wiring = dict(node.get("inputs") or {})
        if variant and variant in (node.get("variants") or {}):
            wiring.update(node["variants"][variant].get("inputs") or {})
        args = {k: resolve(v) for k, v in wiring.items()}
        start = time.perf_counter()
        results[name] = flow.functions[name](**args)
        spans.append({"node": name, "inputs": args, "output": results[name],
                      "ms": round((time.perf_counter() - start) * 1000, 3)})
    outputs = {key: resolve(spec.get("reference")) for key, spec in (flow.spec.get("outputs") or {}).items()}
    return outputs, spans
