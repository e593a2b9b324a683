"""The benchmark's printed report."""
from __future__ import annotations

from common import TARGET_EXTRACT_RATIO, TARGET_P50_MS, TARGET_RSS_SPREAD, TARGET_SPEEDUP


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def print_report(r: dict) -> None:
    m, x = r["machine"], r.get("extract")
    print(f"kgbuild benchmark {r['date']}: {m['cores']} cores, {m['ram_gb']:.1f} GB RAM, "
          f"Python {m['python']}, spaCy {m['spacy']}, model {m['model']} {m['model_version']}, "
          f"rdflib {m['rdflib']}, pyoxigraph {m['pyoxigraph']}")
    print(f"load average at start {m['load_start']:.2f}, at end {m['load_end']:.2f} "
          f"(other processes share the machine); total {r['total_seconds'] / 60:.1f} min")
    print(f"corpus: {r['corpus']['distinct_docs']} distinct documents ({r['corpus']['words']} "
          f"words) replicated with distinct ids; batch size {r['options']['batch_size']}; "
          f"{r['options']['rounds']} alternating rounds, medians")
    cores = f"[{m['cores']} cores]"
    if x:
        _print_extract(x, cores)
    _print_store(r, cores)
    if "queries" in r:
        _print_queries(r["queries"], cores)
    _print_formats(r["formats"], cores)


def _print_extract(x: dict, cores: str) -> None:
    print(f"\n1. raw nlp.pipe (kgbuild_events disabled) {cores}: "
          f"{x['raw_words_per_s']:,.0f} words/s over {x['docs']} docs, {x['words']:,} words")
    print(f"2. extract_events {cores}: {x['extract_words_per_s']:,.0f} words/s, "
          f"{x['ratio']:.3f} of raw (target >= {TARGET_EXTRACT_RATIO:.2f}): "
          f"{verdict(x['ratio_pass'])}")
    if x["extract2_error"]:
        print(f"3. extract_events n_process=2 {cores}: FAILS TO RUN ({x['extract2_error']}): "
              f"FAIL (target >= {TARGET_SPEEDUP}x)")
    else:
        print(f"3. extract_events n_process=2 {cores}: {x['extract2_words_per_s']:,.0f} words/s, "
              f"speed-up {x['speedup']:.2f}x over n_process=1 (target >= {TARGET_SPEEDUP}x): "
              f"{verdict(x['speedup_pass'])}; events {x['events_1']} (x1) vs {x['events_2']} (x2)")
    print(f"   for reference, raw nlp.pipe n_process=2: {x['raw2_words_per_s']:,.0f} words/s, "
          f"speed-up {x['raw_speedup']:.2f}x over n_process=1 (what the parse alone gets here)")


def _print_store(r: dict, cores: str) -> None:
    e = r["build_store"]
    print(f"4a. build_store END TO END (parse + extract + write + finalize) {cores}: "
          f"{e['docs']} docs in {e['seconds']:.1f} s = {e['docs_per_s']:.1f} docs/s, "
          f"{e['triples_per_s']:,.0f} triples/s; writing {e['write_seconds']:.1f} s = "
          f"{e['write_share']:.1%} of the time (target <= 10%)")
    print(f"4b. STORE-WRITE PATH ONLY (events parsed once, relabelled; GraphStore.add_events "
          f"+ finalize; one child process per size) {cores}:")
    for w in r["store_write"]:
        print(f"    {w['docs']:>7,} docs: {w['store_triples']:>10,} triples, "
              f"{w['seconds']:7.1f} s (finalize {w['finalize_seconds']:.1f} s), "
              f"{w['docs_per_s']:6.1f} docs/s, {w['triples_per_s']:8,.0f} triples/s, "
              f"peak RSS {w['peak_rss_mb']:.0f} MiB "
              f"(before finalize {w['peak_rss_mb_before_finalize']:.0f} MiB"
              + (f", VmHWM {w['vm_hwm_mb']:.0f} MiB" if w.get("vm_hwm_mb") else "")
              + f"); write docs/s "
              f"first tenth {w['write_docs_per_s_first_tenth']:.1f}, last tenth "
              f"{w['write_docs_per_s_last_tenth']:.1f}; load {w['load_before']:.1f}->"
              f"{w['load_after']:.1f}")
    s = r["rss"]
    print(f"    peak RSS {s['sizes'][0]:,} vs {s['sizes'][1]:,} docs: {s['peak_rss_mb'][0]:.0f} vs "
          f"{s['peak_rss_mb'][1]:.0f} MiB, {s['spread']:+.1%} "
          f"(target within {TARGET_RSS_SPREAD:.0%}): {verdict(s['pass'])}")


def _print_queries(q: dict, cores: str) -> None:
    print(f"5. SPARQL on {q['store_triples']:,} triples ({q['store_docs']:,} docs) {cores}; "
          f"rdflib Graph loaded in {q['to_graph_seconds']:.1f} s, "
          f"budget {q['rdflib_budget_s']:.0f} s per query and engine")
    print(f"    {'query':<15} {'store p50':>10} {'p95':>8} {'oxigraph-only p50':>18} "
          f"{'rdflib p50':>11} {'p95':>9}  rows")
    for name, v in q["queries"].items():
        st, ox, rd = v["store"], v["oxigraph_only"], v["rdflib"]
        rd_p50 = f"{rd['p50_ms']:9.0f}ms" if rd["reps"] else f">{q['rdflib_budget_s']:.0f}s"
        rd_p95 = f"{rd['p95_ms']:7.0f}ms" if rd["reps"] else "-"
        print(f"    {name:<15} {st['p50_ms']:8.1f}ms {st['p95_ms']:6.1f}ms {ox['p50_ms']:16.1f}ms "
              f"{rd_p50:>11} {rd_p95:>9}  {st['rows']} (rdflib {rd['rows']}; reps store "
              f"{st['reps']}, rdflib {rd['reps']}{', timed out' if rd['timed_out'] else ''})")
    if "dyads_values_rewrite" in q:
        d = q["dyads_values_rewrite"]
        print(f"    (not a saved query) dyads with VALUES instead of UNION: store p50 "
              f"{d['p50_ms']:.1f} ms, p95 {d['p95_ms']:.1f} ms, {d['rows']} rows")
    print(f"    worst store p50 {q['worst_store_p50_ms']:.1f} ms (target <= {TARGET_P50_MS:.0f} ms)"
          f": {verdict(q['pass'])}")


def _print_formats(f: dict, cores: str) -> None:
    print(f"6. RDF formats on {f['triples']:,} triples (triples/s) {cores}:")
    for name in ("turtle", "ntriples"):
        v = f[name]
        print(f"    {name:<9} rdflib load {v['rdflib_load_per_s']:>9,.0f} dump "
              f"{v['rdflib_dump_per_s']:>9,.0f} | kgbuild (build -o) dump "
              f"{v['kgbuild_dump_per_s']:>9,.0f} | pyoxigraph load "
              f"{v['oxigraph_load_per_s']:>10,.0f} dump {v['oxigraph_dump_per_s']:>10,.0f} "
              f"parse {v['oxigraph_parse_per_s']:>10,.0f}")
