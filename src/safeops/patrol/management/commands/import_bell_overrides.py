from safeops.patrol.importing_days import bell_overrides_import
from safeops.patrol.management.commands._importer import ImportCommand


class Command(ImportCommand):
    help = "Import late starts, early releases and no-school days from CSV."
    importer = staticmethod(bell_overrides_import)
    actor = "system:import-bell-overrides"
