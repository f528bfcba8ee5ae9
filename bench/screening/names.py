"""Per-culture name parts for generating fictional people, and spelling transforms.

Each part is an ordinary, common name element; every *combination* the generators build
is fictional. Spelling transforms model how the same name is written by another
authority: Serbian Cyrillic, passport-style ASCII, Albanian vs Serbian orthography,
Haitian Creole vs French.
"""

from __future__ import annotations

import random
import unicodedata

SERBIAN_MALE = [
    "Jovan", "Marko", "Milan", "Dragan", "Nikola", "Stefan", "Miloš", "Đorđe", "Dušan", "Vuk",
    "Nemanja", "Bojan", "Zoran", "Goran", "Dejan", "Vladimir", "Aleksandar", "Branko",
    "Ljubomir", "Radovan", "Željko", "Srđan", "Predrag", "Čedomir", "Vojislav", "Mladen",
    "Slobodan", "Nenad", "Žarko", "Mirko", "Petar", "Stevan", "Božidar", "Velibor", "Radoš",
    "Ognjen", "Đuro", "Lazar",
]
SERBIAN_FEMALE = [
    "Jovana", "Milica", "Jelena", "Ana", "Marija", "Dragana", "Ljiljana", "Snežana", "Gordana",
    "Svetlana", "Vesna", "Tijana", "Nataša", "Jelica", "Đurđa", "Biljana", "Milena", "Danijela",
    "Katarina", "Mirjana", "Zorica", "Dušica", "Radmila", "Vukica", "Branka", "Nevena",
    "Olivera", "Slađana",
]
SERBIAN_FAMILY = [
    "Petrović", "Jovanović", "Nikolić", "Marković", "Đorđević", "Stojanović", "Ilić",
    "Stanković", "Pavlović", "Milošević", "Popović", "Đukanović", "Vujović", "Radulović",
    "Šćepanović", "Bulatović", "Vučinić", "Lazarević", "Kovačević", "Živković", "Ćirić",
    "Savić", "Tomić", "Mitrović", "Šarić", "Knežević", "Radonjić", "Ljubičić", "Njegovan",
    "Vukčević", "Dragićević", "Perišić", "Đurović", "Mićunović", "Bošković", "Kalezić", "Lalić",
    "Ražnatović", "Vuksanović", "Čabarkapa", "Bećirović", "Ćulafić", "Drobnjak", "Šaranović",
    "Žugić", "Pejović", "Džaković", "Brajović",
]

ALBANIAN_MALE = [
    "Xhevat", "Agron", "Arben", "Besnik", "Driton", "Fatmir", "Gëzim", "Ilir", "Kujtim",
    "Lulzim", "Mentor", "Naim", "Qerim", "Shkëlzen", "Valon", "Xhemal", "Bujar", "Ardian",
    "Dritan", "Fadil", "Hysen", "Jeton", "Rrahim", "Sabri", "Zenel", "Flamur", "Labinot",
    "Bekim", "Gjergj", "Ramiz", "Nexhat", "Shpend", "Afrim", "Xhavit",
]
ALBANIAN_FEMALE = [
    "Arta", "Blerta", "Drita", "Fatmire", "Hana", "Lindita", "Mimoza", "Teuta", "Vjosa",
    "Shqipe", "Xhemile", "Qëndresa", "Donjeta", "Zana", "Albulena", "Fitore", "Valbona",
    "Gjyljeta", "Merita", "Shpresa",
]
ALBANIAN_FAMILY = [
    "Krasniqi", "Gashi", "Berisha", "Morina", "Hoxha", "Shala", "Bytyçi", "Kelmendi", "Rexhepi",
    "Thaçi", "Hyseni", "Ahmeti", "Zeqiri", "Musliu", "Haxhiu", "Dervishi", "Sejdiu", "Kastrati",
    "Xhaferi", "Qerimi", "Gjonbalaj", "Çeku", "Lleshi", "Rrustemi", "Shabani", "Kryeziu",
    "Bajraktari", "Halimi", "Selmani", "Mehmeti", "Osmani", "Dushku", "Hasani", "Zhuri",
]

