"""待遇支付疑点筛查: rules over payment records (DuckDB embedded, the same rules on Spark).

Data flows one way: an input folder of tables (:mod:`.tables`) → the rule catalogue
(:mod:`.catalogue`) run by an engine (:mod:`.engine`, one ibis expression per rule kind in
:mod:`.kinds`) → an :class:`~sifund.payments.model.AuditResult` (the JSON of
``../shared/spec/payments.md``) → table text or the 疑点清单 workbook (:mod:`.output`).
What each rule finds, and the money it counts, is defined in ``docs/payments.md``.
"""
