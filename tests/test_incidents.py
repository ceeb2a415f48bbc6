"""Incident linking as a library: gates, blocking, merges, id stability (pipeline/incidents)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from pipeline.incidents import DEFAULT_SETTINGS, EventToLink, ExistingIncident, link_events
from pipeline.incidents.blocking import block_keys, candidate_pairs
from pipeline.incidents.compare import event_range, partial_date_range, region_overlap, shared_officials

# Made-up stories (no gold article): one rakor retold by outlets, and unrelated ones.
RAKOR = (
    "Penjabat Bupati Sukamaju memimpin rapat koordinasi netralitas aparatur sipil negara di aula kantor bupati. "
    "Ia meminta seluruh kepala dinas menjaga netralitas ASN menjelang pemilihan kepala daerah serentak."
)
RAKOR_REWRITE = (
    "Rapat koordinasi netralitas ASN dipimpin Penjabat Bupati Sukamaju di aula kantor bupati. Seluruh kepala "
    "dinas diminta menjaga netralitas aparatur sipil negara menjelang pemilihan kepala daerah serentak."
)
RAKOR_THIRD = (
    "Kepala dinas se-Kabupaten Sukamaju diminta Penjabat Bupati menjaga netralitas ASN dalam rapat koordinasi "
    "di aula kantor bupati menjelang pemilihan kepala daerah serentak tahun ini."
)
OTHER = (
    "Badan Pengawas Pemilu menemukan seorang kepala desa mengunggah foto bersama calon di media sosial. "
    "Temuan itu diteruskan kepada bupati untuk diberi sanksi disiplin."
)


def ev(
    doc: str,
    text: str = RAKOR,
    type: str = "rakor",
    date: str | None = "2024-03-05",
    precision: str | None = "day",
    published: str | None = "2024-03-06",
    regions: tuple[str, ...] = ("32.05",),
    officials: tuple[str, ...] = ("Budi Santoso",),
    stage: str | None = None,
    index: int = 0,
) -> EventToLink:
    return EventToLink(
        event_id=f"{doc}#{index}",
        document_id=doc,
        type=type,
        date=date,
        date_precision=precision,
        published=published,
        regions=regions,
        officials=officials,
        text=text,
        stage=stage,
    )


def test_rewrites_of_one_rakor_are_one_incident_with_reasons():
    result = link_events([ev("a"), ev("b", RAKOR_REWRITE), ev("c", OTHER, type="violation")])
    assert result.assignments["a#0"] == result.assignments["b#0"] != result.assignments["c#0"]
    (link,) = result.links
    assert {link.event_a, link.event_b} == {"a#0", "b#0"}
    assert link.score >= DEFAULT_SETTINGS.link_threshold
    assert link.reasons.shared_officials == ("Budi Santoso",)
    assert link.reasons.shared_regions == ("32.05",)
    assert link.reasons.date == "same day"
    assert link.reasons.text_similarity > 0.3


def test_unrelated_texts_of_the_same_day_and_place_stay_apart():
    result = link_events([ev("a"), ev("b", OTHER, officials=())])
    assert result.assignments["a#0"] != result.assignments["b#0"]


def test_steps_of_one_case_stay_separate_incidents():
    violation = ev("a", OTHER, type="violation")
    recommended = ev("b", OTHER, type="sanction", stage="recommended")
    imposed = ev("c", OTHER, type="sanction", stage="imposed")
    imposed_again = ev("d", OTHER, type="sanction", stage="imposed")
    result = link_events([violation, recommended, imposed, imposed_again])
    ids = result.assignments
    assert len({ids["a#0"], ids["b#0"], ids["c#0"]}) == 3
    assert ids["c#0"] == ids["d#0"]  # the same step reported twice is one incident


def test_two_events_of_one_document_never_share_an_incident():
    result = link_events([ev("a", index=0), ev("a", index=1), ev("b", RAKOR_REWRITE)])
    ids = result.assignments
    assert ids["a#0"] != ids["a#1"]
    assert ids["b#0"] in (ids["a#0"], ids["a#1"])


@pytest.mark.parametrize(
    ("first", "second", "compatible"),
    [
        (("2024-03", "month"), ("2024-03-05", "day"), True),
        (("2024-03-05", "day"), ("2024-03-06", "day"), True),  # within the slack of a day
        (("2024-03-05", "day"), ("2024-03-12", "day"), False),
        (("2024", "year"), ("2024-03-05", "day"), True),
        (("2024-02", "month"), ("2024-03-05", "day"), False),
    ],
)
def test_dates_are_compatible_at_their_precision(first, second, compatible):
    settings = replace(DEFAULT_SETTINGS, conflicting_date_min_text=2.0)  # dates alone decide
    a = ev("a", date=first[0], precision=first[1], published=None)
    b = ev("b", RAKOR_REWRITE, date=second[0], precision=second[1], published=None)
    result = link_events([a, b], settings=settings)
    assert (result.assignments["a#0"] == result.assignments["b#0"]) is compatible


def test_undated_events_fall_back_to_publication_windows():
    near = link_events([ev("a", date=None, precision=None), ev("b", RAKOR_REWRITE, date=None, precision=None)])
    assert near.assignments["a#0"] == near.assignments["b#0"]
    assert near.links[0].reasons.date == "publication windows overlap"
    far = link_events(
        [
            ev("a", date=None, precision=None),
            ev("b", RAKOR_REWRITE, date=None, precision=None, published="2024-05-20"),
        ]
    )
    assert far.assignments["a#0"] != far.assignments["b#0"]


def test_date_helpers():
    assert partial_date_range("2024-02") == (partial_date_range("2024-02-01")[0], partial_date_range("2024-02-29")[1])
    assert partial_date_range("2024-03-05", "month") == partial_date_range("2024-03")
    assert partial_date_range("kemarin") is None
    year = event_range("2024", "year", "2024-03-06", DEFAULT_SETTINGS)
    assert year is not None and year.days <= DEFAULT_SETTINGS.undated_window_days + 1  # narrowed to publication
    assert region_overlap(("51",), ("51.03",), DEFAULT_SETTINGS) == (DEFAULT_SETTINGS.region_nested_credit, ("51.03",))
    assert region_overlap(("51",), ("52",), DEFAULT_SETTINGS) == (0.0, ())
    assert shared_officials(("Agus",), ("Agus Pramusinto",)) == ("Agus",)
    assert shared_officials(("Agus Salim",), ("Agus Pramusinto",)) == ()


def test_a_bridging_event_merges_two_incidents_and_the_older_id_survives():
    # Two reports that do not link to each other (different officials, texts apart) ...
    left = ev("a", RAKOR, officials=("Budi Santoso",))
    right = ev("b", OTHER, officials=("Siti Aminah",), type="rakor")
    first = link_events([left, right])
    assert first.assignments["a#0"] != first.assignments["b#0"]
    existing = [
        ExistingIncident(first.assignments["a#0"], (left,)),
        ExistingIncident(first.assignments["b#0"], (right,)),
    ]
    # ... and a new report that retells both halves.
    bridge = ev("c", RAKOR_REWRITE + " " + OTHER, officials=("Budi Santoso", "Siti Aminah"))
    second = link_events([bridge], existing, next_id=first.next_id)
    older, younger = sorted(first.assignments.values())
    assert second.assignments["c#0"] == older
    assert [(m.old_id, m.new_id, m.bridge_event) for m in second.merges] == [(younger, older, "c#0")]
    assert second.resolve(younger) == older
    assert second.joins == [("c#0", older)]
    assert second.new_incidents == []


def test_ids_are_stable_across_runs_and_never_renumbered():
    batch = [ev("a"), ev("b", RAKOR_REWRITE), ev("c", OTHER, type="violation", date="2024-06-01")]
    one, two = link_events(batch), link_events(list(reversed(batch)))
    assert one.assignments == two.assignments  # the same input gives the same ids, whatever its order
    existing = [
        ExistingIncident(i, tuple(e for e in batch if one.assignments[e.event_id] == i))
        for i in sorted(set(one.assignments.values()))
    ]
    later = link_events(
        [ev("d", RAKOR_THIRD), ev("e", OTHER, type="violation", date="2023-01-10", published="2023-01-11")],
        existing,
        next_id=one.next_id,
    )
    assert later.assignments["d#0"] == one.assignments["a#0"]  # joins the rakor
    assert later.assignments["e#0"] == one.next_id  # a new incident gets a new id, above every old one
    assert later.merges == []
    assert later.next_id == one.next_id + 1


def test_relinking_an_event_already_stored_is_refused():
    a = ev("a")
    with pytest.raises(ValueError, match="already belong"):
        link_events([a], [ExistingIncident(1, (a,))])
    with pytest.raises(ValueError, match="next_id"):
        link_events([ev("b")], [ExistingIncident(5, (a,))], next_id=3)


def test_blocking_never_compares_events_far_apart_in_time_or_place():
    events = [
        ev("a"),
        ev("b", RAKOR_REWRITE),  # same week, same province: compared
        ev("c", RAKOR_REWRITE, date="2021-03-05", published="2021-03-06"),  # three years earlier
        ev("d", RAKOR_REWRITE, regions=("91.01",), officials=("Yohanes Wenda",)),  # another province
        ev("e", RAKOR_REWRITE, type="violation"),  # another type family
    ]
    result = link_events(events)
    assert result.comparisons == 1
    assert result.assignments["a#0"] == result.assignments["b#0"]
    # an event without regions is compared with everything of its type in its weeks
    national = link_events([ev("a"), ev("x", RAKOR_REWRITE, regions=(), officials=())])
    assert national.comparisons == 1


def test_blocking_cost_grows_with_the_events_not_their_square():
    # 52 weeks x 10 provinces, 2 events each: every event has one candidate, whatever the corpus size.
    keys = []
    for week in range(52):
        for province in range(10):
            for _copy in range(2):
                day = (date(2024, 1, 1) + timedelta(days=7 * week)).isoformat()
                keys.append(
                    block_keys(
                        ("rakor", None),
                        [event_range(day, "day", None, DEFAULT_SETTINGS)],
                        (f"{11 + province}.01",),
                        (),
                        True,
                        DEFAULT_SETTINGS,
                    )
                )
    pairs = candidate_pairs(keys)
    n = len(keys)
    assert len(pairs) < 4 * n  # all pairs would be n * (n - 1) / 2 = 541,320
