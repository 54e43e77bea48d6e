"""The payments file from the channels: its columns, reading a row, and matching rows to acquisitions.

The service that imports a file (preview, confirm) is ``enrollment.services.payments``; what a page
lists is in ``enrollment.selectors.payments``.
"""
