# Written the way AWS's sagemaker-pytorch-inference examples are, and run unchanged:
# a state_dict model, JSON in and out, exact content-type checks, context-free hooks.
import json
import logging
import os

import torch
import torch.nn as nn

logger = logging.getLogger(__name__)
JSON_CONTENT_TYPE = "application/json"


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)

    def forward(self, x):
        return self.fc(x)


def model_fn(model_dir):
    logger.info("Loading the model.")
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = Net()
    with open(os.path.join(model_dir, "model.pth"), "rb") as f:
        model.load_state_dict(torch.load(f, map_location=device, weights_only=True))
    return model.to(device)


def input_fn(serialized_input_data, content_type=JSON_CONTENT_TYPE):
    logger.info("Deserializing the input data.")
    if content_type == JSON_CONTENT_TYPE:
        input_data = json.loads(serialized_input_data)
        return torch.tensor(input_data["inputs"], dtype=torch.float32)
    raise Exception("Requested unsupported ContentType in content_type: " + content_type)


def predict_fn(input_data, model):
    logger.info("Generating prediction based on input parameters.")
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model.eval()
    with torch.no_grad():
        return model(input_data.to(device))


def output_fn(prediction_output, accept=JSON_CONTENT_TYPE):
    logger.info("Serializing the generated output.")
    if accept == JSON_CONTENT_TYPE:
        return json.dumps({"outputs": prediction_output.tolist()}), accept
    raise Exception("Requested unsupported ContentType in Accept: " + accept)
