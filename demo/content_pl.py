"""The Polish language variant of the seed's exercise (``demo.content.EXERCISE``): the same plan, numbers,
kinds, timings and objectives, in Polish. ``load_demo`` loads it as a variant of the English exercise
(``Exercise.language = "pl"``), so Polish-speaking participants read their team's briefing in Polish.
"""

from dataclasses import replace

from demo.content import EXERCISE, ExerciseData, HandoutData

_SCENARIO = (
    "Podczas kontroli granicznej funkcjonariusze Straży Granicznej (Zespół 2) stwierdzają nieprawidłowości "
    "w dokumentach kilku podróżnych. Podejrzewają, że osoby te są ofiarami handlu ludźmi, zmuszanymi do pracy "
    "w nielegalnych warunkach, i przekazują tę informację Policji (Zespół 1).\n\n"
    "Sytuacja jest fikcyjna, ale realistyczna: podczas działań na granicy zidentyfikowano ofiary, a informacja "
    "dotarła do organów ścigania, Straży Granicznej i organizacji wspierających ofiary. Każdy zespół otrzymuje "
    "własny zestaw informacji o tym zdarzeniu."
)

_GUIDELINES = (
    "Przed ćwiczeniem podziel uczestników na pięć zespołów, z których każdy reprezentuje jedną z instytucji "
    "przeciwdziałających handlowi ludźmi: Policję / organy ścigania; Straż Graniczną / służby imigracyjne; "
    "pomoc społeczną / ochronę ofiar; organizacje pozarządowe oraz administrację rządową lub ministerstwa "
    "odpowiedzialne za politykę migracyjną i przeciwdziałanie handlowi ludźmi. Każdy zespół ma własną rolę "
    "i zadania.\n\n"
    "Przekaż każdemu zespołowi jego zestaw informacji o zdarzeniu: podczas działań na granicy zidentyfikowano "
    "ofiary handlu ludźmi, a informacja jest już w Policji, w Straży Granicznej i w organizacjach wspierających "
    "ofiary.\n\n"
    "Następnie przeprowadź symulację w dwóch fazach: w fazie wstępnej zespoły analizują to, co wiedzą, "
    "i podejmują pierwsze decyzje, a w fazie kryzysowej sytuacja się zmienia i muszą szybko reagować. "
    "Zakończ ćwiczenie omówieniem.\n\n"
    "Czas: podręcznik podaje dla symulacji „60 minut”, ale jej fazy trwają 15 i 30 minut. Concord zachowuje "
    "długości faz z podręcznika, więc 15 z 90 zaplanowanych minut nie jest przypisanych do żadnej fazy; "
    "wykorzystaj je na wprowadzenie do scenariusza lub dłuższe omówienie."
)

_TIPS = (
    "Prowadzenie ćwiczenia\n"
    "- Przedstaw scenariusz i przekaż każdemu zespołowi jego zadania. Podkreśl, że każda grupa ma własną rolę "
    "i odpowiedzialność, ale sukces osiągnie tylko we współpracy z pozostałymi.\n"
    "- Obserwuj przebieg: przechodź od zespołu do zespołu, patrz, jak układa się współpraca i jak uczestnicy "
    "radzą sobie z zadaniami, i sprawdzaj, czy każda grupa wie, co ma robić, i ma potrzebne informacje.\n"
    "- Utrzymuj tempo: zostaw czas na analizę i decyzje, ale gdy trzeba, skłaniaj zespoły do szybszego "
    "działania, nagle zmieniając scenariusz (nowe informacje, nieoczekiwane trudności, kolejne wyzwania).\n"
    "- Wspieraj komunikację: zachęcaj zespoły do regularnego kontaktu i zwracaj uwagę, czy wymieniają się "
    "informacjami oraz dobrze zarządzają zasobami i działaniami.\n\n"
    "Interwencje w trakcie ćwiczenia\n"
    "- Rozwiązywanie trudności: gdy zespół ma problem, pomagaj wskazówkami lub pytaniami, a nie gotowymi "
    "odpowiedziami, aby uczestnicy sami doszli do rozwiązania.\n"
    "- Zarządzanie konfliktem: gdy pojawiają się nieporozumienia lub konflikty, przypomnij grupie, że celem "
    "jest wspólne działanie; często wystarczy krótka uwaga o słuchaniu innych punktów widzenia i gotowości "
    "do kompromisu.\n"
    "- Wprowadzanie zmiennych: zmieniaj sytuację kryzysową, dodając nowe elementy, na przykład informacje "
    "z innego kraju, problemy logistyczne lub zamieszanie podczas ewakuacji (zob. wprowadzenia). Zespoły "
    "muszą wtedy dostosować swoje plany do zmieniającej się sytuacji."
)

