"""The Faust app class the worker runs: Faust's App on the corrected transport."""

from __future__ import annotations

from typing import Any

import faust
from faust.types import TransportT

from streamproc.faust.settings import WingSettings
from streamproc.faust.transport import CorrectedTransport


class CorrectedApp(faust.App):
    """A Faust app whose consumer and producer carry the corrections (transport.CorrectedTransport).

    Faust builds its transports through ``_new_transport``/``_new_producer_transport``; the broker
    URL's scheme would pick Faust's own aiokafka driver.
    """

    def __init__(self, id: str, *, wing: WingSettings, **options: Any) -> None:
        self.wing = wing
        super().__init__(id, **options)

    def _new_transport(self) -> TransportT:
        return CorrectedTransport(self.conf.broker_consumer, self, wing=self.wing)

    def _new_producer_transport(self) -> TransportT:
        return CorrectedTransport(self.conf.broker_producer, self, wing=self.wing)
