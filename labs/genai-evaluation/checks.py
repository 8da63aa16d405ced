"""Checks for the genai-evaluation lab.

Graded here, in the grader's process: the flow's wiring (flow.dag.yaml as written, parsed as data), the
line-level results registered as eval-results (every question, both variants, traces in dependency order,
answers that are real sentences of the knowledge base), and the metrics logged with MLflow, which the grader
recomputes from those results with the same libraries (sacrebleu, rouge-score) and compares. The answering model
is simulated and is not graded for quality.
"""
from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from labs.checks import check, expect, fail

EXPERIMENT = "genai-eval"
METRICS = ("f1", "bleu", "rouge_l", "hit_rate")
REF = re.compile(r"^\$\{(\w+)\.(\w+)\}$")


def _kb():
    name = "dp100_lab_genai_evaluation_kb"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("kb.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


# -- fixture ---------------------------------------------------------------------------------------------------------
#: flow.dag.yaml as submitted, by folder: the fixture runs in the grader's process before the learner's code
_SUBMITTED: dict[str, str] = {}


def write_data(setup) -> None:
    """kb/faq.jsonl (the knowledge base the flow retrieves from) and data/eval.jsonl (questions + ground truth).

    Also keeps the submitted flow/flow.dag.yaml (read before the learner's code runs) for the wiring check.
    """
    kb = _kb()
    folder = Path(setup.folder)
    dag = folder / "flow" / "flow.dag.yaml"
    if dag.is_file():
        _SUBMITTED[str(folder.resolve())] = dag.read_text(encoding="utf-8", errors="replace")
    (folder / "kb").mkdir(parents=True, exist_ok=True)
    (folder / "kb" / "faq.jsonl").write_text(
        "".join(json.dumps({"id": k, "title": t, "text": x}) + "\n" for k, (t, x) in kb.FAQ.items()), encoding="utf-8")
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "eval.jsonl").write_text(
        "".join(json.dumps({"id": i, "question": q, "ground_truth": g, "doc": d}) + "\n" for i, q, g, d in kb.EVAL),
        encoding="utf-8")


