"""What the public dashboard calls each measure, dimension, category and statistic (translated;
the codes are the download's values, explained by the data dictionary)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LABELS: dict[str, StrOrPromise] = {
    # dispatch categories
    "weapon": _("Weapon"),
    "fight_assault": _("Fight or assault"),
    "intruder_trespass": _("Intruder or trespass"),
    "threat_to_harm": _("Threat to harm"),
    "crime_report": _("Crime report"),
    "medical_assist": _("Medical assist (EMS)"),
    "person_in_crisis": _("Person in crisis or welfare"),
    "bus_stop_incident": _("Bus stop incident"),
    "traffic": _("Traffic"),
    "patrol_check": _("Patrol or visibility check"),
    "panic_alarm": _("Panic alarm (badge or button)"),
    "p1": _("P1 emergency"),
    "p2": _("P2 urgent"),
    "p3": _("P3 routine"),
    # enforcement outcomes and groups
    "citation": _("Citations"),
    "arrest": _("Arrests"),
    "use_of_force": _("Uses of force"),
    "race_ethnicity": _("Race/ethnicity"),
    "sex": _("Sex"),
    "disability": _("Disability/504"),
    "english_learner": _("English learner"),
    "hispanic_latino": _("Hispanic or Latino, of any race"),
    "american_indian_alaska_native": _("American Indian or Alaska Native"),
    "asian": _("Asian"),
    "black_african_american": _("Black or African American"),
    "native_hawaiian_pacific_islander": _("Native Hawaiian or Other Pacific Islander"),
    "white": _("White"),
    "two_or_more": _("Two or more races"),
    "not_reported": _("Not reported"),
    "female": _("Female"),
    "male": _("Male"),
    "nonbinary": _("Nonbinary"),
    "idea": _("Served under IDEA"),
    "section_504": _("Section 504 only"),
    "none": _("No disability status"),
    "yes": _("English learner"),
    "no": _("Not an English learner"),
    # intakes that refuse discipline matters
    "dispatch": _("Dispatch"),
    "tips": _("Tip line"),
    "threats": _("Threat assessment"),
    "incidents": _("Incident log"),
    "ssoreports": _("SSO reports"),
    "referrals": _("Referrals"),
    "dispatch_returned": _("Calls found to be discipline, returned by the officer"),
    "total": _("Total"),
}

STATS: dict[str, StrOrPromise] = {
    "count": _("count"),
    "rate": _("rate per 1,000 enrolled"),
    "rri": _("relative rate index"),
    "rri_low": _("RRI interval at 95%, low"),
    "rri_high": _("RRI interval at 95%, high"),
    "p50": _("median (p50)"),
    "p90": _("90th percentile (p90)"),
    "share": _("share"),
    "mean": _("mean"),
    "of": _("out of"),
}

LEVELS: dict[str, StrOrPromise] = {
    "elementary": _("Elementary"),
    "middle": _("Middle"),
    "high": _("High"),
    "combined": _("Combined"),
    "alternative": _("Alternative"),
    "early_childhood": _("Early childhood"),
    "special_program": _("Special program"),
    "none": _("No school"),
}


def label(code: str) -> StrOrPromise:
    return LABELS.get(code, code)
