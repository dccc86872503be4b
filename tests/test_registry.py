"""The executor resolver: factored phrases, names with commas, conjunctions, consent,
and phrases that match nothing are returned, never dropped."""

from __future__ import annotations

from toolkit.plan.registry import Registry

REGISTRY = Registry.from_dict(
    {
        "units": [
            {
                "id": "osvita",
                "name": "Департамент освіти і науки облдержадміністрації",
                "short": "ДОН",
                "kind": "department",
            },
            {
                "id": "szn",
                "name": "Департамент соціального захисту населення облдержадміністрації",
                "short": "ДСЗН",
                "kind": "department",
            },
            {
                "id": "oz",
                "name": "Департамент охорони здоров'я облдержадміністрації",
                "short": "ДОЗ",
                "kind": "department",
            },
            {
                "id": "ocss",
                "name": "Обласний центр соціальних служб для сім'ї, дітей та молоді",
                "short": "ОЦСССДМ",
                "kind": "centre",
            },
            {
                "id": "rda-a",
                "name": "Аська районна державна адміністрація",
                "short": "А РДА",
                "kind": "district_administration",
            },
            {
                "id": "rda-b",
                "name": "Бська районна державна адміністрація",
                "short": "Б РДА",
                "kind": "district_administration",
            },
            {
                "id": "knp1",
                "name": "КНП «Центр первинної медико-санітарної допомоги»",
                "short": "ЦПМСД",
                "kind": "healthcare",
            },
            {
                "id": "knp2",
                "name": "КНП «Глухівська міська лікарня міської ради»",
                "short": "Лікарня",
                "kind": "healthcare",
            },
        ],
        "groups": [
            {"id": "rda", "name": "районні державні адміністрації", "members": ["rda-a", "rda-b"]},
        ],
    }
)


def test_factored_phrase_splits_into_units() -> None:
    refs, left = REGISTRY.resolve(
        "департаменти облдержадміністрації: освіти і науки, соціального захисту населення, "
        "охорони здоров’я"
    )
    assert [r.id for r in refs] == ["osvita", "szn", "oz"]
    assert left == []


def test_name_with_comma_and_consent_and_group() -> None:
    refs, left = REGISTRY.resolve(
        "обласний центр соціальних служб для сім'ї, дітей та молоді, районні державні "
        "адміністрації (за згодою)"
    )
    assert [(r.id, r.by_consent) for r in refs] == [("ocss", False), ("rda", True)]
    assert left == []
    assert REGISTRY.expand(["rda", "ocss"]) == ["ocss", "rda-a", "rda-b"]


def test_factored_list_followed_by_other_executors() -> None:
    refs, left = REGISTRY.resolve(
        "департаменти облдержадміністрації: освіти і науки, охорони здоров'я, обласний центр "
        "соціальних служб для сім'ї, дітей та молоді"
    )
    assert [r.id for r in refs] == ["osvita", "oz", "ocss"]
    assert left == []


def test_conjunction_only_when_both_sides_are_known() -> None:
    refs, left = REGISTRY.resolve(
        "КНП «Центр первинної медико-санітарної допомоги» та КНП «Глухівська міська лікарня "
        "міської ради»"
    )
    assert [r.id for r in refs] == ["knp1", "knp2"]
    refs, left = REGISTRY.resolve("Департамент освіти і науки облдержадміністрації та хтось інший")
    assert refs == []
    assert left == ["Департамент освіти і науки облдержадміністрації та хтось інший"]


def test_unknown_phrase_is_kept() -> None:
    refs, left = REGISTRY.resolve("Аська районна державна адміністрація, невідомий комітет")
    assert [r.id for r in refs] == ["rda-a"]
    assert left == ["невідомий комітет"]


def test_sole_unit_is_the_one_unit_behind_executors_or_none() -> None:
    # what a form's "this unit's value is the measure's whole value" rests on
    nested = Registry.from_dict(
        {
            "units": [{"id": u, "name": u, "short": u, "kind": "other"} for u in ("a", "b")],
            "groups": [
                {"id": "one", "name": "one", "members": ["a"]},
                {"id": "outer", "name": "outer", "members": ["one"]},
                {"id": "both", "name": "both", "members": ["one", "b"]},
            ],
        }
    )
    assert nested.sole_unit(["a"]) == "a"
    assert nested.sole_unit(["outer"]) == "a"  # a group of a group of one
    assert nested.sole_unit(["a", "one", "outer"]) == "a"  # the same unit named thrice
    assert nested.sole_unit(["both"]) is None
    assert nested.sole_unit(["a", "b"]) is None
    assert nested.sole_unit(["nobody"]) is None and nested.sole_unit([]) is None
    for ids in (["rda"], ["ocss"], ["rda", "ocss"], ["knp1", "knp1"]):
        units = REGISTRY.expand(ids)
        assert REGISTRY.sole_unit(ids) == (units[0] if len(units) == 1 else None)
