"""Documents to the person and printouts: letters in the person's language, the case
summary, the font stack PDFs and pages share (docs/documents.md, docs/adr/0018)."""
