"""The closed-class English words the rules read.

The lexicons (`armstrace/lexicons/*.tsv`) map phrases to the actors, weapons and cues a claim
names, each under an id the claim records. The words here name nothing: they are the grammar
(prepositions, determiners, pronouns, auxiliaries) and the small families of verbs and nouns
that tell the role, modality and attribution rules how a clause is built, so the rules test
tokens against them (`low[i] in PREPOSITIONS`) and no claim ever cites one.

They live in one module so that each list is written once and lists that look alike sit side by
side, with what tells them apart. Every word is a lowercased token as `tokenize` makes it:
contractions are tokens of their own ("'s", "'re", "n't", "'ll"), and punctuation is kept where
a list is about punctuation.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------
# clause edges: where a rule's search for a subject, an object or a hedge stops

# words that end a clause for the purposes of role and cue scope
CLAUSE_BREAK = frozenset(
    {
        ";",
        ":",
        "—",
        "–",
        "(",
        ")",
        "[",
        "]",
        "but",
        "although",
        "though",
        "whereas",
        "however",
        "while",
        "meanwhile",
        "despite",
        "because",
        "after",
        "before",
        "since",
        "unless",
        "which",
        "who",
        "whom",
        "where",
        "when",
    }
)
# where a hedge stops governing the trigger after it (modality's scope). Narrower than
# CLAUSE_BREAK: an aside (a colon, a dash, brackets) or a relative clause between a hedge and
# its verb does not end the hedge ("Iran may — officials said — send drones")
HARD_BREAK = frozenset(
    {
        ";",
        "but",
        "although",
        "though",
        "whereas",
        "however",
        "while",
        "meanwhile",
        "despite",
        "because",
        "unless",
        "before",
        "after",
    }
)
# stop the leftward search for a subject at a reporting verb or complementizer: the subject of
# "X said Y sent Z" is Y, and "X" belongs to the attribution, not the event
SUBJECT_STOP = frozenset(
    {
        "said",
        "says",
        "told",
        "that",
        "reported",
        "according",
        "announced",
        "claimed",
        "alleged",
        "alleges",
        "added",
        "noted",
        "stated",
        "believes",
        "suspect",
        "denied",
        "warned",
        "suggested",
        "confirmed",
        "insisted",
    }
)
# an item before an active verb is its object only across one of these ("the drones that Iran
# sent")
RELATIVE_PRONOUNS = frozenset({"that", "which", "whom"})
# wiki markup around a name ("''Xinhua'' has stated"): part of the speaker's phrase, no quote
WIKI_QUOTES = frozenset({"''", "'''"})

# ---------------------------------------------------------------------------------------------
# prepositions: an actor after one is an object, never the subject; the narrow sets are the
# ones a frame asks `roles.find_pp` about

PREPOSITIONS = frozenset(
    {
        "to",
        "from",
        "for",
        "with",
        "in",
        "into",
        "against",
        "of",
        "by",
        "on",
        "at",
        "between",
        "among",
        "over",
        "including",
        "than",
        "across",
        "toward",
        "towards",
        "near",
        "within",
        "inside",
        "via",
        "through",
        "about",
        "like",
        "as",
        "under",
        "beyond",
        "around",
        "without",
        "throughout",
        "amid",
        "behind",
        "upon",
        "onto",
        "along",
    }
)
# the recipient of a give verb ("sent drones to Russia", "smuggled rifles into Gaza")
RECIPIENT_PREPS = frozenset({"to", "for", "into"})
# the prepositions (and infinitives: "to help Ukraine") frames ask `find_pp` about. TO_FOR is
# RECIPIENT_PREPS without "into": only a verb moves goods "into" a place ("smuggled rifles into
# Gaza"); a transfer noun or goods in transit go "to" or "for" their recipient
TO_FOR = frozenset({"to", "for"})
FROM = frozenset({"from"})
BY = frozenset({"by"})
WITH = frozenset({"with"})
# "concerns over", "talks on", "opposed to" the event: whoever comes before is not its actor
TOPIC_PREPOSITIONS = frozenset({"over", "about", "against", "on", "to", "regarding", "with"})

# ---------------------------------------------------------------------------------------------
# determiners and numbers: what may stand between a verb, an actor or a count and its noun

DETERMINERS = frozenset(
    {
        "the",
        "a",
        "an",
        "its",
        "their",
        "his",
        "her",
        "this",
        "that",
        "these",
        "those",
        "some",
        "any",
        "no",
        "more",
        "further",
        "other",
        "new",
        "additional",
        "several",
        "many",
        "all",
        "such",
        "our",
        "your",
        "my",
        "another",
        "each",
        "both",
    }
)
# a generic word after one of these refers back to a system just named ("the drones" after
# "Shahed-136"); after "a" or "new" it introduces another
DEFINITE = frozenset({"the", "these", "those", "such", "any"})
# a count before a trigger makes it a noun modifier ("two test planes")
NUMBER_WORDS = frozenset(
    [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "dozen",
        "dozens",
        "hundreds",
        "thousands",
    ]
)
# a quantity after the first object of a give verb makes that object the indirect one
# ("sold Iran about 100 missiles")
QUANTITY_LEADS = frozenset(
    {
        "about",
        "some",
        "more",
        "over",
        "around",
        "nearly",
        "almost",
        "roughly",
        "approximately",
        "up",
        "at",
        "hundreds",
        "thousands",
        "dozens",
        "tens",
        "millions",
        "a",
        "an",
    }
)

# ---------------------------------------------------------------------------------------------
# pronouns: the shallow coreference of the role and attribution rules

SUBJECT_PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i"})
# a speaker phrase that is one of these is resolved to the person or organisation it refers
# to. The same words as SUBJECT_PRONOUNS, and kept the same: a pronoun that can be a subject
# can be a speaker
PRONOUN_SPEAKERS = SUBJECT_PRONOUNS
# an object that is one of these is the weapon named last ("send these to Russia")
ITEM_PRONOUNS = frozenset({"these", "them", "those", "it", "they"})

# ---------------------------------------------------------------------------------------------
# the verb group: auxiliaries, and the adverbs that sit among them

# a form of "be" (or "get") before a participle makes the trigger passive ("was sent", "got
# sold"); the clitics "'s" and "'re" are "is" and "are" there
BE_FORMS = frozenset({"is", "are", "was", "were", "be", "been", "being", "'s", "'re", "get", "got"})
# the same before a reporting verb ("it is said", "were accused of"), where only the full forms
# of "be" count: a clitic there is as often "has" or "have" ("he's said"), and "get" makes no
# passive of a reporting verb
PASSIVE_BE = frozenset({"is", "are", "was", "were", "be", "been", "being"})
# the present forms of "be" (BE_FORMS has every tense, for passives) before an "-ing" trigger
# make it ongoing ("is sending")
PRESENT_BE = frozenset({"is", "are", "am", "'s", "'re"})
# every word of a verb group before its main verb: a verb stands between an actor and the item
# it would modify ("Poland will build K2 tanks"), and a new clause starts at one
AUXILIARIES = (
    frozenset(
        {"will", "would", "shall", "should", "can", "could", "may", "might", "must", "to", "not"}
    )
    | BE_FORMS
    | {"has", "have", "had", "do", "does", "did"}
)
# auxiliaries that put the verb group in the past ("has sent", "did send", "was sending")
PAST_AUX = frozenset({"has", "have", "had", "did", "was", "were"})
# modals that put it in the future, or leave it unrealised ("could send", "is going to send")
FUTURE_AUX = frozenset(
    {"will", "would", "'ll", "shall", "going", "could", "might", "may", "can", "should", "must"}
)
# the future proper: a modal of these further back in the clause still sets the tense of
# everything it governs ("The budget will help finance three new weapons"); "could" and "may"
# that far back hedge rather than date it
WILL = frozenset({"will", "would", "'ll", "shall"})
# what the negation search steps over between a negator and the trigger ("did not send", "have
# never been sent")
AUX_SKIP = frozenset(
    {
        "also",
        "already",
        "not",
        "n't",
        "never",
        "reportedly",
        "allegedly",
        "soon",
        "now",
        "then",
        "still",
        "secretly",
        "quietly",
        "immediately",
        "eventually",
        "finally",
        "repeatedly",
        "officially",
        "quickly",
        "have",
        "has",
        "had",
        "be",
        "been",
        "being",
        "is",
        "are",
        "was",
        "were",
        "to",
        "will",
        "would",
        "could",
        "may",
        "might",
        "can",
        "should",
        "must",
        "shall",
        "'ll",
        "did",
        "does",
        "do",
        "recently",
        "just",
        "further",
        "continue",
        "continues",
        "continued",
        "begin",
        "began",
        "begins",
        "start",
        "started",
        "increase",
        "help",
        "helping",
        "helped",
        "rush",
        "move",
    }
)
# adverbs and negators sit inside the verb group without changing its tense
TENSE_NEUTRAL = frozenset(
    {
        "not",
        "n't",
        "never",
        "also",
        "already",
        "reportedly",
        "allegedly",
        "quietly",
        "secretly",
        "still",
        "now",
        "recently",
        "just",
    }
)
# verbs that only carry a nominal event ("conducted a test"): negation before them negates it
LIGHT_VERBS = frozenset(
    {
        "conduct",
        "conducted",
        "conducts",
        "conducting",
        "carry",
        "carried",
        "carrying",
        "out",
        "hold",
        "held",
        "stage",
        "staged",
        "make",
        "made",
        "a",
        "an",
        "any",
    }
)

# ---------------------------------------------------------------------------------------------
# governing verbs: a verb before the trigger that says when, whether or by whom it happens

# verbs whose infinitive complement happened when they did ("prompted X to send")
CAUSATIVES = frozenset(
    {
        "prompted",
        "prompting",
        "forced",
        "forcing",
        "led",
        "leading",
        "enabled",
        "enabling",
        "allowed",
        "allowing",
        "helped",
        "helping",
        "began",
        "started",
        "continued",
        "managed",
    }
)
# words before a verb that put it in the future ("plans to send", "is due to deliver")
PLAN_WORDS = frozenset(
    {
        "plans",
        "plan",
        "planned",
        "intends",
        "wants",
        "willing",
        "decision",
        "agreed",
        "ready",
        "expected",
        "set",
        "due",
        "going",
    }
)
# verbs that put a nominal event governed by them in the future ("ordered the production of")
PLAN_VERBS = frozenset(
    {
        "ordered",
        "orders",
        "called",
        "calls",
        "wants",
        "want",
        "plans",
        "plan",
        "planned",
        "preparing",
        "prepare",
        "set",
        "expected",
        "aims",
        "seeks",
        "seeking",
        "intends",
        "urged",
        "vowed",
        "pledged",
        "proposed",
    }
)
# verbs that make a nominal event governed by them ongoing ("began production of")
START_VERBS = frozenset(
    {
        "begun",
        "began",
        "begin",
        "begins",
        "started",
        "start",
        "starts",
        "launched",
        "increasing",
        "expanding",
        "ramping",
        "stepping",
        "boosting",
        "accelerating",
        "continuing",
    }
)
# words before a trigger that make it ongoing, unless it is future ("continues to supply")
CONTINUING = frozenset({"continues", "continue", "continuing", "ongoing", "still"})
# words just before an agreement that make it one not yet signed
TENTATIVE = frozenset({"proposed", "draft", "planned", "possible"})
# "used to produce", "needed to make": a purpose, with no one doing it
PURPOSE_VERBS = frozenset({"used", "needed", "required", "necessary", "employed", "enough"})
# X "helping" Y build something gives Y the technology: a transfer, not X's own development
HELP_VERBS = frozenset(
    {
        "help",
        "helps",
        "helping",
        "helped",
        "assist",
        "assists",
        "assisting",
        "assisted",
        "aid",
        "aids",
        "aiding",
        "aided",
        "enable",
        "enables",
        "enabling",
        "enabled",
    }
)
# an infinitive after a give verb whose object is the recipient ("sent tanks to help Ukraine"),
# read as a preposition when no "to"/"for"/"into" names one
SUPPORT_VERBS = frozenset(
    {"support", "help", "boost", "bolster", "aid", "assist", "strengthen", "arm", "equip"}
)
# a reporting verb that cites another source: the cited one is the claim's, the citing outlet
# goes into `via` ("Reuters, citing three officials, reported")
CITING = frozenset({"citing", "quoting", "cited", "quoted"})

# ---------------------------------------------------------------------------------------------
# nouns that tell a rule what a phrase is: a state, a person, a document, a unit, a deal

# "the country", "its government": a state the article named before
COUNTRY_NOUNS = frozenset(
    {
        "country",
        "nation",
        "government",
        "regime",
        "state",
        "kingdom",
        "republic",
        "administration",
        "authorities",
        "leadership",
    }
)
# a head noun after an actor's name that keeps it the indirect object
ACTOR_HEADS = COUNTRY_NOUNS | {"forces", "army", "military", "rebels", "fighters", "militants"}
# plural heads that name a subject the lexicon cannot resolve to one actor
UNNAMED_SUBJECTS = frozenset(
    {
        "countries",
        "nations",
        "allies",
        "partners",
        "governments",
        "donors",
        "members",
        "states",
        "suppliers",
        "owners",
        "firms",
        "companies",
        "importers",
        "exporters",
        "buyers",
        "sellers",
    }
)
# singular heads of a speaker description that "he"/"she" can refer back to
PERSON_NOUNS = frozenset(
    {
        "official",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "minister",
        "president",
        "analyst",
        "adviser",
        "advisor",
        "ambassador",
        "envoy",
        "general",
        "commander",
        "officer",
        "expert",
        "researcher",
        "diplomat",
        "senator",
        "lawmaker",
        "aide",
        "secretary",
        "director",
        "chief",
        "negotiator",
        "professor",
        "premier",
        "chancellor",
    }
)
# capitalised words before a name that are not part of it ("Defence Minister Ivanov", "Dr. Lee")
PERSON_TITLES = frozenset(
    {
        "mr",
        "mr.",
        "mrs",
        "ms",
        "dr",
        "dr.",
        "gen.",
        "gen",
        "rep.",
        "sen.",
        "col.",
        "lt.",
        "adm.",
        "prof.",
        "president",
        "minister",
        "secretary",
        "chancellor",
        "ambassador",
        "spokesman",
        "spokeswoman",
        "chairman",
        "spokesperson",
        "analyst",
        "researcher",
        "director",
        "chief",
        "general",
    }
)
# "the Russian president" is the leader the article named ("prime minister" is two words, and
# the rule reads it apart)
LEADER_TITLES = frozenset({"president", "premier", "chancellor", "king", "emir", "ayatollah"})
# the organisation behind one of these is the source ("according to a statement from the
# Pakistan Navy", "customs records reviewed by the Osterberg Centre")
DOCUMENT_NOUNS = frozenset(
    {
        "statement",
        "report",
        "records",
        "imagery",
        "images",
        "data",
        "documents",
        "figures",
        "assessment",
        "analysis",
        "estimates",
        "photos",
        "footage",
        "filings",
        "letter",
    }
)
# "the report said": a document noun that points back at the organisation last quoted. Unlike
# DOCUMENT_NOUNS, which names its author after it, this speaks for an organisation itself, so it
# has what an outlet or agency writes ("dispatch", "article", "the agency") and no plural data
ANAPHORIC_DOCS = frozenset({"report", "statement", "agency", "dispatch", "article"})
# "said Monday": a day in a speaker phrase, read past by the attribution rules (NP_SKIP)
WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
# a date is no speaker ("Sergei Ivanov, said Monday") and no part of a person's name
CALENDAR_WORDS = (
    frozenset(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
            "today",
            "yesterday",
        ]
    )
    | WEEKDAYS
)
# "Russia's weapons development program": a name for an effort, not an event
PROGRAMME_NOUNS = frozenset({"program", "programs", "programme", "programmes"})
# a development verb whose object is one of these forms a unit ("an armored division of tanks")
UNIT_NOUNS = frozenset(
    {
        "division",
        "divisions",
        "brigade",
        "brigades",
        "battalion",
        "battalions",
        "regiment",
        "regiments",
        "corps",
        "squadron",
        "squadrons",
        "unit",
        "units",
        "army",
        "armies",
    }
)
# a deal "for" one of these is signed by the seller ("a contract for the sale of 180 tanks")
SELL_NOUNS = frozenset(
    {
        "sale",
        "sales",
        "supply",
        "delivery",
        "deliveries",
        "export",
        "exports",
        "transfer",
        "provision",
    }
)
