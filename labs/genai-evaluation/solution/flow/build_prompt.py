"""Prompt node: the grounded prompt sent to the model."""


def build_prompt(question: str, documents: list[dict]) -> str:
    context = "\n".join(f"[{d['id']}] {d['text']}" for d in documents)
    return ("system: Answer only from the context. If it does not contain the answer, say you do not know.\n"
            f"Context:\n{context}\n"
            f"Question: {question}")
