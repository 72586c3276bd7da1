"""The Romanian language variant of the seed's exercise (``demo.content.EXERCISE``): the same plan, numbers,
kinds, timings and objectives, in Romanian. ``load_demo`` loads it as a variant of the English exercise
(``Exercise.language = "ro"``), so Romanian-speaking participants read their team's briefing in Romanian.
"""

from dataclasses import replace

from demo.content import EXERCISE, ExerciseData, HandoutData

_SCENARIO = (
    "În timpul unui control la frontieră, polițiștii de frontieră (Echipa 2) constată nereguli în documentele "
    "mai multor călători. Aceștia suspectează că persoanele respective sunt victime ale traficului de persoane, "
    "obligate să muncească în condiții ilegale, și transmit informația Poliției (Echipa 1).\n\n"
    "Situația este fictivă, dar realistă: în cursul unei operațiuni la frontieră au fost identificate victime, "
    "iar informația a ajuns la organele de aplicare a legii, la Poliția de Frontieră și la organizațiile care "
    "sprijină victimele. Fiecare echipă primește propriul set de informații despre acest incident."
)

_GUIDELINES = (
    "Înainte de exercițiu, împărțiți participanții în cinci echipe, fiecare reprezentând una dintre instituțiile "
    "care combat traficul de persoane: Poliția / organele de aplicare a legii; Poliția de Frontieră / serviciile "
    "de imigrări; serviciile sociale / protecția victimelor; organizațiile neguvernamentale și administrația "
    "guvernamentală sau ministerele responsabile de politica în domeniul migrației și al combaterii traficului "
    "de persoane. Fiecare echipă are propriul rol și propriile sarcini.\n\n"
    "Înmânați fiecărei echipe setul său de informații despre incident: în cursul unei operațiuni la frontieră "
    "au fost identificate victime ale traficului de persoane, iar informația se află deja la Poliție, la Poliția "
    "de Frontieră și la organizațiile care sprijină victimele.\n\n"
    "Apoi desfășurați simularea în două faze: o fază preliminară, în care echipele analizează ceea ce știu "
    "și iau primele decizii, și o fază de criză, în care situația se schimbă și echipele trebuie să reacționeze "
    "rapid. Încheiați exercițiul cu un debriefing.\n\n"
    "Durata: manualul indică pentru simulare „60 de minute”, dar fazele acesteia durează 15 și 30 de minute. "
    "Concord păstrează duratele fazelor din manual, astfel încât 15 din cele 90 de minute planificate nu sunt "
    "alocate niciunei faze; folosiți-le pentru prezentarea scenariului sau pentru un debriefing mai amplu."
)

_TIPS = (
    "Conducerea exercițiului\n"
    "- Prezentați scenariul și comunicați fiecărei echipe sarcinile sale. Subliniați că fiecare grup are "
    "propriul rol și propriile responsabilități, dar că poate reuși doar în cooperare cu celelalte.\n"
    "- Urmăriți desfășurarea: treceți de la o echipă la alta, observați cum decurge cooperarea și cum se "
    "descurcă participanții cu sarcinile și verificați dacă fiecare grup știe ce are de făcut și dispune de "
    "informațiile necesare.\n"
    "- Mențineți ritmul: lăsați timp pentru analiză și decizii, dar, atunci când este necesar, determinați "
    "echipele să acționeze mai repede, schimbând brusc scenariul (informații noi, dificultăți neprevăzute, "
    "alte provocări).\n"
    "- Sprijiniți comunicarea: încurajați contactul regulat între echipe și urmăriți dacă acestea fac schimb "
    "de informații și își gestionează bine resursele și activitățile.\n\n"
    "Intervenții în timpul exercițiului\n"
    "- Rezolvarea dificultăților: atunci când o echipă întâmpină probleme, ajutați-o prin indicii sau "
    "întrebări, nu prin răspunsuri gata făcute, astfel încât participanții să găsească singuri soluția.\n"
    "- Gestionarea conflictelor: atunci când apar neînțelegeri sau conflicte, amintiți grupului că scopul "
    "este acțiunea comună; de multe ori este suficientă o scurtă intervenție despre ascultarea altor puncte "
    "de vedere și deschiderea spre compromis.\n"
    "- Introducerea de variabile: modificați situația de criză prin elemente noi, de exemplu informații "
    "dintr-o altă țară, probleme logistice sau confuzie în timpul evacuării (a se vedea injecturile). Echipele "
    "trebuie atunci să își adapteze planurile la o situație în schimbare."
)

_ONLINE = (
    "Desfășurați exercițiul pe o platformă video (de exemplu Zoom), cu camere separate pentru instituții, "
    "precum Poliția, o organizație neguvernamentală și parchetul. Fiecare grup discută cazul de trafic de "
    "persoane și stabilește acțiunile corespunzătoare rolului său, apoi prezintă rezultatele tuturor "
    "participanților. Urmează o discuție despre dificultățile întâmpinate și despre modul în care poate fi "
    "îmbunătățită cooperarea. Variabilele scenariului pot fi introduse și online, pentru a testa cât de "
    "flexibilă este cooperarea."
)

