"""The pipeline's stages, in the order data flows through them.

Adding a stage is one module here (a ``run(pipe, batch)`` function and a ``STAGE``
declaring what it needs and provides) and one line in :data:`STAGES`. The order is
checked when a pipeline is built (:func:`newsweave.pipeline.stage.check_order`);
``newsweave stages`` lists them.
"""

from __future__ import annotations

from ..stage import Stage
from . import (
    clean,
    crosslink,
    dates,
    dedupe,
    embed,
    entities,
    language,
    quantities,
    quotes,
    stories,
)

STAGES: tuple[Stage, ...] = (
    clean.STAGE,
    language.STAGE,
    dedupe.STAGE,
    embed.STAGE,
    stories.STAGE,
    entities.STAGE,
    crosslink.STAGE,
    dates.STAGE,
    quotes.STAGE,
    quantities.STAGE,
)
