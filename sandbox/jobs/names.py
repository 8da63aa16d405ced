"""Job and run names as Azure makes them, and the experiment-name rule."""
from __future__ import annotations

import random
import re
import string
import time
import uuid

from sandbox.errors import InvalidInput

_ADJECTIVES = ("sincere", "brave", "calm", "eager", "gentle", "jolly", "keen", "lively", "quiet", "witty", "bold",
               "bright", "clever", "kind", "loyal", "neat", "proud", "silly", "tender", "zen", "amber", "lucid")
_NOUNS = ("rose", "river", "leaf", "stone", "cloud", "garden", "lemon", "tiger", "owl", "comet", "pepper", "brush",
          "kettle", "island", "window", "basket", "ocean", "pumpkin", "camel", "feather", "anchor", "engine")
_EXPERIMENT = re.compile(r"^[a-zA-Z0-9][\w-]{0,255}$")


def new_job_name() -> str:
    """A v2 job name such as `sincere_rose_2x5ptz8k7l`."""
    suffix = "".join(random.choices(string.ascii_lowercase + string.digits, k=10))
    return f"{random.choice(_ADJECTIVES)}_{random.choice(_NOUNS)}_{suffix}"


def new_run_id(experiment: str) -> str:
    """A v1 run id: `<experiment>_<unix time>_<8 hex>`."""
    return f"{experiment}_{int(time.time())}_{uuid.uuid4().hex[:8]}"


def validate_experiment_name(name: str) -> None:
    if not isinstance(name, str) or not _EXPERIMENT.match(name):
        raise InvalidInput(
            f"Invalid experiment name {name!r}: start with a letter or digit and use letters, digits, '_' and '-' "
            "(up to 256 characters), e.g. 'train-diabetes'."
        )


def experiment_from_folder(folder_name: str) -> str:
    """v2's default experiment name: the current folder's name, made valid."""
    cleaned = re.sub(r"[^\w-]", "_", folder_name).lstrip("_-")
    return cleaned or "default"
