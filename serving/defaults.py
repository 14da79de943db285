"""The default hooks, importable under the name docs/model.md documents for user code::

    from serving.defaults import default_input_fn

They live in :mod:`serving.worker.defaults`.
"""

from serving.worker.defaults import (
    default_input_fn,
    default_model_fn,
    default_output_fn,
    default_predict_fn,
    to_plain,
)

__all__ = [
    "default_input_fn",
    "default_model_fn",
    "default_output_fn",
    "default_predict_fn",
    "to_plain",
]
