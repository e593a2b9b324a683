"""The names of nodes as plain text: deterministic IRIs of entities, documents, events and
mentions (what makes two reports one event), shared by the rdflib graph and the store
writer. No rdflib terms here.

Identity, in the order it is decided (issue 23):
1. An entity that names nothing outside its document is a node of that document
   (`is_document_local`): a generic actor, a role noun alone ("forces", "police",
   "an unidentified attacker"), and a clause standing as a target. Its IRI puts the
   document between the kind and the key (`kgr:actor/doc/<doc>/agent/MIL/forces`,
   `kgr:thing/doc/<doc>/clause-120`): a node of the default graph like every actor, so
   the store's label finalization and dyad index see it, dropped with its last event.
   A generic place noun is scoped by the extractor already (`doc/<doc>/place/<noun>`).
2. Reports are one event when actor, action (class and lemma), target, recipient, place,
   modality and polarity agree and so does their date (`event_date`: the event's own
   time, else the report date), and they fall on the same calendar day (`merge_day`).
3. An event with no day at all stays in its document (`merge_scope`): two mentions in one
   document still merge, reports in two documents never do.
"""
from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

from ..model import CLAUSE_KEY_PREFIX, Entity, Event
from .namespace import KGR


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:16]


_KGR = str(KGR)
#: A calendar day, alone or starting a date-time ("2024-05-01", "2024-05-01T10:00").
_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})(?:T[^/]*)?")
#: Key prefixes of entities that name nothing outside their document: a role noun with no
#: affiliation ("agent/MIL/forces", "agent/unidentified"; an affiliated one is
#: "agent/<country or organization>/<role>/<noun>") and a clause target, keyed by offset.
_GENERIC_AGENT = re.compile(r"agent/(?:unidentified|[^/]+/[^/]+)")
_CLAUSE = CLAUSE_KEY_PREFIX


def safe_segment(text: str) -> str:
    """Percent-encode `text` for an IRI path, keeping `/`; a final dot is `%2E`, since a
    Turtle name ending in an (escaped) dot is more than some readers (rdflib) accept."""
    return _final_dot(quote(text, safe="/-_.~"))


def _final_dot(segment: str) -> str:
    return segment[:-1] + "%2E" if segment.endswith(".") else segment


def is_document_local(entity: Entity) -> bool:
    """True when the entity names nothing outside its document, so its node is kept to
    the document: a generic actor (a role noun with no country, organization or Wikidata
    id: "forces", "government", "police", "militants", "an unidentified attacker") or a
    clause standing as a target (keyed by its offset in the document)."""
    key = entity.key or ""
    if key.startswith(_CLAUSE):
        return True
    return (_GENERIC_AGENT.fullmatch(key) is not None and not entity.country
            and not entity.wikidata and not entity.cameo_org)


def entity_iri_text(entity: Entity, slot: str = "actor", doc: str | None = None) -> str:
    """`entity_iri` as a plain str; `doc` is the id of the document the entity is
    mentioned in, needed for a document-local entity (`is_document_local`).

    Raises:
        ValueError: a document-local entity without `doc`.
    """
    key = entity.key or f"{slot}/{entity.label}"
    kind = key.split("/", 1)[0]
    if kind == "doc":  # "doc/<doc id>/place/<noun>": under the document's own IRI
        doc_id, _, noun = key[len("doc/"):].rpartition("/place/")
        return f"{_KGR}doc/{document_segment(doc_id)}/place/{safe_segment(noun)}"
    if kind not in ("place", "thing"):
        kind, key = "actor", f"actor/{key}"
    if is_document_local(entity):
        if doc is None:
            raise ValueError(f"{entity.label!r} ({entity.key}) is a node of one document: give "
                             "the id of the document it is mentioned in (doc=...)")
        rest = key[len(kind) + 1:]
        return f"{_KGR}{kind}/doc/{document_segment(doc)}/{safe_segment(rest)}"
    return _KGR + safe_segment(key)


def document_segment(doc_id: str) -> str:
    """A document id as one IRI path segment, injectively (different ids, different
    segments): percent-encoded UTF-8 except letters, digits and `-_.~` (so `/` is `%2F`,
    `%` is `%25`, a space `%20`), the dot segments `.` and `..` as `%2E` and `%2E%2E`, and
    a final dot as `%2E` (see `safe_segment`). Document, sentence, mention and named-graph
    IRIs are all built from it."""
    segment = quote(doc_id, safe="-_.~")
    return segment.replace(".", "%2E") if segment in (".", "..") else _final_dot(segment)


def document_iri_text(doc_id: str) -> str:
    """`document_iri` as a plain str."""
    return f"{_KGR}doc/{document_segment(doc_id)}"


def event_date(event: Event) -> str | None:
    """The date of an event (its `kg:time`): its resolved time, else the report date."""
    if event.time is not None and event.time.value:
        return event.time.value
    return event.doc_date


def _day(value: str | None) -> str | None:
    found = _DAY.fullmatch(value) if value else None
    return found.group(1) if found else None


def merge_day(event: Event) -> str | None:
    """The calendar day on which reports of the event merge across documents: its date
    (`event_date`) when that is one day, else the report date when that is one day (a
    month, a year or an interval names no day); None when there is no day."""
    return _day(event_date(event)) or _day(event.doc_date)


def merge_scope(event: Event) -> str:
    """Within what reports of the event merge: its `merge_day`, else its document
    ("doc/<doc id>")."""
    return merge_day(event) or f"doc/{event.doc}"


def _identity(entity: Entity | None, slot: str, doc: str) -> str | None:
    """An entity as part of the event key: its key, but a document-local actor (or place,
    or clause) by its node. A generic party acted on ("deployed troops", "killed
    civilians") enters by its key: the actor and the day already tell incidents apart, and
    scoping it would keep two reports of one incident apart."""
    if entity is None:
        return None
    if entity.key and (not is_document_local(entity) or (
            slot in ("target", "recipient") and not entity.key.startswith(_CLAUSE))):
        return entity.key
    return entity_iri_text(entity, slot, doc)


def event_key(event: Event) -> tuple:
    """What makes two reports the same real-world event (see the module docstring): the
    nodes of actor, target, recipient and place, the action's class and lemma, the date,
    modality and polarity, and the `merge_scope` when it is not the date itself (so an
    event dated to a day keeps the IRI it had before the scope was added)."""
    action_class = event.event_type.code if event.event_type else event.action.lemma
    when, doc = event_date(event), event.doc
    key = (_identity(event.actor, "actor", doc), action_class, event.action.lemma,
           _identity(event.target, "target", doc), _identity(event.recipient, "recipient", doc),
           _identity(event.location, "location", doc), when, event.modality, event.negated)
    scope = merge_scope(event)
    return key if scope == when else key + (scope,)


def event_iris(event: Event) -> tuple[str, str]:
    """The event's and its mention's IRIs (`event_iri`, `mention_iri`) as plain strs."""
    key = event_key(event)
    return (f"{_KGR}event/{_digest(*key)}",
            f"{document_iri_text(event.doc)}/mention/"
            f"{_digest(event.sentence.start, event.action.start, *key)}")
