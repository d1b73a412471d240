"""Contract documents: reading (text, Markdown, DOCX, PDF) into clauses, extraction of
terms with their provenance, and the diff of two versions."""
