"""Plain words people write and the manifest values they stand for: one table for `init` and the importers.

`init` offers :data:`DATA_CHOICES`; the spreadsheet and Fides importers accept
those words and a few more (:data:`DATA_WORDS`), taxonomy keys, and the closed
vocabularies of the manifest (safeguards, transfer mechanisms, assessments,
legal bases) with common spellings. Every lookup returns the manifest value or
``None``; :func:`hint_for` gives the did-you-mean for a word that maps to nothing.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from typing import Any

from defa_check.records import record

DATA_CHOICES: dict[str, tuple[str, list[str]]] = {
    "names": ("names", ["user.name"]),
    "email": ("email addresses", ["user.contact.email"]),
    "phone": ("phone numbers", ["user.contact.phone_number"]),
    "address": ("postal or delivery addresses", ["user.contact.address"]),
    "cards": ("payment card numbers", ["user.financial.credit_card"]),
    "bank": ("bank account details", ["user.financial.bank_account"]),
    "birth": ("dates of birth or ages", ["user.demographic.date_of_birth"]),
    "profiling": (
        "browsing, search or purchase history used to recommend products or target advertising",
        ["user.behavior"],
    ),
    "location": ("precise location (GPS)", ["user.location.precise"]),
    "ids": ("national ID, passport or driving-licence numbers", ["user.government_id"]),
    "health": ("health information", ["user.health_and_medical"]),
    "biometric": (
        "photos of faces, fingerprints or voice prints used to identify people",
        ["user.biometric"],
    ),
    "beliefs": (
        "religion, ethnicity or political views",
        [
            "user.demographic.religious_belief",
            "user.demographic.race_ethnicity",
            "user.demographic.political_opinion",
        ],
    ),
}
"""Plain choices an owner recognises, mapped to fideslang data categories.

Order records kept only to deliver and account for orders are covered by names,
addresses and payment data; `profiling` is history *used* to follow what people do,
which some packs treat as monitoring.
"""


DATA_WORDS: dict[str, list[str]] = {
    **{word: keys for word, (_, keys) in DATA_CHOICES.items()},
    "contact": ["user.name", "user.contact"],
    "behaviour": ["user.behavior"],
    "behavior": ["user.behavior"],
    "religion": ["user.demographic.religious_belief"],
    "contact details": ["user.name", "user.contact"],
    "name": ["user.name"],
    "email": ["user.contact.email"],
    "email address": ["user.contact.email"],
    "phone": ["user.contact.phone_number"],
    "phone number": ["user.contact.phone_number"],
    "mobile number": ["user.contact.phone_number"],
    "address": ["user.contact.address"],
    "postal address": ["user.contact.address"],
    "date of birth": ["user.demographic.date_of_birth"],
    "age": ["user.demographic.age_range"],
    "gender": ["user.demographic.gender"],
    "marital status": ["user.demographic.marital_status"],
    "card": ["user.financial.credit_card"],
    "payment card": ["user.financial.credit_card"],
    "credit card": ["user.financial.credit_card"],
    "bank account": ["user.financial.bank_account"],
    "financial": ["user.financial"],
    "national id": ["user.government_id.national_identification_number"],
    "passport": ["user.government_id.passport_number"],
    "driving licence": ["user.government_id.drivers_license_number"],
    "medical": ["user.health_and_medical"],
    "biometrics": ["user.biometric"],
    "precise location": ["user.location.precise"],
    "approximate location": ["user.location.imprecise"],
    "purchase history": ["user.behavior.purchase_history"],
    "browsing history": ["user.behavior.browsing_history"],
    "ip address": ["user.device.ip_address"],
    "cookie": ["user.device.cookie_id"],
    "device id": ["user.device"],
    "username": ["user.account.username"],
    "password": ["user.authorization.password"],
    "photo": ["user.content.self_image"],
    "job title": ["user.job_title"],
    "workplace": ["user.workplace"],
    "criminal record": ["user.criminal_history"],
    "children's data": ["user.childrens"],
}
"""Every plain word the importers accept for data categories: `init`'s choices and common spellings."""

SUBJECT_WORDS: dict[str, str] = {
    "staff": "employee",
    "applicant": "job_applicant",
    "candidate": "job_applicant",
    "supplier": "supplier_vendor",
    "vendor": "supplier_vendor",
    "website visitor": "visitor",
    "member of the public": "citizen_voter",
}
"""Plain words for fideslang data subjects (besides the keys themselves, singular or plural)."""

