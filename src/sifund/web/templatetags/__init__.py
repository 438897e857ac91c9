"""Template filters of the sifund pages (``{% load sifund_fmt %}``)."""
