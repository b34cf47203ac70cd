"""The board report per term, the community monitoring team's view and the chief's internal view
(docs/board-report.md): figures (figures.py), who reads them (reads.py), charts and the zone map
(charts.py) and the PDF (pdf.py)."""