PURPOSE_WORDS: dict[str, str] = {
    "service": "essential.service",
    "providing the service": "essential.service",
    "order": "essential.service",
    "order fulfilment": "essential.service",
    "delivery": "essential.service",
    "payment": "essential.service.payment_processing",
    "payment processing": "essential.service.payment_processing",
    "customer support": "essential.service.operations.support",
    "support": "essential.service.operations.support",
    "authentication": "essential.service.authentication",
    "login": "essential.service.authentication",
    "security": "essential.service.security",
    "fraud prevention": "essential.fraud_detection",
    "fraud detection": "essential.fraud_detection",
    "legal obligation": "essential.legal_obligation",
    "compliance": "essential.legal_obligation",
    "advertising": "marketing.advertising",
    "newsletter": "marketing.communications.email",
    "email marketing": "marketing.communications.email",
    "sms marketing": "marketing.communications.sms",
    "personalisation": "personalize",
    "hr": "employment",
    "human resources": "employment",
    "payroll": "employment",
    "recruitment": "employment.recruitment",
    "hiring": "employment.recruitment",
}
"""Plain words for fideslang data uses (besides the keys themselves)."""

LEGAL_BASIS_WORDS: dict[str, str] = {
    "performance of a contract": "contract",
    "contractual necessity": "contract",
    "legal obligations": "legal_obligation",
    "vital interest": "vital_interests",
    "public task": "public_interest",
    "legitimate interest": "legitimate_interests",
}
"""Plain words for legal bases, including fideslang's own labels ("Legal obligations", ...)."""

TRANSFER_WORDS: dict[str, str] = {
    "scc": "eu_scc",
    "sccs": "eu_scc",
    "eu sccs": "eu_scc",
    "standard contractual clauses": "eu_scc",
    "asean mcc": "asean_mcc",
    "asean mccs": "asean_mcc",
    "asean model contractual clauses": "asean_mcc",
    "bcrs": "bcr",
    "binding corporate rules": "bcr",
    "adequacy decision": "adequacy",
    "contractual clauses": "contract_clauses",
    "data transfer agreement": "contract_clauses",
    "necessary for the contract": "contract_necessity",
}
"""Plain words for transfer mechanisms, including fideslang's `legal_basis_for_transfers` labels."""

SAFEGUARD_WORDS: dict[str, str] = {
    "https": "encryption_in_transit",
    "ssl": "encryption_in_transit",
    "encrypted in transit": "encryption_in_transit",
    "encrypted at rest": "encryption_at_rest",
    "2fa": "multi_factor_authentication",
    "two factor authentication": "multi_factor_authentication",
    "access controls": "access_control",
    "audit logs": "audit_logging",
    "logging": "audit_logging",
    "backups": "backup",
    "pen testing": "penetration_testing",
    "pentest": "penetration_testing",
    "staff training": "security_training",
    "training": "security_training",
    "nda": "confidentiality_agreements",
    "ndas": "confidentiality_agreements",
    "dlp": "data_loss_prevention",
    "masking": "data_masking",
    "patching": "vulnerability_management",
}
"""Plain words for safeguards (the vocabulary itself is the manifest schema's)."""

ASSESSMENT_WORDS: dict[str, str] = {
    "data protection impact assessment": "dpia",
    "privacy impact assessment": "pia",
    "tia": "transfer_impact_assessment",
    "lia": "legitimate_interests_assessment",
    "legitimate interest assessment": "legitimate_interests_assessment",
    "vendor risk assessment": "vendor_assessment",
}
"""Plain words for assessments (the vocabulary itself is the manifest schema's)."""


def normalise(word: str) -> str:
    """Lower case, single spaces, `-`/`_` as spaces: how words are compared."""
    return " ".join(re.sub(r"[-_/]+", " ", word.strip().lower()).split())


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


@record
class Vocabulary:
    """A closed set of manifest values and the plain words for them."""

    values: tuple[str, ...]
    words: dict[str, str]

    @functools.cached_property
    def _index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for value in self.values:
            index[normalise(value)] = value
        for word, value in self.words.items():
            index[normalise(word)] = value
        return index

    def lookup(self, word: str) -> str | None:
        """The value a word stands for, or None."""
        key = normalise(word)
        if key in self._index:
            return self._index[key]
        return self._index.get(_singular(key))

    @property
    def choices(self) -> list[str]:
        """What a user may write (for did-you-mean and drop-down lists)."""
        return list(self.values) + [w for w in self.words if w not in self.values]


def _flow_enum(field: str) -> tuple[str, ...]:
    from defa_check.inputs.schemas import schema

    prop: dict[str, Any] = schema("manifest")["$defs"]["flow"]["properties"][field]
    return tuple(prop["items"]["enum"])


@functools.cache
def vocabulary(name: str) -> Vocabulary:
    """One of: legal_bases, transfer_mechanisms, safeguards, assessments, recipient_role."""
    if name == "recipient_role":
        return Vocabulary(("controller", "processor", "affiliate"), {"sub processor": "processor"})
    words = {
        "legal_bases": LEGAL_BASIS_WORDS,
        "transfer_mechanisms": TRANSFER_WORDS,
        "safeguards": SAFEGUARD_WORDS,
        "assessments": ASSESSMENT_WORDS,
    }[name]
    return Vocabulary(_flow_enum(name), words)


