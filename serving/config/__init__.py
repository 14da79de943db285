"""The config every part of the runtime reads: the YAML schema (``schema``), where each
layer comes from (``sources``, ``environment``), how they combine into one validated
``Config`` (``layering``), TorchServe's own section (``torchserve``), the sizing policy
(``sizing``) and the worker spec each model gets (``worker_specs``).

A floor: it imports the contracts below it (errors, media types, the worker spec) and the
machine's facts (:mod:`serving.machine`), never a wing or the roof (tests/unit/test_layout.py).
"""
