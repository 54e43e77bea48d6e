"""Bulk import of enrollments from an Excel (.xlsx) or CSV file.

``limits`` (every cap in one place), ``reader`` (refuses hostile or broken files and streams the
cells), ``columns`` (headers and cell formats), ``validation`` (the enrol form's rules for every row,
with set-based look-ups), ``template`` (the downloadable workbook). The writes are in
``enrollment.services.imports``.
"""
