"""The scorer on hand-made records (schema "Scoring" section)."""

import pytest

from pipeline.evaluate import name_tokens, names_match, score


def rec(id_, relevant=True, **event):
    events = (
        [
            dict(
                {
                    "type": "rakor",
                    "officials": [],
                    "regions": [],
                    "sanctions": [],
                    "elections": [],
                    "date": None,
                    "date_precision": None,
                },
                **event,
            )
        ]
        if relevant
        else []
    )
    return {"id": id_, "relevant": relevant, "events": events}


def test_name_tokens_strip_degrees_and_case():
    assert name_tokens("Dr. H. Budi Santoso, S.STP, M.Si") == {"budi", "santoso"}
    assert name_tokens("Drs. SITI aminah MAP") == {"siti", "aminah"}


def test_names_match_equal_or_subset():
    assert names_match("Budi Santoso", "budi santoso")
    assert names_match("Budi", "H. Budi Santoso, SE")
    assert not names_match("Budi Hartono", "Budi Santoso")
    assert not names_match("", "Budi")


def test_perfect_prediction_scores_one():
    gold = [
        rec(
            "a",
            type="rakor",
            regions=["13.72"],
            date="2023-07-17",
            date_precision="day",
            officials=[{"name": "Budi Santoso", "office": "bupati", "acting": "pj"}],
            sanctions=[{"kind": "sanksi", "status": "mentioned"}],
            elections=[{"kind": "pilkada", "year": 2024}],
        )
    ]
    report = score(gold, gold)
    for name, s in report.slots.items():
        assert (s.fp, s.fn) == (0, 0), name
        assert s.f1 == 1.0
    assert report.errors == []


def test_office_must_match_acting_too():
    gold = [rec("a", officials=[{"name": "Budi Santoso", "office": "bupati", "acting": "pj"}])]
    pred = [rec("a", officials=[{"name": "Dr. Budi Santoso", "office": "bupati", "acting": None}])]
    report = score(gold, pred)
    assert report.slots["officials"].tp == 1
    assert report.slots["officials_office"].tp == 0
    assert report.slots["officials_office"].fp == 1 and report.slots["officials_office"].fn == 1


def test_one_to_one_official_matching():
    gold = [rec("a", officials=[{"name": "Budi Santoso", "office": "bupati", "acting": None}])]
    pred = [
        rec(
            "a",
            officials=[
                {"name": "Budi", "office": "bupati", "acting": None},
                {"name": "Budi Santoso", "office": "bupati", "acting": None},
            ],
        )
    ]
    report = score(gold, pred)
    assert report.slots["officials"].tp == 1
    assert report.slots["officials"].fp == 1


def test_union_over_events_and_dates_need_same_precision():
    gold = {
        "id": "a",
        "relevant": True,
        "events": [
            {"type": "violation", "date": "2024-10", "date_precision": "month", "regions": ["11"]},
            {"type": "sanction", "date": None, "regions": ["11", "11.08"]},
        ],
    }
    pred = {
        "id": "a",
        "relevant": True,
        "events": [
            {"type": "violation", "date": "2024-10-01", "date_precision": "day", "regions": ["11.08"]},
            {"type": "violation", "regions": ["11"]},
        ],
    }
    report = score([gold], [pred])
    assert (report.slots["types"].tp, report.slots["types"].fn) == (1, 1)
    assert (report.slots["regions"].tp, report.slots["regions"].fp) == (2, 0)
    assert (report.slots["dates"].tp, report.slots["dates"].fp, report.slots["dates"].fn) == (0, 1, 1)


def test_missed_relevant_article_scores_all_gold_items_as_misses():
    gold = [rec("a", regions=["13.72"], elections=[{"kind": "pemilu", "year": 2024}])]
    pred = [{"id": "a", "relevant": False, "events": [{"type": "rakor", "regions": ["13.72"]}]}]
    report = score(gold, pred)
    assert report.slots["relevance"].fn == 1
    assert report.slots["regions"].fn == 1 and report.slots["regions"].tp == 0
    assert report.slots["types"].fn == 1
    assert report.errors[0].missed["relevance"] == [True]


def test_spurious_relevant_article_scores_items_as_false_positives():
    gold = [rec("n", relevant=False)]
    pred = [rec("n", regions=["31"], officials=[{"name": "Budi", "office": "other", "acting": None}])]
    report = score(gold, pred)
    assert report.slots["relevance"].fp == 1
    assert report.slots["regions"].fp == 1
    assert report.slots["officials"].fp == 1
    assert report.slots["relevance"].precision == 0.0


def test_elections_with_null_year_are_not_scored():
    gold = [rec("a", elections=[{"kind": "pilkada", "year": None}, {"kind": "pemilu", "year": 2019}])]
    pred = [rec("a", elections=[{"kind": "pilkada", "year": None}, {"kind": "pemilu", "year": 2019}])]
    s = score(gold, pred).slots["elections"]
    assert (s.tp, s.fp, s.fn) == (1, 0, 0)


def test_missing_prediction_is_irrelevant_with_warning():
    report = score([rec("a"), rec("b", relevant=False)], [rec("b", relevant=False)])
    assert report.slots["relevance"].fn == 1
    assert any("'a'" in w for w in report.warnings)


