"""The team assistant: who plays in which team of an exercise run. Pure: people and teams in, a
mapping out, no database, so that its invariants can be checked with property-based tests:

- team sizes differ by at most one, so no team is empty while there are at least as many people
  as teams; unless teams have planned sizes: then the sizes follow them (scaled to the number of
  people when they do not add up to it; a team without one counts as the mean of the others);
- everyone is placed exactly once;
- the same input and seed always give the same answer, whatever the order of the input lists;
- each strategy is honoured as far as that balance allows.

How it works: the sizes are fixed first (``n = q·k + r``: every team gets ``q`` people, ``r`` teams
one more). Which agency kind sits in which team is then a minimum-cost flow: each seat costs what
the strategy says (*realistic*: nothing in one's own kind's team, a little more in a near-equivalent,
much more elsewhere; *perspective*: the reverse; *mixed*: nothing), plus a convex cost for putting
several people of one kind in the same team, so that kinds spread evenly. The flow is exact, so
"as far as balance allows" is a guarantee and not a hope. Within a kind, people are dealt to their
teams by country; last, a local search swaps people between teams to spread countries too, never
at the expense of the strategy or of the agency mix.

A mixed team's positions (“investigator: police, 2 seats”) are seat groups of their own in the
flow: a person of the position's agency kind costs nothing there and anyone else more than any
strategy's costs, so positions are filled from matching people first, whatever the strategy.
Which member holds which position is ``positions_fill``, run again on whatever teams are confirmed.

A person without an agency has the kind ``""``: no team is their own, and they spread like any kind.
Loading a run's people and saving its teams are ``exercises.selectors.teams`` and
``exercises.services.teams``.
"""

import dataclasses
import random
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Mapping, Sequence

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from trainings.models import AgencyKind


class Strategy(TextChoices):
    REALISTIC = "realistic", _("Realistic")
    PERSPECTIVE = "perspective", _("Perspective")
    MIXED = "mixed", _("Mixed")


STRATEGY_HELP = {
    Strategy.REALISTIC: _(
        "Everyone plays their own agency's role where the run has such a team (or the nearest "
        "equivalent); the others fill the smallest teams."
    ),
    Strategy.PERSPECTIVE: _("Everyone deliberately plays another agency's role, to see the case from the other side."),
    Strategy.MIXED: _(
        "Every team gets a balanced mix of agencies and countries, like the national multi-agency "
        "teams of week-long international simulations."
    ),
}

# The near-equivalents of an agency kind, nearest first: where the run has no team of a person's
# own kind, *realistic* seats them here (and *perspective* avoids it). For example the manual's
# "Border guards / Immigration services" team is a border guard team that immigration officers
# play naturally, prosecutors and labour inspectors work with the police on investigations, and
# social services and NGOs share victim protection.
AFFINITY: dict[str, tuple[str, ...]] = {
    AgencyKind.POLICE: (AgencyKind.BORDER_GUARD, AgencyKind.PROSECUTION),
    AgencyKind.BORDER_GUARD: (AgencyKind.IMMIGRATION, AgencyKind.POLICE),
    AgencyKind.IMMIGRATION: (AgencyKind.BORDER_GUARD, AgencyKind.GOVERNMENT),
    AgencyKind.PROSECUTION: (AgencyKind.POLICE, AgencyKind.JUDICIARY, AgencyKind.GOVERNMENT),
    AgencyKind.JUDICIARY: (AgencyKind.PROSECUTION, AgencyKind.GOVERNMENT),
    AgencyKind.LABOUR_INSPECTION: (AgencyKind.POLICE, AgencyKind.GOVERNMENT, AgencyKind.LOCAL_AUTHORITY),
    AgencyKind.SOCIAL_SERVICES: (AgencyKind.NGO, AgencyKind.LOCAL_AUTHORITY),
    AgencyKind.NGO: (AgencyKind.SOCIAL_SERVICES, AgencyKind.INTERNATIONAL),
    AgencyKind.INTERNATIONAL: (AgencyKind.NGO, AgencyKind.GOVERNMENT),
    AgencyKind.GOVERNMENT: (AgencyKind.LOCAL_AUTHORITY, AgencyKind.IMMIGRATION),
    AgencyKind.LOCAL_AUTHORITY: (AgencyKind.GOVERNMENT, AgencyKind.SOCIAL_SERVICES),
    AgencyKind.OTHER: (),
}
_NEAREST_MAX = max(len(near) for near in AFFINITY.values())
_MAX_ROUNDS = 25


