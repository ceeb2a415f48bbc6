from pathlib import Path

from pipeline.extract.dedup import DuplicateIndex, text_sha256

SEEDS = Path(__file__).parent / "fixtures" / "seeds"


def _seed(n: int) -> str:
    return next(SEEDS.glob(f"{n:03d}_*.txt")).read_text(encoding="utf-8")


def test_syndicated_copy_with_light_edits_links_to_first():
    original = _seed(0)
    index = DuplicateIndex()
    index.add("first", original)
    index.add("other", _seed(1))
    paragraphs = original.split("\n")
    rewrite = "BANDUNG (RIAUPOS.CO) - " + "\n".join(paragraphs) + "\n(rls/rfm)"
    match = index.find("copy", rewrite)
    assert match is not None and match.doc_key == "first"


def test_different_stories_are_not_duplicates():
    index = DuplicateIndex()
    for n in range(4):
        index.add(str(n), _seed(n))
    assert index.find("x", _seed(4)) is None


def test_copy_that_adds_text_is_kept():
    index = DuplicateIndex()
    index.add("short", _seed(0))
    longer = _seed(0) + "\n" + _seed(1) + "\n" + _seed(2)
    assert index.find("long", longer) is None


def test_self_is_not_a_duplicate_and_first_copy_wins():
    index = DuplicateIndex()
    index.add("a", _seed(2))
    index.add("b", _seed(2) + " Tambahan kecil.")
    assert index.find("a", _seed(2)) is not None and index.find("a", _seed(2)).doc_key == "b"
    assert index.find("c", _seed(2)).doc_key == "a"


def test_text_hash_ignores_spacing_and_case():
    assert text_sha256("ASN  netral.\nYa") == text_sha256("asn netral ya")
