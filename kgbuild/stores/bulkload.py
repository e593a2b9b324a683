"""The store's bulk writer: the mapping's quads buffered as N-Quads and bulk-loaded into
Oxigraph in a background thread, each document's content hash after the rest of it."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from ..graph.quads import nquads_lines

WRITE_QUADS = 200_000  # quads buffered before they are bulk-loaded ...
WRITE_SECONDS = 2.0  # ... or seconds since the last load (a killed build loses at most that)


class BulkWriter:
    """Buffers (s, p, o, graph) quads of neutral terms for one pyoxigraph Store.

    Args:
        store: the open pyoxigraph Store.
        marker: the content-hash predicate (a str); quads with it are loaded last.
        on_error: turns an OSError/RuntimeError of Oxigraph into the error to raise.
        before_write: called before each load (the store marks itself unfinished).
    """

    def __init__(self, store, marker: str, on_error: Callable[[Exception], Exception],
                 before_write: Callable[[], None]) -> None:
        self.store, self.marker = store, marker
        self.on_error, self.before_write = on_error, before_write
        self.rest: list[tuple] = []
        self.hashes: list[tuple] = []
        self.last = 0.0  # never: the first batch is written at once
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def add(self, quads: Iterable[tuple]) -> int:
        """Buffer quads; start a load when the buffer is full or old. Returns quads added."""
        before = len(self.rest) + len(self.hashes)
        for quad in quads:
            (self.hashes if quad[1] == self.marker else self.rest).append(quad)
        added = len(self.rest) + len(self.hashes) - before
        if len(self.rest) >= WRITE_QUADS or time.monotonic() - self.last > WRITE_SECONDS:
            self.write(wait=False)
        return added

    def write(self, *, wait: bool = True) -> None:
        """Load what is buffered: one bulk load (fast, not transactional), then the content
        hashes in one transaction, so a document counts as stored only once all its
        triples are. Loads run one at a time in a thread (Oxigraph releases the GIL); with
        `wait=False` this returns while it runs. A failed load is raised by the next call,
        and what was buffered after it is dropped (a rerun redoes those documents)."""
        import pyoxigraph

        self.join()
        if self.rest or self.hashes:
            self.before_write()
            try:  # a term N-Quads cannot hold (OutputError) drops the batch, as a failed load does
                texts = ("".join(nquads_lines(self.rest)).encode(),
                         "".join(nquads_lines(self.hashes)).encode())
            finally:
                self.rest, self.hashes, self.last = [], [], time.monotonic()
            self.thread = threading.Thread(target=self._load, args=(texts, pyoxigraph.RdfFormat.N_QUADS),
                                           name="kgbuild-bulk-load", daemon=True)
            self.thread.start()
        if wait:
            self.join()

    def _load(self, texts: tuple[bytes, bytes], nquads) -> None:
        try:
            self.store.bulk_load(texts[0], nquads)
            self.store.load(texts[1], nquads)
        except BaseException as err:  # noqa: BLE001 - raised in the caller's thread by join()
            self.error = err

    def join(self) -> None:
        """Wait for the load in progress; raise its error, if any."""
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        err, self.error = self.error, None
        if err is None:
            return
        self.rest, self.hashes = [], []
        if isinstance(err, (OSError, RuntimeError)):
            raise self.on_error(err) from None
        raise err
