"""Households with their residents from a spreadsheet: columns (``columns``), plan (``plan``), apply (``apply``)."""