@dataclasses.dataclass(frozen=True)
class PersonSpec:
    id: int
    agency_kind: str = ""  # "" when the person has no agency
    country: str = ""


@dataclasses.dataclass(frozen=True)
class PositionSpec:
    id: int
    agency_kind: str
    seats: int = 1


@dataclasses.dataclass(frozen=True)
class TeamSpec:
    id: int
    agency_kind: str  # "" for a mixed team
    planned_size: int | None = None
    positions: tuple[PositionSpec, ...] = ()


@dataclasses.dataclass(frozen=True)
class _Group:
    """Seats of one team the flow fills: a position's, or the rest of the team."""

    team: int  # index in the team list
    agency_kind: str
    low: int  # seats that must be filled
    extra: int  # seats that may be (the balanced split's one more)
    position: bool


def affinity_rank(*, person_kind: str, team_kind: str) -> int | None:
    """0 for a person's own kind, 1.. for a near-equivalent (nearest first), None otherwise."""
    if person_kind and person_kind == team_kind:
        return 0
    near = AFFINITY.get(person_kind, ())
    return near.index(team_kind) + 1 if team_kind in near else None


def team_sizes_balanced(*, people: int, teams: int) -> tuple[int, int]:
    """``(q, r)``: every team gets ``q`` people and ``r`` of them one more."""
    return divmod(people, teams)


