"""The threat pages: `tipline` (public, anonymous); `tipdesk` (the team's dashboard and
tips), `cases` and `teams`. Each view parses, calls one selector or service, renders."""
