"""Store builds hold a bounded number of characters at a time, whatever the document size
(issue 15, item 9)."""
import pytest

from kgbuild import Document
from kgbuild.extract import CHUNK_CHARS
from kgbuild.extract.batches import char_batches, pieces


def paragraphs(n: int, size: int = 900) -> str:
    return "\n\n".join(("word " * (size // 5)).strip() for _ in range(n))


def in_flight(batches):
    """Yield each batch's characters, checking that the previous batch was handed on."""
    for batch in batches:
        yield sum(len(p.text) for p in batch), batch


@pytest.mark.parametrize("max_chars, max_pieces", [(500_000, 64), (250_000, 64), (500_000, 2),
                                                   (CHUNK_CHARS, 64), (30_000, 64), (1_000, 1)])
def test_characters_in_flight_never_exceed_the_bound(max_chars, max_pieces):
    huge = Document("huge", paragraphs(2_400))  # about 2.2 million characters
    docs = [Document("a", "Short one."), huge, Document("b", paragraphs(3)), Document("c", "x" * 120_000)]
    seen = []
    for chars, batch in in_flight(char_batches(pieces(docs, max_chars), max_chars=max_chars,
                                               max_pieces=max_pieces)):
        assert chars <= max_chars and len(batch) <= max_pieces
        seen.extend(batch)
    # nothing lost: every document comes back whole, in order, with its last piece marked
    for doc in docs:
        mine = [p for p in seen if p.document is doc]
        assert "".join(p.text for p in mine) == doc.text
        assert [p.offset for p in mine] == [sum(len(q.text) for q in mine[:i]) for i in range(len(mine))]
        assert [p.last for p in mine] == [False] * (len(mine) - 1) + [True]


def test_documents_are_read_only_when_their_first_piece_is_needed():
    read = []

    def documents():
        for i in range(5):
            read.append(i)
            yield Document(str(i), paragraphs(120))  # about 108k characters: two pieces each

    batches = char_batches(pieces(documents()), max_chars=200_000, max_pieces=64)
    first = next(batches)
    assert sum(len(p.text) for p in first) <= 200_000
    assert read == [0, 1]  # the batch is closed by a piece of the next document, no further


def test_batch_size_lowers_the_pieces_in_flight():
    docs = [Document(str(i), "Tiny.") for i in range(10)]
    assert [len(b) for b in char_batches(pieces(docs), max_pieces=3)] == [3, 3, 3, 1]