SPANISH_MALE = [
    "José", "Juan", "Carlos", "Luis", "Jorge", "Miguel", "Ángel", "Rafael", "Jesús", "Yoandry",
    "Yasmany", "Dairon", "Osmany", "Yunior", "Reinaldo", "Álvaro", "Héctor", "Ernesto",
    "Víctor", "Raúl", "Alejandro", "Andrés", "Orlando", "Leonel", "Yoel", "Maikel", "Francisco",
    "Gerardo", "Ignacio", "Ramón",
]
SPANISH_FEMALE = [
    "María", "Yanet", "Yaquelín", "Dayana", "Yuleisy", "Mariela", "Ana", "Carmen", "Rosa",
    "Yolanda", "Leticia", "Gisela", "Odalys", "Marisol", "Beatriz", "Inés", "Xiomara", "Yamilé",
    "Lisbeth", "Francisca", "Mayelín", "Daniela", "Juana", "Milagros",
]
SPANISH_FAMILY = [
    "García", "Rodríguez", "González", "Hernández", "Pérez", "Martínez", "López", "Sánchez",
    "Ramírez", "Díaz", "Álvarez", "Fernández", "Márquez", "Castillo", "Ortega", "Quintero",
    "Valdés", "Cabrera", "Vázquez", "Suárez", "Chávez", "Herrera", "Benítez", "Núñez", "Peña",
    "Ibáñez", "Gutiérrez", "Báez", "Zúñiga", "Echeverría", "Montenegro", "Bermúdez", "Ferrán",
    "Cisneros", "Olivares", "Betancourt", "Arencibia", "Mendoza", "Sotomayor", "Villalobos",
    *["de la Cruz", "del Valle", "de los Santos", "de la Torre"],
]

# (French, Haitian Creole) spellings of the same name.
HAITIAN_GIVEN = (
    ("Jean", "Jan"), ("Jean-Baptiste", "Jan Batis"), ("Pierre", "Pyè"), ("Jacques", "Jak"),
    ("Louis", "Lwi"), ("François", "Franswa"), ("Joseph", "Jozèf"), ("Michel", "Michèl"),
    ("Claude", "Klod"), ("Philippe", "Filip"), ("Emmanuel", "Emanyèl"), ("Wilner", "Wilnè"),
    ("Frantz", "Frants"), ("Mackenson", "Makenson"), ("Nadège", "Nadèj"), ("Josué", "Jozye"),
    ("Lucien", "Lisyen"), ("Dieudonné", "Dyedone"), ("Édouard", "Edwa"), ("Benoît", "Benwa"),
    ("Marie", "Mari"), ("Guerline", "Gèlin"), ("Marc", "Mak"), ("Roselaure", "Wozlò"),
    ("Ti-Paul", "Ti Pòl"), ("Christophe", "Kristòf"), ("Rachelle", "Rachèl"),
    ("Gérard", "Jera"), ("Thérèse", "Terèz"), ("Yves", "Iv"),
)
HAITIAN_FAMILY = (
    ("Pierre", "Pyè"), ("Jean-Louis", "Jan Lwi"), ("Joseph", "Jozèf"), ("Charles", "Chal"),
    ("Baptiste", "Batis"), ("Célestin", "Selesten"), ("Dorvil", "Dòvil"), ("Étienne", "Etyèn"),
    ("Guillaume", "Giyom"), ("Lafontaine", "Lafontèn"), ("Lamour", "Lamou"),
    ("Mondésir", "Mondezi"), ("Noël", "Noyèl"), ("Théodore", "Teyodò"), ("Toussaint", "Tousen"),
    ("Beauvais", "Bove"), ("Valcourt", "Valkou"), ("Desrosiers", "Dewozye"),
    ("Saint-Fleur", "Sen Flè"), ("Jeune", "Jèn"), ("Augustin", "Ogisten"),
    ("Moïse", "Moyiz"), ("Philogène", "Filojèn"), ("Laguerre", "Lagè"), ("Thélusma", "Telisma"),
)

