"""Issue 27, item 5: one vocabulary for entity types and node keys (kgbuild/model.py)."""
from __future__ import annotations

import ast
import json
import pickle
from pathlib import Path

import kgbuild
from kgbuild.graph.build import ENTITY_CLASSES, entity_iri
from kgbuild.graph.iris import is_document_local
from kgbuild.graph.namespace import KG
from kgbuild.model import (
    ACTOR_TYPES,
    UNIDENTIFIED_AGENT,
    Entity,
    EntityType,
    agent_key,
    clause_key,
    country_key,
    document_place_key,
    geonames_key,
    organization_key,
    person_key,
    place_key,
    slug,
    thing_key,
)

PACKAGE = Path(kgbuild.__file__).parent


def test_type_names_are_spelled_only_in_the_model():
    """No module but model.py writes an entity type's name as a string literal (the
    graph's own vocabulary, graph/namespace.py, names the classes)."""
    names = {kind.value for kind in EntityType} | {"Target"}
    offenders = [f"{path.relative_to(PACKAGE)}:{node.lineno} {node.value!r}"
                 for path in PACKAGE.rglob("*.py") if path.name != "namespace.py"
                 and path.relative_to(PACKAGE) != Path("model.py")
                 for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(node, ast.Constant) and node.value in names]
    assert offenders == []


def test_every_type_has_its_class_in_the_ontology():
    assert set(ENTITY_CLASSES) == {kind.value for kind in EntityType}
    assert ENTITY_CLASSES["Thing"] == str(KG.Target) and ENTITY_CLASSES["Country"] == str(KG.Country)
    assert ACTOR_TYPES < set(EntityType)


def test_an_entity_holds_the_plain_type_name():
    """Records, tables and pickles of an entity typed with the enum are those of the name."""
    typed = Entity(text="Russia", label="Russia", type=EntityType.COUNTRY, country="RUS",
                   key=country_key("RUS"))
    named = Entity(text="Russia", label="Russia", type="Country", country="RUS", key="country/RUS")
    assert typed == named and hash(typed) == hash(named) and type(typed.type) is str
    assert json.dumps(typed.__dict__) == json.dumps(named.__dict__)
    assert pickle.dumps(typed) == pickle.dumps(named)
    assert typed.cameo == "RUS"


def test_keys_are_the_ones_the_entity_contract_names():
    """The key forms `Entity`'s docstring and `kgbuild.graph.iris` read."""
    assert slug("S-400 missiles") == "s-400-missiles"
    assert (country_key("RUS"), country_key("RUS", "MIL")) == ("country/RUS", "country/RUS/MIL")
    assert organization_key("NATO") == "org/nato"
    assert person_key("Vladimir Putin") == "person/vladimir-putin"
    assert agent_key("MIL", "forces") == "agent/MIL/forces"
    assert agent_key("MIL", "troops", "RUS") == "agent/RUS/MIL/troops"
    assert thing_key("iskander-missile") == "thing/iskander-missile"
    assert place_key("Homs") == "place/homs" and geonames_key(170063) == "place/geonames/170063"
    assert document_place_key("d1", "the capital") == "doc/d1/place/the-capital"


def test_document_local_keys_stay_in_their_document():
    """The generic agent and clause keys made here are the ones the graph side scopes."""
    for key in (UNIDENTIFIED_AGENT, agent_key("MIL", "forces"), clause_key(120)):
        entity = Entity(text="x", label="x", type=EntityType.GROUP, key=key)
        assert is_document_local(entity)
        assert "/doc/d1/" in str(entity_iri(entity, "actor", "d1"))
    assert not is_document_local(Entity(text="x", label="x", key=agent_key("MIL", "troops", "RUS"),
                                        country="RUS"))
