"""Checks for the rag-retrieval lab: real chunking and real TF-IDF retrieval, graded on questions the learner never saw.

The grader reads the registered chunks file, looks at the MLflow run the learner logged, and asks the registered
retriever (an MLflow scikit-learn model, scored in an isolated child process) the held-out questions of corpus.py.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from labs.checks import check, expect, fail

EXPERIMENT = "rag-retrieval"
MAX_WORDS = 60
MIN_OVERLAP = 10


def _corpus():
    name = "dp100_lab_rag_retrieval_corpus"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("corpus.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


# -- fixture ---------------------------------------------------------------------------------------------------------
def write_corpus(setup) -> None:
    """The help-centre export (docs/*.md, with the site's boilerplate) and the development questions."""
    corpus = _corpus()
    docs = Path(setup.folder) / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for number in corpus.DOCS:
        (docs / corpus.file_name(number)).write_text(corpus.document_text(number), encoding="utf-8")
    data = Path(setup.folder) / "data"
    data.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"question": q, "doc": d}) for q, d in corpus.DEV_QUESTIONS]
    (data / "dev_questions.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- helpers ---------------------------------------------------------------------------------------------------------
def _chunks(ctx) -> list[dict]:
    asset = ctx.data_asset("kb-chunks")
    expect(asset.type == "uri_file", f"kb-chunks is a {asset.type}; register the chunks file as a uri_file.")
    path = ctx.local_path(asset.path)
    expect(path.is_file(), "kb-chunks does not point at a file; register ./chunks.jsonl.")
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            fail(f"Line {n} of the chunks file is not JSON; write one json.dumps(chunk) per line.")
        expect(isinstance(row, dict) and {"id", "doc", "text"} <= set(row),
               f"Line {n} of the chunks file needs the keys id, doc and text.")
        rows.append(row)
    return rows


def _runs(ctx, experiment: str) -> list[str]:
    from sandbox import tracking

    conn = tracking.connect(ctx.ws)
    try:
        rows = conn.execute(
            "SELECT r.run_uuid FROM runs r JOIN experiments e ON r.experiment_id = e.experiment_id "
            "WHERE e.name = ? AND r.lifecycle_stage = 'active' ORDER BY r.start_time DESC", (experiment,)).fetchall()
    finally:
        conn.close()
    return [r[0] for r in rows]


# -- checks ------------------------------------------------------------------------------------------------------------
@check("The chunks are registered as the data asset kb-chunks, covering every document", points=2,
       hint="Write one JSON object per chunk ({'id', 'doc', 'text'}) to chunks.jsonl, then "
            "ml_client.data.create_or_update(Data(name='kb-chunks', type=AssetTypes.URI_FILE, path='./chunks.jsonl')).")
def chunks_registered(ctx):
    rows = _chunks(ctx)
    corpus = _corpus()
    docs = {int(r["doc"]) for r in rows if str(r["doc"]).isdigit() or isinstance(r["doc"], int)}
    missing = sorted(set(corpus.DOCS) - docs)
    expect(not missing, f"No chunk comes from document(s) {missing}; chunk every file in docs/ and set doc to its number.")
    too_long = [r["id"] for r in rows if len(str(r["text"]).split()) > MAX_WORDS]
    expect(not too_long, f"{len(too_long)} chunk(s) have more than {MAX_WORDS} words (e.g. {too_long[0] if too_long else ''}); "
                         f"split each document into chunks of at most {MAX_WORDS} words.")
    expect(len(rows) >= 2 * len(corpus.DOCS), f"Only {len(rows)} chunks for {len(corpus.DOCS)} documents; "
                                              "each document should give several chunks.")


@check("Navigation, feedback and copyright boilerplate is cleaned out of the chunks", points=2,
       hint="Drop the lines that every page repeats ('Home | Shop | ...', 'Was this page helpful?', the © line) before chunking.")
def boilerplate_removed(ctx):
    rows = _chunks(ctx)
    corpus = _corpus()
    junk = [corpus.HEADER.split(" | ")[0] + " | ", "Was this page helpful", "All rights reserved"]
    dirty = [r["id"] for r in rows if any(j in str(r["text"]) for j in junk)]
    expect(not dirty, f"{len(dirty)} chunk(s) still contain page boilerplate (e.g. {dirty[:1]}); clean each page first.")


@check("Consecutive chunks of a document overlap", points=1,
       hint="Step through the words by size - overlap (e.g. 60 - 15 = 45) so each chunk repeats the end of the one before.")
def chunks_overlap(ctx):
    rows = _chunks(ctx)
    by_doc: dict[str, list[str]] = {}
    for r in rows:
        by_doc.setdefault(str(r["doc"]), []).append(str(r["text"]))
    pairs = overlapping = 0
    for texts in by_doc.values():
        for first, second in zip(texts, texts[1:]):
            pairs += 1
            head = " ".join(second.split()[:MIN_OVERLAP])
            overlapping += bool(head) and head in first
    expect(pairs > 0, "No document was split into more than one chunk.")
    expect(overlapping == pairs, f"{pairs - overlapping} of {pairs} consecutive chunk pairs do not overlap; "
                                 f"make each chunk start with at least the last {MIN_OVERLAP} words of the previous one.")


@check("An MLflow run in rag-retrieval logged recall_at_3 and mrr on the development questions", points=2,
       hint="mlflow.set_experiment('rag-retrieval'); with mlflow.start_run(): mlflow.log_metric('recall_at_3', ...); mlflow.log_metric('mrr', ...)")
def metrics_logged(ctx):
    from sandbox import tracking

    runs = _runs(ctx, EXPERIMENT)
    expect(runs, "No MLflow run in the experiment rag-retrieval; set the experiment and start a run before logging.")
    for run_id in runs:
        metrics = tracking.metric_history(ctx.ws, run_id)
        if "recall_at_3" in metrics and "mrr" in metrics:
            recall, mrr = metrics["recall_at_3"][-1], metrics["mrr"][-1]
            expect(0 <= mrr <= 1 and 0 <= recall <= 1, f"recall_at_3={recall} and mrr={mrr} must lie between 0 and 1.")
            expect(recall >= 0.75, f"recall_at_3 is {recall:.2f} on the development questions; a sound TF-IDF index "
                                   "reaches 0.75 or more (check cleaning and chunking).")
            return f"recall@3 {recall:.2f}, MRR {mrr:.2f}"
    fail("The runs in rag-retrieval have no metrics recall_at_3 and mrr; log both with exactly these names.")


@check("The retriever is registered as the MLflow model kb-retriever", points=1,
       hint="mlflow.sklearn.save_model(pipeline, 'retriever'), then ml_client.models.create_or_update(Model(name='kb-retriever', path='./retriever', type=AssetTypes.MLFLOW_MODEL)).")
def retriever_registered(ctx):
    model = ctx.model("kb-retriever")
    expect(model.type == "mlflow_model", f"kb-retriever is a {model.type}; register the folder with type=AssetTypes.MLFLOW_MODEL.")


@check("The retriever finds the right document for new questions", points=3,
       hint="Fit the pipeline on the chunk texts with each chunk's document number as its label, so predict() returns a document number.")
def retrieval_quality(ctx):
    import pandas as pd

    corpus = _corpus()
    questions = pd.DataFrame({"question": [q for q, _ in corpus.HELD_OUT]})
    found = ctx.predict(ctx.model("kb-retriever"), questions)
    right = sum(int(round(float(f))) == doc for f, (_, doc) in zip(found, corpus.HELD_OUT))
    share = right / len(corpus.HELD_OUT)
    expect(share >= 0.8, f"The retriever found the right document for {right} of {len(corpus.HELD_OUT)} questions it "
                         f"had never seen ({share:.0%}); at least 80% is expected. Check that predict() returns "
                         "document numbers and that the chunks are clean.")
    return f"{right} of {len(corpus.HELD_OUT)} held-out questions answered from the right document"
