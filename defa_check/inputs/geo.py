"""Countries: ISO 3166-1 codes, names users type, cloud regions, and turning an answer into a code."""

from __future__ import annotations

import functools
import json

CLOUD_REGIONS: dict[str, str] = {
    # AWS
    "ap-southeast-1": "SG", "ap-southeast-2": "AU", "ap-southeast-3": "ID", "ap-southeast-5": "MY",
    "ap-southeast-7": "TH", "ap-east-1": "HK", "ap-northeast-1": "JP", "ap-south-1": "IN",
    "us-east-1": "US", "us-east-2": "US", "us-west-1": "US", "us-west-2": "US", "eu-west-1": "IE",
    "eu-central-1": "DE",
    # Google Cloud
    "asia-southeast1": "SG", "asia-southeast2": "ID", "asia-east1": "TW", "asia-east2": "HK",
    "asia-northeast1": "JP", "us-central1": "US", "europe-west1": "BE",
    # Azure
    "southeastasia": "SG", "eastasia": "HK", "indonesiacentral": "ID", "malaysiawest": "MY",
    "japaneast": "JP", "eastus": "US", "westeurope": "NL",
}  # fmt: skip
"""Common cloud regions and the country their data centres are in."""


COUNTRY_NAMES: dict[str, str] = {
    "brunei": "BN", "cambodia": "KH", "indonesia": "ID", "laos": "LA", "lao pdr": "LA", "malaysia": "MY",
    "myanmar": "MM", "philippines": "PH", "the philippines": "PH", "singapore": "SG", "thailand": "TH",
    "timor-leste": "TL", "east timor": "TL", "vietnam": "VN", "viet nam": "VN", "united states": "US",
    "usa": "US", "japan": "JP", "australia": "AU", "india": "IN", "china": "CN", "hong kong": "HK",
    "taiwan": "TW", "south korea": "KR", "korea": "KR", "germany": "DE", "ireland": "IE",
    "netherlands": "NL", "united kingdom": "GB", "uk": "GB", "france": "FR", "canada": "CA",
    "new zealand": "NZ", "united arab emirates": "AE", "switzerland": "CH", "sweden": "SE",
    "spain": "ES", "italy": "IT", "brazil": "BR", "mexico": "MX", "bangladesh": "BD", "pakistan": "PK",
    "sri lanka": "LK", "nepal": "NP", "macau": "MO", "macao": "MO", "saudi arabia": "SA",
    # The member states' official and other common names (the profiles print the official ones).
    "brunei darussalam": "BN", "nation of brunei": "BN", "kingdom of cambodia": "KH",
    "republic of indonesia": "ID", "lao people's democratic republic": "LA", "burma": "MM",
    "republic of the union of myanmar": "MM", "republic of the philippines": "PH",
    "republic of singapore": "SG", "kingdom of thailand": "TH", "timor leste": "TL",
    "democratic republic of timor-leste": "TL", "socialist republic of viet nam": "VN",
    "socialist republic of vietnam": "VN",
}  # fmt: skip


@functools.cache
def iso_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code (read once)."""
    from defa_check.inputs.bundle import PACKAGE

    data: list[str] = json.loads((PACKAGE / "data" / "iso3166.json").read_text("utf-8"))
    return frozenset(data)


def to_country(answer: str) -> str | None:
    """An ISO code from what an owner types: 'VN', 'vn', 'Viet Nam', or a cloud region."""
    text = " ".join(answer.split())  # "Viet  Nam" as "Viet Nam"
    if not text:
        return None
    if text.lower() in CLOUD_REGIONS:
        return CLOUD_REGIONS[text.lower()]
    name = text.lower().replace("\u2019", "'")  # Lao People’s Democratic Republic
    if name in COUNTRY_NAMES:
        return COUNTRY_NAMES[name]
    if text.upper() in iso_codes():
        return text.upper()
    return None


def suggest_country(answer: str) -> str | None:
    """The country name or cloud region closest to a mistyped answer."""
    from defa_check.inputs.suggest import closest

    return closest(answer.lower(), list(COUNTRY_NAMES) + list(CLOUD_REGIONS))
