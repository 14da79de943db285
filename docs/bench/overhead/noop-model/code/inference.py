
def model_fn(model_dir):
    return object()


def transform_fn(model, input_data, content_type, accept):
    return b"0", "application/json"
