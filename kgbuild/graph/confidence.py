"""Keeping only the events of a graph that some report makes likely enough.

A merged event stays when its most confident mention reaches the floor; it then keeps all
its mentions, so its mention count stays true. An event below the floor leaves with its
mentions; actors, places and documents stay (they are shared).
"""
from __future__ import annotations

from typing import cast

from rdflib import Graph, Literal
from rdflib.namespace import RDF

from .namespace import KG


def event_confidence(graph: Graph, event) -> float:
    """The highest `kg:confidence` of the event's mentions (0 when none has one)."""
    return max((float(cast(Literal, c).toPython()) for m in graph.objects(event, KG.mention)
                for c in graph.objects(m, KG.confidence)), default=0.0)


def drop_unconfident(graph: Graph, floor: float) -> int:
    """Remove, in place, every event whose most confident mention is below `floor`, with
    its mentions; returns how many events were removed."""
    if floor <= 0:
        return 0
    doomed = [ev for ev in graph.subjects(RDF.type, KG.Event) if event_confidence(graph, ev) < floor]
    for ev in doomed:
        for node in [*graph.objects(ev, KG.mention), ev]:
            graph.remove((node, None, None))
            graph.remove((None, None, node))
    return len(doomed)
