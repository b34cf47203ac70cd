"""The role home pages (/): the top of the house, it may read every feature app."""
