"""Renderers: DOCX report, 自评表 XLSX, HTML, charts, input template — all from engine results."""