# -- the metrics, as the lab defines them ------------------------------------------------------------------------------
def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _f1(answer: str, truth: str) -> float:
    common = sum((Counter(_tokens(answer)) & Counter(_tokens(truth))).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(_tokens(answer)), common / len(_tokens(truth))
    return 2 * precision * recall / (precision + recall)


def _expected_means(rows: list[dict]) -> dict[str, dict[str, float]]:
    import sacrebleu
    from rouge_score import rouge_scorer

    kb = _kb()
    truth = {i: (g, d) for i, _, g, d in kb.EVAL}
    rouge = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
    out: dict[str, dict[str, float]] = {}
    for variant in kb.VARIANTS:
        mine = [r for r in rows if r["variant"] == variant]
        n = len(mine)
        out[variant] = {
            "f1": sum(_f1(r["answer"], truth[r["id"]][0]) for r in mine) / n,
            "bleu": sum(sacrebleu.sentence_bleu(r["answer"], [truth[r["id"]][0]]).score for r in mine) / n,
            "rouge_l": sum(rouge.score(truth[r["id"]][0], r["answer"])["rougeL"].fmeasure for r in mine) / n,
            "hit_rate": sum(truth[r["id"]][1] in r["retrieved"] for r in mine) / n,
        }
    return out


# -- helpers -----------------------------------------------------------------------------------------------------------
def _rows(ctx) -> list[dict]:
    asset = ctx.data_asset("eval-results")
    path = ctx.local_path(asset.path)
    expect(path.is_file(), "eval-results does not point at a file; register ./outputs/eval_results.jsonl as a uri_file.")
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except ValueError:
                fail(f"Line {n} of eval-results is not JSON; write one json.dumps(row) per line.")
    kb = _kb()
    needed = {(i, v) for i, *_ in kb.EVAL for v in kb.VARIANTS}
    have = {(r.get("id"), r.get("variant")) for r in rows}
    missing = sorted(needed - have)
    expect(not missing, f"eval-results lacks {len(missing)} (question, variant) lines, e.g. {missing[:2]}; run every "
                        "question of data/eval.jsonl with both variants.")
    for r in rows:
        expect({"answer", "retrieved", "spans"} <= set(r), "Each line needs answer, retrieved and spans (the trace).")
    # the newest line per (question, variant), if the learner ran twice and appended
    latest = {(r["id"], r["variant"]): r for r in rows if (r.get("id"), r.get("variant")) in needed}
    return list(latest.values())


def _runs(ctx) -> list[tuple[str, dict, dict, dict]]:
    from sandbox import tracking

    conn = tracking.connect(ctx.ws)
    try:
        ids = [r[0] for r in conn.execute(
            "SELECT r.run_uuid FROM runs r JOIN experiments e ON r.experiment_id = e.experiment_id "
            "WHERE e.name = ? AND r.lifecycle_stage = 'active' ORDER BY r.start_time DESC", (EXPERIMENT,))]
    finally:
        conn.close()
    return [(i, tracking.get_params(ctx.ws, i), tracking.metric_history(ctx.ws, i), tracking.get_tags(ctx.ws, i))
            for i in ids]


def _variant_runs(ctx) -> dict[str, tuple[str, dict, dict]]:
    runs = _runs(ctx)
    expect(runs, f"No MLflow run in the experiment {EXPERIMENT}; mlflow.set_experiment('{EXPERIMENT}') and start a run per variant.")
    found: dict[str, tuple[str, dict, dict]] = {}
    for run_id, params, metrics, tags in runs:  # newest first
        variant = params.get("variant")
        if variant and variant not in found:
            found[variant] = (run_id, {k: v[-1] for k, v in metrics.items()}, tags)
    missing = [v for v in _kb().VARIANTS if v not in found]
    expect(not missing, f"No run with the param variant = {missing[0] if missing else ''}; log one run per variant "
                        "with mlflow.log_param('variant', ...).")
    return found


# -- checks ------------------------------------------------------------------------------------------------------------
@check("The flow is wired retrieve -> build_prompt -> answer through ${...} references", points=2,
       hint="In flow/flow.dag.yaml: retrieve.question = ${inputs.question}; build_prompt takes ${inputs.question} and "
            "${retrieve.output}; answer.prompt = ${build_prompt.output}; the output answer references ${answer.output}.")
def flow_wired(ctx):
    import yaml

    text = _SUBMITTED.get(str(Path(ctx.folder).resolve()))
    if text is None:
        dag = Path(ctx.folder) / "flow" / "flow.dag.yaml"
        expect(dag.is_file(), "Your submission has no flow/flow.dag.yaml; keep the file names of the starter.")
        text = dag.read_text(encoding="utf-8", errors="replace")
    try:
        spec = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        fail(f"flow/flow.dag.yaml is not valid YAML: {str(exc).splitlines()[0]}")
    nodes = {n.get("name"): n for n in spec.get("nodes", []) if isinstance(n, dict)}
    expect({"retrieve", "build_prompt", "answer"} <= set(nodes), "The flow needs the nodes retrieve, build_prompt and answer.")

    def refs(node):
        out = set()
        for value in (nodes[node].get("inputs") or {}).values():
            m = REF.match(str(value).strip())
            if m:
                out.add(m.groups())
        return out

    expect(("inputs", "question") in refs("retrieve"), "retrieve must read the flow input: question: ${inputs.question}.")
    expect(("retrieve", "output") in refs("build_prompt"), "build_prompt must receive the retrieved documents: ${retrieve.output}.")
    expect(("inputs", "question") in refs("build_prompt"), "build_prompt must receive the question: ${inputs.question}.")
    expect(refs("answer") & {("build_prompt", "output")} and ("inputs", "question") not in refs("answer"),
           "answer must read the prompt built by build_prompt (${build_prompt.output}), not the raw question.")
    reference = str(((spec.get("outputs") or {}).get("answer") or {}).get("reference", "")).strip()
    expect(reference == "${answer.output}", "The flow output answer must reference ${answer.output}.")
    deps = {n: {s for s, f in refs(n) if s in nodes} for n in nodes}
    try:
        list(TopologicalSorter(deps).static_order())
    except CycleError:
        fail("The nodes reference each other in a cycle; a flow must be a DAG.")


@check("Line-level results with traces are registered as eval-results", points=2,
       hint="Write one JSON line per (question, variant) with id, variant, answer, retrieved and spans to "
            "outputs/eval_results.jsonl and register it: Data(name='eval-results', type=AssetTypes.URI_FILE, path=...).")
def results_registered(ctx):
    rows = _rows(ctx)
    return f"{len(rows)} lines"


@check("Each line's trace shows the nodes in dependency order, and the answer is the answer node's output", points=1,
       hint="Keep the spans that run_flow returns for each line: retrieve, then build_prompt, then answer.")
def traced_in_order(ctx):
    for r in _rows(ctx):
        spans = r["spans"]
        names = [s.get("node") for s in spans if isinstance(s, dict)]
        expect([n for n in names if n in ("retrieve", "build_prompt", "answer")] == ["retrieve", "build_prompt", "answer"],
               f"Line {r['id']} ({r['variant']}): the trace has the nodes {names}; expected retrieve, build_prompt, answer in that order.")
        by = {s["node"]: s for s in spans if isinstance(s, dict) and "node" in s}
        expect(by["answer"].get("output") == r["answer"],
               f"Line {r['id']} ({r['variant']}): the recorded answer is not the answer node's output.")
        expect(r["question"] in str(by["build_prompt"].get("output", "")) if "question" in r else True,
               f"Line {r['id']}: the prompt does not contain the question.")


@check("Answers come from the simulated model, i.e. from sentences of the knowledge base", points=1,
       hint="Record the flow's own answers; the simulated model only returns sentences of the retrieved context.")
def answers_extractive(ctx):
    sentences = _kb().sentences_of_kb()
    for r in _rows(ctx):
        parts = [s.strip() for s in re.split(r"(?<=[.!?])\s+", str(r["answer"])) if s.strip()]
        expect(parts and all(p in sentences for p in parts),
               f"Line {r['id']} ({r['variant']}): the answer {str(r['answer'])[:60]!r} is not made of knowledge-base "
               "sentences; record what the flow answered, not the ground truth.")


@check("The logged F1, BLEU, ROUGE-L and hit rate of each variant are right", points=3,
       hint="Per variant: mean token F1 against ground_truth, mean sacrebleu.sentence_bleu(answer, [truth]).score, "
            "mean RougeScorer(['rougeL'], use_stemmer=True).score(truth, answer)['rougeL'].fmeasure, and the share of "
            "lines whose retrieved ids contain doc.")
def metrics_correct(ctx):
    expected = _expected_means(_rows(ctx))
    runs = _variant_runs(ctx)
    for variant, (run_id, metrics, _tags) in runs.items():
        if variant not in expected:
            continue
        for name in METRICS:
            expect(name in metrics, f"The {variant} run has no metric {name!r}; log f1, bleu, rouge_l and hit_rate.")
            want, got = expected[variant][name], float(metrics[name])
            tolerance = 0.05 if name == "bleu" else 1e-3
            expect(abs(want - got) <= tolerance,
                   f"{variant}: {name} is {got:.4f}, but recomputed from your results it is {want:.4f}. "
                   "Compare each answer with its ground_truth (not with the question) and average over the lines.")
    return ", ".join(f"{v} F1 {expected[v]['f1']:.3f}" for v in sorted(expected))


@check("The better variant (higher mean F1) is tagged best=true", points=1,
       hint="Pick the variant with the highest mean F1 and MlflowClient().set_tag(run_id, 'best', 'true') on its run.")
def best_variant_tagged(ctx):
    expected = _expected_means(_rows(ctx))
    top = max(v["f1"] for v in expected.values())
    winners = {name for name, v in expected.items() if abs(v["f1"] - top) < 1e-9}
    runs = _variant_runs(ctx)
    tagged = {variant for variant, (_, _, tags) in runs.items() if str(tags.get("best", "")).lower() == "true"}
    expect(tagged, "No variant run is tagged best=true.")
    expect(tagged <= winners, f"{sorted(tagged)} is tagged best, but {sorted(winners)} has the higher mean F1.")
