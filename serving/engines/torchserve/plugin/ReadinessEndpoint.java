package serving.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.pytorch.serve.servingsdk.Context;
import org.pytorch.serve.servingsdk.Model;
import org.pytorch.serve.servingsdk.ModelServerEndpoint;
import org.pytorch.serve.servingsdk.Worker;
import org.pytorch.serve.servingsdk.annotations.Endpoint;
import org.pytorch.serve.servingsdk.annotations.helpers.EndpointTypes;
import org.pytorch.serve.servingsdk.http.Request;
import org.pytorch.serve.servingsdk.http.Response;

/**
 * GET /ping that tells the truth. At start-up: 200 only once every declared model has
 * as many workers loaded as it was declared with. From then on: 200 while every model
 * has at least one worker serving, so that one worker restarting among several does not
 * take the whole endpoint out of service; 503 when a model has none.
 *
 * TorchServe's own /ping answers 200 while workers are still loading and for up to
 * five minutes of crash-looping. A plugin endpoint registered for "ping" takes
 * precedence over the built-in route. The expected counts come from the key
 * serving_expected_workers ("name=count,name=count") that the runtime writes into
 * config.properties.
 */
@Endpoint(
        urlPattern = "ping",
        endpointType = EndpointTypes.INFERENCE,
        description = "Readiness: 200 once every model's workers have loaded")
public class ReadinessEndpoint extends ModelServerEndpoint {

    static final String EXPECTED_KEY = "serving_expected_workers";
    static final String MULTI_MODEL_KEY = "serving_multi_model";

    /** Set once every model has had all its workers loaded at the same time. */
    private static volatile boolean started;

    public ReadinessEndpoint() {
        // Loaded once, before any listener opens: the place to set TorchServe up.
        PrivateKeys.install(); // every listener wants serve's key, gRPC included
        ReadyFlags.start(); // the per-model files the front checks before each invocation
        AbandonedJobs.start(); // queued requests whose client has gone are never run
        FrontendLibraries.log(); // which netty runs, from where (hardened or not)
    }

    @Override
    public void doGet(Request req, Response rsp, Context ctx) throws IOException {
        Map<String, Integer> expected = parseExpected(ctx.getConfig());
        Map<String, Model> models = ctx.getModels();
        StringBuilder body = new StringBuilder();
        boolean allLoaded = !expected.isEmpty();
        boolean eachServing = !expected.isEmpty();
        body.append("{\"models\":{");
        boolean first = true;
        for (Map.Entry<String, Integer> entry : expected.entrySet()) {
            int loaded = 0;
            Model model = models.get(entry.getKey());
            if (model != null) {
                for (Worker worker : model.getModelWorkers()) {
                    if (worker.isRunning()) {
                        loaded++;
                    }
                }
            }
            allLoaded &= loaded >= entry.getValue();
            eachServing &= loaded >= 1;
            body.append(first ? "" : ",")
                    .append('"').append(entry.getKey()).append("\":{\"ready_workers\":")
                    .append(loaded).append(",\"expected_workers\":")
                    .append(entry.getValue()).append('}');
            first = false;
        }
        if (allLoaded) {
            started = true;
        }
        // A multi-model endpoint has no model at start: it is ready once this answers.
        boolean multiModel = "true".equals(ctx.getConfig().getProperty(MULTI_MODEL_KEY));
        boolean ready = multiModel || (started ? eachServing : allLoaded);
        // Never ready before the front's per-model files are: it would answer 503.
        ReadyFlags.refresh(models);
        body.append("},\"status\":\"").append(ready ? "Healthy" : "Unavailable").append("\"}");
        rsp.setStatus(ready ? 200 : 503, ready ? "OK" : "Service Unavailable");
        rsp.setContentType("application/json");
        try (OutputStream out = rsp.getOutputStream()) {
            out.write(body.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    static Map<String, Integer> parseExpected(Properties config) {
        Map<String, Integer> expected = new TreeMap<>();
        String raw = config.getProperty(EXPECTED_KEY, "");
        for (String item : raw.split(",")) {
            int eq = item.lastIndexOf('=');
            if (eq <= 0) {
                continue;
            }
            try {
                expected.put(item.substring(0, eq).trim(), Integer.parseInt(item.substring(eq + 1).trim()));
            } catch (NumberFormatException e) {
                // A malformed entry would make /ping lie; leave it out so the check stays strict.
                expected.put(item.substring(0, eq).trim(), Integer.MAX_VALUE);
            }
        }
        return expected;
    }
}