_DEBRIEFING = (
    "- Rezumați activitățile echipelor și discutați dificultățile și provocările cu care s-a confruntat "
    "fiecare instituție în timpul simulării.\n"
    "- Discutați împreună punctele forte ale cooperării și aspectele care trebuie îmbunătățite.\n"
    "- Identificați bunele practici și punctele în care cooperarea ar putea funcționa mai bine.\n\n"
    "La final, invitați participanții să își împărtășească impresiile și să reflecteze asupra a ceea ce s-a "
    "realizat și asupra a ceea ce îi lipsește încă cooperării."
)

# Phases, team roles and injects by their order or number: only the words change.
_PHASES = {
    1: (
        "Pregătire",
        "Prezentați instrucțiunile introductive și împărțiți participanții în cele cinci echipe ale instituțiilor. "
        "Înmânați fiecărei echipe setul său de informații despre incident: în cursul unei operațiuni la frontieră "
        "au fost identificate victime ale traficului de persoane, iar organele de aplicare a legii, Poliția de "
        "Frontieră și organizațiile care sprijină victimele au fost informate.",
    ),
    2: (
        "Faza preliminară",
        "Fiecare echipă analizează informațiile primite și ia primele decizii.\n"
        "- Echipele 1 și 2 coordonează acțiunile la nivel operativ: reținerea persoanelor și conservarea "
        "probelor.\n"
        "- Echipele 3 și 4 planifică sprijinul pentru victime: le identifică nevoile și le informează cu "
        "privire la drepturile lor.\n"
        "- Echipa 5 urmărește întregul proces, coordonează comunicarea dintre instituții și se ocupă de "
        "aspectele formale și administrative.",
    ),
    3: (
        "Faza de criză",
        "Situația se schimbă, iar echipele trebuie să reacționeze rapid: poate fi necesară evacuarea imediată "
        "a victimelor într-un loc sigur, comunicarea dintre instituții poate fi întreruptă, pot apărea "
        "informații noi.\n"
        "- Echipele 1 și 2 acționează împreună pentru a-i reține în siguranță pe suspecții de trafic de "
        "persoane, protejând în același timp victimele.\n"
        "- Echipele 3 și 4 acționează împreună pentru a acorda asistență victimelor și organizează sprijinul "
        "psihologic și juridic.\n"
        "- Echipa 5 coordonează comunicarea și asigură resursele și sprijinul administrativ.",
    ),
    4: (
        "Debriefing",
        "- Rezumați activitățile; discutați dificultățile și provocările cu care s-au confruntat instituțiile.\n"
        "- Discutați împreună punctele forte ale cooperării și ce trebuie îmbunătățit.\n"
        "- Identificați bunele practici și domeniile în care cooperarea ar putea fi mai bună.",
    ),
}

_TEAM_ROLES = {
    1: (
        "Poliția / organele de aplicare a legii",
        "Poliția de Frontieră (Echipa 2) tocmai v-a informat despre un grup de persoane în ale căror documente "
        "au fost constatate nereguli la un control la frontieră. Polițiștii de frontieră suspectează că aceste "
        "persoane sunt victime ale traficului de persoane, obligate să muncească în condiții ilegale. Nu ați "
        "verificat încă informația.",
        "- Reacționați imediat: verificați informația și organizați ancheta în coordonare cu celelalte "
        "instituții.\n"
        "- Împreună cu Echipa 2, coordonați acțiunile la nivel operativ: reținerea persoanelor și conservarea "
        "probelor.\n"
        "- În situația de criză, rețineți în siguranță, împreună cu Echipa 2, suspecții de trafic de persoane, "
        "protejând în același timp victimele.",
    ),
    2: (
        "Poliția de Frontieră / serviciile de imigrări",
        "În timpul unui control la frontieră, polițiștii dumneavoastră de frontieră au constatat nereguli în "
        "documentele mai multor persoane. Suspectați că acestea sunt victime ale traficului de persoane, obligate "
        "să muncească în condiții ilegale, și ați transmis informația Poliției (Echipa 1).",
        "- Furnizați informații detaliate și cooperați îndeaproape cu Poliția.\n"
        "- Asigurați locul faptei și persoanele implicate.\n"
        "- Împreună cu Echipa 1, coordonați acțiunile la nivel operativ, iar în situația de criză asigurați-vă "
        "că suspecții sunt reținuți în siguranță și că victimele sunt protejate.",
    ),
    3: (
        "Serviciile sociale / protecția victimelor",
        "Ați fost alertați că în cursul unei operațiuni la frontieră au fost identificate posibile victime ale "
        "traficului de persoane, care vor avea nevoie de îngrijire. Nu știți încă nici câte persoane sunt, nici "
        "de ce au nevoie.",
        "- Asigurați victimelor asistență medicală și psihologică.\n"
        "- Ajutați la găsirea unui adăpost sigur și organizați sprijinul ulterior.\n"
        "- Împreună cu Echipa 4, planificați sprijinul pentru victime: identificați-le nevoile și informați-le "
        "cu privire la drepturile lor; în situația de criză, organizați împreună sprijinul psihologic și "
        "juridic.",
    ),
    4: (
        "Organizațiile neguvernamentale (ONG-uri)",
        "Organizația dumneavoastră a aflat de la Poliția de Frontieră că la frontieră au fost oprite mai multe "
        "persoane, posibile victime ale traficului de persoane. Acestea vor avea nevoie de cineva în care să "
        "aibă încredere.",
        "- Contribuiți la identificarea victimelor.\n"
        "- Urmăriți ca procedurile să respecte drepturile omului.\n"
        "- Sprijiniți contactul cu victimele și, împreună cu Echipa 3, planificați și acordați sprijin "
        "psihologic și juridic.",
    ),
    5: (
        "Administrația guvernamentală / ministerele responsabile de politica în domeniul migrației "
        "și al combaterii traficului de persoane",
        "Ministerul a fost informat că la frontieră a fost depistat un posibil caz de trafic de persoane cu mai "
        "multe victime și că Poliția, Poliția de Frontieră și serviciile de sprijin pentru victime au intervenit "
        "deja.",
        "- Coordonați activitățile la nivel național.\n"
        "- Organizați comunicarea și cooperarea dintre instituții; urmăriți întregul proces și ocupați-vă de "
        "aspectele formale și administrative.\n"
        "- Asigurați resursele și sprijinul legislativ.",
    ),
}

