"""Disclosure on request (依申请公开): the register, working-day deadlines, outcomes and the Art. 42 fee."""

from .register import RequestRegister, RequestView

__all__ = ["RequestRegister", "RequestView"]
