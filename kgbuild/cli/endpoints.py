"""The commands that talk HTTP: `push` to a remote store, `serve` a local endpoint."""
from __future__ import annotations

import click

from ..serve.limits import MAX_ANSWER, MAX_BODY, MAX_QUERY, Limits
from .base import cli, graph_argument, log, max_answer_option, user_errors


@cli.command()
@graph_argument()
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store Protocol URL (gsp) or SPARQL Update URL (update).")
@click.option("--protocol", type=click.Choice(["gsp", "update"]), default="gsp", show_default=True,
              help="gsp: PUT each document graph, POST the default graph; update: DROP + INSERT "
                   "DATA per document.")
@click.option("--graph-store", "graph_store_url", metavar="URL",
              help="With gsp: the Graph Store Protocol URL when it is not --endpoint.")
@click.option("--insecure", is_flag=True, help="Do not verify TLS certificates (test servers only).")
@click.option("--timeout", default=60, show_default=True, metavar="SECONDS",
              type=click.FloatRange(min=0),
              help="Seconds for each request as a whole (connect, send, answer); 0: no limit, "
                   "as for query --timeout.")
@click.option("--deadline", type=click.FloatRange(min=0), metavar="SECONDS",
              help="Seconds for the whole push (default or 0: no limit beyond --timeout per "
                   "request).")
@max_answer_option
@user_errors
def push(graph, endpoint, protocol, graph_store_url, insecure, timeout, deadline, max_answer):
    """Push GRAPH_OR_STORE (graph file or store folder) to a remote triplestore.

    Each document goes to its named graph kgr:graph/<doc>, replacing what an earlier push
    put there; merged events, actors and event types go to the default graph. Credentials
    come from KGBUILD_ENDPOINT_USER and KGBUILD_ENDPOINT_PASSWORD, KGBUILD_ENDPOINT_TOKEN
    (bearer), or ~/.netrc — never from the command line.

    \b
    Example:
      kgbuild push graph.ttl --endpoint http://localhost:7878/store
      kgbuild push kg.store --endpoint http://localhost:3030/ds/update --protocol update
      kgbuild push graph.ttl --endpoint http://localhost:7200/repositories/news/rdf-graphs/service
    """
    from ..remote import MAX_ANSWER, check_endpoint
    from ..remote import push as push_graph
    from ..stores import load_graph

    for url in (endpoint, graph_store_url or endpoint):  # before reading a large graph
        check_endpoint(url)
    summary = push_graph(load_graph(graph), endpoint, protocol=protocol,
                         graph_store_url=graph_store_url, timeout=timeout or None,
                         deadline=deadline or None,
                         insecure=insecure, max_answer=max_answer or MAX_ANSWER)
    log.info("%d triples (%d document graphs, %d in the default graph) in %d requests -> %s",
             summary.triples, summary.graphs, summary.default_triples, summary.requests,
             summary.endpoint)


@cli.command()
@graph_argument()
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port (0: any free port, said on stderr).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on; any other than 127.0.0.1, ::1 or localhost lets "
                   "other machines read the graph (with a warning).")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests that name the server NAME (its DNS name or address "
                   "on the network); repeatable. The --host address and the loopback names "
                   "are always allowed, any other Host gets 403.")
@click.option("--timeout", default=60, show_default=True, type=click.FloatRange(min=0),
              metavar="SECONDS", help="Answer 503 to a query still being checked or running "
                                      "after SECONDS (0: no limit).")
@click.option("--max-body", default=MAX_BODY, show_default=True, type=click.IntRange(1),
              metavar="BYTES", help="Refuse larger POST bodies (413).")
@click.option("--max-query", default=MAX_QUERY, show_default=True, type=click.IntRange(1),
              metavar="CHARS", help="Refuse longer query texts (413).")
@click.option("--max-answer", default=MAX_ANSWER, show_default=True, type=click.IntRange(1),
              metavar="BYTES", help="Stop larger answers there (507; an HTML table shows "
                                    "the rows so far, marked as cut).")
@user_errors
def serve(graph, port, host, allow_hosts, timeout, max_body, max_query, max_answer):
    """Serve GRAPH_OR_STORE read-only as a SPARQL 1.1 endpoint until Ctrl-C.

    The endpoint is http://127.0.0.1:PORT/query; the page at / has a query form with the
    saved queries. Updates and SERVICE clauses are refused. A graph file is loaded into a
    temporary store first (removed on exit).

    \b
    Example:
      kgbuild serve graph.ttl
      kgbuild serve kg.store --port 8000
      kgbuild serve kg.store --host 0.0.0.0 --allow-host kg.lan   # other machines too
      kgbuild query --endpoint http://127.0.0.1:7878/query who-did-what
    """
    from ..serve.server import serve_graph

    limits = Limits(timeout=timeout or None, max_body=max_body, max_query=max_query,
                    max_answer=max_answer)
    serve_graph(graph, host=host, port=port, limits=limits, allow_hosts=allow_hosts)
