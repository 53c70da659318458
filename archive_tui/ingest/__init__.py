"""Ingest: scans and electronic documents into the catalogue, with Chinese OCR, in bulk.

``pipeline.ingest`` is the entry point (``Archive.ingest`` delegates to it); ``formats`` reads each file type,
``ocr``/``preprocess``/``script`` read scanned pages, ``suggest`` proposes catalogue fields, ``commit`` writes
one document in one transaction, ``walk`` turns paths and a manifest into documents, ``report`` sums up.
"""

from .pipeline import default_jobs, ingest
from .report import IngestReport, Outcome

__all__ = ["IngestReport", "Outcome", "default_jobs", "ingest"]
