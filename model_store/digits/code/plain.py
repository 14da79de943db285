"""The digits model as a plain AWS-toolkit script: ``model_fn`` only, the serving
defaults for everything else. It runs unchanged under AWS's sagemaker-pytorch-inference
and under this runtime, which is what a side-by-side benchmark of the two needs
(``SAGEMAKER_PROGRAM=plain.py``)."""

from inference import model_fn

__all__ = ["model_fn"]
