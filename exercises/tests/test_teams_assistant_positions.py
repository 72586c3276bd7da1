"""The team assistant with planned sizes and mixed teams' positions (exercises.assistant, pure: no database).

Figures worked out by hand: 10 people for teams planned at 4, 3 and 3 get exactly those sizes; a
plan of 2 + 2 for 8 people is scaled to 4 + 4.
"""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.assistant import (
    PersonSpec,
    PositionSpec,
    Strategy,
    TeamSpec,
    positions_fill,
    team_assignment_suggest,
    team_sizes_planned,
)
from trainings.models import AgencyKind

POLICE, NGO, LABOUR, SOCIAL = (
    AgencyKind.POLICE,
    AgencyKind.NGO,
    AgencyKind.LABOUR_INSPECTION,
    AgencyKind.SOCIAL_SERVICES,
)


def _sizes(assignment: dict[int, int]) -> Counter[int]:
    return Counter(assignment.values())


def test_planned_sizes_are_kept_when_they_add_up():
    assert team_sizes_planned(people=10, planned=[4, 3, 3]) == [4, 3, 3]


def test_planned_sizes_are_scaled_to_the_people_there_are():
    assert team_sizes_planned(people=8, planned=[2, 2]) == [4, 4]
    # 7 people for 4 + 2: 4.67 and 2.33, the larger remainder first.
    assert team_sizes_planned(people=7, planned=[4, 2]) == [5, 2]
    # A team without a planned size counts as the mean of the others (3).
    assert team_sizes_planned(people=9, planned=[3, None, 3]) == [3, 3, 3]


def test_no_team_is_left_empty_while_there_are_enough_people():
    # 3 people for 10 + 1 + 1 would give 3, 0, 0.
    assert team_sizes_planned(people=3, planned=[10, 1, 1]) == [1, 1, 1]


def test_without_planned_sizes_the_balanced_split_applies():
    assert team_sizes_planned(people=7, planned=[None, None]) is None
    people = [PersonSpec(id=i, agency_kind=POLICE) for i in range(7)]
    teams = [TeamSpec(id=1, agency_kind=POLICE), TeamSpec(id=2, agency_kind=NGO)]
    assert sorted(_sizes(team_assignment_suggest(people=people, teams=teams, strategy="mixed")).values()) == [3, 4]


def test_the_assistant_gives_each_team_its_planned_size():
    people = [PersonSpec(id=i, agency_kind=[POLICE, NGO][i % 2], country="PL") for i in range(10)]
    teams = [
        TeamSpec(id=1, agency_kind=POLICE, planned_size=6),
        TeamSpec(id=2, agency_kind=NGO, planned_size=2),
        TeamSpec(id=3, agency_kind=NGO, planned_size=2),
    ]
    for strategy in Strategy:
        assignment = team_assignment_suggest(people=people, teams=teams, strategy=strategy, seed=3)
        assert _sizes(assignment) == {1: 6, 2: 2, 3: 2}


def _national_team() -> TeamSpec:
    return TeamSpec(
        id=9,
        agency_kind="",
        planned_size=4,
        positions=(
            PositionSpec(id=91, agency_kind=POLICE, seats=2),
            PositionSpec(id=92, agency_kind=LABOUR),
            PositionSpec(id=93, agency_kind=SOCIAL),
        ),
    )


def test_a_mixed_teams_positions_are_filled_from_matching_agencies_whatever_the_strategy():
    # Two police officers, one labour inspector, one social worker, and four NGO people; a police
    # team and an NGO team of two each beside the national team of four.
    kinds = [POLICE, POLICE, LABOUR, SOCIAL, NGO, NGO, NGO, NGO]
    people = [PersonSpec(id=i, agency_kind=kind) for i, kind in enumerate(kinds, start=1)]
    teams = [
        TeamSpec(id=1, agency_kind=POLICE, planned_size=2),
        TeamSpec(id=2, agency_kind=NGO, planned_size=2),
        _national_team(),
    ]
    for strategy in Strategy:
        assignment = team_assignment_suggest(people=people, teams=teams, strategy=strategy, seed=1)
        national = sorted(p.id for p in people if assignment[p.id] == 9)
        assert national == [1, 2, 3, 4], strategy
        members = [p for p in people if assignment[p.id] == 9]
        assert positions_fill(members=members, positions=_national_team().positions) == {1: 91, 2: 91, 3: 92, 4: 93}


def test_seats_nobody_matches_stay_empty_and_others_hold_no_position():
    members = [
        PersonSpec(id=5, agency_kind=NGO),
        PersonSpec(id=2, agency_kind=POLICE),
        PersonSpec(id=8, agency_kind=""),
    ]
    assert positions_fill(members=members, positions=_national_team().positions) == {2: 91}


def test_a_position_takes_no_more_than_its_seats_lowest_ids_first():
    members = [PersonSpec(id=i, agency_kind=POLICE) for i in (7, 3, 5)]
    assert positions_fill(members=members, positions=_national_team().positions) == {3: 91, 5: 91}


@settings(max_examples=60, deadline=None)
@given(
    kinds=st.lists(st.sampled_from([POLICE, NGO, LABOUR, SOCIAL, ""]), min_size=0, max_size=14),
    planned=st.lists(st.one_of(st.none(), st.integers(min_value=1, max_value=6)), min_size=1, max_size=4),
    strategy=st.sampled_from(list(Strategy)),
    seed=st.integers(min_value=0, max_value=5),
)
def test_everyone_is_placed_once_and_sizes_follow_the_plan(kinds, planned, strategy, seed):
    people = [PersonSpec(id=i, agency_kind=kind) for i, kind in enumerate(kinds)]
    teams = [TeamSpec(id=100 + i, agency_kind=POLICE, planned_size=size) for i, size in enumerate(planned)]
    teams.append(_national_team())
    assignment = team_assignment_suggest(people=people, teams=teams, strategy=strategy, seed=seed)
    assert set(assignment) == {p.id for p in people}
    # Sizes are worked out over the teams in id order (ties go to the lower id).
    ordered = sorted(teams, key=lambda t: t.id)
    sizes = team_sizes_planned(people=len(people), planned=[t.planned_size for t in ordered])
    assert sizes is not None
    expected = {t.id: size for t, size in zip(ordered, sizes, strict=True) if size}
    assert dict(_sizes(assignment)) == expected
