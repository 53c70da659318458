"""Printing stamped copies of released records: compose a marked A4 PDF, send it to CUPS or a file, log it.

Modules: :mod:`.compose` (the print-ready PDF), :mod:`.marks` (header, footer, 已废止, cover sheet),
:mod:`.cups` (the ``lp``/``lpstat`` clients), :mod:`.fees` (price list in 分), :mod:`.log` (print log),
:mod:`.ranges` (page ranges), :mod:`.service` (the whole job, used by ``Archive.print_record``).
"""

from .cups import Printer, PrintError
from .service import PrintJob, PrintResult, prepare, print_record, quote_fee, render

__all__ = ["PrintError", "PrintJob", "PrintResult", "Printer", "prepare", "print_record", "quote_fee", "render"]
