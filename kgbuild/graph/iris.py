"""The names of nodes as plain text: deterministic IRIs of entities, documents, events and
mentions (what makes two reports one event), shared by the rdflib graph and the store
writer. No rdflib terms here."""
from __future__ import annotations

import hashlib
from urllib.parse import quote

from ..model import Entity, Event
from .namespace import KGR


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:16]


_KGR = str(KGR)


def safe_segment(text: str) -> str:
    """Percent-encode `text` for an IRI path, keeping `/`."""
    return quote(text, safe="/-_.~")


def entity_iri_text(entity: Entity, slot: str = "actor") -> str:
    """`entity_iri` as a plain str."""
    key = entity.key or f"{slot}/{entity.label}"
    kind = key.split("/", 1)[0]
    if kind == "doc":  # "doc/<doc id>/place/<noun>": under the document's own IRI
        doc_id, _, noun = key[len("doc/"):].rpartition("/place/")
        return f"{_KGR}doc/{document_segment(doc_id)}/place/{safe_segment(noun)}"
    if kind in ("place", "thing"):
        return _KGR + safe_segment(key)
    return _KGR + safe_segment(f"actor/{key}")


def document_segment(doc_id: str) -> str:
    """A document id as one IRI path segment, injectively (different ids, different
    segments): percent-encoded UTF-8 except letters, digits and `-_.~` (so `/` is `%2F`,
    `%` is `%25`, a space `%20`), and the dot segments `.` and `..` as `%2E` and `%2E%2E`.
    Document, sentence, mention and named-graph IRIs are all built from it."""
    segment = quote(doc_id, safe="-_.~")
    return segment.replace(".", "%2E") if segment in (".", "..") else segment


def document_iri_text(doc_id: str) -> str:
    """`document_iri` as a plain str."""
    return f"{_KGR}doc/{document_segment(doc_id)}"


def event_date(event: Event) -> str | None:
    """The date that identifies an event: its resolved time, else the report date."""
    if event.time is not None and event.time.value:
        return event.time.value
    return event.doc_date


def event_key(event: Event) -> tuple:
    """What makes two reports the same real-world event."""
    action_class = event.event_type.code if event.event_type else event.action.lemma
    return (event.actor.key, action_class, event.action.lemma,
            event.target.key if event.target else None,
            event.recipient.key if event.recipient else None,
            event.location.key if event.location else None,
            event_date(event), event.modality, event.negated)


def event_iris(event: Event) -> tuple[str, str]:
    """The event's and its mention's IRIs (`event_iri`, `mention_iri`) as plain strs."""
    key = event_key(event)
    return (f"{_KGR}event/{_digest(*key)}",
            f"{document_iri_text(event.doc)}/mention/"
            f"{_digest(event.sentence.start, event.action.start, *key)}")