_ONLINE = (
    "Przeprowadź ćwiczenie na platformie wideo (np. Zoom) z osobnymi pokojami dla służb, takich jak Policja, "
    "organizacja pozarządowa i prokuratura. Każda grupa omawia sprawę handlu ludźmi i ustala działania "
    "w swojej roli, a następnie przedstawia wyniki wszystkim uczestnikom. Potem następuje dyskusja "
    "o napotkanych trudnościach i o tym, jak można usprawnić współpracę. Zmienne scenariusza można "
    "wprowadzać także online, aby sprawdzić, jak elastyczna jest współpraca."
)

_DEBRIEFING = (
    "- Podsumuj działania zespołów i omów trudności oraz wyzwania, z jakimi każda instytucja zetknęła się "
    "podczas symulacji.\n"
    "- Omówcie wspólnie mocne strony współpracy i obszary do poprawy.\n"
    "- Wskażcie dobre praktyki i miejsca, w których współpraca mogłaby działać lepiej.\n\n"
    "Na zakończenie zaproś uczestników do podzielenia się wrażeniami i do refleksji nad tym, co udało się "
    "osiągnąć i czego współpraca wciąż potrzebuje."
)

# Phases, team roles and injects by their order or number: only the words change.
_PHASES = {
    1: (
        "Przygotowanie",
        "Przekaż instrukcje wstępne i podziel uczestników na pięć zespołów instytucji. Daj każdemu zespołowi "
        "jego zestaw informacji o zdarzeniu: podczas działań na granicy zidentyfikowano ofiary handlu ludźmi, "
        "o czym powiadomiono organy ścigania, Straż Graniczną i organizacje wspierające ofiary.",
    ),
    2: (
        "Faza wstępna",
        "Każdy zespół analizuje otrzymane informacje i podejmuje pierwsze decyzje.\n"
        "- Zespoły 1 i 2 koordynują działania na poziomie operacyjnym: zatrzymanie osób i zabezpieczenie "
        "dowodów.\n"
        "- Zespoły 3 i 4 planują wsparcie dla ofiar: rozpoznają ich potrzeby i informują je o przysługujących "
        "im prawach.\n"
        "- Zespół 5 śledzi cały proces, koordynuje komunikację między instytucjami i załatwia sprawy formalne "
        "oraz administracyjne.",
    ),
    3: (
        "Faza kryzysowa",
        "Sytuacja się zmienia i zespoły muszą szybko reagować: może być konieczna natychmiastowa ewakuacja "
        "ofiar w bezpieczne miejsce, komunikacja między instytucjami może zawieść, mogą pojawić się nowe "
        "informacje.\n"
        "- Zespoły 1 i 2 wspólnie i bezpiecznie zatrzymują podejrzanych o handel ludźmi, chroniąc przy tym "
        "ofiary.\n"
        "- Zespoły 3 i 4 wspólnie udzielają pomocy ofiarom i organizują wsparcie psychologiczne i prawne.\n"
        "- Zespół 5 koordynuje komunikację oraz zapewnia zasoby i wsparcie administracyjne.",
    ),
    4: (
        "Omówienie",
        "- Podsumuj działania; omów trudności i wyzwania, z jakimi zetknęły się instytucje.\n"
        "- Omówcie wspólnie mocne strony współpracy i to, co należy poprawić.\n"
        "- Wskażcie dobre praktyki i obszary, w których współpraca mogłaby być lepsza.",
    ),
}