_INJECTS = {
    1: (
        "Victime mutate într-o regiune vecină",
        "Prin cooperarea cu un alt stat am aflat că traficanții au mutat o parte dintre victime într-o regiune vecină.",
        "Ofițerul de legătură din statul vecin",
        "- Poliția verifică informația împreună cu autoritățile celuilalt stat (prin canalele Europol sau "
        "Interpol) și extinde ancheta la regiunea respectivă.\n"
        "- Poliția de Frontieră alertează punctele de trecere a frontierei și intensifică controalele pe rutele "
        "probabile.\n"
        "- Echipa administrației guvernamentale informează autoritățile regiunii și ține la curent toate "
        "instituțiile.",
    ),
    2: (
        "Dificultăți de transport",
        "Din cauza unor dificultăți de transport, o parte dintre victime ar putea să nu ajungă la timp în locul "
        "în care urmează să primească îngrijire.",
        "Coordonatoarea adăpostului",
        "- Serviciile sociale și ONG-urile convin asupra unui alt mijloc de transport sau asupra unui loc sigur "
        "temporar.\n"
        "- Stabilesc cine are nevoie cu prioritate de îngrijire și țin victimele la curent.\n"
        "- La nevoie, solicită ajutorul celorlalte echipe (escortă, resurse).",
    ),
    3: (
        "Un suspect încearcă să fugă",
        "În timpul evacuării, unul dintre suspecți a încercat să fugă. Toate instituțiile trebuie să intervină.",
        "Polițistul de la locul faptei",
        "- Poliția și Poliția de Frontieră îl rețin pe suspect, asigurând siguranța victimelor și separarea "
        "acestora de suspecți.\n"
        "- Serviciile sociale și ONG-urile liniștesc victimele și le asigură protecția.\n"
        "- Echipa administrației guvernamentale menține un singur canal de comunicare între toate instituțiile "
        "și consemnează deciziile luate.",
    ),
}

EXERCISE_RO: ExerciseData = replace(
    EXERCISE,
    slug=f"{EXERCISE.slug}-ro",
    name="Recunoașterea victimelor traficului de persoane – audierea suspecților",
    aim=(
        "Dezvoltarea abilităților de cooperare dintre serviciile și instituțiile care combat traficul de "
        "persoane la nivel național. Participanții exersează schimbul de informații, coordonarea activităților "
        "și luarea deciziilor într-o situație de criză, fiecare în limitele propriului rol și al propriilor "
        "responsabilități."
    ),
    scenario=_SCENARIO,
    materials=(
        "- Procedura privind activitățile operative ale instituțiilor.\n"
        "- Lista contactelor interinstituționale și a procedurilor de cooperare.\n"
        "- Fișe de scenariu pentru analiza în echipe, împreună cu fișe de rol (polițist de frontieră, procuror "
        "etc.)."
    ),
    facilitator_guidelines=_GUIDELINES,
    tips=_TIPS,
    online_variation=_ONLINE,
    debriefing_guidance=_DEBRIEFING,
    handouts=(
        HandoutData(
            order=1,
            title="Proceduri de cooperare interinstituțională în cazul depistării traficului de persoane",
            description=(
                "Materialul 1: cine pe cine informează și în ce mod, după depistarea unui posibil caz de trafic "
                "de persoane."
            ),
        ),
        HandoutData(
            order=2,
            title="Principalele instituții și servicii din Polonia care combat traficul de persoane",
            description="Materialul 2: serviciile și organizațiile poloneze implicate și rolurile acestora.",
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
