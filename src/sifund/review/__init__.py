"""Review: read an existing report (TXT/DOCX/PDF), extract its figures with their places, audit them."""