_TEAM_ROLES = {
    1: (
        "Policja / organy ścigania",
        "Straż Graniczna (Zespół 2) właśnie przekazała wam informację o grupie osób, w których dokumentach "
        "podczas kontroli granicznej wykryto nieprawidłowości. Funkcjonariusze podejrzewają, że osoby te są "
        "ofiarami handlu ludźmi, zmuszanymi do pracy w nielegalnych warunkach. Nie zweryfikowaliście jeszcze "
        "tej informacji.",
        "- Zareagujcie natychmiast: zweryfikujcie informację i zorganizujcie postępowanie w porozumieniu "
        "z pozostałymi służbami.\n"
        "- Razem z Zespołem 2 koordynujcie działania na poziomie operacyjnym: zatrzymanie osób i zabezpieczenie "
        "dowodów.\n"
        "- W sytuacji kryzysowej wspólnie z Zespołem 2 bezpiecznie zatrzymajcie podejrzanych o handel ludźmi, "
        "chroniąc przy tym ofiary.",
    ),
    2: (
        "Straż Graniczna / służby imigracyjne",
        "Podczas kontroli granicznej wasi funkcjonariusze wykryli nieprawidłowości w dokumentach kilku osób. "
        "Podejrzewacie, że są one ofiarami handlu ludźmi, zmuszanymi do pracy w nielegalnych warunkach, "
        "i przekazaliście tę informację Policji (Zespół 1).",
        "- Przekażcie szczegółowe informacje i ściśle współpracujcie z Policją.\n"
        "- Zabezpieczcie miejsce zdarzenia i osoby, których sprawa dotyczy.\n"
        "- Razem z Zespołem 1 koordynujcie działania na poziomie operacyjnym, a w sytuacji kryzysowej zadbajcie "
        "o bezpieczne zatrzymanie podejrzanych i ochronę ofiar.",
    ),
    3: (
        "Pomoc społeczna / ochrona ofiar",
        "Otrzymaliście informację, że podczas działań na granicy zidentyfikowano prawdopodobne ofiary handlu "
        "ludźmi, które będą potrzebowały opieki. Nie wiecie jeszcze, ile jest tych osób ani czego potrzebują.",
        "- Zapewnijcie ofiarom opiekę medyczną i psychologiczną.\n"
        "- Pomóżcie znaleźć bezpieczne schronienie i zorganizujcie dalsze wsparcie.\n"
        "- Razem z Zespołem 4 zaplanujcie wsparcie dla ofiar: rozpoznajcie ich potrzeby i poinformujcie je "
        "o ich prawach; w sytuacji kryzysowej wspólnie zorganizujcie pomoc psychologiczną i prawną.",
    ),
    4: (
        "Organizacje pozarządowe",
        "Wasza organizacja dowiedziała się od Straży Granicznej, że na granicy zatrzymano kilka osób, które "
        "mogą być ofiarami handlu ludźmi. Będą potrzebowały kogoś, komu mogą zaufać.",
        "- Pomóżcie zidentyfikować ofiary.\n"
        "- Czuwajcie nad tym, by procedury przestrzegały praw człowieka.\n"
        "- Wspierajcie kontakt z ofiarami i razem z Zespołem 3 zaplanujcie i zapewnijcie pomoc psychologiczną "
        "i prawną.",
    ),
    5: (
        "Administracja rządowa / ministerstwa odpowiedzialne za politykę migracyjną i przeciwdziałanie handlowi ludźmi",
        "Ministerstwo otrzymało informację, że na granicy wykryto prawdopodobny przypadek handlu ludźmi "
        "z kilkoma ofiarami oraz że Policja, Straż Graniczna i służby wspierające ofiary już działają.",
        "- Koordynujcie działania na poziomie krajowym.\n"
        "- Zorganizujcie komunikację i współpracę między instytucjami; śledźcie cały proces i załatwiajcie "
        "sprawy formalne oraz administracyjne.\n"
        "- Zapewnijcie zasoby i wsparcie legislacyjne.",
    ),
}