GENERIC_MALE = [
    "John", "Peter", "David", "Thomas", "Daniel", "Samuel", "Michael", "Adam", "Oliver",
    "Henry", "Omar", "Ali",
]
GENERIC_FEMALE = [
    "Mary", "Sarah", "Emily", "Laura", "Hannah", "Sofia", "Amina", "Leila", "Grace", "Nora",
    "Julia",
]
GENERIC_FAMILY = [
    "Smith", "Brown", "Wilson", "Taylor", "Morgan", "Clarke", "Walker", "Hughes", "Bennett",
    "Foster", "Hassan", "Rahman", "Nasser",
]

# -- Serbian Latin <-> Cyrillic ---------------------------------------------------------
_LAT2CYR_DIGRAPHS = {"lj": "љ", "nj": "њ", "dž": "џ"}
_LAT2CYR = dict(zip("abvgdđežzijklmnoprstćufhcčš", "абвгдђежзијклмнопрстћуфхцчш", strict=True))


def to_cyrillic(latin: str) -> str:
    """Serbian Latin to Serbian Cyrillic (Vuk's one-to-one correspondence)."""
    out: list[str] = []
    i = 0
    while i < len(latin):
        pair = latin[i : i + 2]
        lower_pair = pair.lower()
        if lower_pair in _LAT2CYR_DIGRAPHS:
            cyr = _LAT2CYR_DIGRAPHS[lower_pair]
            out.append(cyr.upper() if pair[0].isupper() else cyr)
            i += 2
            continue
        ch = latin[i]
        cyr = _LAT2CYR.get(ch.lower())
        out.append(ch if cyr is None else (cyr.upper() if ch.isupper() else cyr))
        i += 1
    return "".join(out)


def strip_diacritics_naive(text: str) -> str:
    """What a keyboard without diacritics gives: Đ -> D, č -> c (the lossy, common way)."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_PASSPORT = (("Dž", "Dzh"), ("dž", "dzh"), ("Đ", "Dj"), ("đ", "dj"), ("Č", "Ch"), ("č", "ch"),
             ("Ć", "Ch"), ("ć", "ch"), ("Š", "Sh"), ("š", "sh"), ("Ž", "Zh"), ("ž", "zh"))
_PASSPORT_C = (("ć", "c"), ("Ć", "C"), ("č", "c"), ("Č", "C"))


def passport_translit(latin: str, rng: random.Random) -> str:
    """English-style romanisation as found on foreign documents: Djordjevich, Dzhakovic."""
    text = latin
    if rng.random() < 0.5:  # half the authorities write plain c for ć/č
        for old, new in _PASSPORT_C:
            text = text.replace(old, new)
    for old, new in _PASSPORT:
        text = text.replace(old, new)
    return text


# -- Albanian <-> Serbian orthography ----------------------------------------------------
_ALB2SRB = (("Xh", "Dž"), ("xh", "dž"), ("Gj", "Đ"), ("gj", "đ"), ("Sh", "Š"), ("sh", "š"),
            ("Zh", "Ž"), ("zh", "ž"), ("Ç", "Č"), ("ç", "č"), ("Q", "Ć"), ("q", "ć"),
            ("Dh", "D"), ("dh", "d"), ("Th", "T"), ("th", "t"), ("Rr", "R"), ("rr", "r"),
            ("Ll", "L"), ("ll", "l"), ("ë", "e"), ("Ë", "E"), ("y", "i"), ("Y", "I"))


def albanian_to_serbian(name: str) -> str:
    """An Albanian name as a Serbian registry writes it in Latin: Xhevat -> Dževat."""
    for old, new in _ALB2SRB:
        name = name.replace(old, new)
    return name
