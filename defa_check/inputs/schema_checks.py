"""Yes/no checks of the shipped JSON Schemas, written by :mod:`schema_codegen`.

Do not edit: run ``python -m defa_check.inputs.schema_codegen`` after changing a schema
(a test fails until it is run)."""

# fmt: off
# ruff: noqa
from __future__ import annotations

import json
from collections.abc import Callable

from defa_check.inputs.schema_predicate import (
    all_in, ecma_regex, is_date, json_equal, unique_items,
)

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up)
if TYPE_CHECKING:
    from typing import Any

_ABSENT = object()
_KEYS0 = frozenset[str](['asean_mcc', 'asean_mcc_note', 'asean_member_since', 'code', 'global_cbpr', 'instruments', 'last_reviewed', 'name', 'name_in_sentence', 'notes', 'official_domains', 'pillars', 'regulators', 'sensitive_categories', 'sensitive_note', 'topics'])
_PATTERN1 = ecma_regex('^[A-Z]{2}$')
_PATTERN2 = ecma_regex('^[0-9]{4}-[0-9]{2}-[0-9]{2}$')
_PATTERN3 = ecma_regex('^[a-z0-9.-]+\\.[a-z]{2,}$')
_KEYS4 = frozenset[str](['name', 'note', 'url'])
_PATTERN5 = ecma_regex('^https?://[^\\s]+$')
_KEYS6 = frozenset[str](['status'])
_ENUM7 = frozenset[str](['in_force', 'superseded'])
_KEYS8 = frozenset[str](['id', 'in_force_from', 'in_force_until', 'note', 'number', 'regulator', 'status', 'title', 'url'])
_PATTERN9 = ecma_regex('^[a-z0-9-]+$')
_ENUM10 = frozenset[str](['draft', 'enacted_not_in_force', 'in_force', 'superseded'])
_ENUM11 = frozenset[str](['not_recognised', 'recognised', 'unclear'])
_ENUM12 = frozenset[str](['associate', 'member', 'none'])
_KEYS13 = frozenset[str](['breach_notification', 'children', 'consumer_protection', 'dpo', 'ecommerce', 'impact_assessment', 'legal_basis', 'local_presence', 'localization', 'registration', 'retention', 'security', 'sensitive_data', 'transfer'])
_KEYS14 = frozenset[str](['confidence', 'not_checked', 'position', 'short', 'sources', 'summary'])
_ENUM15 = frozenset[str](['draft_only', 'no_requirement', 'requirement', 'unclear'])
_ENUM16 = frozenset[str](['high', 'low', 'medium'])
_KEYS17 = frozenset[str](['cybersecurity', 'digital_identity', 'digital_payments'])
_KEYS18 = frozenset[str](['flows', 'manifest_version', 'markets', 'organization', 'systems', 'taxonomy_extensions'])
_KEYS19 = frozenset[str](['annual_turnover_usd', 'assessments', 'breach_notification_hours', 'certifications', 'critical_infrastructure', 'data_subjects_by_country', 'dpo_appointed', 'employees', 'establishments', 'home_country', 'legal_form', 'licences', 'local_representatives', 'name', 'provides_processing_services', 'registrations', 'sectors', 'size'])
_ENUM20 = frozenset[str](['AD', 'AE', 'AF', 'AG', 'AI', 'AL', 'AM', 'AO', 'AQ', 'AR', 'AS', 'AT', 'AU', 'AW', 'AX', 'AZ', 'BA', 'BB', 'BD', 'BE', 'BF', 'BG', 'BH', 'BI', 'BJ', 'BL', 'BM', 'BN', 'BO', 'BQ', 'BR', 'BS', 'BT', 'BV', 'BW', 'BY', 'BZ', 'CA', 'CC', 'CD', 'CF', 'CG', 'CH', 'CI', 'CK', 'CL', 'CM', 'CN', 'CO', 'CR', 'CU', 'CV', 'CW', 'CX', 'CY', 'CZ', 'DE', 'DJ', 'DK', 'DM', 'DO', 'DZ', 'EC', 'EE', 'EG', 'EH', 'ER', 'ES', 'ET', 'FI', 'FJ', 'FK', 'FM', 'FO', 'FR', 'GA', 'GB', 'GD', 'GE', 'GF', 'GG', 'GH', 'GI', 'GL', 'GM', 'GN', 'GP', 'GQ', 'GR', 'GS', 'GT', 'GU', 'GW', 'GY', 'HK', 'HM', 'HN', 'HR', 'HT', 'HU', 'ID', 'IE', 'IL', 'IM', 'IN', 'IO', 'IQ', 'IR', 'IS', 'IT', 'JE', 'JM', 'JO', 'JP', 'KE', 'KG', 'KH', 'KI', 'KM', 'KN', 'KP', 'KR', 'KW', 'KY', 'KZ', 'LA', 'LB', 'LC', 'LI', 'LK', 'LR', 'LS', 'LT', 'LU', 'LV', 'LY', 'MA', 'MC', 'MD', 'ME', 'MF', 'MG', 'MH', 'MK', 'ML', 'MM', 'MN', 'MO', 'MP', 'MQ', 'MR', 'MS', 'MT', 'MU', 'MV', 'MW', 'MX', 'MY', 'MZ', 'NA', 'NC', 'NE', 'NF', 'NG', 'NI', 'NL', 'NO', 'NP', 'NR', 'NU', 'NZ', 'OM', 'PA', 'PE', 'PF', 'PG', 'PH', 'PK', 'PL', 'PM', 'PN', 'PR', 'PS', 'PT', 'PW', 'PY', 'QA', 'RE', 'RO', 'RS', 'RU', 'RW', 'SA', 'SB', 'SC', 'SD', 'SE', 'SG', 'SH', 'SI', 'SJ', 'SK', 'SL', 'SM', 'SN', 'SO', 'SR', 'SS', 'ST', 'SV', 'SX', 'SY', 'SZ', 'TC', 'TD', 'TF', 'TG', 'TH', 'TJ', 'TK', 'TL', 'TM', 'TN', 'TO', 'TR', 'TT', 'TV', 'TW', 'TZ', 'UA', 'UG', 'UM', 'US', 'UY', 'UZ', 'VA', 'VC', 'VE', 'VG', 'VI', 'VN', 'VU', 'WF', 'WS', 'YE', 'YT', 'ZA', 'ZM', 'ZW'])
_ENUM21 = frozenset[str](['large', 'medium', 'micro', 'small'])
_ENUM22 = frozenset[str](['banking', 'cloud', 'ecommerce', 'education', 'fintech', 'gaming', 'health', 'hospitality', 'insurance', 'logistics', 'manufacturing', 'marketing', 'media', 'other', 'payments', 'professional_services', 'public_sector', 'retail', 'social_media', 'software', 'telecom', 'travel'])
_ENUM23 = frozenset[str](['company', 'natural_person', 'other_juristic_person', 'partnership'])
_KEYS24 = frozenset[str](['country', 'date', 'kind', 'reference'])
_ENUM25 = frozenset[str](['bcr_approval', 'controller', 'data_processing_system', 'direct_marketing', 'dpia', 'dpo', 'ecommerce', 'ecommerce_licence', 'eso', 'non_coverage_declaration', 'online_sales', 'platform_notification', 'transfer_impact_assessment'])
_ENUM26 = frozenset[str](['apec_cbpr', 'apec_prp', 'csa_star', 'dpts', 'global_cbpr', 'global_prp', 'iso_27001', 'iso_27017', 'iso_27018', 'iso_27701', 'pci_dss', 'soc_2'])
_KEYS27 = frozenset[str]([])
_ENUM28 = frozenset[str](['children_risk_assessment', 'dpia', 'legitimate_interests_assessment', 'pia', 'security_risk_assessment', 'transfer_impact_assessment', 'vendor_assessment'])
_KEYS29 = frozenset[str](['country', 'date', 'kind', 'reference', 'regulator'])
_ENUM30 = frozenset[str](['banking', 'broadcasting', 'courier', 'digital_platform', 'e_money', 'ecommerce_platform', 'healthcare', 'insurance', 'lending', 'online_games', 'other', 'payment_intermediary', 'payment_service', 'pharmacy', 'remittance', 'securities', 'telecom', 'tourism'])
_KEYS31 = frozenset[str](['country', 'id', 'name', 'provider'])
_PATTERN32 = ecma_regex('^[A-Za-z0-9_.-]+$')
_KEYS33 = frozenset[str](['assessments', 'data_categories', 'description', 'from', 'id', 'legal_bases', 'local_copy', 'marketing', 'payment', 'purposes', 'recipient', 'retention', 'safeguards', 'subjects', 'system', 'to', 'transfer_mechanisms'])
_KEYS34 = frozenset[str](['name', 'role'])
_ENUM35 = frozenset[str](['affiliate', 'controller', 'processor'])
_KEYS36 = frozenset[str](['children', 'count', 'countries', 'kinds', 'youngest_age'])
_ENUM37 = frozenset[str](['consent', 'contract', 'legal_obligation', 'legitimate_interests', 'public_interest', 'vital_interests'])
_ENUM38 = frozenset[str](['adequacy', 'apec_cbpr', 'apec_prp', 'asean_mcc', 'bcr', 'consent', 'contract_clauses', 'contract_necessity', 'eu_scc', 'global_cbpr', 'global_prp', 'none'])
_ENUM39 = frozenset[str](['access_control', 'access_restriction', 'age_verification', 'anonymisation', 'anonymization', 'audit_logging', 'backup', 'confidentiality_agreements', 'data_loss_prevention', 'data_masking', 'data_minimisation', 'data_minimization', 'encryption', 'encryption_at_rest', 'encryption_in_transit', 'end_to_end_encryption', 'firewall', 'incident_response_plan', 'mfa', 'multi_factor_authentication', 'network_segmentation', 'parental_consent', 'penetration_testing', 'pseudonymisation', 'pseudonymization', 'rbac', 'role_based_access_control', 'secure_deletion', 'security_training', 'tls', 'tokenisation', 'tokenization', 'vendor_due_diligence', 'vpn', 'vulnerability_management'])
_KEYS40 = frozenset[str](['months', 'reason', 'until'])
_ENUM41 = frozenset[str](['indefinite', 'period', 'purpose_ends'])
_KEYS42 = frozenset[str](['channels', 'dnc_checked', 'unsubscribe'])
_ENUM43 = frozenset[str](['calls', 'email', 'messaging_apps', 'post', 'push', 'sms', 'social_media'])
_KEYS44 = frozenset[str](['country', 'processed_by', 'provider'])
_ENUM45 = frozenset[str](['acquirer', 'merchant', 'payment_provider'])
_KEYS46 = frozenset[str](['annual_parcels', 'annual_transactions', 'b2c', 'channels', 'consumer_information', 'country', 'id', 'languages', 'local_domain', 'local_language', 'monthly_users', 'registered_accounts', 'role'])
_ENUM47 = frozenset[str](['marketplace', 'platform', 'seller'])
_ENUM48 = frozenset[str](['app', 'marketplace', 'own_website', 'social_commerce'])
_ENUM49 = frozenset[str](['address', 'cancellation', 'complaints', 'contact', 'delivery_costs', 'identity', 'prices_with_taxes', 'privacy_notice', 'registration_number', 'returns', 'terms'])
_PATTERN50 = ecma_regex('^[a-z]{2,3}$')
_KEYS51 = frozenset[str](['data_categories'])
_KEYS52 = frozenset[str](['description', 'key', 'name'])
_PATTERN53 = ecma_regex('^[a-z0-9_]+(\\.[a-z0-9_]+)+$')
_KEYS54 = frozenset[str](['as_of', 'countries', 'disclaimer', 'findings', 'manifest', 'not_applicable', 'notices', 'organization', 'packs', 'report_version', 'rules', 'scope_limits', 'summary', 'tool'])
_KEYS55 = frozenset[str](['name', 'version'])
_KEYS56 = frozenset[str](['path', 'sha256'])
_PATTERN57 = ecma_regex('^[0-9a-f]{64}$')
_KEYS58 = frozenset[str](['country', 'last_reviewed', 'version'])
_KEYS59 = frozenset[str](['citation', 'confidence', 'country', 'defaults', 'draft', 'effective_from', 'effective_until', 'remediation', 'severity', 'title', 'topic', 'upcoming'])
_ENUM60 = frozenset[str](['critical', 'high', 'info', 'low', 'medium'])
_KEYS61 = frozenset[str](['instrument', 'provision', 'url'])
_KEYS62 = frozenset[str](['evidence', 'message', 'why'])
_ENUM63 = frozenset[str](['fail', 'needs_info', 'not_applicable', 'pass', 'review', 'waived'])
_KEYS64 = frozenset[str](['count', 'rule_id', 'subject_kind', 'upcoming', 'why'])
_ENUM65 = frozenset[str](['flow', 'market', 'organization'])
_KEYS66 = frozenset[str](['country', 'text', 'topic'])
_KEYS67 = frozenset[str](['citation', 'confidence', 'country', 'draft', 'effective_from', 'effective_until', 'evidence', 'in_baseline', 'location', 'message', 'missing', 'remediation', 'rule_id', 'severity', 'status', 'subject', 'title', 'topic', 'upcoming', 'verdict', 'waiver', 'why'])
_PATTERN68 = ecma_regex('^[A-Z]{2}-[A-Z]+(-[A-Z]+)*-[0-9]{3}$')
_KEYS69 = frozenset[str](['id', 'kind', 'name'])
_KEYS70 = frozenset[str](['column', 'line', 'path'])
_ENUM71 = frozenset[str](['fail', 'needs_info', 'not_applicable', 'pass'])
_KEYS72 = frozenset[str](['approved_by', 'expires', 'justification', 'rule', 'source', 'ticket'])
_KEYS73 = frozenset[str](['waivers'])
_KEYS74 = frozenset[str](['approved_by', 'country', 'expires', 'flow', 'justification', 'market', 'organization', 'rule', 'ticket'])
_PATTERN75 = ecma_regex('^[A-Za-z0-9*?\\[\\]-]+$')

