"""Issue 7, "See the graph": the HTML page in real headless Chromium, PNG/SVG pictures, the
actor timeline, `kgbuild viz`, and rich tables for `kgbuild query` on a terminal."""
from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from rdflib import RDFS, Graph, Literal, URIRef

from kgbuild import GraphError, save_graph, to_networkx
from kgbuild.cli import cli
from kgbuild.graph.namespace import KG
from kgbuild.viz import write_html, write_picture, write_timeline
from kgbuild.viz.html import CSP
from kgbuild.viz.network import build_network, day_span

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-quic", "--enable-logging=stderr", "--v=0"]
DATA_BLOCK = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.S)
HOSTILE = ['Quote " and \' and `tick`', "</script><script>document.title='pwned'</script>",
           "<!--<script>", "<b>bold</b> & <i>amp;</i>", "Rocket \U0001F680 flag \U0001F1FA\U0001F1E6",
           "\u202eevil RTL\u202c and \u200fmark", "@DATA@ @APP@ $x^2$", "\u2028line\u2029sep"]

# Inserted right after the CSP <meta>, before any other script runs: records every request
# the policy blocks and every resource the page fetched, and writes them into the DOM.
PROBE = """<script>
(function () {
  var blocked = [];
  function report() {
    var out = document.getElementById("kg-probe");
    if (!out) { out = document.createElement("pre"); out.id = "kg-probe"; document.body.appendChild(out); }
    out.textContent = JSON.stringify({ blocked: blocked, resources:
      performance.getEntriesByType("resource").map(function (e) { return e.name; }) });
  }
  document.addEventListener("securitypolicyviolation", function (e) {
    blocked.push(e.violatedDirective + " " + e.blockedURI);
    if (document.body) { report(); }
  });
  window.addEventListener("load", function () { report(); setTimeout(report, 2000); });
})();
</script>"""


def render(chromium: str, page: Path, tmp_path: Path, extra: list[str] | None = None):
    """Open `page` from file:// in headless Chromium; the DOM after scripts ran, and the log."""
    profile = tmp_path / f"profile-{page.stem}"
    proc = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                           "--virtual-time-budget=5000", *(extra or []), "--dump-dom",
                           page.as_uri()], capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout, proc.stderr


def span(dom: str, name: str) -> str:
    match = re.search(rf'<span id="{name}">([^<]*)</span>', dom)
    assert match, f"no #{name} in the rendered page"
    return match.group(1)


def probe_report(dom: str) -> dict:
    match = re.search(r'<pre id="kg-probe">([^<]*)</pre>', dom)
    assert match, "the request probe did not run"
    import html

    return json.loads(html.unescape(match.group(1)))


def with_scripts(page: Path, out: Path, *, head: str = "", body: str = "") -> Path:
    """A copy of `page` with test scripts after the CSP <meta> and before </body>."""
    text = page.read_text(encoding="utf-8")
    meta_end = text.index(">", text.index('http-equiv="Content-Security-Policy"')) + 1
    text = text[:meta_end] + head + text[meta_end:]
    cut = text.rindex("</body>")
    out.write_text(text[:cut] + body + text[cut:], encoding="utf-8")
    return out


def page_json(page: Path) -> dict:
    (block,) = DATA_BLOCK.findall(page.read_text(encoding="utf-8"))
    return json.loads(block)


@pytest.fixture(scope="module")
def sample_html(sample_graph, tmp_path_factory) -> Path:
    return write_html(sample_graph, tmp_path_factory.mktemp("viz") / "graph.html")


@pytest.fixture(scope="module")
def graph_file(sample_graph, tmp_path_factory) -> Path:
    return save_graph(sample_graph, tmp_path_factory.mktemp("viz") / "graph.ttl")


# --- the HTML page ------------------------------------------------------------------------

def default_view(data: dict, keep=lambda ev: True) -> tuple[set[str], set[str]]:
    """The node and edge ids the page shows at first (issue 13 item 5): no generic node,
    no node left without an edge; with `keep`, of the events that pass a filter."""
    generic = {n["id"] for n in data["nodes"] if n["generic"]}
    edges = {e["id"] for e in data["edges"] if e["source"] not in generic and e["target"] not in generic
             and any(keep(data["events"][i]) for i in e["events"])}
    ends = {x for e in data["edges"] if e["id"] in edges for x in (e["source"], e["target"])}
    return {n["id"] for n in data["nodes"] if n["id"] in ends}, edges