def data_category_keys(word: str) -> list[str] | None:
    """The taxonomy keys a plain word or a key stands for (keys kept as written), or None."""
    from defa_check.inputs.taxonomy import data_categories

    text = word.strip()
    if data_categories().canonical(text) is not None:
        return [text]
    key = normalise(text)
    for candidate in (key, _singular(key)):
        if candidate in DATA_WORDS:
            return list(DATA_WORDS[candidate])
    return None


def data_subject_key(word: str) -> str | None:
    """The fideslang data subject a word names ('customers', 'Job applicant', 'staff'), or None."""
    from defa_check.inputs.taxonomy import data_subjects

    subjects = data_subjects()
    key = normalise(word)
    for candidate in (key, _singular(key)):
        if candidate in SUBJECT_WORDS:
            return SUBJECT_WORDS[candidate]
        underscored = candidate.replace(" ", "_")
        if subjects.canonical(underscored) is not None:
            return underscored
    return None


def data_use_key(word: str) -> str | None:
    """The fideslang data use a word or key names, or None."""
    from defa_check.inputs.taxonomy import data_uses

    text = word.strip()
    if data_uses().canonical(text) is not None:
        return text
    key = normalise(text)
    for candidate in (key, _singular(key)):
        if candidate in PURPOSE_WORDS:
            return PURPOSE_WORDS[candidate]
        if data_uses().canonical(candidate.replace(" ", "_")) is not None:
            return candidate.replace(" ", "_")
    return None


def category_choices() -> list[str]:
    from defa_check.inputs.taxonomy import data_categories

    return list(DATA_WORDS) + data_categories().all_keys


def subject_choices() -> list[str]:
    from defa_check.inputs.taxonomy import data_subjects

    return data_subjects().all_keys + list(SUBJECT_WORDS)


def use_choices() -> list[str]:
    from defa_check.inputs.taxonomy import data_uses

    return list(PURPOSE_WORDS) + data_uses().all_keys


def hint_for(word: str, choices: Iterable[str]) -> str | None:
    """The did-you-mean for a word that maps to nothing (compared as written, then normalised)."""
    from defa_check.inputs.suggest import did_you_mean

    pool = list(choices)
    return did_you_mean(word.strip(), pool) or did_you_mean(normalise(word), pool)


@record
class Retention:
    """A retention period read from words: the manifest's ``retention`` value, and what was lost."""

    value: dict[str, Any]
    lost: str | None = None
    """What the words said that the value does not keep (a start date, a rounding)."""


_UNITS_IN_MONTHS = {"day": 12 / 365, "week": 12 * 7 / 365, "month": 1.0, "year": 12.0}
_PERIOD = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(day|week|month|year|yr|mo)s?\b\.?\s*(.*)$")
_INDEFINITE = {"indefinite", "indefinitely", "forever", "permanent", "permanently", "no limit", "unlimited"}
_PURPOSE = re.compile(r"^(until|while|as long as|for as long as|for the duration)\b")


def parse_retention(text: str) -> Retention | None:
    """'24 months', '7 years (tax law)', 'until purpose ends', 'indefinite' -> a retention, or None.

    A reason may follow in parentheses. Days and weeks are rounded *up* to whole
    months (keeping data longer is the cautious reading), and the rounding is reported.
    """
    reason = None
    body = text.strip()
    match = re.match(r"^(.*?)\s*\(([^()]*)\)\s*$", body)
    if match and match.group(1):
        body, reason = match.group(1), match.group(2).strip() or None
    words = normalise(body)
    value: dict[str, Any]
    lost = None
    period = _PERIOD.match(words)
    if period:
        number = float(period.group(1).replace(",", "."))
        unit = {"yr": "year", "mo": "month"}.get(period.group(2), period.group(2))
        months = math.ceil(number * _UNITS_IN_MONTHS[unit] - 1e-9)
        value = {"until": "period", "months": months}
        if unit in ("day", "week") or months != number * _UNITS_IN_MONTHS[unit]:
            lost = f"{body!r} rounded up to {months} month{'' if months == 1 else 's'}"
        rest = period.group(3).strip()
        if rest:
            lost = (lost + "; " if lost else "") + f"'{rest}' (when the period starts) is not kept"
    elif words in _INDEFINITE:
        value = {"until": "indefinite"}
    elif words in ("purpose ends", "until purpose ends", "purpose_ends") or _PURPOSE.match(words):
        value = {"until": "purpose_ends"}
        if words not in ("purpose ends", "until purpose ends", "purpose_ends", "until the purpose ends"):
            reason = reason or body
    else:
        return None
    if reason:
        value["reason"] = reason
    return Retention(value, lost)
