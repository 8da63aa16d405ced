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
def clean(text):
    # TODO: drop empty lines and the boilerplate lines ("Home | Shop ...", "Was this page helpful? ...", the © line),
    #       strip the "# " of the title, and join the remaining lines with spaces.
    return " ".join(text.splitlines())


# %% [markdown]
# ## 2. Chunk: at most 60 words, each chunk repeating the last 15 words of the one before

# %%
def chunk(words, size=CHUNK_WORDS, overlap=OVERLAP):
    # TODO: return overlapping chunks of at most `size` words (step = size - overlap).
    return [" ".join(words)]


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
# TODO: register ./chunks.jsonl as the uri_file data asset kb-chunks.

# %% [markdown]
# ## 4. A TF-IDF index and a retrieve() function

# %%
def retrieve(question, k=3):
    # TODO: fit a TfidfVectorizer on the chunk texts (once, outside this function) and return the k chunks with
    #       the highest cosine similarity (linear_kernel on the TF-IDF rows) to the question.
    return chunks[:k]


# %% [markdown]
# ## 5. Evaluate retrieval on the development questions and log the metrics

# %%
dev = [json.loads(line) for line in Path("data/dev_questions.jsonl").read_text(encoding="utf-8").splitlines() if line]
# TODO: compute recall@3 and MRR over `dev`, and log them as recall_at_3 and mrr in an MLflow run of the
#       experiment rag-retrieval.

# %% [markdown]
# ## 6. Ship the retriever: TF-IDF + nearest chunk (cosine), predicting the chunk's document number

# %%
# TODO: fit Pipeline([("tfidf", ColumnTransformer([("question", TfidfVectorizer(...), "question")])),
#                     ("nearest", KNeighborsClassifier(n_neighbors=1, metric="cosine"))])
#       on DataFrame({"question": chunk texts}) with the chunk document numbers as labels, save it with
#       mlflow.sklearn.save_model to ./retriever (pass skops_trusted_types=["scipy.sparse._csr.csr_matrix"]: the
#       fitted neighbours are a sparse matrix) and register it as the MLflow model kb-retriever.
