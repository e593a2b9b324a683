"""The `{ #@lateral` marker of saved queries: Oxigraph's LATERAL on a store, an ordinary
group join (the same rows) on an rdflib graph."""
from kgbuild.query import saved_queries
from kgbuild.query.store import lateral


def test_marker_becomes_lateral_and_nothing_else_changes():
    text = "SELECT * WHERE {\n  { SELECT ?a WHERE { ?a ?p ?o } }\n  { #@lateral: why\n    ?a ?q ?r }\n}"
    out = lateral(text)
    assert "LATERAL {#: why\n    ?a ?q ?r }" in out and "#@lateral" not in out
    assert out.replace("LATERAL {#", "{ #@lateral") == text
    plain = "SELECT * WHERE { ?s ?p ?o } # not #@lateral here"
    assert lateral(plain) == plain


def test_marked_saved_queries_parse_on_both_engines(tmp_path):
    import pyoxigraph
    from rdflib.plugins.sparql import prepareQuery

    marked = {name: text for name, text in saved_queries().items() if "#@lateral" in text}
    assert {"events-near", "at-place", "events-in-country", "timeline"} <= set(marked)
    store = pyoxigraph.Store()
    for text in marked.values():
        prepareQuery(text)  # rdflib: a comment and a group
        assert "LATERAL {" in lateral(text)
        list(store.query(lateral(text)))  # Oxigraph parses its extension
