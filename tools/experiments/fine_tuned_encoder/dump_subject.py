"""(project venv) names_a_subject for each training text -> subject.json (training files only)."""
import json, sys
sys.path.insert(0, "/work/main/src")
from safeops.core.discipline_rules import names_a_subject
rows = json.load(open("/work/scratch/ft/guard.json"))["train"]
json.dump([names_a_subject(r["text"]) for r in rows], open("/work/scratch/ft/subject.json", "w"))
