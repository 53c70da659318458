"""Disclosure on request (依申请公开): the register, working-day deadlines, outcomes and the Art. 42 fee; and the
行政复议、行政诉讼 cases about disclosure (table 4 of the annual report)."""

from .appeals import AppealCase, AppealRegister
from .register import RequestRegister, RequestView

__all__ = ["AppealCase", "AppealRegister", "RequestRegister", "RequestView"]
