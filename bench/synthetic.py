"""Synthetic news articles for the import benchmark (bench/ingest.py): a library of events, each
reported by a handful of articles that share its people, places, statements and wire copy.

Everything follows from the seed (``random.Random``): article *n* of seed *s* is the same text on
every machine and in every run, however many articles are asked for.

What an article is like, and why:

- a headline line, then paragraphs of one to four sentences, 700 to 3,500 words in all (spread
  evenly over that range), one paragraph a line with blank lines between, as the importer reads
  a plain-text file;
- sentences are templates whose slots are filled from sizeable lists (people, first and last names
  combined; places, countries, organisations, nouns, verbs, adjectives, numbers, dates), and no
  template has three content words in a row of its own, so that two unrelated articles rarely
  share a run of three content words, which is what the shared-passage index keys on (about one
  pair of unrelated articles in nine shares one, and then once or twice), and two fillings of one
  template seldom come near enough to count as a shared passage;
- quoted statements with their attribution as news writes it (“…,” Name said. / Name told
  reporters: “…”); an event's speakers make a few statements that several of its articles quote,
  word for word or with a few words changed, as translations differ, so quote clustering has work;
- about one paragraph in ten is wire copy: drawn from the event's pool of agency paragraphs that
  several articles carry, sometimes lightly edited as syndicated copy is (a word changed, "said"
  made "says", punctuation, straight instead of curly quotation marks);
- events of three to eight articles, in library order, so that a library of N articles has
  about N/5 events;
- a dateline under the headline ("Published 3 January 2024"): a desk imports hundreds of articles
  a week, so ``ARTICLES_PER_DAY`` articles a day from 1 January 2024 (a library of 10,000 spans
  about a year), the articles of one event on the day of its first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from random import Random

MIN_WORDS = 700
MAX_WORDS = 3500
WIRE_SHARE = 0.1
QUOTE_SHARE = 0.22  # of the other paragraphs: a statement and its attribution
EVENT_SIZES = (3, 8)


def _words(text: str) -> list[str]:
    return text.split()


FEMALE_FIRST = _words(
    """
    Amira Keiko Olena Grace Sofia Aiko Priya Nadia Ingrid Fatima Leila Mariana Chioma Anika Yuki
    Elena Zainab Hannah Lucia Marta Aisha Camila Freya Ivana Noor Sakura Beatriz Astrid Halima
    Rosa Simone Tamar Yasmin Valentina Ewa Karin Adaeze Mei Shirin Paula Renata Greta Ayesha
    Ines Kamala Liesel Magdalena Nkechi Oksana Petra Rania Sunita Teresa Ulla Vera Wanjiru Xenia
    Zofia Alina Bianca Dagny Esther Farida Gabriela Hiroko Ilse Jana Kalinda Lorena Marisol
    Nadine Ottilie Rukhsana Selin Thandiwe Ursula Viktoria Wilhelmina Yolanda Zehra Annika
    """
)
MALE_FIRST = _words(
    """
    Jonas Rafael Tomasz Mehmet Dmitri Lucas Henrik Pablo Kwame Arjun Stefan Omar Mateo Hiroshi
    Emeka Anders Bogdan Carlos Diego Emil Farid Goran Hamid Ibrahim Javier Kenji Lars Marek Nikolai
    Oskar Pieter Quentin Rashid Sergio Tariq Ugo Viktor Wojciech Yusuf Zoran Adrian Bruno Cyril
    Dario Erik Felipe Gustavo Hugo Ilya Jakob Karim Leon Milan Nuno Olaf Pavel Rohan Samuel
    Thabo Uriel Vasil Walter Xavier Yannick Zeki Alejandro Bartosz Cormac Desmond Eitan Florian
    Gideon Hassan Isidro Jurgen Kofi Lorenzo Matteo Nasser Otto Radek Silvio Teodor
    """
)
LAST_NAMES = _words(
    """
    Okafor Lindqvist Tanaka Moreau Kovalenko Nowak Adeyemi Yilmaz Rossi Petrov Sato Almeida Sharma
    Berg Haddad Ortega Mensah Novak Fischer Castillo Hoang Kaplan Dubois Eriksen Ferreira Gallagher
    Horvath Ivanova Jensen Kowalczyk Laurent Mwangi Nakamura Olsen Pereira Quiroga Rahman
    Schneider Takahashi Umarov Varga Weber Xiong Yamamoto Zielinski Abara Bauer Cardoso Demir
    Ekstrom Fontaine Gutierrez Hansen Iqbal Jovanovic Kuznetsov Lopes Marchetti Nielsen Obi
    Pinto Qureshi Romero Svensson Tkachenko Urbina Vasquez Wojcik Yamada Zapata Arslan Bianchi
    Chowdhury Dlamini Esposito Falk Grabowski Hakimi Iwasaki Jaramillo Kipchoge Lombardi Madsen
    Navarro Oyelaran Pavlenko Ramos Santoro Tiwari Ueda Valente Wang Ybarra Zhukov Achterberg
    Brandt Costa Dragomir Engel Fonseca Greco Hurtado Ishikawa Janssen Kaur Lehmann Moretti
    Nyambura Ozturk Popescu Richter Salazar Toivonen Uchenna Vidal Winter Yoshida Zeller Aguilar
    Bakker Castro Dimitrov Eze Fuentes Gomez Halvorsen Ibarra Jankowski Kimura Lund Mazur Nilsen
    Ochieng Paredes Rasmussen Sokolov Torres Ulloa Volkov Wiese Yadav Zimmermann Antonelli Boateng
    Carvalho Duarte Ekwueme Frolov Gunawardena Herrera Ivanov Jablonski Kariuki Lacroix Medina
    Nkemelu Orlov Pacheco Renner Sandoval Tamura Uribe Villalobos Wendt Yusupov Zamora Albrecht
    Abiodun Ahlberg Andersson Asante Baptiste Belmonte Bjork Borges Brennan Calderon Chiesa
    Coelho Cordero Dahl Delacroix Diallo Dobrev Ekberg Eliasson Fagerlund Farouk Galli Gashi
    Giordano Haaland Hedlund Hoxha Ilunga Iyer Jaber Jelinek Juhasz Kamau Karlsson Kasprzak
    Kolar Koroma Lindgren Lozano Maalouf Machado Makarov Mendes Milano Molina Nassar Ndlovu
    Nyberg Odhiambo Okonkwo Ostrowski Palmer Pellegrini Quaresma Raines Rebelo Roussel Saari
    Sabatini Sampaio Schultz Sidibe Sousa Strand Szabo Tahir Teixeira Toure Traore Ueno Valdez
    Vesely Vitale Wallin Wiklund Yeboah Zaman Zorin Zubiri Aalto Balogun Caruso Dvorak Eklund
    Bergstrom Cisneros Dalgaard Estrada Ferrante Gorski Holm Ikeda Jovic Keller Larsen Mendoza
    """
)
PLACES = _words(
    """
    Rotterdam Mombasa Valparaiso Gdansk Busan Odesa Marseille Halifax Durban Tromso Manila Antwerp
    Callao Chittagong Constanta Dakar Esbjerg Fremantle Genoa Hamburg Izmir Jeddah Karachi Lagos
    Livorno Malmo Nantes Oran Piraeus Qingdao Riga Santos Tangier Ushuaia Varna Walvis Yokohama
    Zadar Aarhus Bergen Cadiz Danzig Ensenada Falmouth Gijon Haifa Iquique Kiel Lisbon Mersin
    Napier Oporto Palermo Recife Salerno Trieste Umea Vigo Wellington Arica Bilbao Cork Dover
    Eilat Fujairah Gothenburg Hobart Inverness Kalmar Limassol Mindelo Narvik Ostend Pula Rijeka
    Sines Turku Valletta Weymouth Aberdeen Belem Cagliari Dundee Essaouira Fortaleza Galway
    Harwich Ilhavo Klaipeda Larnaca Messina Nouadhibou Oulu Plymouth Rostock Split Taranto Vlore
    Batumi Cartagena Douala Fiumicino Grimsby Hull Kotor Lubeck Maputo Nacala Pemba Quelimane
    Sfax Tartus Varberg Bodo Colombo Djibouti Famagusta Gabes Hodeidah Kochi Lome Mangalore
    Nampula Paramaribo Saldanha Toamasina Wismar Agadir Bremerhaven Conakry Dunkirk Freetown
    Kingston Lobito Monrovia Nador Pointe Safi Takoradi Abidjan Brindisi Cotonou Derince Huelva
    Aalborg Alesund Almeria Ancona Arendal Avila Bari Bastia Bayonne Beira Benghazi Bizerte
    Brest Burgas Calais Canakkale Cherbourg Chioggia Ceuta Dieppe Durres Elbasan Ferrol Flensburg
    Foggia Fredrikstad Gabela Gaeta Gela Girona Haugesund Helsingborg Hvar Ibiza Jijel Kemi
    Kokkola Korcula Kristiansand Lamia Lerwick Lorient Lulea Mahon Melilla Molde Monopoli Nafplio
    Nyborg Olbia Ortona Palamos Patras Pesaro Porvoo Preveza Quimper Ravenna Rimini Rovinj
    Sassari Setubal Sibenik Skagen Sopot Stavanger Sundsvall Svendborg Swinoujscie Tarifa
    Tortosa Trapani Tulcea Vaasa Vasto Ventspils Viareggio Volos Ystad Zeebrugge Aveiro Braga
    Coimbra Faro Guimaraes Leiria Tomar Viseu Almada Tavira Olhao Kisumu Malindi
    Lamu Tanga Mtwara Lindi Zanzibar Kilwa Inhambane Chimoio Tete Lichinga Moroni Mutsamudu
    Toliara Mahajanga Antsiranana Morondava Hellville Fianarantsoa Ambositra Arequipa Chimbote
    Paita Pisco Ilo Tumbes Trujillo Chiclayo Piura Huacho Antofagasta Coquimbo Talcahuano
    Valdivia Ancud Coronel Lota Constitucion Chanaral Taltal Mejillones
    Kavala Luanda Matadi Nouakchott Salalah Tema Sohar Kuantan Surabaya Davao Cebu Iloilo Penang
    """
)
COUNTRIES = [
    ("Norway", "Norwegian"),
    ("Brazil", "Brazilian"),
    ("Kenya", "Kenyan"),
    ("Chile", "Chilean"),
    ("Poland", "Polish"),
    ("Japan", "Japanese"),
    ("Turkey", "Turkish"),
    ("Portugal", "Portuguese"),
    ("Ghana", "Ghanaian"),
    ("Vietnam", "Vietnamese"),
    ("Peru", "Peruvian"),
    ("Romania", "Romanian"),
    ("Senegal", "Senegalese"),
    ("Finland", "Finnish"),
    ("Morocco", "Moroccan"),
    ("Indonesia", "Indonesian"),
    ("Greece", "Greek"),
    ("Mexico", "Mexican"),
    ("Egypt", "Egyptian"),
    ("Sweden", "Swedish"),
    ("Nigeria", "Nigerian"),
    ("Argentina", "Argentine"),
    ("Denmark", "Danish"),
    ("Tanzania", "Tanzanian"),
    ("Colombia", "Colombian"),
    ("Croatia", "Croatian"),
    ("Malaysia", "Malaysian"),
    ("Ireland", "Irish"),
    ("Tunisia", "Tunisian"),
    ("Estonia", "Estonian"),
    ("Uruguay", "Uruguayan"),
    ("Bulgaria", "Bulgarian"),
    ("Mozambique", "Mozambican"),
    ("Iceland", "Icelandic"),
    ("Latvia", "Latvian"),
    ("Cyprus", "Cypriot"),
    ("Ecuador", "Ecuadorian"),
    ("Angola", "Angolan"),
    ("Georgia", "Georgian"),
    ("Lithuania", "Lithuanian"),
    ("Namibia", "Namibian"),
    ("Pakistan", "Pakistani"),
    ("Bangladesh", "Bangladeshi"),
    ("Philippines", "Philippine"),
    ("Thailand", "Thai"),
    ("Albania", "Albanian"),
    ("Slovenia", "Slovenian"),
    ("Jordan", "Jordanian"),
    ("Oman", "Omani"),
    ("Cameroon", "Cameroonian"),
]
# An organisation: a place or a surname with one of these.
PLACE_ORGANISATIONS = _words(
    """
    Authority Chamber Council Institute Union Cooperative Board League Federation Association
    Agency Exchange Academy Observatory Commission Tribunal Guild Syndicate Trust Alliance
    """
)
SURNAME_ORGANISATIONS = _words(
    """
    Holdings Logistics Capital Foundation Engineering Shipping Freight Energy Insurance Partners
    Mining Dredging Telecom Textiles Motors Pharma Foods Steel Cement Airways
    """
)
ROLES = [
    "the foreign minister",
    "the transport minister",
    "the finance minister",
    "the mayor",
    "the deputy mayor",
    "the harbour master",
    "the regional governor",
    "the opposition leader",
    "the prime minister",
    "the president",
    "the interior minister",
    "the trade minister",
    "the health minister",
    "the defence minister",
    "the central bank governor",
    "a government spokeswoman",
    "a government spokesman",
    "the chief executive",
    "the union's general secretary",
    "the committee chairwoman",
    "the committee chairman",
    "a senior economist",
    "a lawyer for the families",
    "the police chief",
    "the fire chief",
    "a coast guard commander",
    "the environment minister",
    "the agriculture minister",
    "a member of parliament",
    "the ambassador",
    "the chief prosecutor",
    "the energy minister",
    "a senior diplomat",
    "the labour minister",
    "the head of the inquiry",
    "a local councillor",
    "the port director",
    "the company's founder",
    "a spokesman for the army",
    "a spokeswoman for the ministry",
]
# Countable nouns, "singular" or "singular:plural": things (the {n} slots) and groups of people ({g}).
THINGS = [
    noun.split(":") if ":" in noun else [noun, ""]
    for noun in _words(
        """
        agreement shipment pipeline budget ceasefire contract terminal bridge tunnel railway
        highway airport refinery warehouse factory mill reactor dam reservoir canal harbour pier
        vessel tanker freighter ferry trawler barge container crane truck convoy fleet platform
        cable turbine substation grid plant mine quarry smelter foundry shipyard dock berth jetty
        licence permit subsidy tariff quota levy loan bond grant pension wage lawsuit verdict
        ruling appeal inquiry audit review report survey census forecast estimate projection
        deficit surplus payment transfer merger takeover bid offer deal treaty accord pact
        memorandum charter statute regulation decree embargo sanction blockade curfew deadline
        timetable plan proposal scheme programme project initiative reform overhaul strategy
        policy mandate motion amendment bill referendum ballot election campaign rally protest
        strike walkout boycott petition complaint dispute standoff crisis:crises shortage outage
        blackout flood drought wildfire storm cyclone earthquake landslide spill leak collision
        explosion evacuation rescue patrol raid trial hearing summit conference forum
        negotiation visit tour delegation mission hospital clinic school library museum stadium
        market ministry agency council committee board commission tribunal coalition
        cooperative consortium newspaper website database archive letter memo statement
        announcement warning threshold target benchmark index price fee fare toll ticket
        voucher crop harvest cargo catch herd orchard vineyard pasture forest wetland island
        peninsula valley district province border checkpoint corridor route lane channel strait
        bay lagoon estuary delta glacier reef beach cliff road depot silo lighthouse barrier
        levee pump generator battery satellite radar drone helicopter aircraft runway hangar
        aqueduct viaduct causeway quay wharf slipway marina breakwater
        seawall embankment floodgate sluice lock weir spillway irrigation:irrigations well
        borehole aquifer desalination:desalinations cistern tower mast antenna transmitter
        relay server router network broadband laboratory observatory telescope greenhouse
        hatchery abattoir bakery brewery distillery tannery sawmill papermill cannery dairy
        creamery granary storehouse stockpile reserve inventory consignment parcel pallet
        crate drum canister cylinder valve gauge meter sensor detector scanner camera
        barracks garrison outpost bunker trench minefield airstrip helipad heliport seaport
        spaceport railyard siding underpass overpass footbridge ramp
        tollgate kiosk concourse lounge pavilion
        exhibition fair festival carnival parade ceremony funeral memorial monument statue
        cathedral mosque temple synagogue chapel monastery convent cemetery orphanage shelter
        hostel hotel resort casino arena gymnasium racecourse marathon regatta tournament
        league cup trophy medal prize award scholarship fellowship bursary endowment
        donation pledge fundraiser auction lottery raffle jackpot dividend
        coupon rebate refund surcharge premium mortgage lease tenancy eviction foreclosure
        bankruptcy liquidation receivership bailout buyout flotation listing valuation
        portfolio asset liability invoice receipt ledger balance account cheque
        remittance wire:wires currency peg devaluation inflation recession boom slump
        downturn upturn slowdown shutdown lockdown quarantine vaccine vaccination
        outbreak epidemic pandemic diagnosis treatment surgery ambulance ward pharmacy
        prescription dose study:studies paper:papers thesis:theses lecture
        seminar workshop curriculum syllabus exam diploma textbook dictionary encyclopedia
        manuscript painting sculpture mural tapestry fresco photograph film documentary
        broadcast podcast column editorial headline bulletin dispatch communique manifesto
        pamphlet leaflet poster banner billboard slogan anthem flag emblem insignia uniform
        passport visa certificate warrant subpoena injunction
        indictment conviction acquittal sentence pardon parole bail fine:fines penalty
        motorway junction roundabout tram
        """
    )
]
GROUPS = [
    noun.split(":") if ":" in noun else [noun, ""]
    for noun in _words(
        """
        official worker farmer fisherman:fishermen miner engineer inspector auditor regulator
        prosecutor judge lawyer witness survivor resident tenant landlord voter commuter
        passenger tourist pilot sailor captain soldier officer volunteer doctor nurse teacher
        student researcher scientist economist analyst diplomat envoy negotiator mediator
        observer journalist editor broadcaster investor lender supplier buyer exporter importer
        shopkeeper trader dockworker firefighter paramedic midwife pensioner shareholder
        activist campaigner protester lawmaker senator councillor minister mayor governor
        villager islander herder grower builder driver mechanic electrician plumber contractor
        carpenter welder bricklayer labourer porter stevedore trucker courier cashier
        clerk secretary receptionist caretaker janitor cook chef baker butcher brewer vintner
        fishmonger florist tailor cobbler jeweller pharmacist dentist surgeon therapist
        psychologist vet:vets ranger warden guard lifeguard coastguard diver lifeboatman:lifeboatmen
        harbourmaster:harbourmasters ferryman:ferrymen boatman:boatmen deckhand navigator
        cartographer hydrologist meteorologist seismologist volcanologist botanist zoologist
        ecologist biologist chemist physicist statistician demographer historian archivist
        librarian curator translator interpreter lecturer professor headteacher pupil
        apprentice intern graduate retiree veteran refugee migrant
        consultant banker broker accountant surveyor geologist architect planner
        """
    )
]
VERBS = [
    verb.split(":") if ":" in verb else [verb, ""]
    for verb in _words(
        """
        approve block delay expand review suspend announce reject fund cancel extend inspect
        restore launch support oppose finance build:built close reopen investigate criticise
        defend monitor postpone secure sign raise cut:cut ban:banned lift challenge propose adopt
        question endorse halt resume complete revise tighten ease double reduce increase limit
        protect replace repair upgrade test evaluate hold:held seek:sought win:won lose:lost
        bring:brought sell:sold buy:bought overturn dismiss welcome condemn praise blame
        stop:stopped plan:planned ship:shipped drop:dropped admit:admitted control:controlled
        export import load unload divert reroute escort detain release seize recover
        rebuild:rebuilt restructure privatise nationalise regulate audit scrap abandon revive
        rescue evacuate supply deliver transport store insure subsidise map:mapped negotiate
        broker draft publish confirm dispute contest survey measure chart track estimate
        forecast:forecast model simulate withhold:withheld inherit rename redesign relocate dredge
        reassess rethink:rethought reconsider reform overhaul streamline simplify
        standardise harmonise centralise decentralise outsource insource automate computerise
        electrify decarbonise retrofit:retrofitted refit:refitted refurbish repaint resurface rewire replant
        reforest irrigate drain:drained flood:flooded pump allocate redistribute reallocate
        earmark budget:budgeted guarantee collateralise securitise refinance
        reschedule renegotiate renew terminate annul:annulled invalidate ratify certify accredit validate
        authorise sanction veto:vetoed overrule uphold:upheld quash repeal
        rescind amend codify enforce prosecute indict acquit:acquitted convict sentence pardon extradite
        deport repatriate resettle integrate assimilate exclude include
        prioritise deprioritise shelve revisit relaunch rebrand advertise promote market
        distribute ration:rationed stockpile hoard requisition commandeer confiscate impound
        auction lease rent charter:chartered mortgage pawn pledge donate bequeath
        fortify patrol:patrolled reinforce dismantle demolish renovate modernise digitise
        """
    )
]
ADJECTIVES = _words(
    """
    new major controversial delayed ambitious costly modest sweeping temporary permanent regional
    national local northern southern eastern western coastal rural urban industrial commercial
    military civilian public private independent preliminary final interim annual monthly weekly
    overnight emergency routine unprecedented widespread limited partial complete fragile
    stable volatile cautious bold aggressive defensive secret confidential official informal
    formal binding voluntary mandatory disputed contested popular unpopular expensive cheap
    affordable efficient outdated modern ageing damaged flooded abandoned crowded empty busy
    quiet remote distant neighbouring rival allied foreign domestic international bilateral
    multilateral historic symbolic practical technical legal financial economic political
    diplomatic environmental agricultural medical academic judicial parliamentary municipal
    provincial federal seasonal gradual sudden sharp steep slight significant substantial
    marginal minor massive enormous tiny narrow broad strict lenient generous tight loose
    fresh early late recent former previous subsequent rapid slow steady uneven fierce bitter
    heated calm tense peaceful violent orderly chaotic transparent ambiguous detailed vague
    lengthy brief revised amended unanimous divided reluctant eager hidden visible nearby
    abrupt accidental adequate adjacent alarming apparent arbitrary archaic arduous
    austere authentic autonomous belated benign biased blunt bureaucratic candid careless
    catastrophic celebrated ceremonial chronic clandestine clumsy coherent collective
    colossal combative compulsory conciliatory confusing congested conservative
    considerable consistent conspicuous constructive contentious convincing cordial
    corrupt courageous covert credible cumbersome customary damaging dangerous daring
    deadly decent deceptive defiant deliberate delicate dependable deserted desperate
    devastating dilapidated disastrous discreet dismal disorderly disruptive distinctive
    dormant dramatic drastic dubious durable dwindling dysfunctional elaborate elusive
    embattled eminent encouraging endless energetic entrenched erratic essential ethical
    exceptional excessive exclusive exhaustive experimental explicit explosive extensive
    faltering familiar fatal feasible flawed flimsy forceful foreseeable formidable
    fraudulent frantic frequent frustrating futile glaring gloomy grave grim haphazard
    harsh hasty hazardous hesitant hostile humanitarian humble hurried hypothetical
    idle illegal immediate imminent impartial impractical improvised inadequate
    incomplete inconclusive indefinite indirect ineffective inevitable inflated
    influential informative innovative insolvent instrumental insufficient intense
    intermittent intricate irregular irreversible isolated lacklustre lavish lawful
    legitimate lucrative makeshift meagre meticulous mixed moderate modestly momentous
    muted mysterious needless negligible nominal notorious novel obscure obsolete
    ominous onerous optimistic outspoken overwhelming painstaking paltry persistent
    perilous plausible pragmatic precarious precise premature prestigious prolonged
    prominent promising prosperous provisional prudent punitive radical rare reckless
    redundant relentless reliable remarkable repeated resilient restrictive robust rocky
    rudimentary rushed scarce scathing secure selective sensitive serious severe shaky
    sluggish sombre sophisticated sparse spectacular speculative sporadic stagnant
    staggering stalled stern stringent sturdy subdued subtle successful superficial
    surprising suspicious sustainable systematic tactical tentative thorough tough
    turbulent unconventional understaffed unexpected unfinished unforeseen unhurried
    unlawful unofficial unpaid unreliable unresolved unstable unsuccessful unusual
    unwelcome upbeat valuable vast vigilant vigorous vulnerable wary wasteful weary
    overdue underfunded overcrowded landmark pivotal decisive crucial critical urgent
    """
)
# Words a translation may render another way.
TRANSLATIONS = {
    "will not": ["shall not", "won't"],
    "must": ["have to", "need to"],
    "allow": ["permit", "let"],
    "people": ["citizens", "population"],
    "very": ["extremely", "truly"],
    "now": ["today", "at this moment"],
    "want": ["wish", "intend"],
    "help": ["assist", "support"],
    "begin": ["start", "commence"],
    "quickly": ["rapidly", "swiftly"],
    "nobody": ["no one", "not a single person"],
    "country": ["nation", "state"],
    "together": ["jointly", "side by side"],
    "cannot": ["can not", "are unable to"],
    "important": ["significant", "essential"],
    "friends": ["partners", "allies"],
    "soon": ["shortly", "in the near future"],
    "ready": ["prepared", "willing"],
}
WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
MONTHS = _words("January February March April May June July August September October November December")
NUMBER_WORDS = _words("two three four five six seven eight nine ten eleven twelve fifteen twenty thirty")

# Narrative sentences. Slots: {P} {Q} two of the event's people, {R} the first one's role, {PL}
# a place, {C} a country, {N} a nationality, {O} an organisation, {n} {ns} a thing (singular,
# plural), {g} {gs} people (a group: workers, farmers), {a} an adjective, {v} {vd} {vs} a verb
# (base, past, third person), {num} a number, {pct}, {money}, {day}, {month}, {date}, {year}.
# A template has no run of three content words of its own, and few of two, so that unrelated
# articles rarely share a content-word shingle through their templates.
SENTENCES = [
    "{P}, {R}, said on {date} that the {n} would {v} the {a} {n} before {month}.",
    "{a} {gs} in {PL} {vd} {num} {ns} on {day}, according to {O}.",
    "The {a} {n} {vd} after weeks of {a} {ns} between {C} and its {gs}.",
    "{O} said it had {vd} the {n} and expected a {a} {n} by the end of {month}.",
    "According to {O}, {num} {ns} were {vd} in {PL} in {year}, up from {num} the year before.",
    "{gs} in {PL} described {a} {ns} and {a} {ns} in the hours after the {n}.",
    "It was not clear whether the {n} would {v} the {a} {n} that {P} had promised.",
    "The {N} government has {vd} {num} {ns} since {month}, {O} said.",
    "{gs} at {O} warned that {a} {ns} could {v} the {n} in {PL} for months.",
    "{P} {vd} the {a} {n} in a statement to {gs} on {date}, calling it a {a} and {a} step.",
    "In {PL}, where the {n} has been {vd} since {year}, {a} {gs} {vd} the {ns} before dawn.",
    "The {a} {n} is expected to {v} {money}, about {pct} more than the {a} {n}.",
    "{P} arrived in {PL} on {day} for {a} {ns} with {Q}.",
    "The {a} {n} was {vd} by {O} after a {a} debate.",
    "{a} {gs} say the {n} does little to {v} the {ns} that {vs} {PL} every {month}.",
    "In {year} {P} {vd} a {a} {n} aimed at {gs} in the {a} districts.",
    "{O} has not commented on the {a} {n}, and {gs} at its {n} in {PL} did not answer calls.",
    "By {date}, {num} {ns} had been {vd} and the {n} near {PL} was {a} again.",
    "{Q}, who has {vd} the {n} for years, said the {ns} had been {a} from the start.",
    "The {n} follows a {a} {n} in {month} that left {num} {gs} without a {n}.",
    "Under the {a} {n}, {gs} in {PL} would {v} {pct} of their {ns} to {O}.",
    "Police said {num} {gs} were {vd} near the {a} {n} in {PL} on {day} night.",
    "{O} said the {a} {ns} had {vd} {money} for the {gs} in {PL}.",
    "Both {gs} agreed to {v} the {a} {n} and to meet {O} again in {PL} on {date}.",
    "{C} and {O} have been at odds over the {a} {n} since {year}.",
    "Several {gs} at the {a} {n} in {PL} said {O} had not told them about the {a} {n}.",
    "At a {n} in {PL}, {P} urged {gs} to {v} the {a} {n} without delay.",
    "The {a} figures {O} published on {date} show that {ns} {vd} in {month}.",
    "Shares in {O} fell after the {a} {n} was {vd}, and {a} {gs} {vd} the {ns}.",
    "{P} is due to {v} the {n} with {Q} when they meet in {PL} on {date}.",
    "A {a} {n} from {O} found that {num} {ns} had never been {vd}.",
    "The {n} in {PL} has {vd} the {a} {ns} facing {C}.",
    "Lawyers for the {gs} of {PL} said they would {v} the {a} {n} in the {a} court.",
    "Many {gs} in {PL} remember the {a} {n} of {year}, when {num} {ns} were lost.",
    "The {a} {n} will {v} the {ns} of {num} {gs} in {PL} and the surrounding {n}.",
    "Speaking in {PL} on {day}, {P} said {C} was ready to {v} the {n}.",
    "{Q} said {a} {gs} had {vd} the {n}, but gave no {a} details about the {ns}.",
    "{O} {vd} a {a} {n} on {date} after {gs} {vd} the {a} {n}.",
    "{a} {gs} did not say how many {ns} {O} had {vd} or when the {a} {n} would {v}.",
    "Since the {n}, {gs} from {PL} have travelled to {PL} to {v} their {ns}.",
    "The {n} was first {vd} in {year} by {P}, then {R}.",
    "{P} told {O} that the {a} {n} had {vd} {num} {ns} in {PL} alone.",
    "The {a} {ns} have {vd} {gs} across {C}, from {PL} to {PL}.",
    "A spokesperson for {O} said the {n} was {a} and would be {vd} by {month}.",
    "In a {a} letter to {gs}, {O} said the {ns} of {PL} were {a}.",
    "The {a} {n} had been {vd} by {gs} from {PL} in {year} and by {O} in {year}.",
    "{gs} at {O} {vd} the {n} on {day} and {vd} {num} {ns}.",
    "{a} {gs} accused {P} of trying to {v} the {n} before the {a} {n}.",
    "The {a} {n} is the first {P} has {vd} since {year}.",
    "Pictures from {PL} showed {a} {ns} and {gs} along the {n}.",
    "{O} estimates that the {a} {n} will {v} {money} for {gs} in {PL}.",
    "There was no {a} response from {P}, who was in {PL} to {v} the {a} {n} with {gs}.",
    "The {n} near {PL} {vs} {num} {ns} a year, most of them {vd} to {C}.",
    "{a} talks on the {n} {vd} in {month} over the {a} {n} of the {ns}.",
    "{P} and {Q} {vd} the {a} {n} by telephone, {O} said on {day}.",
    "{gs} from {O} {vd} {num} {gs} from the {n} overnight.",
    "The {n} affects {gs} in {PL}, {PL} and several {a} {ns}.",
    "A {a} {n} of the {n} is planned for {month}, {P} said, and {gs} will {v} it.",
    "Under {N} law, {O} must {v} any {n} worth more than {money}.",
    "The {a} {ns} were {vd} at a {n} outside {PL} on {date}.",
    "{Q}, {R}, {vd} the {n} as {a} and {a}.",
    "For {gs} in {PL}, the {n} means {a} {ns} and {a} {ns}.",
    "{O} and {O} signed a {a} {n} in {PL} in {month}.",
    "{P} had {vd} the {gs} of {O} for the {a} {n}.",
    "Prices of {ns} in {PL} rose {pct} after the {a} {n}.",
    "The {n} remains {a}, and {gs} in {PL} expect a {a} {n}.",
    "{a} data from {O} suggest the {n} {vd} {num} {ns} in {month} alone.",
    "The {a} {n} in {PL} was {vd} on {day} after a {a} {n} by {O}.",
    "Asked whether the {n} would {v} the {ns}, {P} said {O} would decide.",
    "Dozens of {gs} {vd} the {n} in {PL} to {v} the {a} {n}.",
    "The {N} {n} was {vd} for {a} {ns} in {year} and has not been {vd} since.",
    "{Q} has {vd} {a} {ns} before, most recently in {PL} in {year}.",
    "{O} {vs} that {num} {gs} will {v} the {n} by {month}.",
    "{gs} and {gs} in {PL} have {vd} the {a} {n} since {date}.",
    "On {day}, {P} {vd} the {a} {ns} and promised a {a} {n} for {gs}.",
    "The {n} between {PL} and {PL} was {vd} on {day} for the {a} {ns}.",
    "{P}'s {a} {n} has {vd} {gs} who {v} the {ns} of {PL}.",
    "The {a} {ns} cost {gs} in {PL} about {money}, {O} {vs}.",
    "A {a} {n} to {v} the {n} near {PL} was {vd} by {O} in {month}.",
    "Few {gs} in {PL} expect the {a} {n} to {v} the {ns} before {year}.",
]
# Statements are put together from an opening, an object and an ending, so that two statements
# seldom share more than their function words; translations render TRANSLATIONS words otherwise.
STATEMENT_OPENINGS = [
    "We will not allow {gs} to {v}",
    "{C} is ready to {v}",
    "I have asked {O} to {v}",
    "Nobody should {v}",
    "We must {v}",
    "{O} cannot {v}",
    "We want to {v}",
    "It is very important to {v}",
    "We will {v}",
    "Our {gs} have asked us to {v}",
    "The {gs} of {PL} want us to {v}",
    "I promised the {gs} of {PL} that we would {v}",
    "We are not going to {v}",
    "We will soon {v}",
    "Together with {C} we will {v}",
    "No government can {v}",
    "We cannot {v}",
    "My {n} has always been to {v}",
    "The {gs} of {C} know we will {v}",
    "It would be {a} to {v}",
    "Our {a} {gs} expect {O} to {v}",
    "Let me be clear to {O}: we intend to {v}",
    "For {num} years {C} has tried to {v}",
    "The {gs} I met in {PL} begged me to {v}",
    "History will judge whether {C} dared to {v}",
    "My government was elected by {gs} to {v}",
    "Anyone who thinks {C} will not {v}",
    "Not one {g} in {PL} believes we should {v}",
    "I refuse to {v}",
    "The time has come for {C} to {v}",
    "Nothing in the {n} obliges us to {v}",
    "Last {month} I said we would {v}",
    "Our {a} partners in {O} agreed to {v}",
    "Every {g} knows it is {a} to {v}",
    "No {g} from {PL} will be asked to {v}",
    "Frankly, {O} has failed to {v}",
    "I call on {Q} to {v}",
    "Our {a} plan for {PL} is simple: {v}",
    "This {n} gives {O} the power to {v}",
    "The {gs} were never consulted before {O} decided to {v}",
]
STATEMENT_OBJECTS = [
    "the {a} {n} in {PL}",
    "every {n} that the {gs} of {PL} depend on",
    "the {ns} of {num} {gs}",
    "a {a} {n} for the {gs}",
    "the {n} that {vd} our {ns}",
    "the {a} {ns} and the {a} {ns}",
    "what is left of the {a} {n}",
    "our {a} {n} with {C}",
    "the {n} {O} {vd} in {month}",
    "the {a} {n} our {gs} were promised",
    "this {a} {n}",
    "the {ns} of the {a} {gs}",
    "{num} {ns} along the {a} {n}",
    "the {a} {n} {Q} signed in {year}",
    "each {a} {n} between {PL} and {PL}",
    "the {ns} our {gs} built after the {n}",
    "whatever {ns} remain in {PL}",
    "both the {n} and the {a} {ns}",
    "the {n} the {gs} of {C} rely on",
    "a {n} worth {money}",
    "any {a} {n} {O} proposes",
    "the {ns} {vd} during the {a} {n}",
    "these {a} {ns}",
    "the {n} and every {a} {n} near it",
    "{O}'s {a} {n}",
]
STATEMENT_ENDINGS = [
    " before {month}, whatever the {gs} in {PL} say",
    " within {num} months, and the {gs} will {v} the {ns}",
    " and we will not wait for {C} to {v} the {a} {ns}",
    " because the {gs} of {PL} have {vd} {ns} for years",
    " with our friends in {PL} and the {gs} of {C}",
    ", whatever {O} says about the {a} {ns}",
    " now, not in {year}, when the {ns} will be {a}",
    ", and the {gs} will {v} it as a {a} {n}",
    " for the sake of our {gs} and their {a} {ns}",
    ", and that is not a {a} {n} for {PL}",
    " without any {a} {ns} from {O}",
    " in {year} at the latest, as the {gs} of {PL} asked",
    ", because {a} {ns} cannot {v} the {n} of {PL}",
    " so that no {g} in {PL} has to {v} a {a} {n} again",
]
QUOTED = [
    "“{S},” {P} said.",
    "“{S},” said {P}, {R}.",
    "{P} told reporters in {PL}: “{S}.”",
    "“{S},” {P} said in a statement to {O}.",
    "{P} told {a} {gs} in {PL}: “{S}.”",
    "“{S},” {P} said, adding that the {n} would be {vd} by {month}.",
    "“{S},” {P} told {O}.",
    "In a speech in {PL}, {P} said: “{S}.”",
]
FOLLOW_UP = ["“{S},” {he} added.", "“{S},” {he} said.", "“{S},” {he} told reporters."]
HEADLINES = [
    "{Plast} {vs} {n} as {gs} {v} {ns} in {PL}",
    "{a} {n} in {PL} {vs} {gs}",
    "{C} to {v} {a} {n} after {n} in {PL}",
    "{gs} in {PL} {v} {a} {n}",
    "{Plast} and {Qlast} agree to {v} {n}",
    "{O} {vs} {n} amid {a} {ns}",
    "What the {a} {n} means for {gs} in {PL}",
    "{PL} {n}: {gs} {v} {a} {ns}",
]


def _plural(noun: list[str]) -> str:
    singular, plural = noun
    if plural:
        return plural
    if re.search(r"(s|sh|ch|x|z)$", singular):
        return singular + "es"
    if re.search(r"[^aeiou]y$", singular):
        return singular[:-1] + "ies"
    return singular + "s"


def _past(verb: list[str]) -> str:
    base, past = verb
    if past:
        return past
    if base.endswith("e"):
        return base + "d"
    if re.search(r"[^aeiou]y$", base):
        return base[:-1] + "ied"
    return base + "ed"


def _third_person(verb: list[str]) -> str:
    base = verb[0]
    if re.search(r"(s|sh|ch|x|z|o)$", base):
        return base + "es"
    if re.search(r"[^aeiou]y$", base):
        return base[:-1] + "ies"
    return base + "s"


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    role: str
    pronoun: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class Event:
    """What the articles about one event share: its cast, places, words, statements, wire copy."""

    number: int
    size: int
    people: list[Person]
    places: list[str]
    country: tuple[str, str]
    organisations: list[str]
    things: list[list[str]]
    groups: list[list[str]]
    month: str
    statements: list[tuple[int, str]] = field(default_factory=list)  # (speaker, statement)
    wire: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Article:
    number: int
    event: int
    title: str
    text: str  # the whole file: the headline line, a blank line, paragraphs separated by blank lines

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def filename(self) -> str:
        return f"article-{self.number:06d}.txt"


def _organisation(rng: Random) -> str:
    if rng.random() < 0.6:
        return f"the {rng.choice(PLACES)} {rng.choice(PLACE_ORGANISATIONS)}"
    return f"{rng.choice(LAST_NAMES)} {rng.choice(SURNAME_ORGANISATIONS)}"


def _person(rng: Random) -> Person:
    female = rng.random() < 0.5
    first = rng.choice(FEMALE_FIRST if female else MALE_FIRST)
    return Person(first, rng.choice(LAST_NAMES), rng.choice(ROLES), "she" if female else "he")


def _indefinite_articles(text: str) -> str:
    """ "a" before a vowel made "an"."""
    return re.sub(r"\b([Aa]) (?=[aeiouAEIOU])", r"\1n ", text)


def _number(rng: Random) -> str:
    kind = rng.random()
    if kind < 0.1:
        return rng.choice(NUMBER_WORDS)
    if kind < 0.6:
        return str(rng.randint(12, 950))
    value = f"{rng.randint(1, 99)},{rng.randint(0, 999):03d}"
    return rng.choice(["", "about ", "more than "]) + value


class _Writer:
    """Fills templates for one article (or for the text an event's articles share): people named
    in full the first time, then mostly by surname; the event's own words more often than the
    lists'; each sentence template used once before any is used again."""

    def __init__(self, rng: Random, event: Event):
        self.rng = rng
        self.event = event
        self.named: set[Person] = set()
        self.deck: list[str] = []

    def mention(self, person: Person) -> str:
        if person in self.named and self.rng.random() < 0.7:
            return person.last
        self.named.add(person)
        return person.name

    def _pick(self, own: list, every: list, share: float) -> list[str] | str:
        return self.rng.choice(own) if self.rng.random() < share else self.rng.choice(every)

    def fill(self, template: str, *, speaker: Person | None = None, statement: str = "") -> str:
        rng, event = self.rng, self.event
        first = speaker or rng.choice(event.people)
        second = rng.choice([person for person in event.people if person != first] or event.people)

        def slot(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in ("P", "Q"):
                return self.mention(first if name == "P" else second)
            if name in ("Plast", "Qlast"):
                return (first if name == "Plast" else second).last
            if name == "R":
                return first.role
            if name == "he":
                return first.pronoun
            if name == "S":
                return statement
            if name == "PL":
                return str(self._pick(event.places, PLACES, 0.6))
            if name in ("C", "N"):
                country = event.country if rng.random() < 0.7 else rng.choice(COUNTRIES)
                return country[0 if name == "C" else 1]
            if name == "O":
                return str(self._pick(event.organisations, [_organisation(rng)], 0.8))
            if name in ("n", "ns"):
                thing = list(self._pick(event.things, THINGS, 0.3))
                return thing[0] if name == "n" else _plural(thing)
            if name in ("g", "gs"):
                group = list(self._pick(event.groups, GROUPS, 0.4))
                return group[0] if name == "g" else _plural(group)
            if name == "a":
                return rng.choice(ADJECTIVES)
            if name in ("v", "vd", "vs"):
                verb = rng.choice(VERBS)
                return {"v": verb[0], "vd": _past(verb), "vs": _third_person(verb)}[name]
            if name == "num":
                return _number(rng)
            if name == "pct":
                return f"{rng.randint(1, 99)}.{rng.randint(1, 9)} percent"
            if name == "money":
                return f"${rng.randint(2, 900)}.{rng.randint(1, 9)} {rng.choice(['million', 'billion'])}"
            if name == "day":
                return rng.choice(WEEKDAYS)
            if name == "month":
                return event.month if rng.random() < 0.5 else rng.choice(MONTHS)
            if name == "date":
                return f"{rng.choice(MONTHS)} {rng.randint(1, 28)}"
            if name == "year":
                return str(rng.randint(1998, 2025))
            raise KeyError(name)

        text = _indefinite_articles(re.sub(r"\{(\w+)\}", slot, template))
        return text[:1].upper() + text[1:]

    def sentence(self) -> str:
        if not self.deck:
            self.deck = list(SENTENCES)
            self.rng.shuffle(self.deck)
        return self.fill(self.deck.pop())

    def statement(self) -> str:
        """A new statement, without its closing punctuation."""
        rng = self.rng
        parts = rng.choice(STATEMENT_OPENINGS), rng.choice(STATEMENT_OBJECTS), rng.choice(STATEMENT_ENDINGS)
        return self.fill(f"{parts[0]} {parts[1]}{parts[2]}")

    def quoted(self, speaker: Person, statement: str) -> str:
        return self.fill(self.rng.choice(QUOTED), speaker=speaker, statement=statement)


def translated(rng: Random, statement: str) -> str:
    """The statement as another translation might give it: one to three words rendered otherwise,
    or, when it has none of those words, an adjective added."""
    choices = [phrase for phrase in TRANSLATIONS if re.search(rf"\b{phrase}\b", statement, re.IGNORECASE)]
    rng.shuffle(choices)
    for phrase in choices[: rng.randint(1, 3)]:
        other = rng.choice(TRANSLATIONS[phrase])
        statement = re.sub(rf"\b{phrase}\b", other, statement, count=1, flags=re.IGNORECASE)
    if not choices:
        words = statement.split()
        index = rng.randrange(1, len(words))
        words[index] = rng.choice(ADJECTIVES) + " " + words[index]
        statement = _indefinite_articles(" ".join(words))
    return statement[:1].upper() + statement[1:]


def syndicated(rng: Random, paragraph: str) -> str:
    """A wire paragraph as another outlet prints it: as sent half the time, else with one or two
    light edits (a word changed, "said" made "says", punctuation, straight quotation marks)."""
    if rng.random() < 0.5:
        return paragraph
    for edit in rng.sample(["word", "says", "punctuation", "quotes"], rng.randint(1, 2)):
        if edit == "word":
            adjectives = [word for word in ADJECTIVES if re.search(rf"\b{word}\b", paragraph)]
            if adjectives:
                old = rng.choice(adjectives)
                paragraph = _indefinite_articles(re.sub(rf"\b{old}\b", rng.choice(ADJECTIVES), paragraph, count=1))
        elif edit == "says":
            paragraph = re.sub(r"\bsaid\b", "says", paragraph)
        elif edit == "punctuation":
            commas = [match.start() for match in re.finditer(r",(?=\s)", paragraph)]
            if commas:
                at = rng.choice(commas)
                paragraph = paragraph[:at] + rng.choice([";", "", " —"]) + paragraph[at + 1 :]
        else:
            paragraph = paragraph.replace("“", '"').replace("”", '"')
    return paragraph


def _event(seed: int, number: int) -> Event:
    rng = Random(f"{seed}/event/{number}")
    people: list[Person] = []
    cast = rng.randint(3, 6)
    while len(people) < cast:
        person = _person(rng)
        if all(person.last != other.last for other in people):
            people.append(person)
    event = Event(
        number=number,
        size=rng.randint(*EVENT_SIZES),
        people=people,
        places=rng.sample(PLACES, 3),
        country=rng.choice(COUNTRIES),
        organisations=[_organisation(rng) for _ in range(3)],
        things=rng.sample(THINGS, 6),
        groups=rng.sample(GROUPS, 3),
        month=rng.choice(MONTHS),
    )
    writer = _Writer(rng, event)
    for _ in range(rng.randint(4, 8)):
        event.statements.append((rng.randrange(len(people)), writer.statement()))
    for _ in range(rng.randint(10, 14)):
        sentences = [writer.sentence() for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.4:
            sentences.append(writer.quoted(rng.choice(people), writer.statement()))
        writer.named.clear()
        event.wire.append(" ".join(sentences))
    return event


def _article(seed: int, event: Event, index: int, number: int, day: int) -> Article:
    rng = Random(f"{seed}/article/{event.number}/{index}")
    writer = _Writer(rng, event)
    target = rng.randint(MIN_WORDS, MAX_WORDS)
    title = writer.fill(rng.choice(HEADLINES))
    writer.named.clear()
    quoted = rng.sample(event.statements, k=rng.randint(2, min(5, len(event.statements))))
    wire = rng.sample(event.wire, k=len(event.wire))  # an outlet runs a wire paragraph once
    paragraphs: list[str] = []
    carried = 0  # wire paragraphs so far: kept near WIRE_SHARE of the article, at random places
    words = 0
    while words < target:
        if wire and carried < WIRE_SHARE * (len(paragraphs) + 1) and rng.random() < 0.25:
            paragraph = syndicated(rng, wire.pop())
            carried += 1
        elif rng.random() < QUOTE_SHARE:
            if quoted and rng.random() < 0.6:
                speaker_index, statement = quoted.pop()
                if rng.random() < 0.45:
                    statement = translated(rng, statement)
            else:
                speaker_index, statement = rng.randrange(len(event.people)), writer.statement()
            speaker = event.people[speaker_index]
            sentences = [writer.quoted(speaker, statement)]
            if rng.random() < 0.4:
                sentences.append(writer.fill(rng.choice(FOLLOW_UP), speaker=speaker, statement=writer.statement()))
            if rng.random() < 0.5:
                sentences.append(writer.sentence())
            paragraph = " ".join(sentences)
        else:
            paragraph = " ".join(writer.sentence() for _ in range(rng.randint(1, 4)))
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    text = title + "\n\n" + f"Published {_dateline(day)}" + "\n\n" + "\n\n".join(paragraphs) + "\n"
    return Article(number=number, event=event.number, title=title, text=text)


ARTICLES_PER_DAY = 30
FIRST_DAY = date(2024, 1, 1)


def _dateline(day: int) -> str:
    when = FIRST_DAY + timedelta(days=day)
    return f"{when.day} {when.strftime('%B')} {when.year}"


def articles(seed: int) -> Iterator[Article]:
    """The library of this seed, article by article, event after event, without end."""
    number = 0
    event_number = 0
    while True:
        event = _event(seed, event_number)
        day = number // ARTICLES_PER_DAY  # the day of the event's first article
        for index in range(event.size):
            yield _article(seed, event, index, number, day)
            number += 1
        event_number += 1


def write_articles(folder: Path, batch: list[Article]) -> list[Path]:
    """Write the articles as .txt files (UTF-8) in the folder, which is made if need be."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for article in batch:
        path = folder / article.filename
        path.write_text(article.text, encoding="utf-8")
        paths.append(path)
    return paths
