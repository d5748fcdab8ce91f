"""The ROPA test workbook: 32 activities of a Malaysian retailer, written into the template.

Run as a script to write it (``python -m tests.ropa_workbook TEMPLATE.xlsx OUT.xlsx``);
the tests build it the same way from the template `defa-check template ropa`
writes, so the fixture and the template cannot drift apart. Cells mix plain
words (contact, customers, TLS) and taxonomy keys (user.contact.email).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HEADERS = (
    "ID", "Activity", "Data categories", "Data subjects", "Subject countries", "Number of subjects",
    "Children", "Purpose", "Legal basis", "System", "Storage location", "Recipients", "Recipient role",
    "Transfer mechanism", "Retention", "Security measures", "Assessments",
)  # fmt: skip

ROWS: list[tuple[object, ...]] = [
    ("online-orders", "Online orders", "contact, cards", "customers", "MY, SG", 50000, "no",
     "service, payments", "contract", "Shop database", "ap-southeast-1", "Stripe: US", "processor",
     "eu_scc", "7 years (tax law)", "TLS, encryption at rest", "dpia"),
    ("", "Loyalty programme", "name, email, phone, purchase history", "customer", "MY", 20000, "no",
     "marketing", "consent", "CRM", "MY", "", "", "", "until purpose ends", "access_control, mfa", ""),
    ("newsletter", "Newsletter", "user.contact.email, user.name", "customers, prospects", "MY, SG, ID", "",
     "", "marketing.communications.email", "consent", "CRM", "MY", "Mailchimp: US", "processor",
     "asean_mcc", "until purpose ends", "tls", ""),
    ("", "Customer support tickets", "contact, user.content", "customer", "MY, SG", "", "no", "support",
     "contract", "Helpdesk", "US", "", "", "contract_clauses", "24 months", "encryption_in_transit, rbac",
     "vendor_assessment"),
    ("", "Delivery to customers", "name, address, phone", "customers", "MY", 48000, "no", "delivery",
     "contract", "Shop database", "ap-southeast-1", "Ninja Van: SG; Pos Malaysia: MY", "processor",
     "contract_clauses", "12 months", "TLS", ""),
    ("", "Fraud screening of orders", "cards, ip address, user.behavior.purchase_history", "customer",
     "MY, SG", "", "", "fraud prevention", "legitimate interests", "Shop database", "ap-southeast-1",
     "Riskified: US", "processor", "eu_scc", "18 months", "encryption, access controls",
     "legitimate_interests_assessment"),
    ("", "Refunds", "name, bank account", "customers", "MY", 3000, "no", "payments", "contract",
     "Finance system", "MY", "", "", "", "7 years (tax law)", "access_control", ""),
    ("", "E-wallet identity checks", "ids, name, date of birth", "customer", "MY", 800, "no",
     "legal obligation", "legal_obligation", "KYC service", "SG", "", "", "contract_necessity", "5 years",
     "encryption_at_rest, audit logs", "dpia"),
    ("", "Website analytics", "ip address, cookie, browsing history", "website visitors", "MY, SG, ID, TH",
     "", "", "analytics", "consent", "Analytics", "us-east-1", "", "", "consent", "14 months",
     "pseudonymisation", ""),
    ("", "Targeted advertising", "cookie, user.behavior", "visitors", "MY, SG", "", "", "advertising",
     "consent", "", "MY", "Meta Platforms Ireland: IE", "controller", "consent", "6 months", "", ""),
    ("", "Mobile app push notifications", "device id, username", "customer", "MY", "", "no",
     "essential.service.notifications", "contract", "App backend", "ap-southeast-1", "", "", "asean_mcc",
     "until purpose ends", "tls, mfa", ""),
    ("", "Kids' craft club", "name, children's data, photo", "customer", "MY", 150, "yes", "marketing",
     "consent", "CRM", "MY", "", "", "", "12 months", "parental_consent, age_verification", "dpia"),
    ("", "Product reviews", "name, user.content", "customers", "MY, SG", "", "no", "service", "consent",
     "Shop database", "ap-southeast-1", "", "", "asean_mcc", "indefinite", "", ""),
    ("", "Customer surveys", "email, age, gender", "customer", "MY", "", "", "analytics", "consent",
     "Survey tool", "IE", "", "", "eu_scc", "6 months", "anonymisation", ""),
    ("", "Warranty claims", "contact, purchase history", "customer", "MY", "", "no", "service",
     "contract", "Shop database", "ap-southeast-1", "", "", "asean_mcc", "3 years", "", ""),
    ("", "Gift cards", "name, email", "customer", "MY, SG", "", "no", "service", "contract",
     "Shop database", "ap-southeast-1", "", "", "asean_mcc", "5 years", "encryption at rest", ""),
    ("", "Marketplace sales", "name, address, phone", "customer", "MY, ID", "", "no", "service",
     "contract", "", "MY", "Shopee: SG", "controller", "contract_necessity", "until purpose ends", "", ""),
    ("payroll", "Payroll", "name, ids, bank", "employees", "MY", 120, "no", "hr", "legal_obligation",
     "Payroll system", "MY", "Inland Revenue Board: MY", "controller", "", "7 years (tax law)",
     "rbac, backups, mfa", ""),
    ("", "Staff health insurance", "name, health, date of birth", "employee", "MY", 120, "no",
     "employment", "contract", "", "MY", "AIA Malaysia: MY", "controller", "", "6 years",
     "encryption, confidentiality agreements", "dpia"),
    ("", "Recruitment", "contact, job title, user.workplace", "job applicants", "MY, SG", 400, "no",
     "recruitment", "legitimate_interests", "Applicant tracking", "SG", "", "", "asean_mcc", "12 months",
     "access_control", ""),
    ("", "Background checks", "name, ids, criminal record", "job_applicant", "MY", 60, "no",
     "recruitment", "consent", "", "MY", "Vetting Agency: MY", "processor", "", "6 months",
     "confidentiality_agreements", "dpia"),
    ("", "Staff training records", "name, user.job_title", "employee", "MY, SG", "", "no", "employment",
     "contract", "Learning platform", "SG", "", "", "asean_mcc", "until purpose ends", "", ""),
    ("", "Expense claims", "name, bank account", "staff", "MY", "", "no", "employment", "contract",
     "Finance system", "MY", "", "", "", "7 years", "access_control", ""),
    ("", "Store CCTV", "biometric", "customers, employees, visitors", "MY", "", "", "security",
     "legitimate interests", "CCTV recorder", "MY", "", "", "", "30 days", "access restriction", "dpia"),
    ("", "Visitor logbook at the warehouse", "name, phone", "visitor", "MY", "", "no",
     "essential.service.security", "legitimate_interests", "", "MY", "", "", "", "3 months", "", ""),
    ("", "Store Wi-Fi", "device id, ip address", "customer", "MY", "", "", "service", "consent",
     "Network controller", "MY", "", "", "", "90 days", "firewall, network segmentation", ""),
    ("", "IT access logs", "username, ip address", "employees", "MY, SG", "", "no", "security",
     "legitimate interests", "SIEM", "SG", "", "", "asean_mcc", "12 months", "audit_logging, mfa", ""),
    ("", "Disaster-recovery backups", "contact, cards, purchase history", "customer", "MY, SG", "", "no",
     "essential.service.operations", "contract", "Backup vault", "ap-southeast-3", "", "", "asean_mcc",
     "35 days", "encryption_at_rest, backup", "security_risk_assessment"),
    ("", "Supplier contacts", "name, email, phone", "supplier", "MY, TH, VN", "", "", "service",
     "contract", "ERP", "MY", "", "", "contract_clauses", "until purpose ends", "", ""),
    ("", "Shareholder register", "name, address, ids", "shareholder", "MY", 12, "", "legal obligation",
     "legal_obligation", "", "MY", "", "", "", "indefinite", "access_control", ""),
    ("", "Influencer partnerships", "name, contact, bank", "consultant", "MY, ID", "", "no",
     "marketing.advertising", "contract", "", "MY", "", "", "contract_necessity", "2 years", "", ""),
    ("", "Tax filings", "name, user.financial", "customers, employees", "MY", "", "", "compliance",
     "legal_obligation", "Finance system", "MY", "Inland Revenue Board: MY", "controller", "", "7 years",
     "", ""),
]  # fmt: skip
"""32 activities; blank cells are facts the record does not state."""


def fill(sheet: object, rows: list[tuple[object, ...]] = ROWS, start: int = 2) -> None:
    """Write rows into a ROPA sheet under its header (any object with openpyxl's .cell)."""
    for i, row in enumerate(rows, start=start):
        for j, value in enumerate(row, start=1):
            if value != "":
                sheet.cell(i, j, value)  # type: ignore[attr-defined]


def build(template: Path, out: Path) -> None:
    """The template, filled in."""
    import openpyxl

    book = openpyxl.load_workbook(template)
    fill(book["ROPA"])
    book.save(out)


def write_csv(out: Path) -> None:
    """The same rows as a CSV file."""
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(ROWS)


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
