"""Background jobs of the resource directory (filled in below)."""
