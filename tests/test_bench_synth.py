"""The benchmark's synthetic corpus: distinct documents and events that grow with N."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from kgbuild import read_documents  # noqa: E402
from kgbuild.graph.build import event_key  # noqa: E402
from synth import relabel, synthetic_documents  # noqa: E402


def test_synthetic_documents_are_distinct_and_reproducible(sample_dir):
    base = list(read_documents([str(sample_dir)]))
    first = list(synthetic_documents(base, 50))
    assert len({d.id for d in first}) == 50 and len({d.text for d in first}) == 50
    assert [d.text for d in synthetic_documents(base, 50)] == [d.text for d in first]
    assert all(d.date for d in first)


def test_relabelled_events_are_new_events(sample_dir, extract):
    base = list(read_documents([str(sample_dir)]))
    doc = base[0]
    events = extract(doc.text, date="2024-03-04")
    assert events
    keys = set()
    for i in range(20):
        new_doc, new_events = relabel(doc, events, i)
        assert new_doc.id not in {d.id for d in base} and all(e.doc == new_doc.id for e in new_events)
        keys |= {event_key(e) for e in new_events}
    assert len(keys) > 10 * len({event_key(e) for e in events}), "distinct events grow with N"
