"""Writes for the training ledger: the default catalog, rules, records, imports, reminders.

Who may write is decided by safeops.access (TRAINING_RECORD / TRAINING_CATALOG): the training
coordinator and the security chief manage everything in their district; anyone else records
their own completions and certifications, which wait for the coordinator's confirmation.
Commands pass a "system:<command>" actor and act as the training office.

The modules: `common` (messages, who writes as the training office), `catalog` (defaults,
policy, courses, requirements), `records` (completions, certifications, certificates), `lms`
(the CSV import), `reminders`. This package re-exports the names callers use.
"""

from safeops.training.services.catalog import (
    course_create,
    required_topic_add,
    required_topic_remove,
    requirement_save,
    training_defaults_seed,
    training_policy_update,
)
from safeops.training.services.common import NOT_YOUR_OWN
from safeops.training.services.lms import TrainingImportError, completions_import_csv
from safeops.training.services.records import (
    certificate_attach,
    certification_confirm,
    certification_record,
    completion_confirm,
    completion_record,
    completion_reject,
)
from safeops.training.services.reminders import training_reminders_send

__all__ = [
    "NOT_YOUR_OWN",
    "TrainingImportError",
    "certificate_attach",
    "certification_confirm",
    "certification_record",
    "completion_confirm",
    "completion_record",
    "completion_reject",
    "completions_import_csv",
    "course_create",
    "required_topic_add",
    "required_topic_remove",
    "requirement_save",
    "training_defaults_seed",
    "training_policy_update",
    "training_reminders_send",
]