def test_html_draws_the_network_without_isolated_and_generic_nodes_in_chromium(
        chromium, sample_graph, sample_html, tmp_path):
    data = page_json(sample_html)
    nodes, edges = default_view(data)
    expected = to_networkx(sample_graph).number_of_nodes()
    assert expected > 20 and len(data["nodes"]) == expected and 10 < len(nodes) < expected
    assert any(n["generic"] for n in data["nodes"]) and not any(
        n["generic"] for n in data["nodes"] if n["label"] in ("Russia", "NATO"))
    driver = """<script>
      var out = { first: document.getElementById("kg-node-count").textContent,
                  edges: document.getElementById("kg-edge-count").textContent,
                  hidden: document.getElementById("kg-hidden-count").textContent };
      document.getElementById("kg-all").click();
      out.all = document.getElementById("kg-node-count").textContent;
      out.allEdges = document.getElementById("kg-edge-count").textContent;
      var pre = document.createElement("pre"); pre.id = "kg-test";
      pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
    </script>"""
    dom, log = render(chromium, with_scripts(sample_html, tmp_path / "all.html", body=driver), tmp_path)
    out = driven(dom)
    assert int(out["first"]) == len(nodes) and int(out["edges"]) == len(edges)
    assert int(out["hidden"]) == expected - len(nodes)
    assert int(out["all"]) == expected  # the toggle brings every node back
    assert int(out["allEdges"]) == len(build_network(sample_graph).edges)
    assert span(dom, "kg-message") == ""  # no script error
    assert 'data-kg-ready="true"' in dom


def driven(dom: str) -> dict:
    import html

    return json.loads(html.unescape(re.search(r'<pre id="kg-test">([^<]*)</pre>', dom).group(1)))


def test_html_labels_fit_the_first_view(chromium, sample_html, tmp_path):
    driver = """<script>
      var k = window.kgbuild, z = k.cy.zoom();
      var sizes = k.labelled().map(function (n) { return parseFloat(n.style("font-size")) * z; });
      var out = { sizes: sizes, visible: k.cy.nodes().filter(function (n) { return n.visible(); }).length };
      k.cy.zoom({ level: z * 3, renderedPosition: { x: 300, y: 300 } });
      k.placeLabels();
      out.zoomed = k.labelled().length;
      out.zoomedSize = parseFloat(k.labelled()[0].style("font-size")) * k.cy.zoom();
      var pre = document.createElement("pre"); pre.id = "kg-test";
      pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
    </script>"""
    dom, _ = render(chromium, with_scripts(sample_html, tmp_path / "labels.html", body=driver), tmp_path)
    out = driven(dom)
    # at most 30 at first, fewer where a label would cover another (issue 28 item 2)
    assert 10 <= len(out["sizes"]) <= min(30, out["visible"])
    assert all(11 <= size <= 16.5 for size in out["sizes"]), out["sizes"]  # 4.6 px before
    assert out["zoomed"] >= len(out["sizes"]) and 11 <= out["zoomedSize"] <= 16.5


