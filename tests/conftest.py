"""Shared fixtures: the real English pipeline (loaded once), the sample corpus and graph."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "examples" / "corpus"


@pytest.fixture(scope="session", autouse=True)
def gazetteer_cache(tmp_path_factory):
    """The GeoNames index cache of this test session, not the user's (~/.cache/kgbuild)."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("cache")
        patch.setenv("KGBUILD_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session")
def nlp():
    """The default trained English pipeline with kgbuild_events, loaded once."""
    from kgbuild.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_events(nlp):
    from kgbuild import extract_events, read_documents

    return list(extract_events(read_documents([SAMPLE]), nlp=nlp))


@pytest.fixture(scope="session")
def sample_graph(sample_events):
    from kgbuild import build_graph

    return build_graph(sample_events)


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory, sample_graph):
    """The sample graph in an Oxigraph store folder (finalized), made once."""
    from kgbuild.stores.oxigraph import GraphStore

    path = tmp_path_factory.mktemp("sample-store") / "store"
    with GraphStore(path) as store:
        store.add(sample_graph)
        store.finalize()
    return path


def result_rows(result) -> list:
    """A query result's rows as sorted text tuples (store and rdflib spell 1.0 and 1 alike)."""
    return sorted(tuple("" if v is None else str(v).removesuffix(".0") for v in row)
                  for row in result.rows)


@pytest.fixture
def extract(nlp):
    """Events of one text (document id 't', optional date)."""
    from kgbuild import Document, extract_events

    def run(text: str, date: str | None = None):
        return list(extract_events([Document(id="t", text=text, date=date)], nlp=nlp))

    return run


@pytest.fixture
def no_credentials(monkeypatch, tmp_path):
    """No endpoint credentials from the environment or ~/.netrc (HOME is a fresh folder,
    which the fixture returns); used by the tests that talk to HTTP servers."""
    for name in ("KGBUILD_ENDPOINT_USER", "KGBUILD_ENDPOINT_PASSWORD", "KGBUILD_ENDPOINT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture(scope="session")
def one_event_graph():
    """The graph of one hand-built event, Russia attacked Ukraine (no spaCy needed)."""
    from kgbuild import Action, Entity, Event, EventType, Sentence, build_graph

    event = Event(doc="d1", sentence=Sentence("Russia attacked Ukraine.", 0, 24),
                  actor=Entity("Russia", "Russia", "Country", key="actor/Russia", start=0, end=6),
                  action=Action("attacked", "attack", 7, 15),
                  target=Entity("Ukraine", "Ukraine", "Country", key="actor/Ukraine"),
                  event_type=EventType("190", "Use conventional military force", "19"),
                  explanation="hand-built", doc_date="2024-05-01")
    return build_graph([event])


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's headless Chromium, for the tests that render HTML pages."""
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(exe, os.X_OK):
        pytest.fail("Debian's chromium is needed: run `bash scripts/install-system-deps.sh` "
                    "(make test does)")
    return exe