def _check2(v: Any) -> bool:
    if isinstance(v, dict):
        x0 = v.get('status', _ABSENT)
        if x0 is not _ABSENT:
            if not ((isinstance(x0, str) and x0 in _ENUM7)):
                return False
    return True

def _check3(v: Any) -> bool:
    if not ((not isinstance(v, dict) or 'in_force_from' in v)):
        return False
    return True

def _check4(v: Any) -> bool:
    return True

def _check1(v: Any) -> bool:
    if not (((_check3(v) if _check2(v) else _check4(v)))):
        return False
    return True

def _check6(v: Any) -> bool:
    if isinstance(v, dict):
        x0 = v.get('status', _ABSENT)
        if x0 is not _ABSENT:
            if not ((json_equal(x0, 'superseded'))):
                return False
    return True

def _check7(v: Any) -> bool:
    if not ((not isinstance(v, dict) or 'in_force_until' in v)):
        return False
    return True

def _check5(v: Any) -> bool:
    if not (((_check7(v) if _check6(v) else _check4(v)))):
        return False
    return True

def _check8(v: Any) -> bool:
    if not ((isinstance(v, str)) and (_PATTERN2.search(v) is not None) and (is_date(v))):
        return False
    return True

def _check9(v: Any) -> bool:
    if not ((v is None)):
        return False
    return True

