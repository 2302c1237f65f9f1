"""Reading a term's postings a block at a time gives exactly what Whoosh's matcher gives, across
segments and with deleted documents left out."""

from whoosh import fields
from whoosh.filedb.filestore import RamStorage

from portal.search import postings


def _index_with_segments_and_deletions():
    schema = fields.Schema(key=fields.ID(unique=True, stored=True), text=fields.TEXT(phrase=False))
    ix = RamStorage().create_index(schema)
    # Three segments (no merging), more than one posting block (128) in the first, then deletions.
    for start, count in ((0, 300), (300, 50), (350, 40)):
        writer = ix.writer()
        for number in range(start, start + count):
            words = ["charger"] * (1 + number % 3) + (["cable"] if number % 2 else []) + [f"w{number}"]
            writer.add_document(key=str(number), text=" ".join(words))
        writer.commit(merge=False)
    writer = ix.writer()
    for number in (5, 130, 299, 310, 389):
        writer.delete_by_term("key", str(number))
    writer.commit(merge=False)
    return ix


def _by_matcher(reader, term):
    matcher, found = reader.postings("text", term), []
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight()))
        matcher.next()
    return found


def test_blocks_give_what_the_matcher_gives():
    ix = _index_with_segments_and_deletions()
    with ix.searcher() as searcher:
        reader = searcher.reader()
        assert len(reader.leaf_readers()) > 1 and reader.has_deletions()
        for term in ("charger", "cable", "w7", "w130", "w389"):
            docs, weights = postings.read(reader, "text", term)
            assert list(zip(docs, weights, strict=True)) == _by_matcher(reader, term), term
        assert len(postings.read(reader, "text", "charger")[0]) == 390 - 5


def test_a_term_nobody_wrote_has_no_postings():
    ix = _index_with_segments_and_deletions()
    with ix.searcher() as searcher:
        docs, weights = postings.read(searcher.reader(), "text", "battery")
    assert (list(docs), list(weights)) == ([], [])


def test_another_kind_of_matcher_is_walked_one_posting_at_a_time(monkeypatch):
    monkeypatch.setattr(postings, "_BLOCK_API", ("no_such_attribute",))
    ix = _index_with_segments_and_deletions()
    with ix.searcher() as searcher:
        reader = searcher.reader()
        docs, weights = postings.read(reader, "text", "cable")
        assert list(zip(docs, weights, strict=True)) == _by_matcher(reader, "cable")


def test_a_cache_kept_across_readers_sees_new_segments_and_new_deletions():
    ix = _index_with_segments_and_deletions()
    cache = postings.SegmentCache()
    with ix.searcher() as searcher:
        before = postings.read(searcher.reader(), "text", "charger", cache)
    writer = ix.writer()
    writer.delete_by_term("key", "7")  # a document of a segment already read
    writer.add_document(key="500", text="charger charger")
    writer.commit(merge=False)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        docs, weights = postings.read(reader, "text", "charger", cache)
        assert list(zip(docs, weights, strict=True)) == _by_matcher(reader, "charger")
    assert len(docs) == len(before[0])  # one deleted, one added


def test_the_cache_keeps_to_its_budget():
    ix = _index_with_segments_and_deletions()
    cache = postings.SegmentCache(budget=4096)
    with ix.searcher() as searcher:
        for number in range(0, 390, 3):
            postings.read(searcher.reader(), "text", f"w{number}", cache)
        postings.read(searcher.reader(), "text", "charger", cache)
    assert cache.used <= 4096 or len(cache._postings) == 1
