"""The training pages: `ledger` (my training, a person, the district, the feed), `records`
(recording and confirming), `catalog` (the LMS upload, the catalog and rules)."""
