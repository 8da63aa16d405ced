# %% [markdown]
# # Evaluating a generative AI flow with real metrics (prompt-flow-style DAG, MLflow, SDK v2)
#
# flow/ holds a small flow: retrieve -> build_prompt -> answer. The answer node is a SIMULATED language model
# (it picks sentences from the retrieved context); everything else is real: retrieval, the DAG run with traces,
# the metrics (F1, BLEU, ROUGE-L, retrieval hit rate), the comparison of two variants and the logged results.

# %%
import json
import re
from collections import Counter
from pathlib import Path

import mlflow
import sacrebleu
from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Data
from azure.identity import DefaultAzureCredential
from rouge_score import rouge_scorer

from flowrunner import load_flow, run_flow

ml_client = MLClient.from_config(credential=DefaultAzureCredential())
VARIANTS = ["variant_0", "variant_1"]

# %% [markdown]
# ## 1. Run the flow over the evaluation set, once per variant, keeping each line's trace

# %%
flow = load_flow("flow")
print("node order:", flow.order)
lines = [json.loads(line) for line in Path("data/eval.jsonl").read_text(encoding="utf-8").splitlines() if line]
results = []
for variant in VARIANTS:
    for line in lines:
        outputs, spans = run_flow(flow, {"question": line["question"]}, variant=variant)
        results.append({"id": line["id"], "variant": variant, "question": line["question"],
                        "answer": outputs["answer"], "retrieved": [d["id"] for d in outputs["retrieved"]],
                        "spans": [{"node": s["node"], "output": s["output"], "ms": s["ms"]} for s in spans]})

# %% [markdown]
# ## 2. Metrics that need no judge model

# %%
def tokens(text):
    return re.findall(r"[a-z0-9]+", text.lower())


def f1(answer, truth):
    common = sum((Counter(tokens(answer)) & Counter(tokens(truth))).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(tokens(answer)), common / len(tokens(truth))
    return 2 * precision * recall / (precision + recall)


rouge = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
truth = {line["id"]: line for line in lines}
for row in results:
    reference = truth[row["id"]]["ground_truth"]
    row["f1"] = f1(row["answer"], reference)
    row["bleu"] = sacrebleu.sentence_bleu(row["answer"], [reference]).score
    row["rouge_l"] = rouge.score(reference, row["answer"])["rougeL"].fmeasure
    row["hit"] = truth[row["id"]]["doc"] in row["retrieved"]

# %% [markdown]
# ## 3. One MLflow run per variant; tag the better one

# %%
mlflow.set_experiment("genai-eval")
means = {}
for variant in VARIANTS:
    rows = [r for r in results if r["variant"] == variant]
    means[variant] = {m: sum(float(r[m]) for r in rows) / len(rows) for m in ("f1", "bleu", "rouge_l")}
    means[variant]["hit_rate"] = sum(r["hit"] for r in rows) / len(rows)
    with mlflow.start_run(run_name=variant):
        mlflow.log_param("variant", variant)
        mlflow.log_metrics(means[variant])
        mlflow.set_tag("best", "false")
    print(variant, {k: round(v, 3) for k, v in means[variant].items()})

best = max(VARIANTS, key=lambda v: means[v]["f1"])
client = mlflow.tracking.MlflowClient()
experiment = client.get_experiment_by_name("genai-eval")
for run in client.search_runs([experiment.experiment_id], filter_string=f"params.variant = '{best}'",
                              order_by=["attributes.start_time DESC"], max_results=1):
    client.set_tag(run.info.run_id, "best", "true")
print("best variant:", best)

# %% [markdown]
# ## 4. Keep the line-level results (answers, retrieved ids, traces) as a data asset

# %%
Path("outputs").mkdir(exist_ok=True)
Path("outputs/eval_results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in results), encoding="utf-8")
ml_client.data.create_or_update(Data(name="eval-results", type=AssetTypes.URI_FILE,
                                     path="./outputs/eval_results.jsonl"))
