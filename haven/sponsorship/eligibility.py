"""The eligibility questionnaire: decision support, never a decision.

Each question states the rule it informs and where the rule is written. The summary says which class the
answers point to, what the durable-solution finding (IRPR 139(1)(d)) still lacks, which admissibility flags are
raised, and what is still unknown. Only an IRCC officer decides."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from haven.sponsorship.models import Answer


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    rule: str
    citation: str
    group: str
    # The answer that supports eligibility (for admissibility flags, "no": no concern).
    favourable: str = Answer.YES


CLASS, DURABLE, SPONSOR, ADMISSIBILITY = "class", "durable", "sponsor", "admissibility"
GROUPS = {CLASS: _("Class"), DURABLE: _("No reasonable prospect of a durable solution"),
          SPONSOR: _("Sponsor"), ADMISSIBILITY: _("Admissibility flags")}

QUESTIONS: tuple[Question, ...] = (
    Question("convention_refugee", _("Does the principal applicant, outside their country, have a well-founded "
                                     "fear of persecution for a Convention reason?"),
             _("Convention refugees abroad class: meets the refugee definition and is outside Canada."),
             "IRPR ss. 144-145; IRPA s. 96", CLASS),
    Question("country_of_asylum", _("Is the principal applicant seriously and personally affected by civil war, "
                                    "armed conflict or massive violations of human rights?"),
             _("Country of asylum class: must be privately sponsored, self-supporting or accepted for JAS."),
             "IRPR ss. 146-147", CLASS),
    Question("no_repatriation", _("Is voluntary repatriation to the country of nationality out of reach within a "
                                  "reasonable period?"),
             _("No reasonable prospect, within a reasonable period, of a durable solution: voluntary "
               "repatriation."), "IRPR s. 139(1)(d)", DURABLE),
    Question("no_local_integration", _("Is integration in the transit country (where the family waits) out of "
                                       "reach?"),
             _("No reasonable prospect of a durable solution: resettlement or integration in the country of "
               "asylum."), "IRPR s. 139(1)(d)", DURABLE),
    Question("no_resettlement_elsewhere", _("Is resettlement in another country out of reach?"),
             _("No reasonable prospect of a durable solution: resettlement in a third country."),
             "IRPR s. 139(1)(d)", DURABLE),
    Question("rok_nationality_unavailable", _("For a North Korean: is South Korean nationality unavailable to "
                                              "them in practice?"),
             _("South Korea's constitution treats North Koreans as its nationals; whether that protection is "
               "available in practice bears on the durable-solution finding."), "IRPR s. 139(1)(d)", DURABLE),
    Question("recognition_proof", _("Is there documentary proof that UNHCR or a state recognized the refugee?"),
             _("A Group of Five or a community sponsor may sponsor only a refugee recognized by UNHCR or a "
               "state, with documentary proof."), "IRPR s. 153(1)(b); rstp.ca Group of Five", SPONSOR),
    Question("medical_concern", _("Is there a known medical condition that could raise inadmissibility?"),
             _("Admissibility screening: health grounds (a medical examination follows)."), "IRPA s. 38",
             ADMISSIBILITY, favourable=Answer.NO),
    Question("criminality_concern", _("Is there any known criminal history?"),
             _("Admissibility screening: criminality."), "IRPA s. 36", ADMISSIBILITY, favourable=Answer.NO),
    Question("security_concern", _("Is there any known security concern?"),
             _("Admissibility screening: security (and human or international rights violations)."),
             "IRPA ss. 34-35", ADMISSIBILITY, favourable=Answer.NO),
)
BY_KEY = {question.key: question for question in QUESTIONS}


@dataclass(frozen=True)
class Summary:
    classes: list[str]
    durable_solution: str  # "supported", "not supported", "incomplete"
    flags: list[Question]
    unknown: list[Question]
    unfavourable: list[Question]


def summarize(answers: dict[str, str]) -> Summary:
    """`answers`: {question key: answer value} (the latest answer to each question)."""
    def value(key: str) -> str:
        return answers.get(key, Answer.UNKNOWN)

    classes = [label for key, label in (("convention_refugee", _("Convention refugee abroad (IRPR 144-145)")),
                                        ("country_of_asylum", _("Country of asylum (IRPR 146-147)")))
               if value(key) == Answer.YES]
    durable = [q for q in QUESTIONS if q.group == DURABLE]
    if any(value(q.key) == Answer.NO for q in durable):
        durable_solution = "not supported"
    elif all(value(q.key) == Answer.YES for q in durable):
        durable_solution = "supported"
    else:
        durable_solution = "incomplete"
    return Summary(
        classes=classes, durable_solution=durable_solution,
        flags=[q for q in QUESTIONS if q.group == ADMISSIBILITY and value(q.key) == Answer.YES],
        unknown=[q for q in QUESTIONS if value(q.key) == Answer.UNKNOWN],
        unfavourable=[q for q in QUESTIONS if value(q.key) not in (Answer.UNKNOWN, q.favourable)],
    )


DURABLE_LABELS = {
    "supported": _("The answers support the finding that no durable solution is in reasonable prospect."),
    "not supported": _("At least one answer points to a durable solution in reasonable prospect."),
    "incomplete": _("The durable-solution finding cannot be assessed yet: some answers are unknown."),
}
