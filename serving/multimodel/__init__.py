"""Multi-model endpoints: models loaded and unloaded at run time through ``/models``
(SageMaker's ``SAGEMAKER_MULTI_MODEL=true``), by a manager process behind the front."""
