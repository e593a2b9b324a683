"""The word classes the clause rules read, loaded once from `data/word_classes.tsv` (its
header says what each class does), and the closed classes of function words."""
from __future__ import annotations

from .lexicon import word_class

NEGATION_WORDS = frozenset({"not", "n't", "never", "no"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "would"})
POSSIBLE_AUX = frozenset({"could", "may", "might", "can", "ca", "should"})
#: Auxiliaries of obligation: what someone else must do is asked of them ("Y must withdraw").
OBLIGATION_AUX = frozenset({"must", "ought"})
#: The auxiliary of advice: what someone else should do is appealed for ("Y should withdraw").
ADVICE_AUX = frozenset({"should"})
#: Verbs whose present-tense infinitive is a duty ("Y has to leave", "Y needs to withdraw");
#: in the past ("had to leave") they report what happened.
DUTY_VERBS = frozenset({"have", "need"})
# Word classes from data/word_classes.tsv (its header says what each class does).
INTENT_VERBS = word_class("intent_verb")
COMMITMENT_VERBS = word_class("commitment_verb")
ASPECT_VERBS = word_class("aspect_verb")
REQUEST_VERBS = word_class("request_verb")
INTENT_ADJECTIVES = word_class("intent_adjective")
OBJECT_CONTROL_VERBS = word_class("object_control")
INTENT_NOUNS = word_class("intent_noun")
REQUEST_NOUNS = word_class("request_noun")
#: Nouns whose infinitive is done by the one addressed, not by the owner ("Trump's
#: invitation to Putin to visit", "demands from residents to block the road").
ADDRESSED_NOUNS = REQUEST_NOUNS | frozenset({"invitation", "permission", "chance", "opportunity",
                                             "agreement", "order"})
CONSIDER_VERBS = word_class("consider_verb")
ACCUSE_VERBS = word_class("accuse_verb")
CONTROL_NOUNS = INTENT_NOUNS | word_class("control_noun")
SPEECH_VERBS = word_class("speech_verb")
#: Speech verbs that state their clause as the speaker's own view, so "X said Y must
#: withdraw" is X's demand on Y; not those that deny, quote, forecast or concede it.
STATING_VERBS = SPEECH_VERBS - frozenset({"deny", "quote", "predict", "estimate", "admit",
                                          "acknowledge", "confirm", "report"})
STOP_VERBS = word_class("stop_verb")
#: Verbs that judge or resist another's plan: the plan's infinitive is not their act.
APPRAISAL_VERBS = word_class("appraisal_verb")
#: Verbs whose participle names the means of its head's event ("struck … using drones").
INSTRUMENT_VERBS = word_class("instrument_verb")
#: Verbs that name a source ("citing officials"): after "according to X", attribution only.
CITING_VERBS = word_class("citing_verb")
#: Verbs that link a subject to a predicate ("is", "remained", "stays", "has become").
COPULA_VERBS = word_class("copula_verb")
#: Words whose for/of event noun is done by the clause's subject ("claimed responsibility
#: for the attack", "is guilty of the killing"), verbs that disown that responsibility,
#: and verbs whose "in" event noun their subject takes part in ("took part in the raid").
RESPONSIBILITY_WORDS = word_class("responsibility_word")
DISOWNING_VERBS = word_class("disowning_verb")
PART_TAKING_VERBS = word_class("part_taking_verb")
SPOKESPERSONS = word_class("spokesperson")
#: Verbs whose that-clause is only wished for ("hopes Japan will persuade him"): possible.
HOPE_VERBS = word_class("hope_verb")
#: Nouns whose that-clause is only alleged ("denied allegations that it had shelled X").
ALLEGATION_NOUNS = word_class("allegation_noun")
#: Adjectives of necessity: their for-clause is asked of its subject ("imperative for X to act").
NECESSITY_ADJECTIVES = word_class("necessity_adjective")
#: Prepositions that give the topic of an attitude ("skeptical about", "critical of",
#: "hostile to", "opposed to").
ATTITUDE_PREPS = frozenset({"about", "of", "over", "on", "regarding", "with", "toward", "towards",
                            "at", "concerning", "to", "against"})
CONDITION_MARKS = frozenset({"if", "unless"})
#: Prepositions of a gerund whose doer is the governing verb's object ("accused Y of
#: harbouring", "barred Y from holding", "praised Y for stopping").
OBJECT_GERUND_PREPS = frozenset({"of", "for", "from", "with"})
RELATIVE_PRONOUNS = frozenset({"which", "that", "who", "whom", "whose", "what"})