def team_sizes_planned(*, people: int, planned: Sequence[int | None]) -> list[int] | None:
    """Each team's size from the planned sizes (None when no team has one: the balanced split applies).

    A team without a planned size counts as the mean of the others. When the plan does not add up to
    ``people``, the sizes are scaled (largest remainder, earlier teams first on ties), and no team is
    left empty while there are at least as many people as teams.
    """
    known = [p for p in planned if p]
    if not known:
        return None
    fallback = max(1, round(sum(known) / len(known)))
    weights = [p or fallback for p in planned]
    total = sum(weights)
    sizes = [people * w // total for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(people * weights[i] % total), i))
    for i in order[: people - sum(sizes)]:
        sizes[i] += 1
    if people >= len(sizes):
        while 0 in sizes:
            largest = sizes.index(max(sizes))
            sizes[largest] -= 1
            sizes[sizes.index(0)] += 1
    return sizes


def positions_fill(*, members: Sequence[PersonSpec], positions: Sequence[PositionSpec]) -> dict[int, int]:
    """Person id -> position id within one team: each position's seats go, in order, to members of its
    agency kind (by id). Seats nobody matches stay empty; members left over hold no position."""
    free = sorted(members, key=lambda p: p.id)
    held: dict[int, int] = {}
    for position in positions:
        matching = [p for p in free if p.agency_kind and p.agency_kind == position.agency_kind][: position.seats]
        for person in matching:
            held[person.id] = position.id
            free.remove(person)
    return held


def _groups(people: int, teams: Sequence[TeamSpec]) -> list[_Group]:
    """The seat groups of the teams (in list order): without planned sizes or positions, one per team."""
    by_id = team_sizes_planned(people=people, planned=[t.planned_size for t in sorted(teams, key=lambda t: t.id)])
    planned = dict(zip(sorted(t.id for t in teams), by_id, strict=True)) if by_id is not None else None
    q, r = team_sizes_balanced(people=people, teams=len(teams))
    groups: list[_Group] = []
    for index, team in enumerate(teams):
        low, extra = (planned[team.id], 0) if planned is not None else (q, 1 if r else 0)
        for position in team.positions:
            seats = min(position.seats, low)
            if seats:
                groups.append(_Group(index, position.agency_kind, seats, 0, position=True))
                low -= seats
        if low or extra or not team.positions:
            groups.append(_Group(index, team.agency_kind, low, extra, position=False))
    return groups


def team_assignment_suggest(
    *, people: Sequence[PersonSpec], teams: Sequence[TeamSpec], strategy: str, seed: int = 0
) -> dict[int, int]:
    """Person id -> team id, balanced and following ``strategy``; the same for the same input and seed."""
    strategy = Strategy(strategy)
    if len({p.id for p in people}) != len(people) or len({t.id for t in teams}) != len(teams):
        raise ValueError("person and team ids must be unique")
    if not people:
        return {}
    if not teams:
        raise ValueError("there are people to place but no team")
    rng = random.Random(seed)  # noqa: S311 -- a reproducible shuffle, not a secret
    # Sorting first makes the answer independent of the input's order; the seed then shuffles.
    ordered_people = sorted(people, key=lambda p: p.id)
    team_list = sorted(teams, key=lambda t: t.id)
    rng.shuffle(team_list)
    groups = _groups(len(ordered_people), team_list)
    cost = _group_cost(_cost_function(strategy, len(ordered_people)), ordered_people, groups)
    slots = _seat(ordered_people, groups, cost, rng)
    _improve(slots, ordered_people, groups, cost)
    return {person.id: team_list[groups[slot].team].id for person, slot in zip(ordered_people, slots, strict=True)}


def _group_cost(
    strategy_cost: Callable[[str, str], int], people: Sequence[PersonSpec], groups: Sequence[_Group]
) -> Callable[[str, _Group], int]:
    """A seat's cost in a group: the strategy's, but in a position anyone but its agency kind costs
    more than every strategy cost of everyone together."""
    kinds = {p.agency_kind for p in people}
    highest = max((strategy_cost(kind, g.agency_kind) for kind in kinds for g in groups if not g.position), default=0)
    mismatch = (highest + 1) * (len(people) + 1)

    def cost(kind: str, group: _Group) -> int:
        if group.position:
            return 0 if kind and kind == group.agency_kind else mismatch
        return strategy_cost(kind, group.agency_kind)

    return cost


def team_assignment_score(
    *, people: Sequence[PersonSpec], teams: Sequence[TeamSpec], assignment: Mapping[int, int]
) -> dict[str, int]:
    """How an assignment plays out, for tests and the page: own-kind, near-equivalent and other seats."""
    kinds = {t.id: t.agency_kind for t in teams}
    counts = {"own": 0, "near": 0, "other": 0}
    for person in people:
        rank = affinity_rank(person_kind=person.agency_kind, team_kind=kinds[assignment[person.id]])
        counts["own" if rank == 0 else "other" if rank is None else "near"] += 1
    return counts


def _cost_function(strategy: Strategy, n: int) -> Callable[[str, str], int]:
    """The seat cost a strategy minimises, per person; a weight no tie can outweigh makes it lexicographic."""
    if strategy == Strategy.REALISTIC:
        # First as many people as possible in their own kind's team, then as many as possible in a
        # near-equivalent one, then the nearest equivalents.
        unrelated = _NEAREST_MAX * n + 1
        not_own = unrelated * n + 1

        def realistic(kind: str, team_kind: str) -> int:
            rank = affinity_rank(person_kind=kind, team_kind=team_kind)
            if rank == 0:
                return 0
            return not_own + (rank if rank is not None else unrelated)

        return realistic
    if strategy == Strategy.PERSPECTIVE:
        # First as few people as possible in their own kind's team, then in a near-equivalent one.
        weight = n + 1

        def perspective(kind: str, team_kind: str) -> int:
            rank = affinity_rank(person_kind=kind, team_kind=team_kind)
            return weight if rank == 0 else 0 if rank is None else 1

        return perspective

    def mixed(kind: str, team_kind: str) -> int:
        return 0  # only the spread counts

    return mixed


def _seat(
    people: list[PersonSpec], teams: list[_Group], cost: Callable[[str, _Group], int], rng: random.Random
) -> list[int]:
    """How many of each agency kind sit in each team (a seat group, see ``_groups``), then who: the
    group index of each person.

    The counts are a minimum-cost flow from kinds to teams, one person at a time along the
    cheapest path (successive shortest paths, Bellman-Ford: costs can be negative). A seat costs
    the strategy's cost, scaled so that it comes first, plus the spread of the kind in the team
    (the k-th person of a kind in a team costs 2k - 1 more, so a kind's cost there is its count
    squared: convex, so the flow spreads each kind as evenly as the strategy allows). A bonus on
    each team's first q seats (``low``) makes every team take q people; the r extra seats cost nothing
    more (``extra``: one a team in the balanced split, none with planned sizes).
    """
    n, k = len(people), len(teams)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for index, person in enumerate(people):
        by_kind[person.agency_kind].append(index)
    kinds = sorted(by_kind)
    g = len(kinds)
    scale = n * n + 1  # more than any kind spread
    main = [[cost(kind, team) * scale for team in teams] for kind in kinds]
    bonus = max(max(row) for row in main) + 2 * n + 2  # more than any path's seat costs
    waiting = [len(by_kind[kind]) for kind in kinds]
    count = [[0] * k for _ in kinds]  # people of kind i seated in team t
    seated = [0] * k

    def to_sink(t: int) -> int | None:
        if seated[t] < teams[t].low:
            return -bonus
        return 0 if seated[t] < teams[t].low + teams[t].extra else None

    # Nodes: 0 source, 1..g kinds, g+1..g+k teams, g+k+1 sink. Edges are derived from the counts.
    source, sink = 0, g + k + 1
    for _person in range(n):
        distance: list[int | None] = [None] * (sink + 1)
        previous = [-1] * (sink + 1)
        distance[source] = 0
        queue = deque([source])
        queued = [False] * (sink + 1)
        while queue:
            u = queue.popleft()
            queued[u] = False
            du = distance[u] or 0
            steps: list[tuple[int, int]] = []
            if u == source:
                steps = [(1 + i, 0) for i in range(g) if waiting[i]]
            elif u <= g:
                i = u - 1
                steps = [(g + 1 + t, main[i][t] + 2 * count[i][t] + 1) for t in range(k)]
            elif u < sink:
                t = u - g - 1
                steps = [(1 + i, -(main[i][t] + 2 * count[i][t] - 1)) for i in range(g) if count[i][t]]
                sink_cost = to_sink(t)
                if sink_cost is not None:
                    steps.append((sink, sink_cost))
            else:  # back from the sink: give up a seat of a team (undoing its cost)
                steps = [(g + 1 + t, 0 if seated[t] > teams[t].low else bonus) for t in range(k) if seated[t]]
            for v, step_cost in steps:
                dv = distance[v]
                if dv is None or du + step_cost < dv:
                    distance[v] = du + step_cost
                    previous[v] = u
                    if not queued[v]:
                        queued[v] = True
                        queue.append(v)
        # Walk the path back from the sink and move one person along it.
        v = sink
        while v != source:
            u = previous[v]
            if u == source:
                waiting[v - 1] -= 1
            elif u <= g:
                count[u - 1][v - g - 1] += 1
            elif u < sink and v == sink:
                seated[u - g - 1] += 1
            elif u < sink:
                count[v - 1][u - g - 1] -= 1
            else:
                seated[v - g - 1] -= 1
            v = u
    # Who: each kind's people, by country, dealt in turn to the teams that have seats for that kind,
    # so that a kind's countries spread too.
    slots = [0] * n
    for i, kind in enumerate(kinds):
        members = by_kind[kind]
        rng.shuffle(members)
        members.sort(key=lambda index: people[index].country)  # stable: random within a country
        quota = list(count[i])
        t = 0
        for index in members:
            while not quota[t % k]:
                t += 1
            slots[index] = t % k
            quota[t % k] -= 1
            t += 1
    return slots


def _improve(
    slots: list[int], people: list[PersonSpec], teams: list[_Group], cost: Callable[[str, _Group], int]
) -> None:
    """Polish the seats: swap two people (or move one from a team with an extra seat taken to one with
    an extra seat free: from q + 1 to q) when that
    lowers the aim, compared in order: the strategy's seat cost, the spread of agency kinds, the
    spread of countries. A spread is the sum over teams of each count squared (lower is more even).
    The flow already made the first two as good as they can be, so in practice this spreads
    countries. Every accepted step lowers the aim, so the search ends; sizes stay balanced.
    """
    k = len(teams)
    seat_cost = {p.agency_kind: [cost(p.agency_kind, t) for t in teams] for p in people}
    size = [0] * k
    version = [0] * k  # bumped on every change to a team
    kind_count: list[Counter[str]] = [Counter() for _ in range(k)]
    country_count: list[Counter[str]] = [Counter() for _ in range(k)]
    # People of one (kind, country) are interchangeable for the aim, so the search runs over types.
    members: list[dict[tuple[str, str], list[int]]] = [defaultdict(list) for _ in range(k)]
    for index, t in enumerate(slots):
        person = people[index]
        size[t] += 1
        kind_count[t][person.agency_kind] += 1
        country_count[t][person.country] += 1
        members[t][person.agency_kind, person.country].append(index)

    def square_delta(counts: list[Counter[str]], a: int, b: int, x: str, y: str | None) -> int:
        """Change of the sum of squares when one ``x`` goes from team a to b (and a ``y`` back)."""
        if x == y:
            return 0
        ca, cb = counts[a], counts[b]
        delta = 2 + 2 * (cb[x] - ca[x])
        if y is not None:
            delta += 2 + 2 * (ca[y] - cb[y])
        return delta

    def improves(a: int, b: int, x: tuple[str, str], y: tuple[str, str] | None) -> bool:
        y_kind, y_country = y if y is not None else (None, None)
        seat = seat_cost[x[0]][b] - seat_cost[x[0]][a]
        if y_kind is not None:
            seat += seat_cost[y_kind][a] - seat_cost[y_kind][b]
        if seat != 0:
            return seat < 0
        kinds = square_delta(kind_count, a, b, x[0], y_kind)
        if kinds != 0:
            return kinds < 0
        return square_delta(country_count, a, b, x[1], y_country) < 0

    def shift(a: int, b: int, key: tuple[str, str]) -> None:
        index = members[a][key].pop()
        if not members[a][key]:
            del members[a][key]
        members[b][key].append(index)
        size[a] -= 1
        size[b] += 1
        kind_count[a][key[0]] -= 1
        kind_count[b][key[0]] += 1
        country_count[a][key[1]] -= 1
        country_count[b][key[1]] += 1
        slots[index] = b
        version[a] += 1
        version[b] += 1

    def improve_pair(a: int, b: int) -> bool:
        """Every improving step found in one scan of teams a and b (swaps, and moves from a to b)."""
        found = False
        for x in sorted(members[a]):
            if a < b:
                for y in sorted(members[b]):
                    if x != y and x in members[a] and y in members[b] and improves(a, b, x, y):
                        shift(a, b, x)
                        shift(b, a, y)
                        found = True
            movable = size[a] > teams[a].low and size[b] < teams[b].low + teams[b].extra
            if x in members[a] and movable and improves(a, b, x, None):
                shift(a, b, x)
                found = True
        return found

    # Each round lowers the aim or ends the search; the cap keeps a huge cohort's page responsive.
    # A pair of teams that a scan found nothing to improve in is scanned again only once one changed.
    scanned: dict[tuple[int, int], tuple[int, int]] = {}
    for _round in range(_MAX_ROUNDS):
        changed = False
        for a in range(k):
            for b in range(k):
                if a == b or scanned.get((a, b)) == (version[a], version[b]):
                    continue
                if improve_pair(a, b):
                    changed = True
                else:
                    scanned[a, b] = (version[a], version[b])
        if not changed:
            break
