import time


def model_fn(model_dir):
    time.sleep(2)
    print("BROKEN-MODEL-FN about to fail", flush=True)
    raise RuntimeError("weights are corrupt (on purpose, for the test)")
