# %% [markdown]
# # Retrieval for RAG: clean, chunk, index, evaluate and ship a retriever
#
# The documents in docs/ are a help-centre export. Make them searchable the way a RAG application needs:
# clean pages, overlapping chunks, a TF-IDF index, retrieval metrics logged with MLflow, and a retriever model
# that returns the number of the document that best answers a question.

# %%
import json
import shutil
from pathlib import Path

import mlflow
import mlflow.sklearn
import pandas as pd
from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Data, Model
from azure.identity import DefaultAzureCredential
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline

ml_client = MLClient.from_config(credential=DefaultAzureCredential())
CHUNK_WORDS, OVERLAP = 60, 15

# %% [markdown]
# ## 1. Clean each page: drop the lines every page repeats

# %%
BOILERPLATE = ("Home | Shop", "Was this page helpful", "©")


def clean(text):
    lines = [line.strip() for line in text.splitlines()]
    return " ".join(line.lstrip("# ") for line in lines if line and not line.startswith(BOILERPLATE))


# %% [markdown]
# ## 2. Chunk: at most 60 words, each chunk repeating the last 15 words of the one before

# %%
def chunk(words, size=CHUNK_WORDS, overlap=OVERLAP):
    step = size - overlap
    return [" ".join(words[i:i + size]) for i in range(0, max(len(words) - overlap, 1), step)]


chunks = []
for path in sorted(Path("docs").glob("*.md")):
    doc = int(path.name.split("-")[0])
    for n, text in enumerate(chunk(clean(path.read_text(encoding="utf-8")).split())):
        chunks.append({"id": f"{path.stem}-{n}", "doc": doc, "text": text})
Path("chunks.jsonl").write_text("".join(json.dumps(c) + "\n" for c in chunks), encoding="utf-8")
print(len(chunks), "chunks")

# %% [markdown]
# ## 3. Register the chunks as a data asset

# %%
ml_client.data.create_or_update(Data(name="kb-chunks", type=AssetTypes.URI_FILE, path="./chunks.jsonl",
                                      description="Cleaned, overlapping help-centre chunks"))

# %% [markdown]
# ## 4. A TF-IDF index and a retrieve() function

# %%
def vectorizer():
    return TfidfVectorizer(stop_words="english", sublinear_tf=True, ngram_range=(1, 2))


index = vectorizer()
matrix = index.fit_transform(c["text"] for c in chunks)


def retrieve(question, k=3):
    scores = linear_kernel(index.transform([question]), matrix).ravel()
    return [chunks[i] for i in scores.argsort()[::-1][:k]]


# %% [markdown]
# ## 5. Evaluate retrieval on the development questions and log the metrics

# %%
dev = [json.loads(line) for line in Path("data/dev_questions.jsonl").read_text(encoding="utf-8").splitlines() if line]
hits, reciprocal = 0, 0.0
for q in dev:
    ranked = [c["doc"] for c in retrieve(q["question"], k=len(chunks))]
    hits += q["doc"] in ranked[:3]
    reciprocal += 1 / (ranked.index(q["doc"]) + 1)
mlflow.set_experiment("rag-retrieval")
with mlflow.start_run():
    mlflow.log_params({"chunk_words": CHUNK_WORDS, "overlap": OVERLAP})
    mlflow.log_metric("recall_at_3", hits / len(dev))
    mlflow.log_metric("mrr", reciprocal / len(dev))
print(f"recall@3 {hits / len(dev):.2f}, MRR {reciprocal / len(dev):.2f}")

# %% [markdown]
# ## 6. Ship the retriever: TF-IDF + nearest chunk (cosine), predicting the chunk's document number

# %%
retriever = Pipeline([
    ("tfidf", ColumnTransformer([("question", vectorizer(), "question")])),
    ("nearest", KNeighborsClassifier(n_neighbors=1, metric="cosine")),
])
retriever.fit(pd.DataFrame({"question": [c["text"] for c in chunks]}), [c["doc"] for c in chunks])
shutil.rmtree("retriever", ignore_errors=True)
# MLflow saves scikit-learn models in the skops format, which loads only trusted types: the fitted neighbours are
# a SciPy sparse matrix, a safe type that we trust explicitly.
mlflow.sklearn.save_model(retriever, "retriever", skops_trusted_types=["scipy.sparse._csr.csr_matrix"])
model = ml_client.models.create_or_update(Model(name="kb-retriever", path="./retriever", type=AssetTypes.MLFLOW_MODEL))
print("registered", model.name, "version", model.version)
print(retriever.predict(pd.DataFrame({"question": ["Can I return swimwear?"]})))
