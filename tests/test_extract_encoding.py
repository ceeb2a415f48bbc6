from pipeline.extract.encoding import decode_html, http_charset, meta_charset
from tests.extract_warcs import page_bytes

KAPANLAGI = "kapanlagi-brandon-salim-makin-dekat-dengan-sivia-blink-di-heart-beat-82f43b.html"


def test_kapanlagi_declares_latin1_but_is_utf8():
    payload = page_bytes(KAPANLAGI)
    assert meta_charset(payload) == "cp1252"  # what it declares (iso-8859-1, decoded as browsers do)
    decoded = decode_html(payload)
    assert decoded.encoding == "utf-8" and decoded.source == "utf8-check"
    assert "©" in decoded.text and "Â©" not in decoded.text


def test_http_header_wins_when_it_fits():
    payload = "<html><head><meta charset='utf-8'></head><body>Kafé</body></html>".encode("cp1252")
    decoded = decode_html(payload, "text/html; charset=windows-1252")
    assert decoded.source == "http" and "Kafé" in decoded.text


def test_wrong_utf8_label_falls_back_to_detection():
    payload = ("<html><body>" + "Pemerintah daerah menjamin café dan résumé ASN. " * 20 + "</body></html>").encode(
        "cp1252"
    )
    decoded = decode_html(payload, "text/html; charset=utf-8")
    assert decoded.source == "detected"
    assert "café" in decoded.text


def test_charset_parsing():
    assert http_charset('text/html; charset="UTF-8"') == "utf-8"
    assert http_charset("text/html") is None
    assert http_charset("text/html; charset=no-such-thing") is None


def test_garbage_never_raises():
    assert isinstance(decode_html(bytes(range(256)) * 10).text, str)
