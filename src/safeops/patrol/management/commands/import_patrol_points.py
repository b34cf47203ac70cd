from safeops.patrol.importing import patrol_points_import
from safeops.patrol.management.commands._importer import ImportCommand


class Command(ImportCommand):
    help = "Import patrol points (bus stops, parks, corridors) from CSV with lat/lon."
    importer = staticmethod(patrol_points_import)
    actor = "system:import-points"
