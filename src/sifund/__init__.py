"""sifund: 社会保险基金预算绩效管理 — author and review performance self-evaluation reports."""

__version__ = "0.1.0"
