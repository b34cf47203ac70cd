from safeops.patrol.importing import bell_schedules_import
from safeops.patrol.management.commands._importer import ImportCommand


class Command(ImportCommand):
    help = "Import schools' start and end bells from CSV (the JCPS merged file works as it is)."
    importer = staticmethod(bell_schedules_import)
    actor = "system:import-bells"
