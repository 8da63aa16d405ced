"""The language-model labs' own pieces: the flow runner, the shared node files, and the held-out questions."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EVAL_LAB = ROOT / "labs" / "genai-evaluation"
RAG_LAB = ROOT / "labs" / "rag-retrieval"


def _module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


runner = _module(EVAL_LAB / "solution" / "flowrunner.py", "dp100_test_flowrunner")


def _flow(tmp_path: Path, dag: str, nodes: dict[str, str]) -> Path:
    (tmp_path / "flow.dag.yaml").write_text(dag, encoding="utf-8")
    for name, code in nodes.items():
        (tmp_path / name).write_text(code, encoding="utf-8")
    return tmp_path


DAG = """
inputs: {x: {type: int}}
outputs: {y: {type: int, reference: "${double.output}"}}
nodes:
  - name: double
    source: {path: double.py, function: double}
    inputs: {value: "${add.output}", factor: 2}
    variants:
      triple: {inputs: {factor: 3}}
  - name: add
    source: {path: add.py, function: add}
    inputs: {value: "${inputs.x}"}
"""
NODES = {"double.py": "def double(value, factor):\n    return value * factor\n",
         "add.py": "def add(value):\n    return value + 1\n"}


def test_nodes_run_in_reference_order_not_file_order(tmp_path: Path) -> None:
    flow = runner.load_flow(_flow(tmp_path, DAG, NODES))
    assert flow.order == ["add", "double"]
    outputs, spans = runner.run_flow(flow, {"x": 4})
    assert outputs == {"y": 10}
    assert [(s["node"], s["output"]) for s in spans] == [("add", 5), ("double", 10)]
    assert spans[1]["inputs"] == {"value": 5, "factor": 2} and spans[0]["ms"] >= 0


def test_a_variant_replaces_a_node_input(tmp_path: Path) -> None:
    flow = runner.load_flow(_flow(tmp_path, DAG, NODES))
    assert runner.run_flow(flow, {"x": 4}, variant="triple")[0] == {"y": 15}


@pytest.mark.parametrize("dag, message", [
    (DAG.replace('"${add.output}"', '"${double.output}"').replace('"${inputs.x}"', '"${double.output}"'), "cycle"),
    (DAG.replace('"${inputs.x}"', '"${inputs.z}"'), "flow input 'z'"),
    (DAG.replace('"${add.output}"', '"${missing.output}"'), "names no flow input or node output"),
], ids=["cycle", "undeclared-input", "unknown-node"])
def test_bad_wiring_is_reported(tmp_path: Path, dag: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        runner.load_flow(_flow(tmp_path, dag, NODES))


@pytest.mark.parametrize("name", ["flowrunner.py", "flow/build_prompt.py", "flow/answer.py"])
def test_files_the_learner_does_not_edit_are_the_same_in_starter_and_solution(name: str) -> None:
    assert (EVAL_LAB / "starter" / name).read_text() == (EVAL_LAB / "solution" / name).read_text()


def test_simulated_answer_only_returns_context_sentences() -> None:
    answer = _module(EVAL_LAB / "solution" / "flow" / "answer.py", "dp100_test_answer").answer
    prompt = ("system: Answer only from the context.\nContext:\n[a] Shops open at 8 am. Shops close at 7 pm.\n"
              "[b] Bikes cost 15.\nQuestion: When do shops close?")
    assert answer(prompt, 1) == "Shops close at 7 pm."
    assert answer(prompt, 2) == "Shops open at 8 am. Shops close at 7 pm."
    assert answer("When do shops close?", 1).startswith("I do not know")


def test_rag_held_out_questions_are_new_and_cover_every_document() -> None:
    corpus = _module(RAG_LAB / "corpus.py", "dp100_test_rag_corpus")
    dev = {q for q, _ in corpus.DEV_QUESTIONS}
    held = [q for q, _ in corpus.HELD_OUT]
    assert not dev & set(held) and len(held) == len(set(held)) >= 20
    assert {d for _, d in corpus.HELD_OUT} == set(corpus.DOCS)
    text = corpus.document_text(1)
    assert text.startswith(corpus.HEADER) and all(line in text for line in corpus.FOOTER)


def test_rag_fixture_writes_docs_and_dev_questions_only(tmp_path: Path) -> None:
    checks = _module(RAG_LAB / "checks.py", "dp100_test_rag_checks")

    class Setup:
        folder = tmp_path

    checks.write_corpus(Setup())
    assert len(list((tmp_path / "docs").glob("*.md"))) == 10
    dev = [json.loads(line) for line in (tmp_path / "data" / "dev_questions.jsonl").read_text().splitlines()]
    assert len(dev) == 12 and all({"question", "doc"} == set(d) for d in dev)
    corpus = sys.modules["dp100_lab_rag_retrieval_corpus"]
    written = "".join(p.read_text() for p in tmp_path.rglob("*") if p.is_file())
    assert not any(q in written for q, _ in corpus.HELD_OUT)
