"""procradar: a self-hostable monitor of Nordic public-procurement news."""

__version__ = "0.1.0"