def _check0(v: Any) -> bool:
    if not ((isinstance(v, dict)) and ('code' in v and 'name' in v and 'asean_member_since' in v and 'last_reviewed' in v and 'regulators' in v and 'instruments' in v and 'sensitive_categories' in v and 'sensitive_note' in v and 'asean_mcc' in v and 'global_cbpr' in v and 'topics' in v)):
        return False
    if not _KEYS0.issuperset(v):
        return False
    x0 = v.get('code', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, str)) and (_PATTERN1.search(x0) is not None)):
            return False
    x0 = v.get('name', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, str)) and (len(x0) >= 1)):
            return False
    x0 = v.get('name_in_sentence', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, str)) and (len(x0) >= 1)):
            return False
    x0 = v.get('asean_member_since', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, str)) and (_PATTERN2.search(x0) is not None) and (is_date(x0))):
            return False
    x0 = v.get('last_reviewed', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, str)) and (_PATTERN2.search(x0) is not None) and (is_date(x0))):
            return False
    x0 = v.get('official_domains', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, list))):
            return False
        for x1 in x0:
            if not ((isinstance(x1, str)) and (_PATTERN3.search(x1) is not None)):
                return False
        if len(set(x0)) != len(x0):
            return False
    x0 = v.get('regulators', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, list))):
            return False
        for x1 in x0:
            if not ((isinstance(x1, dict)) and ('name' in x1)):
                return False
            if not _KEYS4.issuperset(x1):
                return False
            x2 = x1.get('name', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('url', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (_PATTERN5.search(x2) is not None)):
                    return False
            x2 = x1.get('note', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str))):
                    return False
    x0 = v.get('instruments', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, list)) and (len(x0) >= 1)):
            return False
        for x1 in x0:
            if not ((isinstance(x1, dict)) and ('id' in x1 and 'title' in x1 and 'status' in x1 and 'url' in x1) and (_check1(x1)) and (_check5(x1))):
                return False
            if not _KEYS8.issuperset(x1):
                return False
            x2 = x1.get('id', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (_PATTERN9.search(x2) is not None)):
                    return False
            x2 = x1.get('title', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('number', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str))):
                    return False
            x2 = x1.get('status', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM10)):
                    return False
            x2 = x1.get('in_force_from', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (_PATTERN2.search(x2) is not None) and (is_date(x2))):
                    return False
            x2 = x1.get('in_force_until', _ABSENT)
            if x2 is not _ABSENT:
                if not (([_check8(x2), _check9(x2)].count(True) == 1)):
                    return False
            x2 = x1.get('regulator', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str))):
                    return False
            x2 = x1.get('url', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (_PATTERN5.search(x2) is not None)):
                    return False
            x2 = x1.get('note', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str))):
                    return False
    x0 = v.get('sensitive_categories', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, list))):
            return False
        for x1 in x0:
            if not ((isinstance(x1, str))):
                return False
    x0 = v.get('sensitive_note', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, str)) and (len(x0) >= 1)):
            return False
    x0 = v.get('asean_mcc', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, str) and x0 in _ENUM11)):
            return False
    x0 = v.get('asean_mcc_note', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, str))):
            return False
    x0 = v.get('global_cbpr', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, str) and x0 in _ENUM12)):
            return False
    x0 = v.get('notes', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, str))):
            return False
    x0 = v.get('topics', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, dict)) and ('transfer' in x0 and 'localization' in x0 and 'breach_notification' in x0 and 'dpo' in x0 and 'local_presence' in x0 and 'registration' in x0 and 'legal_basis' in x0 and 'sensitive_data' in x0 and 'children' in x0 and 'impact_assessment' in x0 and 'ecommerce' in x0 and 'consumer_protection' in x0 and 'security' in x0 and 'retention' in x0)):
            return False
        if not _KEYS13.issuperset(x0):
            return False
        x1 = x0.get('transfer', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, dict)) and ('position' in x1 and 'summary' in x1 and 'sources' in x1)):
                return False
            if not _KEYS14.issuperset(x1):
                return False
            x2 = x1.get('position', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM15)):
                    return False
            x2 = x1.get('summary', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('sources', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list)) and (len(x2) >= 1)):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str)) and (_PATTERN5.search(x3) is not None)):
                        return False
            x2 = x1.get('confidence', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM16)):
                    return False
            x2 = x1.get('short', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1) and (len(x2) <= 90)):
                    return False
            x2 = x1.get('not_checked', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
        x1 = x0.get('localization', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, dict)) and ('position' in x1 and 'summary' in x1 and 'sources' in x1)):
                return False
            if not _KEYS14.issuperset(x1):
                return False
            x2 = x1.get('position', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM15)):
                    return False
            x2 = x1.get('summary', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('sources', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list)) and (len(x2) >= 1)):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str)) and (_PATTERN5.search(x3) is not None)):
                        return False
            x2 = x1.get('confidence', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM16)):
                    return False
            x2 = x1.get('short', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1) and (len(x2) <= 90)):
                    return False
            x2 = x1.get('not_checked', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
        x1 = x0.get('breach_notification', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, dict)) and ('position' in x1 and 'summary' in x1 and 'sources' in x1)):
                return False
            if not _KEYS14.issuperset(x1):
                return False
            x2 = x1.get('position', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM15)):
                    return False
            x2 = x1.get('summary', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('sources', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list)) and (len(x2) >= 1)):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str)) and (_PATTERN5.search(x3) is not None)):
                        return False
            x2 = x1.get('confidence', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM16)):
                    return False
            x2 = x1.get('short', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1) and (len(x2) <= 90)):
                    return False
            x2 = x1.get('not_checked', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
        x1 = x0.get('dpo', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, dict)) and ('position' in x1 and 'summary' in x1 and 'sources' in x1)):
                return False
            if not _KEYS14.issuperset(x1):
                return False
            x2 = x1.get('position', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM15)):
                    return False
            x2 = x1.get('summary', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('sources', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list)) and (len(x2) >= 1)):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str)) and (_PATTERN5.search(x3) is not None)):
                        return False
            x2 = x1.get('confidence', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM16)):
                    return False
            x2 = x1.get('short', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1) and (len(x2) <= 90)):
                    return False
            x2 = x1.get('not_checked', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
        x1 = x0.get('local_presence', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, dict)) and ('position' in x1 and 'summary' in x1 and 'sources' in x1)):
                return False
            if not _KEYS14.issuperset(x1):
                return False
            x2 = x1.get('position', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM15)):
                    return False
            x2 = x1.get('summary', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('sources', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list)) and (len(x2) >= 1)):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str)) and (_PATTERN5.search(x3) is not None)):
                        return False
            x2 = x1.get('confidence', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM16)):
                    return False
            x2 = x1.get('short', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1) and (len(x2) <= 90)):
                    return False
            x2 = x1.get('not_checked', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
        x1 = x0.get('registration', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, dict)) and ('position' in x1 and 'summary' in x1 and 'sources' in x1)):
                return False
            if not _KEYS14.issuperset(x1):
                return False
            x2 = x1.get('position', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM15)):
                    return False
            x2 = x1.get('summary', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('sources', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list)) and (len(x2) >= 1)):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str)) and (_PATTERN5.search(x3) is not None)):
                        return False
            x2 = x1.get('confidence', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM16)):
                    return False
            x2 = x1.get('short', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1) and (len(x2) <= 90)):
                    return False
            x2 = x1.get('not_checked', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
        x1 = x0.get('legal_basis', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, dict)) and ('position' in x1 and 'summary' in x1 and 'sources' in x1)):
                return False
            if not _KEYS14.issuperset(x1):
                return False
            x2 = x1.get('position', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM15)):
                    return False
            x2 = x1.get('summary', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('sources', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list)) and (len(x2) >= 1)):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str)) and (_PATTERN5.search(x3) is not None)):
                        return False
            x2 = x1.get('confidence', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM16)):
                    return False
            x2 = x1.get('short', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1) and (len(x2) <= 90)):
                    return False
            x2 = x1.get('not_checked', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
        x1 = x0.get('sensitive_data', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, dict)) and ('position' in x1 and 'summary' in x1 and 'sources' in x1)):
                return False
            if not _KEYS14.issuperset(x1):
                return False
            x2 = x1.get('position', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM15)):
                    return False
            x2 = x1.get('summary', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('sources', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list)) and (len(x2) >= 1)):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str)) and (_PATTERN5.search(x3) is not None)):
                        return False
            x2 = x1.get('confidence', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM16)):
                    return False
            x2 = x1.get('short', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1) and (len(x2) <= 90)):
                    return False
            x2 = x1.get('not_checked', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
        x1 = x0.get('children', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, dict)) and ('position' in x1 and 'summary' in x1 and 'sources' in x1)):
                return False
            if not _KEYS14.issuperset(x1):
                return False
            x2 = x1.get('position', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM15)):
                    return False
            x2 = x1.get('summary', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('sources', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list)) and (len(x2) >= 1)):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str)) and (_PATTERN5.search(x3) is not None)):
                        return False
            x2 = x1.get('confidence', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM16)):
                    return False
            x2 = x1.get('short', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1) and (len(x2) <= 90)):
                    return False
            x2 = x1.get('not_checked', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
        x1 = x0.get('impact_assessment', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, dict)) and ('position' in x1 and 'summary' in x1 and 'sources' in x1)):
                return False
            if not _KEYS14.issuperset(x1):
                return False
            x2 = x1.get('position', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM15)):
                    return False
            x2 = x1.get('summary', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('sources', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list)) and (len(x2) >= 1)):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str)) and (_PATTERN5.search(x3) is not None)):
                        return False
            x2 = x1.get('confidence', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM16)):
                    return False
            x2 = x1.get('short', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1) and (len(x2) <= 90)):
                    return False
            x2 = x1.get('not_checked', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
        x1 = x0.get('ecommerce', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, dict)) and ('position' in x1 and 'summary' in x1 and 'sources' in x1)):
                return False
            if not _KEYS14.issuperset(x1):
                return False
            x2 = x1.get('position', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM15)):
                    return False
            x2 = x1.get('summary', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('sources', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list)) and (len(x2) >= 1)):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str)) and (_PATTERN5.search(x3) is not None)):
                        return False
            x2 = x1.get('confidence', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM16)):
                    return False
            x2 = x1.get('short', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1) and (len(x2) <= 90)):
                    return False
            x2 = x1.get('not_checked', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
        x1 = x0.get('consumer_protection', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, dict)) and ('position' in x1 and 'summary' in x1 and 'sources' in x1)):
                return False
            if not _KEYS14.issuperset(x1):
                return False
            x2 = x1.get('position', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM15)):
                    return False
            x2 = x1.get('summary', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('sources', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list)) and (len(x2) >= 1)):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str)) and (_PATTERN5.search(x3) is not None)):
                        return False
            x2 = x1.get('confidence', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM16)):
                    return False
            x2 = x1.get('short', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1) and (len(x2) <= 90)):
                    return False
            x2 = x1.get('not_checked', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
        x1 = x0.get('security', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, dict)) and ('position' in x1 and 'summary' in x1 and 'sources' in x1)):
                return False
            if not _KEYS14.issuperset(x1):
                return False
            x2 = x1.get('position', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM15)):
                    return False
            x2 = x1.get('summary', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('sources', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list)) and (len(x2) >= 1)):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str)) and (_PATTERN5.search(x3) is not None)):
                        return False
            x2 = x1.get('confidence', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM16)):
                    return False
            x2 = x1.get('short', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1) and (len(x2) <= 90)):
                    return False
            x2 = x1.get('not_checked', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
        x1 = x0.get('retention', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, dict)) and ('position' in x1 and 'summary' in x1 and 'sources' in x1)):
                return False
            if not _KEYS14.issuperset(x1):
                return False
            x2 = x1.get('position', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM15)):
                    return False
            x2 = x1.get('summary', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('sources', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list)) and (len(x2) >= 1)):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str)) and (_PATTERN5.search(x3) is not None)):
                        return False
            x2 = x1.get('confidence', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM16)):
                    return False
            x2 = x1.get('short', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1) and (len(x2) <= 90)):
                    return False
            x2 = x1.get('not_checked', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
    x0 = v.get('pillars', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, dict))):
            return False
        if not _KEYS17.issuperset(x0):
            return False
        x1 = x0.get('digital_payments', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, dict)) and ('position' in x1 and 'summary' in x1 and 'sources' in x1)):
                return False
            if not _KEYS14.issuperset(x1):
                return False
            x2 = x1.get('position', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM15)):
                    return False
            x2 = x1.get('summary', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('sources', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list)) and (len(x2) >= 1)):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str)) and (_PATTERN5.search(x3) is not None)):
                        return False
            x2 = x1.get('confidence', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM16)):
                    return False
            x2 = x1.get('short', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1) and (len(x2) <= 90)):
                    return False
            x2 = x1.get('not_checked', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
        x1 = x0.get('cybersecurity', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, dict)) and ('position' in x1 and 'summary' in x1 and 'sources' in x1)):
                return False
            if not _KEYS14.issuperset(x1):
                return False
            x2 = x1.get('position', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM15)):
                    return False
            x2 = x1.get('summary', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('sources', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list)) and (len(x2) >= 1)):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str)) and (_PATTERN5.search(x3) is not None)):
                        return False
            x2 = x1.get('confidence', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM16)):
                    return False
            x2 = x1.get('short', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1) and (len(x2) <= 90)):
                    return False
            x2 = x1.get('not_checked', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
        x1 = x0.get('digital_identity', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, dict)) and ('position' in x1 and 'summary' in x1 and 'sources' in x1)):
                return False
            if not _KEYS14.issuperset(x1):
                return False
            x2 = x1.get('position', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM15)):
                    return False
            x2 = x1.get('summary', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('sources', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list)) and (len(x2) >= 1)):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str)) and (_PATTERN5.search(x3) is not None)):
                        return False
            x2 = x1.get('confidence', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM16)):
                    return False
            x2 = x1.get('short', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1) and (len(x2) <= 90)):
                    return False
            x2 = x1.get('not_checked', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
    return True

def _check10(v: Any) -> bool:
    if not ((isinstance(v, dict)) and ('manifest_version' in v and 'organization' in v)):
        return False
    if not _KEYS18.issuperset(v):
        return False
    x0 = v.get('manifest_version', _ABSENT)
    if x0 is not _ABSENT:
        if not ((json_equal(x0, 1))):
            return False
    x0 = v.get('organization', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, dict)) and ('name' in x0 and 'home_country' in x0)):
            return False
        if not _KEYS19.issuperset(x0):
            return False
        x1 = x0.get('name', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, str)) and (len(x1) >= 1) and (len(x1) <= 1000)):
                return False
        x1 = x0.get('home_country', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, str)) and (x1 in _ENUM20)):
                return False
        x1 = x0.get('size', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, str) and x1 in _ENUM21)):
                return False
        x1 = x0.get('employees', _ABSENT)
        if x1 is not _ABSENT:
            if not ((((isinstance(x1, int) and not isinstance(x1, bool)) or (isinstance(x1, float) and x1.is_integer()))) and (x1 >= 0)):
                return False
        x1 = x0.get('sectors', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, list))):
                return False
            if not all_in(_ENUM22, x1):
                return False
            if len(set(x1)) != len(x1):
                return False
        x1 = x0.get('establishments', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, list))):
                return False
            if not all_in(_ENUM20, x1):
                return False
            if len(set(x1)) != len(x1):
                return False
        x1 = x0.get('local_representatives', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, list))):
                return False
            if not all_in(_ENUM20, x1):
                return False
            if len(set(x1)) != len(x1):
                return False
        x1 = x0.get('dpo_appointed', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, bool))):
                return False
        x1 = x0.get('legal_form', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, str) and x1 in _ENUM23)):
                return False
        x1 = x0.get('provides_processing_services', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, bool))):
                return False
        x1 = x0.get('registrations', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, list))):
                return False
            for x2 in x1:
                if not ((isinstance(x2, dict)) and ('country' in x2 and 'kind' in x2)):
                    return False
                if not _KEYS24.issuperset(x2):
                    return False
                x3 = x2.get('country', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str)) and (x3 in _ENUM20)):
                        return False
                x3 = x2.get('kind', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str) and x3 in _ENUM25)):
                        return False
                x3 = x2.get('reference', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str)) and (len(x3) <= 1000)):
                        return False
                x3 = x2.get('date', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str)) and (_PATTERN2.search(x3) is not None) and (is_date(x3))):
                        return False
        x1 = x0.get('certifications', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, list))):
                return False
            if not all_in(_ENUM26, x1):
                return False
            if len(set(x1)) != len(x1):
                return False
        x1 = x0.get('breach_notification_hours', _ABSENT)
        if x1 is not _ABSENT:
            if not (((isinstance(x1, (int, float)) and not isinstance(x1, bool))) and (x1 >= 0)):
                return False
        x1 = x0.get('data_subjects_by_country', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, dict))):
                return False
            for key, x2 in x1.items():
                if key not in _KEYS27:
                    if not ((((isinstance(x2, int) and not isinstance(x2, bool)) or (isinstance(x2, float) and x2.is_integer()))) and (x2 >= 0)):
                        return False
            for x2 in x1:
                if not ((isinstance(x2, str)) and (x2 in _ENUM20)):
                    return False
        x1 = x0.get('assessments', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, list))):
                return False
            if not all_in(_ENUM28, x1):
                return False
            if len(set(x1)) != len(x1):
                return False
        x1 = x0.get('licences', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, list))):
                return False
            for x2 in x1:
                if not ((isinstance(x2, dict)) and ('country' in x2 and 'kind' in x2)):
                    return False
                if not _KEYS29.issuperset(x2):
                    return False
                x3 = x2.get('country', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str)) and (x3 in _ENUM20)):
                        return False
                x3 = x2.get('kind', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str) and x3 in _ENUM30)):
                        return False
                x3 = x2.get('regulator', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str)) and (len(x3) <= 1000)):
                        return False
                x3 = x2.get('reference', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str)) and (len(x3) <= 1000)):
                        return False
                x3 = x2.get('date', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str)) and (_PATTERN2.search(x3) is not None) and (is_date(x3))):
                        return False
        x1 = x0.get('annual_turnover_usd', _ABSENT)
        if x1 is not _ABSENT:
            if not (((isinstance(x1, (int, float)) and not isinstance(x1, bool))) and (x1 >= 0)):
                return False
        x1 = x0.get('critical_infrastructure', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, list))):
                return False
            if not all_in(_ENUM20, x1):
                return False
            if len(set(x1)) != len(x1):
                return False
    x0 = v.get('systems', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, list)) and (len(x0) <= 100000)):
            return False
        for x1 in x0:
            if not ((isinstance(x1, dict)) and ('id' in x1 and 'country' in x1)):
                return False
            if not _KEYS31.issuperset(x1):
                return False
            x2 = x1.get('id', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (_PATTERN32.search(x2) is not None) and (len(x2) <= 200)):
                    return False
            x2 = x1.get('name', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) <= 1000)):
                    return False
            x2 = x1.get('country', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (x2 in _ENUM20)):
                    return False
            x2 = x1.get('provider', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) <= 1000)):
                    return False
    x0 = v.get('flows', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, list)) and (len(x0) <= 100000)):
            return False
        for x1 in x0:
            if not ((isinstance(x1, dict)) and ('id' in x1 and 'from' in x1 and 'to' in x1)):
                return False
            if not _KEYS33.issuperset(x1):
                return False
            x2 = x1.get('id', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (_PATTERN32.search(x2) is not None) and (len(x2) <= 200)):
                    return False
            x2 = x1.get('description', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) <= 10000)):
                    return False
            x2 = x1.get('from', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (x2 in _ENUM20)):
                    return False
            x2 = x1.get('to', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (x2 in _ENUM20)):
                    return False
            x2 = x1.get('system', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) <= 200)):
                    return False
            x2 = x1.get('recipient', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, dict))):
                    return False
                if not _KEYS34.issuperset(x2):
                    return False
                x3 = x2.get('name', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str)) and (len(x3) <= 1000)):
                        return False
                x3 = x2.get('role', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str) and x3 in _ENUM35)):
                        return False
            x2 = x1.get('subjects', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, dict))):
                    return False
                if not _KEYS36.issuperset(x2):
                    return False
                x3 = x2.get('kinds', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, list))):
                        return False
                    for x4 in x3:
                        if not ((isinstance(x4, str)) and (len(x4) <= 200)):
                            return False
                    if len(set(x3)) != len(x3):
                        return False
                x3 = x2.get('countries', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, list))):
                        return False
                    if not all_in(_ENUM20, x3):
                        return False
                    if len(set(x3)) != len(x3):
                        return False
                x3 = x2.get('count', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((((isinstance(x3, int) and not isinstance(x3, bool)) or (isinstance(x3, float) and x3.is_integer()))) and (x3 >= 0)):
                        return False
                x3 = x2.get('children', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, bool))):
                        return False
                x3 = x2.get('youngest_age', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((((isinstance(x3, int) and not isinstance(x3, bool)) or (isinstance(x3, float) and x3.is_integer()))) and (x3 >= 0) and (x3 <= 120)):
                        return False
            x2 = x1.get('data_categories', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list))):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str)) and (len(x3) <= 200)):
                        return False
                if len(set(x2)) != len(x2):
                    return False
            x2 = x1.get('purposes', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list))):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str)) and (len(x3) <= 200)):
                        return False
                if len(set(x2)) != len(x2):
                    return False
            x2 = x1.get('legal_bases', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list))):
                    return False
                if not all_in(_ENUM37, x2):
                    return False
                if len(set(x2)) != len(x2):
                    return False
            x2 = x1.get('transfer_mechanisms', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list))):
                    return False
                if not all_in(_ENUM38, x2):
                    return False
                if len(set(x2)) != len(x2):
                    return False
            x2 = x1.get('safeguards', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list))):
                    return False
                if not all_in(_ENUM39, x2):
                    return False
                if len(set(x2)) != len(x2):
                    return False
            x2 = x1.get('local_copy', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, bool))):
                    return False
            x2 = x1.get('assessments', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list))):
                    return False
                if not all_in(_ENUM28, x2):
                    return False
                if len(set(x2)) != len(x2):
                    return False
            x2 = x1.get('retention', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, dict)) and ('until' in x2)):
                    return False
                if not _KEYS40.issuperset(x2):
                    return False
                x3 = x2.get('until', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str) and x3 in _ENUM41)):
                        return False
                x3 = x2.get('months', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((((isinstance(x3, int) and not isinstance(x3, bool)) or (isinstance(x3, float) and x3.is_integer()))) and (x3 >= 0)):
                        return False
                x3 = x2.get('reason', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str)) and (len(x3) <= 10000)):
                        return False
            x2 = x1.get('marketing', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, dict))):
                    return False
                if not _KEYS42.issuperset(x2):
                    return False
                x3 = x2.get('channels', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, list))):
                        return False
                    if not all_in(_ENUM43, x3):
                        return False
                    if len(set(x3)) != len(x3):
                        return False
                x3 = x2.get('unsubscribe', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, bool))):
                        return False
                x3 = x2.get('dnc_checked', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, bool))):
                        return False
            x2 = x1.get('payment', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, dict))):
                    return False
                if not _KEYS44.issuperset(x2):
                    return False
                x3 = x2.get('processed_by', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str) and x3 in _ENUM45)):
                        return False
                x3 = x2.get('provider', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str)) and (len(x3) <= 1000)):
                        return False
                x3 = x2.get('country', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str)) and (x3 in _ENUM20)):
                        return False
    x0 = v.get('markets', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, list))):
            return False
        for x1 in x0:
            if not ((isinstance(x1, dict)) and ('country' in x1)):
                return False
            if not _KEYS46.issuperset(x1):
                return False
            x2 = x1.get('id', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (_PATTERN32.search(x2) is not None) and (len(x2) <= 200)):
                    return False
            x2 = x1.get('country', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (x2 in _ENUM20)):
                    return False
            x2 = x1.get('role', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM47)):
                    return False
            x2 = x1.get('b2c', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, bool))):
                    return False
            x2 = x1.get('channels', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list))):
                    return False
                if not all_in(_ENUM48, x2):
                    return False
                if len(set(x2)) != len(x2):
                    return False
            x2 = x1.get('annual_transactions', _ABSENT)
            if x2 is not _ABSENT:
                if not ((((isinstance(x2, int) and not isinstance(x2, bool)) or (isinstance(x2, float) and x2.is_integer()))) and (x2 >= 0)):
                    return False
            x2 = x1.get('monthly_users', _ABSENT)
            if x2 is not _ABSENT:
                if not ((((isinstance(x2, int) and not isinstance(x2, bool)) or (isinstance(x2, float) and x2.is_integer()))) and (x2 >= 0)):
                    return False
            x2 = x1.get('local_language', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, bool))):
                    return False
            x2 = x1.get('local_domain', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, bool))):
                    return False
            x2 = x1.get('registered_accounts', _ABSENT)
            if x2 is not _ABSENT:
                if not ((((isinstance(x2, int) and not isinstance(x2, bool)) or (isinstance(x2, float) and x2.is_integer()))) and (x2 >= 0)):
                    return False
            x2 = x1.get('annual_parcels', _ABSENT)
            if x2 is not _ABSENT:
                if not ((((isinstance(x2, int) and not isinstance(x2, bool)) or (isinstance(x2, float) and x2.is_integer()))) and (x2 >= 0)):
                    return False
            x2 = x1.get('consumer_information', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list))):
                    return False
                if not all_in(_ENUM49, x2):
                    return False
                if len(set(x2)) != len(x2):
                    return False
            x2 = x1.get('languages', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list))):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str)) and (_PATTERN50.search(x3) is not None)):
                        return False
                if len(set(x2)) != len(x2):
                    return False
    x0 = v.get('taxonomy_extensions', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, dict))):
            return False
        if not _KEYS51.issuperset(x0):
            return False
        x1 = x0.get('data_categories', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, list))):
                return False
            for x2 in x1:
                if not ((isinstance(x2, dict)) and ('key' in x2)):
                    return False
                if not _KEYS52.issuperset(x2):
                    return False
                x3 = x2.get('key', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str)) and (_PATTERN53.search(x3) is not None) and (len(x3) <= 200)):
                        return False
                x3 = x2.get('name', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str)) and (len(x3) <= 1000)):
                        return False
                x3 = x2.get('description', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str)) and (len(x3) <= 10000)):
                        return False
    return True

