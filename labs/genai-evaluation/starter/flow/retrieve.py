"""Python node: the top_k FAQ entries for a question, by TF-IDF cosine similarity."""
import json
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

ENTRIES = [json.loads(line) for line in (Path(__file__).resolve().parents[1] / "kb" / "faq.jsonl")
           .read_text(encoding="utf-8").splitlines() if line]
VECTORIZER = TfidfVectorizer(stop_words="english")
MATRIX = VECTORIZER.fit_transform(e["title"] + " " + e["text"] for e in ENTRIES)


def retrieve(question: str, top_k: int = 2) -> list[dict]:
    # TODO: score every entry against the question (linear_kernel of the TF-IDF rows) and return the top_k entries
    #       as {"id": ..., "text": ...}, best first.
    return [{"id": e["id"], "text": e["text"]} for e in ENTRIES[:top_k]]