def test_rows_and_dict():
    report = score([rec("a")], [rec("a")])
    rows = report.as_rows()
    assert [r["slot"] for r in rows][:2] == ["relevance", "types"]
    assert report.as_dict()["slots"]["types"]["f1"] == 1.0
    assert report.slots["sanctions"].f1 == 0.0  # nothing to find: 0/0 is reported as 0


def test_rejects_non_record():
    with pytest.raises(TypeError):
        score(["not a record"], [])


# --- strict slots (schema, "Strict scoring") ---------------------------------------------------


def two_events(id_, *events):
    base = {"officials": [], "regions": [], "sanctions": [], "elections": [], "date": None, "date_precision": None}
    return {"id": id_, "relevant": True, "events": [dict(base, **e) for e in events]}


def strict(gold, pred):
    report = score([gold], [pred])
    return {k: (s.tp, s.fp, s.fn) for k, s in report.strict.items()}, report


def test_events_match_one_to_one_on_type_and_gold_date():
    gold = two_events("a", {"type": "violation", "date": "2024-03-01"}, {"type": "sanction"})
    # the dated violation needs the same date; the undated gold sanction matches on type alone
    pred = two_events("a", {"type": "violation", "date": "2024-03-02"}, {"type": "sanction", "date": "2024-04-01"})
    scores, report = strict(gold, pred)
    assert scores["events"] == (1, 1, 1)
    assert report.errors[0].missed["events"] == [("violation", "2024-03-01")]
    # two predictions of one type cannot both take the one gold event
    scores, _ = strict(two_events("a", {"type": "rakor"}), two_events("a", {"type": "rakor"}, {"type": "rakor"}))
    assert scores["events"] == (1, 1, 0)


def test_events_matching_prefers_dated_gold_events():
    gold = two_events("a", {"type": "rakor", "date": "2024-05-02"}, {"type": "rakor"})
    pred = two_events("a", {"type": "rakor"}, {"type": "rakor", "date": "2024-05-02"})
    assert strict(gold, pred)[0]["events"] == (2, 0, 0)


def test_type_date_counts_only_dated_events():
    gold = two_events("a", {"type": "pledge", "date": "2023-10"}, {"type": "rakor"})
    pred = two_events("a", {"type": "pledge", "date": "2023-10"}, {"type": "rakor", "date": "2023-10-05"})
    assert strict(gold, pred)[0]["type_date"] == (1, 1, 0)


def test_roles_pair_names_with_roles():
    off = {"office": "bupati", "acting": None}
    gold = two_events("a", {"type": "rakor", "officials": [dict(off, name="Budi Santoso", role="leader")]})
    pred = two_events("a", {"type": "rakor", "officials": [dict(off, name="Dr. Budi", role="speaker")]})
    assert strict(gold, pred)[0]["roles"] == (0, 1, 1)
    pred = two_events("a", {"type": "rakor", "officials": [dict(off, name="Dr. Budi", role="leader")]})
    assert strict(gold, pred)[0]["roles"] == (1, 0, 0)


def test_official_region_scores_only_officials_with_a_gold_region():
    gold = two_events(
        "a",
        {
            "type": "rakor",
            "officials": [
                {"name": "Budi", "region": "13.72", "role": "leader"},
                {"name": "Tito Karnavian", "region": None, "role": "speaker"},
            ],
        },
    )
    pred = two_events(
        "a",
        {
            "type": "rakor",
            "officials": [
                {"name": "Budi", "region": "13.71", "role": "leader"},
                {"name": "Tito Karnavian", "region": "31", "role": "speaker"},  # gold region null: not scored
                {"name": "Siti", "region": "13", "role": "attendee"},  # not a gold official: not scored here
            ],
        },
    )
    assert strict(gold, pred)[0]["official_region"] == (0, 1, 1)


def test_sanction_status_subject_scope_count_pairs():
    gold = two_events(
        "a",
        {
            "type": "sanction",
            "subject": "asn",
            "scope": "regency",
            "count": 3,
            "sanctions": [{"kind": "teguran_tertulis", "status": "imposed"}],
        },
    )
    pred = two_events(
        "a",
        {
            "type": "sanction",
            "subject": "asn",
            "scope": "provincial",
            "count": None,
            "sanctions": [{"kind": "teguran_tertulis", "status": "recommended"}],
        },
    )
    scores, _ = strict(gold, pred)
    assert scores["sanction_status"] == (0, 1, 1)
    assert scores["subject"] == (1, 0, 0)
    assert scores["scope"] == (0, 1, 1)
    assert scores["count"] == (0, 0, 1)  # an unstated count is not a prediction


def test_irrelevant_prediction_misses_every_strict_item():
    gold = two_events("a", {"type": "rakor", "subject": "asn", "date": "2024-01-02"})
    scores, _ = strict(gold, {"id": "a", "relevant": False, "events": []})
    assert scores["events"] == (0, 0, 1) and scores["type_date"] == (0, 0, 1) and scores["subject"] == (0, 0, 1)


def test_strict_table_in_dict_and_perfect_score():
    gold = two_events("a", {"type": "rakor", "subject": "asn", "scope": "regency", "date": "2024-01-02"})
    report = score([gold], [gold])
    assert list(report.as_dict()["strict"]) == [
        "events",
        "type_date",
        "roles",
        "official_region",
        "sanction_status",
        "subject",
        "scope",
        "count",
    ]
    assert report.strict["events"].f1 == 1.0 and report.errors == []
