import pytest

from pipeline.extract.dateline import parse_dateline


@pytest.mark.parametrize(
    "text, city, tag",
    [
        ("PEKANBARU (RIAUPOS.CO) - Bupati Kampar meminta", "Pekanbaru", "RIAUPOS.CO"),
        ("REPUBLIKA.CO.ID, JAKARTA -- Kasubdit Kasasi", "Jakarta", "REPUBLIKA.CO.ID"),
        ("JAKARTA, KOMPAS.com - Menteri Yuddy", "Jakarta", "KOMPAS.com"),
        ("Jakarta, KompasOtomotif – Tahun depan", "Jakarta", "KompasOtomotif"),
        ("Liputan6.com, Jakarta - Wakil Presiden", "Jakarta", "Liputan6.com"),
        ("Kupang (ANTARA News) - Sebanyak", "Kupang", "ANTARA News"),
        ("Bandar Lampung (ANTARA) - Polda", "Bandar Lampung", "ANTARA"),
        ("VIVA.co.id - Pianis cilik", None, "VIVA.co.id"),
        ("Jakarta - Galaxy S6 Edge", "Jakarta", None),
    ],
)
def test_dateline_leads(text, city, tag):
    found = parse_dateline(text)
    assert found is not None
    assert (found.city, found.outlet_tag) == (city, tag)


@pytest.mark.parametrize(
    "text",
    [
        "Presiden Joko Widodo - yang baru tiba - berkata",
        "Menurut dia, hal itu - kata Bupati - tidak benar",
        "Aparatur Sipil Negara (ASN) di Kabupaten Sintang menyampaikan ikrar",
        "",
    ],
)
def test_no_dateline(text):
    assert parse_dateline(text) is None
