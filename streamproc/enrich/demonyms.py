"""Place adjectives (demonyms) and the place each names.

News writes a country as often by its adjective as by its name ("British regulators", "a Spanish
airline"); annotated news (MEANTIME, AIDA-CoNLL, the written batches) counts such an adjective as
a mention of the place, and a user who counts a country across a stream must see one name for it
whether an article wrote "Britain" or only "British". So an adjective the model typed a
nationality (NORP) is a mention of its place, named as the place is everywhere (through
``COUNTRY_ALIASES`` for "Britain" -> "United Kingdom").

Only adjectives that name one place: not "European" (Europe or the European Union), "Korean"
(North or South), "Georgian" (a country or a US state), "Congolese", "Arab", "Latin"; and only
the adjective itself, not a people's plural ("Americans", "the Tories"), which names a group.

In an article that writes the place too, an adjective also joins it when it is derived from the
place's name by a regular suffix (:func:`derives_from`): "South Australian" of "South Australia",
"Faroese" of "Faroe Islands", "Parisian" of "Paris". The table alone could not know every region
and city; the article's own place name is the evidence that the adjective means that place.
"""

from __future__ import annotations

DEMONYMS: dict[str, str] = {
    "afghan": "Afghanistan",
    "albanian": "Albania",
    "algerian": "Algeria",
    "american": "United States",
    "argentine": "Argentina",
    "argentinian": "Argentina",
    "armenian": "Armenia",
    "australian": "Australia",
    "austrian": "Austria",
    "azerbaijani": "Azerbaijan",
    "bangladeshi": "Bangladesh",
    "belarusian": "Belarus",
    "belgian": "Belgium",
    "bolivian": "Bolivia",
    "bosnian": "Bosnia and Herzegovina",
    "brazilian": "Brazil",
    "british": "United Kingdom",
    "bulgarian": "Bulgaria",
    "cambodian": "Cambodia",
    "cameroonian": "Cameroon",
    "canadian": "Canada",
    "chilean": "Chile",
    "chinese": "China",
    "colombian": "Colombia",
    "croatian": "Croatia",
    "cuban": "Cuba",
    "cypriot": "Cyprus",
    "czech": "Czech Republic",
    "danish": "Denmark",
    "dutch": "Netherlands",
    "ecuadorian": "Ecuador",
    "egyptian": "Egypt",
    "emirati": "United Arab Emirates",
    "english": "England",
    "estonian": "Estonia",
    "ethiopian": "Ethiopia",
    "filipino": "Philippines",
    "finnish": "Finland",
    "french": "France",
    "german": "Germany",
    "ghanaian": "Ghana",
    "greek": "Greece",
    "hungarian": "Hungary",
    "icelandic": "Iceland",
    "indian": "India",
    "indonesian": "Indonesia",
    "iranian": "Iran",
    "iraqi": "Iraq",
    "irish": "Ireland",
    "israeli": "Israel",
    "italian": "Italy",
    "jamaican": "Jamaica",
    "japanese": "Japan",
    "jordanian": "Jordan",
    "kazakh": "Kazakhstan",
    "kenyan": "Kenya",
    "kuwaiti": "Kuwait",
    "latvian": "Latvia",
    "lebanese": "Lebanon",
    "libyan": "Libya",
    "lithuanian": "Lithuania",
    "malaysian": "Malaysia",
    "maltese": "Malta",
    "mexican": "Mexico",
    "moroccan": "Morocco",
    "nepalese": "Nepal",
    "nigerian": "Nigeria",
    "norwegian": "Norway",
    "pakistani": "Pakistan",
    "peruvian": "Peru",
    "polish": "Poland",
    "portuguese": "Portugal",
    "qatari": "Qatar",
    "romanian": "Romania",
    "russian": "Russia",
    "rwandan": "Rwanda",
    "saudi": "Saudi Arabia",
    "scottish": "Scotland",
    "senegalese": "Senegal",
    "serbian": "Serbia",
    "singaporean": "Singapore",
    "slovak": "Slovakia",
    "slovenian": "Slovenia",
    "somali": "Somalia",
    "spanish": "Spain",
    "sudanese": "Sudan",
    "swedish": "Sweden",
    "swiss": "Switzerland",
    "syrian": "Syria",
    "taiwanese": "Taiwan",
    "thai": "Thailand",
    "tunisian": "Tunisia",
    "turkish": "Turkey",
    "ugandan": "Uganda",
    "ukrainian": "Ukraine",
    "uruguayan": "Uruguay",
    "venezuelan": "Venezuela",
    "vietnamese": "Vietnam",
    "welsh": "Wales",
    "yemeni": "Yemen",
    "zambian": "Zambia",
    "zimbabwean": "Zimbabwe",
}

# Adjectives that name more than one place (see the module doc): never a mention of one of them.
AMBIGUOUS: frozenset[str] = frozenset({"european", "korean", "georgian", "congolese", "arab", "latin"})

# Suffixes that make a place adjective of a place's last word ("Chile" -> "Chilean", "Japan" ->
# "Japanese", "Italy" -> "Italian", "Australia" -> "Australian", "Iraq" -> "Iraqi", "Faroe" ->
# "Faroese"), after the word or after the word less its final vowel or "y".
_SUFFIXES = ("n", "an", "ian", "ese", "i", "ean", "ish")
# A generic plural head after the name the adjective is made of ("Faroe Islands" -> "Faroese").
_GENERIC_HEADS = frozenset({"islands", "island", "isles"})
_MIN_STEM = 3


def derives_from(adjective: str, place: str) -> bool:
    """Whether the adjective key ``adjective`` ("south australian") is made from the place key
    ``place`` ("south australia") by a place-adjective suffix on its last word, every word before it
    the same. Keys are lower case; an ambiguous adjective derives from nothing."""
    words, place_words = adjective.split(), place.split()
    if len(place_words) > 1 and place_words[-1] in _GENERIC_HEADS:
        place_words = place_words[:-1]
    if adjective in AMBIGUOUS or not words or words[:-1] != place_words[:-1]:
        return False
    if len(words) != len(place_words):
        return False
    last, base = words[-1], place_words[-1]
    stems = {base, base[:-1]} if base[-1:] in "aeiouy" else {base}
    return any(len(stem) >= _MIN_STEM and last == stem + suffix for stem in stems for suffix in _SUFFIXES)
