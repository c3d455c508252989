"""The year-end awards per strategy pillar: the scoring rule (scoring), who is a candidate
and how they rank (candidates, from agencies and partners), the secretariat's decisions
(services), the document's tables and how scores are written (tables), what the pages show
(pages) and the certificates (certificates)."""
