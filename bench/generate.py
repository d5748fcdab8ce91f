"""Generate valid synthetic flow manifests for benchmarks.

    python bench/generate.py 10000 --out bench/out/flows-10000.yaml [--json]

Flows are spread over the eleven member states with realistic category mixes;
the output is deterministic for a given size (seeded).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import yaml

ASEAN = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"]
OTHERS = ["US", "JP", "DE", "IE", "AU", "IN"]
CATEGORY_MIXES = [
    ["user.name", "user.contact.email", "user.contact.address", "user.behavior.purchase_history"],
    ["user.name", "user.contact.phone_number", "user.financial.credit_card"],
    ["user.name", "user.government_id.national_identification_number", "user.financial.bank_account"],
    ["user.name", "user.health_and_medical", "user.demographic.date_of_birth"],
    ["user.device.cookie_id", "user.behavior.browsing_history", "user.location.imprecise"],
    ["user.name", "user.contact.email", "user.biometric"],
]
PURPOSES = [
    ["essential.service"],
    ["essential.service.payment_processing"],
    ["employment"],
    ["marketing.advertising.profiling"],
    ["analytics.reporting"],
]
MECHANISMS = [["contract_clauses"], ["consent"], ["asean_mcc"], ["bcr"], ["none"], []]


def manifest(n: int, seed: int = 7) -> dict[str, object]:
    rng = random.Random(seed)
    systems = [
        {
            "id": f"sys-{i}",
            "country": rng.choice(ASEAN + OTHERS),
            "provider": rng.choice(["aws", "azure", "gcp"]),
        }
        for i in range(max(1, n // 50))
    ]
    flows = []
    for i in range(n):
        src = rng.choice(ASEAN)
        system = rng.choice(systems)
        flow: dict[str, object] = {
            "id": f"flow-{i}",
            "from": src,
            "to": system["country"],
            "system": system["id"],
            "recipient": {
                "name": f"Recipient {i % 97}",
                "role": rng.choice(["controller", "processor", "affiliate"]),
            },
            "subjects": {
                "kinds": [rng.choice(["customer", "employee", "prospect"])],
                "count": rng.choice([50, 900, 5000, 25000, 150000]),
                "children": rng.random() < 0.05,
            },
            "data_categories": rng.choice(CATEGORY_MIXES),
            "purposes": rng.choice(PURPOSES),
            "legal_bases": rng.choice(
                [["consent"], ["contract"], ["legitimate_interests"], ["consent", "contract"]]
            ),
            "transfer_mechanisms": rng.choice(MECHANISMS),
            "safeguards": ["encryption_in_transit", "encryption_at_rest"][: rng.randint(0, 2)],
            "local_copy": rng.random() < 0.3,
        }
        flows.append(flow)
    markets = [
        {
            "country": c,
            "role": "seller",
            "b2c": True,
            "channels": ["own_website"],
            "annual_transactions": 5000,
            "monthly_users": 3000,
        }
        for c in ASEAN
    ]
    return {
        "manifest_version": 1,
        "organization": {
            "name": "Synthetic Co",
            "home_country": "SG",
            "size": "large",
            "employees": 5000,
            "sectors": ["ecommerce"],
            "establishments": ["SG", "VN", "ID"],
            "local_representatives": ["TH"],
            "dpo_appointed": True,
            "registrations": [{"country": "SG", "kind": "dpo"}],
            "certifications": [],
            "breach_notification_hours": 48,
        },
        "systems": systems,
        "flows": flows,
        "markets": markets,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("flows", type=int, help="how many flows the manifest has")
    parser.add_argument(
        "--out", type=Path, required=True, help="the file to write (its folder is made if missing)"
    )
    parser.add_argument("--json", action="store_true", help="write JSON instead of YAML")
    args = parser.parse_args()
    data = manifest(args.flows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.json:
        args.out.write_text(json.dumps(data, indent=1))
    else:
        args.out.write_text(yaml.safe_dump(data, sort_keys=False, width=120))


if __name__ == "__main__":
    main()