def _check12(v: Any) -> bool:
    if not ((isinstance(v, str))):
        return False
    return True

def _check13(v: Any) -> bool:
    if not ((isinstance(v, dict)) and ('line' in v and 'column' in v)):
        return False
    x0 = v.get('path', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, str))):
            return False
    x0 = v.get('line', _ABSENT)
    if x0 is not _ABSENT:
        if not ((((isinstance(x0, int) and not isinstance(x0, bool)) or (isinstance(x0, float) and x0.is_integer()))) and (x0 >= 1)):
            return False
    x0 = v.get('column', _ABSENT)
    if x0 is not _ABSENT:
        if not ((((isinstance(x0, int) and not isinstance(x0, bool)) or (isinstance(x0, float) and x0.is_integer()))) and (x0 >= 1)):
            return False
    return True

def _check11(v: Any) -> bool:
    if not ((isinstance(v, dict)) and ('report_version' in v and 'tool' in v and 'as_of' in v and 'manifest' in v and 'packs' in v and 'summary' in v and 'rules' in v and 'not_applicable' in v and 'findings' in v)):
        return False
    x0 = v.get('report_version', _ABSENT)
    if x0 is not _ABSENT:
        if not ((json_equal(x0, 3))):
            return False
    x0 = v.get('tool', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, dict)) and ('name' in x0 and 'version' in x0)):
            return False
        x1 = x0.get('name', _ABSENT)
        if x1 is not _ABSENT:
            if not ((json_equal(x1, 'defa-check'))):
                return False
        x1 = x0.get('version', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, str))):
                return False
    x0 = v.get('as_of', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, str)) and (_PATTERN2.search(x0) is not None) and (is_date(x0))):
            return False
    x0 = v.get('manifest', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, dict)) and ('path' in x0 and 'sha256' in x0)):
            return False
        x1 = x0.get('path', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, str))):
                return False
        x1 = x0.get('sha256', _ABSENT)
        if x1 is not _ABSENT:
            if not ((isinstance(x1, str)) and (_PATTERN57.search(x1) is not None)):
                return False
    x0 = v.get('organization', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, str))):
            return False
    x0 = v.get('countries', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, list))):
            return False
        for x1 in x0:
            if not ((isinstance(x1, str)) and (_PATTERN1.search(x1) is not None)):
                return False
    x0 = v.get('packs', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, list))):
            return False
        for x1 in x0:
            if not ((isinstance(x1, dict)) and ('country' in x1 and 'version' in x1 and 'last_reviewed' in x1)):
                return False
            x2 = x1.get('country', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (_PATTERN1.search(x2) is not None)):
                    return False
            x2 = x1.get('version', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str))):
                    return False
            x2 = x1.get('last_reviewed', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (_PATTERN2.search(x2) is not None) and (is_date(x2))):
                    return False
    x0 = v.get('summary', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, dict)) and ('fail' in x0 and 'needs_info' in x0 and 'review' in x0 and 'pass' in x0 and 'not_applicable' in x0 and 'waived' in x0)):
            return False
        for key, x1 in x0.items():
            if key not in _KEYS27:
                if not ((((isinstance(x1, int) and not isinstance(x1, bool)) or (isinstance(x1, float) and x1.is_integer()))) and (x1 >= 0)):
                    return False
    x0 = v.get('disclaimer', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, str))):
            return False
    x0 = v.get('notices', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, list))):
            return False
        for x1 in x0:
            if not ((isinstance(x1, str))):
                return False
    x0 = v.get('rules', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, dict))):
            return False
        for key, x1 in x0.items():
            if key not in _KEYS27:
                if not ((isinstance(x1, dict)) and ('country' in x1 and 'topic' in x1 and 'severity' in x1 and 'title' in x1 and 'citation' in x1 and 'remediation' in x1 and 'effective_from' in x1 and 'upcoming' in x1)):
                    return False
                x2 = x1.get('country', _ABSENT)
                if x2 is not _ABSENT:
                    if not ((isinstance(x2, str)) and (_PATTERN1.search(x2) is not None)):
                        return False
                x2 = x1.get('topic', _ABSENT)
                if x2 is not _ABSENT:
                    if not ((isinstance(x2, str))):
                        return False
                x2 = x1.get('severity', _ABSENT)
                if x2 is not _ABSENT:
                    if not ((isinstance(x2, str) and x2 in _ENUM60)):
                        return False
                x2 = x1.get('title', _ABSENT)
                if x2 is not _ABSENT:
                    if not ((isinstance(x2, str))):
                        return False
                x2 = x1.get('citation', _ABSENT)
                if x2 is not _ABSENT:
                    if not ((isinstance(x2, dict)) and ('instrument' in x2 and 'provision' in x2 and 'url' in x2)):
                        return False
                    x3 = x2.get('instrument', _ABSENT)
                    if x3 is not _ABSENT:
                        if not ((isinstance(x3, str))):
                            return False
                    x3 = x2.get('provision', _ABSENT)
                    if x3 is not _ABSENT:
                        if not ((isinstance(x3, str))):
                            return False
                    x3 = x2.get('url', _ABSENT)
                    if x3 is not _ABSENT:
                        if not ((isinstance(x3, str))):
                            return False
                x2 = x1.get('remediation', _ABSENT)
                if x2 is not _ABSENT:
                    if not ((isinstance(x2, str))):
                        return False
                x2 = x1.get('effective_from', _ABSENT)
                if x2 is not _ABSENT:
                    if not (([_check8(x2), _check9(x2)].count(True) == 1)):
                        return False
                x2 = x1.get('effective_until', _ABSENT)
                if x2 is not _ABSENT:
                    if not ((isinstance(x2, str)) and (_PATTERN2.search(x2) is not None) and (is_date(x2))):
                        return False
                x2 = x1.get('upcoming', _ABSENT)
                if x2 is not _ABSENT:
                    if not ((isinstance(x2, bool))):
                        return False
                x2 = x1.get('draft', _ABSENT)
                if x2 is not _ABSENT:
                    if not ((isinstance(x2, bool))):
                        return False
                x2 = x1.get('confidence', _ABSENT)
                if x2 is not _ABSENT:
                    if not ((isinstance(x2, str) and x2 in _ENUM16)):
                        return False
                x2 = x1.get('defaults', _ABSENT)
                if x2 is not _ABSENT:
                    if not ((isinstance(x2, dict))):
                        return False
                    for key, x3 in x2.items():
                        if key not in _KEYS27:
                            if not ((isinstance(x3, dict)) and ('message' in x3)):
                                return False
                            if not _KEYS62.issuperset(x3):
                                return False
                            x4 = x3.get('message', _ABSENT)
                            if x4 is not _ABSENT:
                                if not ((isinstance(x4, str))):
                                    return False
                            x4 = x3.get('why', _ABSENT)
                            if x4 is not _ABSENT:
                                if not ((isinstance(x4, list))):
                                    return False
                                for x5 in x4:
                                    if not _check12(x5):
                                        return False
                            x4 = x3.get('evidence', _ABSENT)
                            if x4 is not _ABSENT:
                                if not ((isinstance(x4, list))):
                                    return False
                                for x5 in x4:
                                    if not _check12(x5):
                                        return False
                    for x3 in x2:
                        if not ((isinstance(x3, str) and x3 in _ENUM63)):
                            return False
        for x1 in x0:
            if not ((not isinstance(x1, str) or len(x1) >= 1)):
                return False
    x0 = v.get('not_applicable', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, list))):
            return False
        for x1 in x0:
            if not ((isinstance(x1, dict)) and ('rule_id' in x1 and 'subject_kind' in x1 and 'count' in x1 and 'upcoming' in x1)):
                return False
            if not _KEYS64.issuperset(x1):
                return False
            x2 = x1.get('rule_id', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str))):
                    return False
            x2 = x1.get('subject_kind', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM65)):
                    return False
            x2 = x1.get('count', _ABSENT)
            if x2 is not _ABSENT:
                if not ((((isinstance(x2, int) and not isinstance(x2, bool)) or (isinstance(x2, float) and x2.is_integer()))) and (x2 >= 1)):
                    return False
            x2 = x1.get('upcoming', _ABSENT)
            if x2 is not _ABSENT:
                if not ((((isinstance(x2, int) and not isinstance(x2, bool)) or (isinstance(x2, float) and x2.is_integer()))) and (x2 >= 0)):
                    return False
            x2 = x1.get('why', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list))):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str))):
                        return False
    x0 = v.get('scope_limits', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, list))):
            return False
        for x1 in x0:
            if not ((isinstance(x1, dict)) and ('country' in x1 and 'topic' in x1 and 'text' in x1)):
                return False
            if not _KEYS66.issuperset(x1):
                return False
            x2 = x1.get('country', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str))):
                    return False
            x2 = x1.get('topic', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str))):
                    return False
            x2 = x1.get('text', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str))):
                    return False
    x0 = v.get('findings', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, list))):
            return False
        for x1 in x0:
            if not ((isinstance(x1, dict)) and ('rule_id' in x1 and 'status' in x1 and 'subject' in x1)):
                return False
            x2 = x1.get('rule_id', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (_PATTERN68.search(x2) is not None)):
                    return False
            x2 = x1.get('status', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM63)):
                    return False
            x2 = x1.get('subject', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, dict)) and ('kind' in x2 and 'id' in x2)):
                    return False
                x3 = x2.get('kind', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str) and x3 in _ENUM65)):
                        return False
                x3 = x2.get('id', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str))):
                        return False
                x3 = x2.get('name', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str))):
                        return False
            x2 = x1.get('message', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str))):
                    return False
            x2 = x1.get('missing', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list))):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str))):
                        return False
            x2 = x1.get('location', _ABSENT)
            if x2 is not _ABSENT:
                if not (([_check9(x2), _check13(x2)].count(True) == 1)):
                    return False
            x2 = x1.get('why', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list))):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str))):
                        return False
            x2 = x1.get('evidence', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, list))):
                    return False
                for x3 in x2:
                    if not ((isinstance(x3, str))):
                        return False
            x2 = x1.get('verdict', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM71)):
                    return False
            x2 = x1.get('waiver', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, dict)) and ('rule' in x2 and 'justification' in x2 and 'approved_by' in x2 and 'expires' in x2)):
                    return False
                x3 = x2.get('rule', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str))):
                        return False
                x3 = x2.get('justification', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str))):
                        return False
                x3 = x2.get('approved_by', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str))):
                        return False
                x3 = x2.get('expires', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str)) and (_PATTERN2.search(x3) is not None) and (is_date(x3))):
                        return False
                x3 = x2.get('ticket', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str))):
                        return False
                x3 = x2.get('source', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str))):
                        return False
            x2 = x1.get('in_baseline', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, bool))):
                    return False
            x2 = x1.get('country', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (_PATTERN1.search(x2) is not None)):
                    return False
            x2 = x1.get('topic', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str))):
                    return False
            x2 = x1.get('severity', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM60)):
                    return False
            x2 = x1.get('title', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str))):
                    return False
            x2 = x1.get('citation', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, dict)) and ('instrument' in x2 and 'provision' in x2 and 'url' in x2)):
                    return False
                x3 = x2.get('instrument', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str))):
                        return False
                x3 = x2.get('provision', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str))):
                        return False
                x3 = x2.get('url', _ABSENT)
                if x3 is not _ABSENT:
                    if not ((isinstance(x3, str))):
                        return False
            x2 = x1.get('remediation', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str))):
                    return False
            x2 = x1.get('effective_from', _ABSENT)
            if x2 is not _ABSENT:
                if not (([_check8(x2), _check9(x2)].count(True) == 1)):
                    return False
            x2 = x1.get('effective_until', _ABSENT)
            if x2 is not _ABSENT:
                if not (([_check8(x2), _check9(x2)].count(True) == 1)):
                    return False
            x2 = x1.get('upcoming', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, bool))):
                    return False
            x2 = x1.get('draft', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, bool))):
                    return False
            x2 = x1.get('confidence', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str) and x2 in _ENUM16)):
                    return False
    return True

