"""The Indonesian cleanup rules, each on real snippets (seed articles and fixture pages)."""

from pathlib import Path

import pytest

from pipeline.extract import cleanup

SEEDS = Path(__file__).parent / "fixtures" / "seeds"


@pytest.mark.parametrize(
    "line",
    [
        "Baca juga: KPK Periksa Bupati Terkait Proyek Jalan",
        "BACA JUGA: Bawaslu Temukan 12 ASN Tak Netral",
        "Baca juga : Dugaan Pungli di Raja Ampat",  # mediaindonesia gold
        "Simak juga: Video Apel Netralitas ASN",
        "Lihat Juga : Daftar Sanksi Bagi ASN",
    ],
)
def test_read_also_lines_are_removed(line):
    assert cleanup.is_read_also(line)
    assert cleanup.clean_text(f"Paragraf pertama berita.\n{line}\nParagraf kedua.").text == (
        "Paragraf pertama berita.\nParagraf kedua."
    )


def test_read_also_does_not_remove_prose():
    assert not cleanup.is_read_also("Ia juga membaca juga laporan itu dengan teliti.")
    assert not cleanup.is_read_also("Bacaan juga penting bagi ASN.")


@pytest.mark.parametrize(
    "line", ["Foto: ANTARA/Jessica Helena Wuysang", "(Foto: Antara/Rivan Awal Lingga)", "FOTO: dok. Humas Pemkab"]
)
def test_caption_lines(line):
    assert cleanup.is_caption(line)


def test_inline_caption_is_cut_but_sentence_kept():
    line = "Bupati memimpin apel netralitas ASN (Foto: Humas Pemkab Sintang) di halaman kantor bupati."
    assert cleanup.strip_inline_captions(line) == "Bupati memimpin apel netralitas ASN di halaman kantor bupati."


@pytest.mark.parametrize(
    "line",
    [
        "Editor : Andhika",
        "Penulis: Aditya Maulana",
        "Reporter: Rina",
        "| Penulis | : Aditya Maulana |",
        "Pewarta: Dedi Sahputra",
    ],
)
def test_credits(line):
    assert cleanup.is_credit(line)


def test_credit_rule_leaves_sentences_about_editors():
    assert not cleanup.is_credit(
        "Editor senior itu mengatakan: semua ASN harus netral dalam pilkada, kata dia kepada wartawan di Jakarta pada Senin pagi."
    )


def test_signatures_at_the_end():
    cleaned = cleanup.clean_text("Ia meminta ASN netral.\nSemua pihak diminta mengawasi. (rls/rfm)")
    assert cleaned.text == "Ia meminta ASN netral.\nSemua pihak diminta mengawasi."
    assert cleanup.clean_text("Ia meminta ASN netral.\n(ilo)").text == "Ia meminta ASN netral."
    # a parenthesis mid-story is not a signature
    assert "(Bawaslu)" in cleanup.clean_text("Badan Pengawas Pemilu (Bawaslu) menemukan pelanggaran.").text


@pytest.mark.parametrize(
    "line",
    [
        "Cek Berita dan Artikel yang lain di Google News",
        "Ikuti berita terkini dari kami di WhatsApp Channel",
        "Exit mobile version",
        "Berikan komentar Anda",
        "COPYRIGHT © ANTARA News Kalimantan Barat 2020",
        "Copyright @ 2025 Media Group - mediaindonesia. All Rights Reserved",
    ],
)
def test_footer_lines(line):
    assert cleanup.clean_text(f"Isi berita tentang netralitas ASN di daerah.\n{line}").text == (
        "Isi berita tentang netralitas ASN di daerah."
    )


def test_body_printed_twice_is_kept_once():
    # Seed 004 (ANTARA Kalimantan Barat): the body follows the copyright footer a second time.
    raw = (SEEDS / "004_3829e69f362b1223.txt").read_text(encoding="utf-8")
    cleaned = cleanup.clean_text(raw)
    paragraphs = cleaned.text.split("\n")
    assert len(paragraphs) == len(set(paragraphs))
    assert cleaned.removed["repeated"] == 10
    assert cleaned.removed["copyright"] == 2
    assert "COPYRIGHT" not in cleaned.text
    assert paragraphs[0].startswith("Aparatur Sipil Negara (ASN) di Kabupaten Sintang")


def test_dateline_lead_is_kept():
    text = "PEKANBARU (RIAUPOS.CO) - Bupati meminta ASN netral.\nBaca juga: Lain hal"
    assert cleanup.clean_text(text).text == "PEKANBARU (RIAUPOS.CO) - Bupati meminta ASN netral."


@pytest.mark.parametrize(
    "line",
    [
        "Selasa, 23/02/2016 15:32 WIB",
        "Kamis, 5 November 2015 10:08 WIB",
        "Foto Terkait",
        "Informasi pemasangan iklan",
        "hubungi : sales[at]detik.com",
        "Redaksi: redaksi[at]detikfinance.com",
    ],
)
def test_stamps_labels_and_contacts(line):  # detik photo page (fixture gold has none of these)
    assert cleanup.clean_text(f"PT PLN hari ini resmi mengoperasikan gardu induk.\n{line}").text == (
        "PT PLN hari ini resmi mengoperasikan gardu induk."
    )


def test_date_in_prose_is_kept():
    line = "Rapat digelar Selasa, 23/02/2016 15:32 WIB di kantor bupati."
    assert cleanup.clean_text(line).text == line