def test_html_is_self_contained_and_no_request_leaves_the_page(chromium, sample_html, tmp_path):
    text = sample_html.read_text(encoding="utf-8")
    assert f'http-equiv="Content-Security-Policy" content="{CSP.replace(chr(39), "&#x27;")}"' in text
    assert not re.search(r"""<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=""", text, re.I)
    assert not re.search(r"""\b(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.I)
    probed = with_scripts(sample_html, tmp_path / "probed.html", head=PROBE)
    dom, log = render(chromium, probed, tmp_path)
    report = probe_report(dom)
    assert report == {"blocked": [], "resources": []}
    assert "Content Security Policy" not in log and "net::ERR_" not in log
    # the probe does see a request when there is one: the same page with an image and a
    # fetch to loopback (blocked by the policy before any connection is made)
    leaky = with_scripts(sample_html, tmp_path / "leaky.html", head=PROBE,
                         body='<img src="http://127.0.0.1:9/kg.png" alt="">'
                              '<script>fetch("http://127.0.0.1:9/kg").catch(function () {});</script>')
    dom, log = render(chromium, leaky, tmp_path)
    report = probe_report(dom)
    assert "violates the following Content Security Policy directive" in log
    assert sorted(report["blocked"]) == ["connect-src http://127.0.0.1:9/kg",
                                         "img-src http://127.0.0.1:9/kg.png"]
    assert report["resources"] == ["http://127.0.0.1:9/kg.png"]  # attempted, never sent


def test_html_click_shows_sentences_and_documents_and_filters_hide_nodes(
        chromium, sample_graph, sample_html, tmp_path):
    data = page_json(sample_html)
    network = build_network(sample_graph)
    russia = next(n for n in data["nodes"] if n["label"] == "Russia")
    quad4 = len(default_view(data, lambda ev: ev["quad"] == 4)[0])
    assert 0 < quad4 < len(default_view(data)[0])
    driver = """<script>
      var k = window.kgbuild, out = {};
      k.cy.getElementById("%s").emit("tap");
      out.details = document.getElementById("kg-details").textContent;
      document.getElementById("kg-quad").value = "4";
      k.applyFilters();
      out.quad4 = document.getElementById("kg-node-count").textContent;
      document.getElementById("kg-quad").value = "";
      document.getElementById("kg-from").value = "2099-01-01";
      k.applyFilters();
      out.future = document.getElementById("kg-node-count").textContent;
      document.getElementById("kg-reset").click();
      out.reset = document.getElementById("kg-node-count").textContent;
      document.getElementById("kg-search").value = "russ";
      out.hits = k.search().map(function (n) { return n.data("label"); });
      document.getElementById("kg-search").value = "kaliningrad";
      out.place = k.search().map(function (n) { return n.data("label"); });
      document.getElementById("kg-search").value = "iskander";
      out.target = k.search().map(function (n) { return n.data("label"); });
      var pre = document.createElement("pre"); pre.id = "kg-test";
      pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
    </script>""" % russia["id"]
    dom, _ = render(chromium, with_scripts(sample_html, tmp_path / "driven.html", body=driver), tmp_path)
    import html

    out = json.loads(html.unescape(re.search(r'<pre id="kg-test">([^<]*)</pre>', dom).group(1)))
    russian = [network.events[i] for i in russia["events"]]
    some = next(e for e in russian if e.mentions)
    assert some.mentions[0].sentence in out["details"]
    assert some.mentions[0].doc in out["details"]
    assert int(out["quad4"]) == quad4
    assert int(out["future"]) == 0
    assert int(out["reset"]) == len(default_view(data)[0])
    assert "Russia" in out["hits"]
    # places and targets that are no node of their own find the actors of their events
    assert "Russia" in out["place"] and "Russia" in out["target"]


def test_hostile_labels_round_trip_through_the_json_block(chromium, sample_graph, tmp_path):
    graph = Graph()
    graph += sample_graph
    nodes = sorted(to_networkx(sample_graph).nodes)[: len(HOSTILE)]
    for node, label in zip(nodes, HOSTILE):
        graph.set((URIRef(node), RDFS.label, Literal(label)))
    sentence = next(graph.subjects(KG.text, None))
    graph.set((sentence, KG.text, Literal(HOSTILE[1] + " " + HOSTILE[3])))
    page = write_html(graph, tmp_path / "hostile.html", title=HOSTILE[1])
    text = page.read_text(encoding="utf-8")
    assert text.count("</script>") == 3  # data, library, app: nothing closed early
    data = page_json(page)
    labels = {n["iri"]: n["label"] for n in data["nodes"]}
    for node, label in zip(nodes, HOSTILE):
        assert labels[node] == label
    assert any(HOSTILE[1] in m["sentence"] for e in data["events"] for m in e["mentions"])
    dom, _ = render(chromium, page, tmp_path)
    assert int(span(dom, "kg-node-count")) == len(default_view(data)[0])
    assert span(dom, "kg-message") == ""
    assert "<title>pwned</title>" not in dom and dom.count("<script") == 3


def test_html_refuses_other_suffixes(sample_graph, tmp_path):
    with pytest.raises(GraphError, match=r"\.html"):
        write_html(sample_graph, tmp_path / "graph.txt")


# --- pictures ---------------------------------------------------------------------------

def svg_nodes(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return [el.get("id") for el in root.iter() if (el.get("id") or "").startswith("kg-node-")]


def test_png_decodes_with_real_content(sample_graph, tmp_path):
    path = write_picture(sample_graph, tmp_path / "graph.png")
    with Image.open(path) as image:
        assert image.format == "PNG" and image.width > 800 and image.height > 600
        grey = image.convert("L")
        low, high = grey.getextrema()
        assert high - low > 100  # drawn on, not blank
        histogram = grey.histogram()
        assert sum(histogram[:250]) > 0.01 * image.width * image.height


def test_svg_has_one_marker_per_drawn_node(sample_graph, tmp_path):
    path = write_picture(sample_graph, tmp_path / "graph.svg")
    ids = svg_nodes(path)
    assert len(ids) == len(set(ids)) == to_networkx(sample_graph).number_of_nodes()
    assert "Russia" in path.read_text(encoding="utf-8")  # labels kept as text


def test_top_keeps_whole_dyads(sample_graph, tmp_path):
    network = build_network(sample_graph)
    for top in (2, 5, 9):
        keys = network.top_dyads(top)
        assert 0 < len(keys) <= top
        kept = set(keys)
        partners = {k: {v if u == k else u for (u, v, _) in network.edges if k in (u, v) and u != v}
                    for k in keys}
        assert all(partners[k] & kept for k in keys), "a drawn node lost every partner"
    def weight(pair):
        return sum(len(ev) for (a, b, _), ev in network.edges.items() if {a, b} == set(pair))

    pairs = {(u, v) for (u, v, _) in network.edges if u != v}
    best = max(weight(pair) for pair in pairs)  # ties: any of the strongest pairs is drawn
    assert any(weight(pair) == best for pair in pairs if set(pair) <= set(network.top_dyads(2)))
    path = write_picture(sample_graph, tmp_path / "top.svg", top=5)
    assert len(svg_nodes(path)) == len(network.top_dyads(5))
    text = path.read_text(encoding="utf-8")
    assert all(network.nodes[k]["label"] in text for k in network.top_dyads(5))


def test_picture_errors(sample_graph, tmp_path):
    with pytest.raises(GraphError, match="use one of .png, .svg"):
        write_picture(sample_graph, tmp_path / "graph.gif")
    with pytest.raises(GraphError, match="at least 1"):
        write_picture(sample_graph, tmp_path / "graph.png", top=0)
    with pytest.raises(GraphError, match="no events"):
        write_picture(Graph(), tmp_path / "empty.png")
    assert not list(tmp_path.iterdir())


def test_hostile_labels_draw(sample_graph, tmp_path):
    graph = Graph()
    graph += sample_graph
    for node, label in zip(build_network(sample_graph).most_active(len(HOSTILE)), HOSTILE):
        graph.set((URIRef(node), RDFS.label, Literal(label)))
    ET.parse(write_picture(graph, tmp_path / "hostile.svg", top=10))


def test_timeline_of_russia(sample_graph, tmp_path):
    path = write_timeline(sample_graph, "RUS", tmp_path / "rus.png")
    with Image.open(path) as image:
        assert image.format == "PNG" and image.width > 600
        assert image.convert("L").getextrema()[0] < 100
    svg = write_timeline(sample_graph, "russia", tmp_path / "rus.svg").read_text(encoding="utf-8")
    assert "Events of russia" in svg and "Russia" in svg


def test_timeline_errors(sample_graph, tmp_path):
    with pytest.raises(GraphError, match="no events with actor 'Atlantis'"):
        write_timeline(sample_graph, "Atlantis", tmp_path / "t.png")
    with pytest.raises(GraphError, match="use one of"):
        write_timeline(sample_graph, "RUS", tmp_path / "t.pdf")


@pytest.mark.parametrize("value, expected", [
    ("2024-03-11", ("2024-03-11", "2024-03-11")), ("2024-02", ("2024-02-01", "2024-02-29")),
    ("2023", ("2023-01-01", "2023-12-31")), ("last week", None)])
def test_day_span(value, expected):
    assert day_span(value) == expected


# --- kgbuild viz ----------------------------------------------------------------------------

def test_cli_viz_writes_html_png_svg(graph_file, sample_graph, tmp_path):
    runner = CliRunner()
    expected = to_networkx(sample_graph).number_of_nodes()
    for name in ("graph.html", "graph.png", "graph.svg"):
        out = tmp_path / "sub" / name
        result = runner.invoke(cli, ["viz", str(graph_file), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 10_000
    assert len(page_json(tmp_path / "sub" / "graph.html")["nodes"]) == expected
    assert len(svg_nodes(tmp_path / "sub" / "graph.svg")) == expected
    result = runner.invoke(cli, ["viz", str(graph_file), "-o", str(tmp_path / "top.svg"),
                                 "--top", "5"])
    assert result.exit_code == 0, result.output
    assert len(svg_nodes(tmp_path / "top.svg")) == len(build_network(sample_graph).top_dyads(5))


def test_cli_viz_timeline(graph_file, tmp_path):
    out = tmp_path / "rus.png"
    result = CliRunner().invoke(cli, ["viz", str(graph_file), "-o", str(out), "--timeline", "RUS"])
    assert result.exit_code == 0, result.output
    with Image.open(out) as image:
        assert image.format == "PNG"


def test_cli_viz_unknown_actor_is_a_one_line_error(graph_file, tmp_path):
    out = tmp_path / "x.png"
    result = CliRunner().invoke(cli, ["viz", str(graph_file), "-o", str(out), "--timeline", "Atlantis"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: no events with actor 'Atlantis'")
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize("args, code, message", [
    (["-o", "graph.gif"], 1, "Error: graph.gif: cannot write"),
    (["-o", "graph.html", "--top", "3"], 2, "--top draws a network picture"),
    (["-o", "graph.png", "--top", "0"], 2, "0 is not in the range"),
    (["-o", "map.html", "--map", "--top", "3"], 2, "--map draws every event"),
    (["-o", "map.gif", "--map"], 1, "Error: map.gif: cannot write a map"),
])
def test_cli_viz_bad_arguments(graph_file, tmp_path, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["viz", str(graph_file), *args])
    assert result.exit_code == code, result.output
    assert message in result.output


def test_cli_viz_missing_graph(tmp_path):
    result = CliRunner().invoke(cli, ["viz", str(tmp_path / "nope.ttl"), "-o", str(tmp_path / "g.html")])
    assert result.exit_code == 1 and result.output.startswith("Error: ")


def test_cli_viz_reads_a_store(sample_graph, tmp_path):
    from kgbuild.stores import load_graph
    from kgbuild.stores.oxigraph import GraphStore

    store = tmp_path / "kg.store"
    with GraphStore(store) as s:
        s.add(sample_graph)
        s.finalize()
    out = tmp_path / "store.html"
    result = CliRunner().invoke(cli, ["viz", str(store), "-o", str(out)])
    assert result.exit_code == 0, result.output
    expected = to_networkx(load_graph(store)).number_of_nodes()
    assert len(page_json(out)["nodes"]) == expected > 20


# --- kgbuild query: a rich table on a terminal, plain text when piped ----------------------

def kgbuild_exe() -> str:
    exe = shutil.which("kgbuild", path=os.path.dirname(sys.executable))
    assert exe, "the kgbuild console script is not installed next to this Python"
    return exe


def on_terminal(args: list[str], columns: int = 200) -> str:
    """Run a command with stdout on a real pseudo-terminal; what it printed there."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 60, columns, 0, 0))
    env = {**os.environ, "COLUMNS": str(columns), "TERM": "xterm"}
    proc = subprocess.Popen(args, stdout=follower, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the command closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=120) == 0
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8")).replace("\r", "")


ACTORS = ("SELECT ?actor ?label ?code WHERE { ?actor a kg:Actor ; rdfs:label ?label . "
          "OPTIONAL { ?actor kg:countryCode ?code } } ORDER BY ?label ?actor")  # a total order


def test_query_prints_a_rich_table_on_a_terminal(graph_file, sample_graph):
    from kgbuild.query import run_query

    text = on_terminal([kgbuild_exe(), "query", str(graph_file), ACTORS])
    result = run_query(sample_graph, ACTORS)
    lines = [line for line in text.splitlines() if line.strip()]
    body = [line for line in lines if line[:1] in "┏┃┡│└+|"]
    assert body and len({len(line) for line in body}) == 1  # every row as wide: aligned
    assert all(var in body[1] for var in result.variables)
    assert f"{len(result.rows)} rows" in text
    first = [str(v) for v in result.rows[0] if v is not None]
    assert all(value[:10] in text for value in first)


def test_query_output_is_unchanged_when_piped(graph_file, sample_graph):
    from kgbuild.query import format_result, run_query

    result = run_query(sample_graph, ACTORS)
    assert any(None in row for row in result.rows)
    for fmt in ("table", "csv", "json"):
        proc = subprocess.run([kgbuild_exe(), "query", str(graph_file), ACTORS, "--format", fmt],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == format_result(result, fmt)
    csv_on_terminal = on_terminal([kgbuild_exe(), "query", str(graph_file), ACTORS, "--format",
                                   "csv"])
    assert csv_on_terminal == format_result(result, "csv")


@pytest.mark.parametrize("value, span", [
    ("2024-02", ("2024-02-01", "2024-02-29")), ("2024-03-04", ("2024-03-04", "2024-03-04")),
    ("2024", ("2024-01-01", "2024-12-31")), ("2024-13", None), ("2024-02-30", None),
    ("0000-01-01", None), ("0000", None), ("99999-01-01", None), ("garbage", None), ("2024-00", None),
])
def test_day_span_of_dates_in_old_graphs(value, span):
    """Issue 15, item 12: graphs built before dates were checked hold impossible dates."""
    from kgbuild.viz.network import day_span

    assert day_span(value) == span