def _check16(v: Any) -> bool:
    if not ((not isinstance(v, dict) or 'flow' in v and 'market' in v)):
        return False
    return True

def _check17(v: Any) -> bool:
    if not ((not isinstance(v, dict) or 'flow' in v and 'organization' in v)):
        return False
    return True

def _check18(v: Any) -> bool:
    if not ((not isinstance(v, dict) or 'market' in v and 'organization' in v)):
        return False
    return True

def _check15(v: Any) -> bool:
    if not ((_check16(v) or _check17(v) or _check18(v))):
        return False
    return True

def _check14(v: Any) -> bool:
    if not ((isinstance(v, dict)) and ('waivers' in v)):
        return False
    if not _KEYS73.issuperset(v):
        return False
    x0 = v.get('waivers', _ABSENT)
    if x0 is not _ABSENT:
        if not ((isinstance(x0, list))):
            return False
        for x1 in x0:
            if not ((isinstance(x1, dict)) and ('rule' in x1 and 'justification' in x1 and 'approved_by' in x1 and 'expires' in x1) and (not _check15(x1))):
                return False
            if not _KEYS74.issuperset(x1):
                return False
            x2 = x1.get('rule', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (_PATTERN75.search(x2) is not None)):
                    return False
            x2 = x1.get('country', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (_PATTERN1.search(x2) is not None)):
                    return False
            x2 = x1.get('flow', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('market', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 1)):
                    return False
            x2 = x1.get('organization', _ABSENT)
            if x2 is not _ABSENT:
                if not ((json_equal(x2, True))):
                    return False
            x2 = x1.get('justification', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 10)):
                    return False
            x2 = x1.get('approved_by', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (len(x2) >= 2)):
                    return False
            x2 = x1.get('expires', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str)) and (_PATTERN2.search(x2) is not None) and (is_date(x2))):
                    return False
            x2 = x1.get('ticket', _ABSENT)
            if x2 is not _ABSENT:
                if not ((isinstance(x2, str))):
                    return False
    return True

CHECKS: dict[str, Callable[[Any], bool]] = {
    'country': _check0,
    'manifest': _check10,
    'report': _check11,
    'waivers': _check14,
}