_INJECTS = {
    1: (
        "Ofiary przewiezione do sąsiedniego regionu",
        "Dzięki współpracy z innym państwem dowiedzieliśmy się, że sprawcy przewieźli część ofiar do "
        "sąsiedniego regionu.",
        "Oficer łącznikowy w sąsiednim państwie",
        "- Policja weryfikuje informację ze służbami drugiego państwa (kanałami Europolu lub Interpolu) "
        "i rozszerza postępowanie na ten region.\n"
        "- Straż Graniczna ostrzega przejścia graniczne i wzmacnia kontrole na prawdopodobnych trasach.\n"
        "- Zespół administracji rządowej informuje władze regionu i na bieżąco powiadamia wszystkie instytucje.",
    ),
    2: (
        "Trudności z transportem",
        "Z powodu trudności z transportem część ofiar może nie dotrzeć na czas do miejsca, w którym otrzyma opiekę.",
        "Koordynatorka schroniska",
        "- Pomoc społeczna i organizacje pozarządowe uzgadniają inny transport lub tymczasowe bezpieczne "
        "miejsce.\n"
        "- Ustalają, kto w pierwszej kolejności potrzebuje opieki, i na bieżąco informują ofiary.\n"
        "- W razie potrzeby proszą pozostałe zespoły o pomoc (eskorta, zasoby).",
    ),
    3: (
        "Podejrzany próbuje uciec",
        "Podczas ewakuacji jeden z podejrzanych próbował uciec. Wszystkie służby muszą interweniować.",
        "Funkcjonariusz na miejscu zdarzenia",
        "- Policja i Straż Graniczna zatrzymują podejrzanego, dbając o bezpieczeństwo ofiar i odseparowanie ich "
        "od podejrzanych.\n"
        "- Pomoc społeczna i organizacje pozarządowe uspokajają ofiary i zapewniają im ochronę.\n"
        "- Zespół administracji rządowej utrzymuje jeden kanał komunikacji między wszystkimi służbami "
        "i dokumentuje podjęte decyzje.",
    ),
}

EXERCISE_PL: ExerciseData = replace(
    EXERCISE,
    slug=f"{EXERCISE.slug}-pl",
    name="Rozpoznawanie ofiar handlu ludźmi – przesłuchiwanie podejrzanych",
    aim=(
        "Rozwijanie umiejętności współpracy między służbami i instytucjami przeciwdziałającymi handlowi ludźmi "
        "na poziomie krajowym. Uczestnicy ćwiczą wymianę informacji, koordynację działań i podejmowanie decyzji "
        "w sytuacji kryzysowej, każdy w ramach własnej roli i odpowiedzialności."
    ),
    scenario=_SCENARIO,
    materials=(
        "- Procedura działań operacyjnych służb.\n"
        "- Wykaz kontaktów międzyinstytucjonalnych i procedur współpracy.\n"
        "- Karty scenariusza do analizy przez zespoły wraz z kartami ról (funkcjonariusz Straży Granicznej, "
        "prokurator itp.)."
    ),
    facilitator_guidelines=_GUIDELINES,
    tips=_TIPS,
    online_variation=_ONLINE,
    debriefing_guidance=_DEBRIEFING,
    handouts=(
        HandoutData(
            order=1,
            title="Procedury współpracy międzyinstytucjonalnej w przypadku wykrycia handlu ludźmi",
            description="Materiał 1: kto kogo i w jaki sposób informuje po wykryciu możliwego przypadku handlu ludźmi.",
        ),
        HandoutData(
            order=2,
            title="Najważniejsze instytucje i służby w Polsce zwalczające handel ludźmi",
            description="Materiał 2: polskie służby i organizacje zaangażowane w przeciwdziałanie oraz ich role.",
        ),
    ),
    phases=tuple(
        replace(phase, name=_PHASES[phase.order][0], instructions=_PHASES[phase.order][1]) for phase in EXERCISE.phases
    ),
    team_roles=tuple(
        replace(
            role,
            name=_TEAM_ROLES[role.number][0],
            briefing=_TEAM_ROLES[role.number][1],
            tasks=_TEAM_ROLES[role.number][2],
        )
        for role in EXERCISE.team_roles
    ),
    injects=tuple(
        replace(
            inject,
            title=_INJECTS[inject.number][0],
            body=_INJECTS[inject.number][1],
            sender=_INJECTS[inject.number][2],
            expected_actions=_INJECTS[inject.number][3],
        )
        for inject in EXERCISE.injects
    ),
)
