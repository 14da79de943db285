package serving.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.pytorch.serve.servingsdk.Context;
import org.pytorch.serve.servingsdk.ModelServerEndpoint;
import org.pytorch.serve.servingsdk.annotations.Endpoint;
import org.pytorch.serve.servingsdk.annotations.helpers.EndpointTypes;
import org.pytorch.serve.servingsdk.http.Request;
import org.pytorch.serve.servingsdk.http.Response;

/**
 * GET /execution-parameters for SageMaker batch transform. The values are rendered
 * by the runtime into config.properties as serving_max_concurrent_transforms,
 * serving_batch_strategy and serving_max_payload_in_mb.
 */
@Endpoint(
        urlPattern = "execution-parameters",
        endpointType = EndpointTypes.INFERENCE,
        description = "SageMaker batch transform execution parameters")
public class ExecutionParametersEndpoint extends ModelServerEndpoint {

    @Override
    public void doGet(Request req, Response rsp, Context ctx) throws IOException {
        Properties config = ctx.getConfig();
        String body = "{\"MaxConcurrentTransforms\":"
                + integer(config, "serving_max_concurrent_transforms", 1)
                + ",\"BatchStrategy\":\""
                + config.getProperty("serving_batch_strategy", "MULTI_RECORD").replace("\"", "")
                + "\",\"MaxPayloadInMB\":"
                + integer(config, "serving_max_payload_in_mb", 6)
                + "}";
        rsp.setStatus(200, "OK");
        rsp.setContentType("application/json");
        try (OutputStream out = rsp.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static int integer(Properties config, String key, int fallback) {
        try {
            return Integer.parseInt(config.getProperty(key, String.valueOf(fallback)).trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
