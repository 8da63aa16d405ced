"""SIMULATED language model node (no model can be downloaded in this course).

It does what a grounded model is asked to do, in the crudest way: it reads the context and the question from the
prompt and returns the context sentences that share the most words with the question, in their original order.
Its answers are real text from the context, so the evaluation metrics computed on them are real; only the
"intelligence" is simulated.
"""
import re

STOP = {"the", "a", "an", "is", "are", "do", "does", "i", "my", "for", "of", "to", "in", "on", "at", "can", "how",
        "what", "when", "until", "much", "long", "far", "be", "it", "and", "or", "you", "your"}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP}


def answer(prompt: str, max_sentences: int = 2) -> str:
    if "Context:\n" not in prompt or "Question:" not in prompt:
        return "I do not know: the prompt has no context."
    context = prompt.split("Context:\n", 1)[1].split("\nQuestion:", 1)[0]
    question = prompt.rsplit("Question:", 1)[1]
    sentences = [s.strip() for line in context.splitlines()
                 for s in re.split(r"(?<=[.!?])\s+", re.sub(r"^\[[^\]]+\]\s*", "", line)) if s.strip()]
    scored = sorted(range(len(sentences)), key=lambda i: (-len(_words(sentences[i]) & _words(question)), i))
    keep = sorted(scored[:max_sentences])
    return " ".join(sentences[i] for i in keep)
