"""finsek: the financial secretary's desk for churches and small nonprofits."""

__version__ = "0.1.0"
