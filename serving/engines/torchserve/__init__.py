"""TorchServe 0.12.0 as the engine: its files and launch (start-up side), its handler
entry (worker side) and the Java plugin for /ping and /execution-parameters."""

# The model-config.yaml section that carries each worker's spec (WorkerSpec.to_dict()).
SPEC_KEY = "serving"

#: The worker's environment variable naming the inference socket, where the plugin tells
#: a streaming worker whether its client is still there (streaming.py).
SOCKET_ENV = "SERVING_TORCHSERVE_SOCKET"
#: ... and the key the engine's listeners ask for.
TOKEN_ENV = "SERVING_TORCHSERVE_TOKEN"
